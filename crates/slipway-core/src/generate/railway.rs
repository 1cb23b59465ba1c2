//! Railway: `railway.json` (config as code) and, for the Nixpacks builder, `nixpacks.toml`.
//!
//! Emitted for each service that deploys to Railway (`railway.enabled`), in the service's
//! folder: Railway's monorepo convention is that a service's root directory holds its config.
//! JSON has no comments, so the reasons behind each setting are in the README's how-to-apply
//! section instead.
//!
//! `railway.json` cannot hold variables either. A design with several Railway services gets
//! `railway/variables.md`: per service, the variables to set (the URLs of the services it talks
//! to over the private network, under the names compose uses, the design-wide values as
//! `${{shared.NAME}}` references) and the `railway variables` commands that set them.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::naming::{
    chart_name, compose_keys, dockerfile_path, railway_config_path, service_folder, url_variable,
};
use crate::formats::markdown;
use crate::model::{
    Design, EnvVar, RailwayBuilder, RestartPolicy, Runtime, SecretSource, Service, ServiceKind,
};
use crate::text::{env_name, identifier, single_line, url_path};

/// Where the variables of a design with several Railway services are listed.
pub const VARIABLES_PATH: &str = "railway/variables.md";

/// RAILWAY-001: editors validate and complete the file against Railway's schema.
const SCHEMA: &str = "https://railway.com/railway.schema.json";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    for (index, service) in design.services.iter().enumerate() {
        if !service.railway.enabled {
            continue;
        }
        let paths = Paths::of(design, index);
        let config = RailwayConfig::from_service(design, service, &paths);
        let mut json = serde_json::to_string_pretty(&config)
            .unwrap_or_else(|error| unreachable!("serialising railway.json: {error}"));
        json.push('\n');
        files.push(GeneratedFile::new(paths.config.clone(), Syntax::Json, json));
        if service.railway.builder == RailwayBuilder::Nixpacks {
            files.push(GeneratedFile::new(
                paths.nixpacks_in_bundle(),
                Syntax::Toml,
                nixpacks_toml(service),
            ));
        }
    }
    if let Some(variables) = variables_md(design) {
        files.push(GeneratedFile::new(
            VARIABLES_PATH,
            Syntax::Markdown,
            variables,
        ));
    }
    files
}

/// Where a service's Railway files go, and the paths its config names relative to its folder.
struct Paths {
    /// The folder of the service (the Railway service's root directory); `None` for the root.
    folder: Option<String>,
    /// `railway.json` in the bundle (`backend/railway.json`).
    config: String,
    /// The Dockerfile relative to the folder.
    dockerfile: String,
    /// `nixpacks.toml` relative to the folder.
    nixpacks: String,
}

impl Paths {
    fn of(design: &Design, index: usize) -> Paths {
        let folder = design.services.get(index).and_then(service_folder);
        let relative = |path: String| match &folder {
            Some(folder) => path
                .strip_prefix(&format!("{folder}/"))
                .map_or(path.clone(), str::to_owned),
            None => path,
        };
        let config = railway_config_path(design, index);
        let config_file = relative(config.clone());
        let nixpacks = match config_file
            .strip_prefix("railway")
            .and_then(|rest| rest.strip_suffix(".json"))
        {
            Some(middle) => format!("nixpacks{middle}.toml"),
            None => "nixpacks.toml".to_owned(),
        };
        Paths {
            dockerfile: relative(dockerfile_path(design, index)),
            folder,
            config,
            nixpacks,
        }
    }

    fn nixpacks_in_bundle(&self) -> String {
        match &self.folder {
            Some(folder) => format!("{folder}/{}", self.nixpacks),
            None => self.nixpacks.clone(),
        }
    }
}

#[derive(Serialize)]
struct RailwayConfig {
    #[serde(rename = "$schema")]
    schema: &'static str,
    build: Build,
    deploy: Deploy,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    environments: BTreeMap<String, EnvironmentOverride>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Build {
    builder: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dockerfile_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nixpacks_config_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    build_command: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    watch_patterns: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Deploy {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_command: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pre_deploy_command: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    healthcheck_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    healthcheck_timeout: Option<u32>,
    restart_policy_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    restart_policy_max_retries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    num_replicas: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cron_schedule: Option<String>,
    sleep_application: bool,
}

#[derive(Serialize, Default)]
struct EnvironmentOverride {
    deploy: DeployOverride,
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct DeployOverride {
    #[serde(skip_serializing_if = "Option::is_none")]
    num_replicas: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_command: Option<String>,
}

impl RailwayConfig {
    fn from_service(design: &Design, service: &Service, paths: &Paths) -> Self {
        let railway = &service.railway;
        let builder = railway.builder;
        let cron_schedule = one_line(&railway.cron_schedule);
        let healthcheck_path = one_line(&railway.healthcheck_path).map(|path| url_path(&path));
        RailwayConfig {
            schema: SCHEMA,
            build: Build {
                builder: builder_id(builder),
                // RAILWAY-007: the builder finds the file it builds from.
                dockerfile_path: (builder == RailwayBuilder::Dockerfile)
                    .then(|| paths.dockerfile.clone()),
                nixpacks_config_path: (builder == RailwayBuilder::Nixpacks)
                    .then(|| paths.nixpacks.clone()),
                build_command: build_command(service),
                watch_patterns: watch_patterns(design, service, paths),
            },
            deploy: Deploy {
                start_command: start_command(service),
                // The migrations run once per deploy, before the new version starts
                // (MIGRATION-005): the service's own pre-deploy command, else its migrations'.
                pre_deploy_command: one_line(crate::facts::migrations::railway_pre_deploy(service))
                    .map(|command| vec![command]),
                healthcheck_timeout: healthcheck_path
                    .as_ref()
                    .map(|_| railway.healthcheck_timeout_seconds),
                healthcheck_path,
                restart_policy_type: match railway.restart_policy {
                    RestartPolicy::OnFailure => "ON_FAILURE",
                    RestartPolicy::Always => "ALWAYS",
                    RestartPolicy::Never => "NEVER",
                },
                // Railway counts retries for ON_FAILURE only.
                restart_policy_max_retries: (railway.restart_policy == RestartPolicy::OnFailure)
                    .then_some(railway.restart_max_retries),
                // A cron service runs one instance per schedule tick; replicas do not apply.
                num_replicas: cron_schedule.is_none().then_some(railway.replicas),
                cron_schedule,
                sleep_application: railway.sleep_application,
            },
            environments: environment_overrides(service),
        }
    }
}

fn builder_id(builder: RailwayBuilder) -> &'static str {
    match builder {
        RailwayBuilder::Dockerfile => "DOCKERFILE",
        RailwayBuilder::Nixpacks => "NIXPACKS",
        RailwayBuilder::Railpack => "RAILPACK",
    }
}

/// Trimmed, on one line, and `None` when empty.
fn one_line(text: &str) -> Option<String> {
    let line = single_line(text);
    let line = line.trim();
    (!line.is_empty()).then(|| line.to_owned())
}

/// The paths whose changes redeploy the service: its own, or, in a design with several
/// services, its folder (`/backend/**`), so a change to one service does not redeploy the others.
fn watch_patterns(design: &Design, service: &Service, paths: &Paths) -> Vec<String> {
    let own: Vec<String> = service
        .railway
        .watch_patterns
        .iter()
        .filter_map(|pattern| one_line(pattern))
        .collect();
    match &paths.folder {
        Some(folder) if own.is_empty() && design.services.len() > 1 => {
            vec![format!("/{folder}/**")]
        }
        _ => own,
    }
}

/// The build command: the service's Railway override, else its build. A Dockerfile build runs
/// the Dockerfile's own steps, so it gets none.
fn build_command(service: &Service) -> Option<String> {
    one_line(&service.railway.build_command).or_else(|| {
        (service.railway.builder != RailwayBuilder::Dockerfile)
            .then(|| one_line(&service.commands.build))
            .flatten()
    })
}

/// The start command: the service's Railway override, else its start command. A Dockerfile
/// build already starts with the image's exec-form `CMD`.
fn start_command(service: &Service) -> Option<String> {
    one_line(&service.railway.start_command).or_else(|| {
        (service.railway.builder != RailwayBuilder::Dockerfile)
            .then(|| service_start(service))
            .flatten()
    })
}

/// The service's exec-form start command as one shell line, every word quoted as needed.
fn service_start(service: &Service) -> Option<String> {
    let words: Vec<String> = service
        .commands
        .start
        .iter()
        .map(|word| shell_word(&single_line(word)))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A word the shell reads back unchanged: bare when it holds only safe characters,
/// single-quoted otherwise.
fn shell_word(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn environment_overrides(service: &Service) -> BTreeMap<String, EnvironmentOverride> {
    let mut environments: BTreeMap<String, EnvironmentOverride> = BTreeMap::new();
    for change in &service.railway.overrides {
        let Some(name) = one_line(&change.environment) else {
            continue;
        };
        let replicas = (change.replicas > 0).then_some(change.replicas);
        let start = one_line(&change.start_command);
        if replicas.is_none() && start.is_none() {
            continue;
        }
        let deploy = &mut environments.entry(name).or_default().deploy;
        deploy.num_replicas = replicas.or(deploy.num_replicas);
        deploy.start_command = start.or(deploy.start_command.take());
    }
    environments
}

/// `nixpacks.toml`: the install, build and start phases, so Nixpacks needs no guessing
/// (RAILWAY-008), and only non-secret variables (RAILWAY-005).
fn nixpacks_toml(service: &Service) -> String {
    let commands = &service.commands;
    let mut out = format!(
        "# Nixpacks build plan for {}, generated by Slipway.\n\
         # railway.json points here (nixpacksConfigPath, RAILWAY-007). Secrets never go in\n\
         # [variables]: set them as Railway service variables (RAILWAY-005).\n",
        single_line(&service.name)
    );
    if let Some(install) = one_line(&commands.install) {
        out.push_str(
            "\n# Installs exactly what the lockfile pins (CACHE-006).\n[phases.install]\n",
        );
        out.push_str(&format!("cmds = [{}]\n", toml_string(&install)));
    }
    if let Some(build) = build_command(service) {
        out.push_str("\n[phases.build]\n");
        if one_line(&commands.install).is_some() {
            out.push_str("dependsOn = [\"install\"]\n");
        }
        out.push_str(&format!("cmds = [{}]\n", toml_string(&build)));
    }
    if let Some(start) = start_command(service) {
        out.push_str("\n[start]\n");
        out.push_str(&format!("cmd = {}\n", toml_string(&start)));
    }
    if service.runtime == Runtime::Node {
        out.push_str(
            "\n[variables]\n# Production mode for Node and its libraries (DOCKER-016).\nNODE_ENV = \"production\"\n",
        );
    }
    out
}

/// A TOML basic string that reads back as `text`.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The README's steps for the Railway files (Markdown): what each service's config sets, and
/// the commands that deploy the services.
pub fn how_to_apply(design: &Design) -> Option<String> {
    let services: Vec<(usize, &Service)> = design
        .services
        .iter()
        .enumerate()
        .filter(|(_, service)| service.railway.enabled)
        .collect();
    let names: Vec<String> = services
        .iter()
        .map(|(_, service)| chart_name(service))
        .collect();
    let mut out = String::new();
    if let [(index, service)] = services.as_slice() {
        out.push_str("Railway reads `railway.json` on every deploy. What it sets:\n\n");
        for note in notes(service, &Paths::of(design, *index)) {
            out.push_str(&format!("- {note}\n"));
        }
        let service = &names[0];
        out.push_str(&format!(
            "\nDeploy from your machine once the project exists:\n\n```sh\nnpm install -g @railway/cli\nrailway login\nrailway link    # pick the project, environment and service {service} once\nrailway up --service {service}\n```\n\n"
        ));
    } else {
        out.push_str(
            "Each Railway service reads its own config on every deploy: create one Railway service per service below, with the root directory and config path given (RAILWAY-013).\n\n",
        );
        for ((index, service), name) in services.iter().zip(&names) {
            let paths = Paths::of(design, *index);
            out.push_str(&format!("#### {name}: `{}`\n\n", paths.config));
            for note in notes(service, &paths) {
                out.push_str(&format!("- {note}\n"));
            }
            out.push('\n');
        }
        out.push_str(
            "Deploy from your machine once the project exists:\n\n```sh\nnpm install -g @railway/cli\nrailway login\nrailway link    # pick the project and environment once\n",
        );
        for name in &names {
            out.push_str(&format!("railway up --service {name}\n"));
        }
        out.push_str("```\n\n");
        if variables_md(design).is_some() {
            out.push_str(&format!(
                "`railway.json` cannot hold variables: set the ones each service needs (the URLs of the services it talks to, over the private network, and the shared values) as `{VARIABLES_PATH}` lists them, with the commands there.\n\n"
            ));
        }
    }
    out.push_str(
        "In CI, take a project token from a secret (`RAILWAY_TOKEN`) and name the service and environment explicitly, so a deploy can never land in the wrong project (RAILWAY-015). Railway has no OIDC federation, so this token is a stored credential: create one project token per environment (Project Settings → Tokens, scoped to that environment) and store it as the `RAILWAY_TOKEN` secret of the GitHub environment of the same name, so each deploy job reads only its own environment's token; never an account or team token, which reaches every project:\n\n```sh\n",
    );
    let environments = railway_environments(design);
    for service in &names {
        for environment in &environments {
            out.push_str(&format!(
                "railway up --ci --service {service} --environment {environment}\n"
            ));
        }
    }
    out.push_str("```");
    Some(out)
}

/// What a service's Railway config sets, one Markdown list item each.
fn notes(service: &Service, paths: &Paths) -> Vec<String> {
    let railway = &service.railway;
    let mut notes = vec![match railway.builder {
        RailwayBuilder::Dockerfile => {
            "`build.builder` is `DOCKERFILE`: Railway builds the multi-stage `Dockerfile` above and starts its exec-form `CMD`: the multi-stage rules hold on Railway too (RAILWAY-006, RAILWAY-007).".to_owned()
        }
        RailwayBuilder::Nixpacks => format!(
            "`build.builder` is `NIXPACKS`, with the phases in `{}` (RAILWAY-007, RAILWAY-008).",
            paths.nixpacks
        ),
        RailwayBuilder::Railpack => {
            "`build.builder` is `RAILPACK`, Railway's current default builder, with the build and start commands set explicitly.".to_owned()
        }
    }];
    match one_line(&railway.healthcheck_path) {
        Some(path) => notes.push(format!(
            "`deploy.healthcheckPath` is {} with a {} s timeout: Railway switches traffic only to a deploy that answers 200 there (RAILWAY-002, RAILWAY-003).",
            markdown::escape(&url_path(&path)),
            railway.healthcheck_timeout_seconds
        )),
        None => notes.push(
            "No health check path: the service takes no HTTP traffic, so Railway cannot probe it (RAILWAY-016)."
                .to_owned(),
        ),
    }
    notes.push(match railway.restart_policy {
        RestartPolicy::OnFailure => format!(
            "`deploy.restartPolicyType` is `ON_FAILURE` with {} retries: a crash restarts the service, a crash loop stops (RAILWAY-004).",
            railway.restart_max_retries
        ),
        RestartPolicy::Always => "`deploy.restartPolicyType` is `ALWAYS`: the service restarts whenever it exits (RAILWAY-004).".to_owned(),
        RestartPolicy::Never => "`deploy.restartPolicyType` is `NEVER`: a run that exits stays stopped until the next deploy or schedule (RAILWAY-016).".to_owned(),
    });
    if let Some(schedule) = one_line(&railway.cron_schedule) {
        notes.push(format!(
            "`deploy.cronSchedule` runs the service on the schedule {} (UTC) and expects it to exit when done.",
            markdown::escape(&schedule)
        ));
    }
    if !railway.overrides.is_empty() {
        notes.push(
            "`environments.<name>.deploy` overrides replicas or the start command for one Railway environment."
                .to_owned(),
        );
    }
    notes.push(
        "Secrets never go in these files: set them as Railway variables, shared values as reference variables such as `${{Postgres.DATABASE_URL}}` (RAILWAY-005, RAILWAY-010).".to_owned(),
    );
    if let Some(folder) = &paths.folder {
        notes.push(format!(
            "The service lives in the {} folder, which holds its Railway files: set the Railway service's root directory to `/{folder}` and its config path to `/{}` (RAILWAY-013).",
            markdown::escape(folder),
            paths.config
        ));
    }
    notes
}

/// One variable a Railway service needs: its name, its value (a literal or a reference
/// variable Railway resolves at deploy) and why, in Markdown.
struct Variable {
    name: String,
    value: String,
    why: String,
}

impl Variable {
    /// `NAME=value`, as `railway variables --set` takes it.
    fn assignment(&self) -> String {
        format!("{}={}", self.name, self.value)
    }
}

/// What one Railway service needs set: its variables, and the notes on those Slipway cannot
/// fill in.
struct ServiceVariables {
    /// The Railway service name (the chart name, as `railway up --service` names it).
    name: String,
    variables: Vec<Variable>,
    notes: Vec<String>,
}

/// The variable each service's URL is read from (by index), as `compose.yaml` names it, so
/// the code reads the same variable in both places.
fn url_variables(design: &Design) -> Vec<String> {
    compose_keys(design)
        .iter()
        .map(|key| url_variable(key))
        .collect()
}

/// The names of the design-wide values every service reads: the environments' values (one
/// shared variable each) and the runtime secrets (those not only for CI), first one wins.
fn design_values(design: &Design) -> (Vec<String>, Vec<String>) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut values: Vec<String> = Vec::new();
    for environment in &design.environments {
        for value in &environment.values {
            let name = value.name.trim();
            if !name.is_empty() && seen.insert(env_name(name)) {
                values.push(env_name(name));
            }
        }
    }
    let mut secrets: Vec<String> = Vec::new();
    for secret in &design.secrets {
        let name = secret.name.trim();
        if name.is_empty() || secret.source == SecretSource::GithubActions {
            continue;
        }
        let name = env_name(name);
        if seen.insert(name.clone()) {
            secrets.push(name);
        }
    }
    (values, secrets)
}

/// A runtime secret's value on Railway: the database's own variable for the connection
/// strings Railway's PostgreSQL and Redis services provide, else a sealed shared variable.
fn secret_variable(name: &str) -> Variable {
    let (value, why) = match name {
        "DATABASE_URL" => (
            "${{Postgres.DATABASE_URL}}",
            "from Railway's PostgreSQL service (named `Postgres` when created): no password is copied anywhere.",
        ),
        "REDIS_URL" => (
            "${{Redis.REDIS_URL}}",
            "from Railway's Redis service (named `Redis` when created).",
        ),
        _ => (
            "",
            "a secret: a sealed shared variable whose value comes from your secret store, never from a file (RAILWAY-005).",
        ),
    };
    Variable {
        name: name.to_owned(),
        value: if value.is_empty() {
            format!("${{{{shared.{name}}}}}")
        } else {
            value.to_owned()
        },
        why: why.to_owned(),
    }
}

/// What each Railway service of the design needs set (design order).
fn service_variables(design: &Design) -> Vec<ServiceVariables> {
    let urls = url_variables(design);
    let (values, secrets) = design_values(design);
    let on_railway = |index: usize| design.services[index].railway.enabled;
    let called: Vec<bool> = (0..design.services.len())
        .map(|target| {
            on_railway(target)
                && (0..design.services.len())
                    .any(|caller| on_railway(caller) && design.talked_to(caller).contains(&target))
        })
        .collect();
    let mut out = Vec::new();
    for (index, service) in design.services.iter().enumerate() {
        if !service.railway.enabled {
            continue;
        }
        let name = chart_name(service);
        let mut variables: Vec<Variable> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        if called[index] {
            variables.push(Variable {
                name: "PORT".to_owned(),
                value: service.container.port.to_string(),
                why: format!(
                    "the port the container listens on; the services that call {name} read it as `${{{{{name}.PORT}}}}`."
                ),
            });
        }
        for target in design.talked_to(index) {
            let other = chart_name(&design.services[target]);
            let variable = urls[target].clone();
            if !on_railway(target) {
                notes.push(format!(
                    "`{variable}`: {other} does not run on Railway; set it to the address {other} is reachable at."
                ));
            } else if service.kind == ServiceKind::StaticSite {
                variables.push(Variable {
                    name: variable,
                    value: format!("https://${{{{{other}.RAILWAY_PUBLIC_DOMAIN}}}}"),
                    why: format!(
                        "{name} is a static site: its code runs in the browser, outside the private network, so it calls {other}'s public domain (generate one in {other}'s networking settings). Railway variables are set at build time too, for a build that bakes the URL in."
                    ),
                });
            } else {
                variables.push(Variable {
                    name: variable,
                    value: format!(
                        "http://${{{{{other}.RAILWAY_PRIVATE_DOMAIN}}}}:${{{{{other}.PORT}}}}"
                    ),
                    why: format!(
                        "{other} over the private network (plain `http`, never leaving the project), as in `compose.yaml`."
                    ),
                });
            }
        }
        variables.extend(secrets.iter().map(|secret| secret_variable(secret)));
        variables.extend(values.iter().map(|value| Variable {
            name: value.clone(),
            value: format!("${{{{shared.{value}}}}}"),
            why: "a shared variable, one value per environment (see above).".to_owned(),
        }));
        out.push(ServiceVariables {
            name,
            variables,
            notes,
        });
    }
    out
}

/// The Railway environment names of the design (as the deploy commands spell them).
fn railway_environments(design: &Design) -> Vec<String> {
    let mut environments: Vec<String> = design
        .environments
        .iter()
        .map(|environment| identifier(&environment.name, "production"))
        .collect();
    if environments.is_empty() {
        environments.push("production".to_owned());
    }
    environments.dedup();
    environments
}

/// `railway/variables.md` for a design with several Railway services that need variables:
/// what each service sets, the shared variables per environment, and the commands.
fn variables_md(design: &Design) -> Option<String> {
    let services = service_variables(design);
    if services.len() < 2
        || services
            .iter()
            .all(|service| service.variables.is_empty() && service.notes.is_empty())
    {
        return None;
    }
    let (values, secrets) = design_values(design);
    let environments = railway_environments(design);
    let mut out = format!(
        "# Railway variables for {}\n\n",
        markdown::escape(&design.project.name)
    );
    out.push_str(
        "`railway.json` cannot hold variables: set these in every Railway environment. The services reach each other over Railway's private network through reference variables, which Railway fills in at each deploy: `${{api.RAILWAY_PRIVATE_DOMAIN}}` is the private host name of the service named `api`, `${{api.PORT}}` the port it listens on. Each URL is read from the variable `compose.yaml` uses, so the code reads the same name locally and on Railway.\n\n\
         The references name the Railway services: create them with the names below. A service called over the private network listens on `::` (all interfaces, IPv6 included).\n",
    );
    let shared_secrets: Vec<&String> = secrets
        .iter()
        .filter(|name| !matches!(name.as_str(), "DATABASE_URL" | "REDIS_URL"))
        .collect();
    if !values.is_empty() || !shared_secrets.is_empty() {
        out.push_str(
            "\n## Shared variables\n\nProject settings → Shared Variables, in each environment; every service reads them as `${{shared.NAME}}`, so a value is changed in one place.\n\n",
        );
        if !values.is_empty() {
            out.push_str("| variable |");
            for environment in &environments {
                out.push_str(&format!(" {environment} |"));
            }
            out.push_str("\n|---|");
            out.push_str(&"---|".repeat(environments.len()));
            out.push('\n');
            // The first value of each name in each environment, found once for the table.
            let mut set: BTreeMap<(String, String), &EnvVar> = BTreeMap::new();
            for candidate in &design.environments {
                let environment = identifier(&candidate.name, "production");
                for value in &candidate.values {
                    set.entry((environment.clone(), env_name(value.name.trim())))
                        .or_insert(value);
                }
            }
            for name in &values {
                out.push_str(&format!("| `{name}` |"));
                for environment in &environments {
                    let value = set.get(&(environment.clone(), name.clone()));
                    let cell = match value {
                        Some(value) if crate::secrets::withheld(name, &value.value) => {
                            "(a secret: from your secret store)".to_owned()
                        }
                        Some(value) => markdown::escape(&value.value),
                        None => "(not set)".to_owned(),
                    };
                    out.push_str(&format!(" {cell} |"));
                }
                out.push('\n');
            }
        }
        if !shared_secrets.is_empty() {
            let names: Vec<String> = shared_secrets
                .iter()
                .map(|name| format!("`{name}`"))
                .collect();
            out.push_str(&format!(
                "\nSecrets, sealed (their values are never shown again), from your secret store: {}.\n",
                names.join(", ")
            ));
        }
    }
    out.push_str("\n## Services\n");
    for service in &services {
        out.push_str(&format!("\n### {}\n\n", service.name));
        if service.variables.is_empty() && service.notes.is_empty() {
            out.push_str("Nothing to set.\n");
        }
        for variable in &service.variables {
            out.push_str(&format!(
                "- `{}`: {}\n",
                variable.assignment(),
                variable.why
            ));
        }
        for note in &service.notes {
            out.push_str(&format!("- {note}\n"));
        }
    }
    out.push_str(
        "\n## Commands\n\nThe single quotes keep the shell from expanding `${{…}}`: Railway resolves it.\n\n```sh\nrailway login\nrailway link    # pick the project once\n",
    );
    for environment in &environments {
        out.push_str(&format!("\n# {environment}\n"));
        for service in &services {
            if service.variables.is_empty() {
                continue;
            }
            let mut command = format!(
                "railway variables --service {} --environment {environment}",
                service.name
            );
            for variable in &service.variables {
                command.push_str(" \\\n  --set ");
                command.push_str(&shell_word(&variable.assignment()));
            }
            out.push_str(&command);
            out.push('\n');
        }
    }
    out.push_str("```\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RailwayOverride;

    fn json(design: &Design) -> serde_json::Value {
        let files = generate(design);
        let file = files
            .iter()
            .find(|file| file.path.ends_with("railway.json"))
            .expect("railway.json");
        serde_json::from_str(&file.contents).expect("railway.json parses")
    }

    fn preset(id: &str) -> Design {
        (crate::presets::find(id).expect("preset").build)()
    }

    #[test]
    fn every_preset_reads_back_with_its_health_check_and_restart_policy() {
        for preset in crate::presets::all() {
            let design = (preset.build)();
            let config = json(&design);
            assert_eq!(config["$schema"], SCHEMA, "{}", preset.id);
            let deploy = &config["deploy"];
            match one_line(&design.services[0].railway.healthcheck_path) {
                Some(path) => {
                    assert_eq!(deploy["healthcheckPath"], path.as_str(), "{}", preset.id);
                    assert_eq!(
                        deploy["healthcheckTimeout"],
                        design.services[0].railway.healthcheck_timeout_seconds
                    );
                }
                None => assert!(deploy.get("healthcheckPath").is_none(), "{}", preset.id),
            }
        }
        let java = json(&preset("java-spring"));
        assert_eq!(java["deploy"]["healthcheckPath"], "/actuator/health");
        assert_eq!(java["deploy"]["restartPolicyType"], "ON_FAILURE");
        assert_eq!(java["deploy"]["restartPolicyMaxRetries"], 3);
        assert_eq!(java["deploy"]["numReplicas"], 1);
        assert_eq!(java["build"]["builder"], "DOCKERFILE");
        assert_eq!(java["build"]["dockerfilePath"], "Dockerfile");
    }

    #[test]
    fn the_cron_worker_runs_on_schedule_and_is_never_restarted() {
        let config = json(&preset("worker-cron"));
        let deploy = &config["deploy"];
        assert_eq!(deploy["cronSchedule"], "*/15 * * * *");
        assert_eq!(deploy["restartPolicyType"], "NEVER");
        assert!(deploy.get("restartPolicyMaxRetries").is_none());
        assert!(deploy.get("numReplicas").is_none());
        assert!(deploy.get("healthcheckPath").is_none());
    }

    #[test]
    fn railway_files_only_when_the_design_deploys_to_railway() {
        let mut design = preset("node-api");
        design.services[0].railway.enabled = false;
        assert!(generate(&design).is_empty());
        design.services[0].railway.enabled = true;
        assert_eq!(generate(&design).len(), 1);
    }

    #[test]
    fn nixpacks_gets_its_phases_and_the_commands() {
        let mut design = preset("node-api");
        design.services[0].railway.builder = RailwayBuilder::Nixpacks;
        let files = generate(&design);
        let config = json(&design);
        assert_eq!(config["build"]["builder"], "NIXPACKS");
        assert_eq!(config["build"]["nixpacksConfigPath"], "nixpacks.toml");
        assert_eq!(config["build"]["buildCommand"], "npm run build");
        assert_eq!(config["deploy"]["startCommand"], "node dist/main.js");
        let toml_file = files
            .iter()
            .find(|file| file.path.ends_with("nixpacks.toml"))
            .expect("nixpacks.toml");
        let plan: toml::Value = toml::from_str(&toml_file.contents).expect("nixpacks.toml parses");
        assert_eq!(
            plan["phases"]["install"]["cmds"][0].as_str(),
            Some("npm ci")
        );
        assert_eq!(
            plan["phases"]["build"]["dependsOn"][0].as_str(),
            Some("install")
        );
        assert_eq!(plan["start"]["cmd"].as_str(), Some("node dist/main.js"));
        assert_eq!(plan["variables"]["NODE_ENV"].as_str(), Some("production"));
    }

    #[test]
    fn overrides_land_under_their_environment() {
        let mut design = preset("node-api");
        design.services[0].railway.overrides = vec![
            RailwayOverride {
                environment: "production".into(),
                replicas: 3,
                start_command: String::new(),
            },
            RailwayOverride {
                environment: "staging".into(),
                replicas: 0,
                start_command: "node dist/main.js --inspect".into(),
            },
            RailwayOverride {
                environment: "empty".into(),
                ..RailwayOverride::default()
            },
        ];
        let config = json(&design);
        assert_eq!(
            config["environments"]["production"]["deploy"]["numReplicas"],
            3
        );
        assert_eq!(
            config["environments"]["staging"]["deploy"]["startCommand"],
            "node dist/main.js --inspect"
        );
        assert!(config["environments"]["staging"]["deploy"]
            .get("numReplicas")
            .is_none());
        assert!(config["environments"].get("empty").is_none());
    }

    const HOSTILE: &str =
        "x\",\n  \"evil\": true, \"y\": \"${jsonencode(var.x)} $(rm -rf /) ${{ github.token }}";

    #[test]
    fn hostile_text_stays_inside_its_string() {
        let mut design = preset("node-api");
        design.project.name = HOSTILE.into();
        design.services[0].name = HOSTILE.into();
        design.services[0].commands.install = HOSTILE.into();
        design.services[0].commands.build = HOSTILE.into();
        design.services[0].commands.start = vec!["node".into(), HOSTILE.into()];
        design.services[0].railway.builder = RailwayBuilder::Nixpacks;
        design.services[0].railway.healthcheck_path = HOSTILE.into();
        design.services[0].railway.cron_schedule = HOSTILE.into();
        design.services[0].railway.pre_deploy_command = HOSTILE.into();
        design.services[0].railway.watch_patterns = vec![HOSTILE.into()];
        design.services[0].railway.overrides = vec![RailwayOverride {
            environment: HOSTILE.into(),
            replicas: 2,
            start_command: HOSTILE.into(),
        }];
        let files = generate(&design);
        let config = json(&design);
        let keys: Vec<&String> = config.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["$schema", "build", "deploy", "environments"]);
        let one_line_hostile = HOSTILE.replace('\n', " ");
        assert_eq!(config["build"]["buildCommand"], one_line_hostile.as_str());
        assert_eq!(config["deploy"]["cronSchedule"], one_line_hostile.as_str());
        assert!(config["deploy"].get("evil").is_none());
        assert_eq!(
            config["environments"][one_line_hostile.as_str()]["deploy"]["numReplicas"],
            2
        );
        // The start word is a single shell word: single-quoted, so `$(...)` stays text.
        let start = config["deploy"]["startCommand"].as_str().unwrap();
        assert!(start.starts_with("node '"), "{start}");
        assert!(config["deploy"]["healthcheckPath"]
            .as_str()
            .unwrap()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-._~%".contains(c)));
        let toml_file = files
            .iter()
            .find(|file| file.path.ends_with("nixpacks.toml"))
            .unwrap();
        let plan: toml::Value = toml::from_str(&toml_file.contents).expect("nixpacks.toml parses");
        let tables: Vec<&String> = plan.as_table().unwrap().keys().collect();
        assert_eq!(tables, ["phases", "start", "variables"]);
        assert_eq!(
            plan["phases"]["install"]["cmds"][0].as_str(),
            Some(one_line_hostile.as_str())
        );
        // Commands in the README's code blocks carry only the sanitised service name.
        let readme = how_to_apply(&design).unwrap();
        for line in readme.lines().filter(|line| line.starts_with("railway ")) {
            let command = line.split('#').next().unwrap();
            assert!(
                command
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " -".contains(c)),
                "{line}"
            );
        }
    }

    /// The web + API + worker preset, the worker also calling the API.
    fn three_services() -> Design {
        let mut design = preset("web-api-worker");
        design.services[2].talks_to = vec!["api".into()];
        design
    }

    fn variables(design: &Design) -> String {
        generate(design)
            .into_iter()
            .find(|file| file.path == VARIABLES_PATH)
            .expect("railway/variables.md")
            .contents
    }

    /// The `--set` arguments of the commands for one service and environment.
    fn sets(markdown: &str, service: &str, environment: &str) -> Vec<String> {
        let head = format!("railway variables --service {service} --environment {environment}");
        let mut lines = markdown.lines().skip_while(|line| !line.starts_with(&head));
        lines.next().expect("the service's command");
        lines
            .map_while(|line| line.strip_prefix("  --set "))
            .map(|word| word.trim_end_matches(" \\").to_owned())
            .collect()
    }

    #[test]
    fn services_that_talk_to_another_get_its_private_url_under_compose_s_name() {
        let design = three_services();
        let markdown = variables(&design);
        let private = "'API_URL=http://${{api.RAILWAY_PRIVATE_DOMAIN}}:${{api.PORT}}'";
        for environment in ["staging", "production"] {
            let worker = sets(&markdown, "worker", environment);
            assert_eq!(worker[0], private, "{environment}");
            assert!(worker.contains(&"'DATABASE_URL=${{Postgres.DATABASE_URL}}'".to_owned()));
            assert!(worker.contains(&"'LOG_LEVEL=${{shared.LOG_LEVEL}}'".to_owned()));
            // The static site's code runs in the browser: the public domain, same variable.
            let web = sets(&markdown, "web", environment);
            assert_eq!(web[0], "'API_URL=https://${{api.RAILWAY_PUBLIC_DOMAIN}}'");
            // `${{api.PORT}}` resolves only when api sets PORT: its container port.
            let api = sets(&markdown, "api", environment);
            assert_eq!(api[0], "PORT=3001");
            assert!(!api.iter().any(|set| set.contains("_URL=http")));
        }
        assert!(
            markdown.contains("| `LOG_LEVEL` | debug | info |"),
            "{markdown}"
        );
        // compose.yaml hands the worker the same variable.
        let compose = crate::generate::compose::generate(&design);
        let compose: serde_json::Value =
            serde_norway::from_str(&compose[0].contents).expect("compose.yaml parses");
        assert_eq!(
            compose["services"]["worker"]["environment"]["API_URL"],
            "http://api:3001"
        );
        assert!(how_to_apply(&design).unwrap().contains(VARIABLES_PATH));
    }

    #[test]
    fn a_web_service_caller_uses_the_private_network() {
        let mut design = three_services();
        design.services[0].kind = crate::model::ServiceKind::WebService;
        let web = sets(&variables(&design), "web", "production");
        assert_eq!(
            web[0],
            "'API_URL=http://${{api.RAILWAY_PRIVATE_DOMAIN}}:${{api.PORT}}'"
        );
    }

    #[test]
    fn variables_only_for_several_railway_services() {
        let node = preset("node-api");
        assert!(generate(&node)
            .iter()
            .all(|file| file.path != VARIABLES_PATH));
        assert!(!how_to_apply(&node).unwrap().contains(VARIABLES_PATH));
        let mut design = three_services();
        design.services[1].railway.enabled = false;
        design.services[2].railway.enabled = false;
        assert!(generate(&design)
            .iter()
            .all(|file| file.path != VARIABLES_PATH));
        // A callee that does not run on Railway: a note, never a reference that cannot resolve.
        let mut design = three_services();
        design.services[1].railway.enabled = false;
        let markdown = variables(&design);
        let services = markdown.split("## Services").nth(1).unwrap();
        assert!(!services.contains("${{api."), "{markdown}");
        assert!(markdown.contains("`API_URL`: api does not run on Railway"));
    }

    #[test]
    fn ci_only_secrets_are_not_service_variables_and_others_are_shared() {
        let mut design = three_services();
        design.secrets.push(crate::model::Secret {
            name: "SESSION_KEY".into(),
            source: crate::model::SecretSource::Railway,
            ..Default::default()
        });
        design.secrets.push(crate::model::Secret {
            name: "DEPLOY_TOKEN".into(),
            source: crate::model::SecretSource::GithubActions,
            ..Default::default()
        });
        let markdown = variables(&design);
        assert!(sets(&markdown, "api", "staging")
            .contains(&"'SESSION_KEY=${{shared.SESSION_KEY}}'".to_owned()));
        assert!(!markdown.contains("DEPLOY_TOKEN"));
        assert!(markdown.contains("from your secret store: `SESSION_KEY`"));
    }

    #[test]
    fn hostile_names_and_values_stay_quoted() {
        let mut design = three_services();
        design.project.name = HOSTILE.into();
        design.services[1].name = format!("api{HOSTILE}");
        design.services[0].talks_to = vec![design.services[1].name.clone()];
        design.services[2].talks_to = vec![design.services[1].name.clone()];
        design.environments[0].name = HOSTILE.into();
        design.environments[0].values = vec![crate::model::EnvVar::new(HOSTILE, HOSTILE)];
        design.secrets[0].name = format!("X'$(id)`{HOSTILE}");
        let markdown = variables(&design);
        let block = markdown
            .split("```sh\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the commands");
        for line in block.lines() {
            // Outside single quotes only safe characters; inside them no quote can close early.
            let outside: String = line.split('\'').step_by(2).collect::<Vec<&str>>().concat();
            assert!(
                outside
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " -_=.#\\".contains(c)),
                "{line}"
            );
            assert_eq!(line.matches('\'').count() % 2, 0, "{line}");
        }
        for line in markdown.lines().filter(|line| !block.contains(*line)) {
            assert!(!line.contains("<"), "{line}");
            assert!(!line.contains("$(id)`"), "{line}");
        }
        // The reference names the Railway service as `railway up` does: the chart name.
        let api = crate::facts::naming::chart_name(&design.services[1]);
        assert!(markdown.contains(&format!("${{{{{api}.RAILWAY_PRIVATE_DOMAIN}}}}")));
    }

    #[test]
    fn shell_words_read_back_unchanged() {
        assert_eq!(shell_word("dist/main.js"), "dist/main.js");
        assert_eq!(shell_word("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(shell_word(""), "''");
    }
}
