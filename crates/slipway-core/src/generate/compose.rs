//! `compose.yaml` for local development: each service built from its Dockerfile's runner
//! stage, plus PostgreSQL and Redis when the design uses them, with health checks, start
//! ordering on `service_healthy` and named volumes (DOCKER-018). A service reaches the services
//! it talks to at `<NAME>_URL` (`http://<name>:<port>`) and starts after them.
//!
//! The design uses PostgreSQL when a CI job tests against a `postgres` service container, when
//! Terraform provisions RDS, or when the app needs a `DATABASE_URL` secret; Redis likewise with
//! a `redis` service container, ElastiCache or a `REDIS_URL` secret. The database image follows
//! production's RDS engine version when there is one (parity), else the CI service image.
//!
//! Compose interpolates `$VAR` and `${VAR}` in every value, so each `$` a user typed is written
//! as `$$`: a value can never read the developer's environment.

use std::fmt::Write;

use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::naming::{
    chart_name, compose_keys, dockerfile_path, service_folder, url_variable,
};
use crate::formats::yaml::{document, Map};
use crate::model::{Design, Environment, EnvironmentTier, Instruction, Service, StageRole};
use crate::text::{env_name, identifier, keep};

/// Host port of the development database: not 5432, so it never clashes with a PostgreSQL
/// already running on the developer's machine (DOCKER-018).
pub const POSTGRES_HOST_PORT: u16 = 5437;
/// Host port of the development Redis, off the default 6379 for the same reason.
pub const REDIS_HOST_PORT: u16 = 6380;
/// PostgreSQL when production has no RDS version to follow and CI names no image.
pub const DEFAULT_POSTGRES_IMAGE: &str = "postgres:16.4-alpine";
/// Redis for local development: a pinned release of the version ElastiCache runs.
pub const REDIS_IMAGE: &str = "redis:7.4-alpine";

const DEV_USER: &str = "app";
/// Throwaway password of the local database; never used outside this compose file.
const DEV_PASSWORD: &str = "app";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    vec![GeneratedFile::new(
        "compose.yaml",
        Syntax::Yaml,
        render(design),
    )]
}

/// The PostgreSQL image local development runs, when the design uses a database.
pub fn postgres_image(design: &Design) -> Option<String> {
    let infrastructure = &design.infrastructure;
    let rds = infrastructure.enabled && infrastructure.rds.enabled;
    let ci_image = design
        .pipeline
        .jobs
        .iter()
        .flat_map(|job| &job.services)
        .map(|service| image_reference(&service.image))
        .find(|image| image.contains("postgres"));
    let secret = needs_secret(design, "DATABASE_URL");
    if rds {
        let version = keep(infrastructure.rds.engine_version.trim(), |c| {
            c.is_ascii_digit() || c == '.'
        });
        if !version.is_empty() {
            return Some(format!("postgres:{version}-alpine"));
        }
    }
    if let Some(image) = ci_image {
        return Some(image);
    }
    (rds || secret).then(|| DEFAULT_POSTGRES_IMAGE.to_owned())
}

/// Whether local development needs Redis.
pub fn uses_redis(design: &Design) -> bool {
    let infrastructure = &design.infrastructure;
    (infrastructure.enabled && infrastructure.redis.enabled)
        || needs_secret(design, "REDIS_URL")
        || design
            .pipeline
            .jobs
            .iter()
            .flat_map(|job| &job.services)
            .any(|service| service.image.to_ascii_lowercase().contains("redis"))
}

fn needs_secret(design: &Design, name: &str) -> bool {
    design
        .secrets
        .iter()
        .any(|secret| secret.name.trim().eq_ignore_ascii_case(name))
}

/// An image reference reduced to its grammar's characters.
fn image_reference(image: &str) -> String {
    keep(image.trim(), |c| {
        c.is_ascii_alphanumeric() || "._/:@-".contains(c)
    })
}

/// A value as Compose reads it literally: `$` would start an interpolation.
fn literal(text: &str) -> String {
    text.replace('$', "$$")
}

/// The build context relative to the repository root (the service's folder), and the
/// Dockerfile relative to it.
fn build_paths(design: &Design, index: usize) -> (String, String) {
    let dockerfile = dockerfile_path(design, index);
    match design.services.get(index).and_then(service_folder) {
        Some(folder) => {
            let relative = dockerfile
                .strip_prefix(&format!("{folder}/"))
                .map_or(dockerfile.clone(), str::to_owned);
            (folder, relative)
        }
        None => (".".to_owned(), dockerfile),
    }
}

/// The stage that ships: the runner, or the last stage of a hand-written Dockerfile.
fn runner_stage(service: &Service) -> String {
    let stages = crate::facts::stages::resolve(service);
    let stage = stages
        .iter()
        .find(|stage| stage.role == StageRole::Runner)
        .or(stages.last());
    identifier(stage.map_or("runner", |stage| stage.name.as_str()), "stage")
}

/// Whether the image that ships has a `HEALTHCHECK`, so Compose can wait for it to be healthy.
fn has_healthcheck(service: &Service) -> bool {
    let stages = crate::facts::stages::resolve(service);
    let stage = stages
        .iter()
        .find(|stage| stage.role == StageRole::Runner)
        .or(stages.last());
    stage.is_some_and(|stage| {
        stage
            .instructions
            .iter()
            .any(|instruction| matches!(instruction, Instruction::Healthcheck { .. }))
    })
}

/// The host port each service publishes (by index; `None` for workers): its container port,
/// moved up past the ports taken by earlier services and the data stores.
fn host_ports(design: &Design) -> Vec<Option<u16>> {
    let mut taken: Vec<u16> = Vec::new();
    if postgres_image(design).is_some() {
        taken.push(POSTGRES_HOST_PORT);
    }
    if uses_redis(design) {
        taken.push(REDIS_HOST_PORT);
    }
    design
        .services
        .iter()
        .map(|service| {
            if !service.kind.is_web() {
                return None;
            }
            let mut port = service.container.port;
            while taken.contains(&port) && port < u16::MAX {
                port += 1;
            }
            taken.push(port);
            Some(port)
        })
        .collect()
}

/// The environment whose settings local development borrows: development, else staging,
/// else the first one.
fn local_environment(design: &Design) -> Option<&Environment> {
    let by_tier = |tier| design.environments.iter().find(|env| env.tier == tier);
    by_tier(EnvironmentTier::Development)
        .or_else(|| by_tier(EnvironmentTier::Staging))
        .or(design.environments.first())
}

fn database_name(design: &Design) -> String {
    identifier(&design.project.name, "app").replace('-', "_")
}

fn healthcheck(test: Vec<&str>) -> Map {
    Map::new()
        .entry("test", test)
        .entry("interval", "5s")
        .entry("timeout", "3s")
        .entry("retries", 5u32)
        .entry("start_period", "10s")
}

fn render(design: &Design) -> String {
    let name = identifier(&design.project.name, "app");
    let postgres = postgres_image(design);
    let redis = uses_redis(design);
    let keys = compose_keys(design);
    let ports = host_ports(design);

    let mut services = Map::new();
    for index in 0..design.services.len() {
        let app = app_service(design, index, &keys, ports[index]);
        let web = design.services[index].kind.is_web();
        services = services.entry(keys[index].clone(), app);
        if index > 0 {
            services = services.gap();
        }
        services = services.comment(if web {
            "The service, built from the Dockerfile in this repository."
        } else {
            "The worker, built from the Dockerfile in this repository; it serves no port."
        });
    }
    let database = database_name(design);
    let mut volumes = Map::new();
    if let Some(image) = &postgres {
        services = services
            .entry(
                "postgres",
                Map::new()
                    .entry("image", image.as_str())
                    .comment("Pinned: the same version as production's database where the design has one.")
                    .entry(
                        "environment",
                        Map::new()
                            .entry("POSTGRES_USER", DEV_USER)
                            .entry("POSTGRES_PASSWORD", DEV_PASSWORD)
                            .entry("POSTGRES_DB", database.as_str()),
                    )
                    .comment("Throwaway credentials of a local database (SECRETS-001 allows them here only).")
                    .entry(
                        "ports",
                        vec![format!("127.0.0.1:{POSTGRES_HOST_PORT}:5432")],
                    )
                    .comment("Off 5432, so a database already running on this machine does not clash.")
                    .entry("volumes", vec!["postgres-data:/var/lib/postgresql/data"])
                    .entry(
                        "healthcheck",
                        healthcheck(vec![
                            "CMD",
                            "pg_isready",
                            "-U",
                            DEV_USER,
                            "-d",
                            database.as_str(),
                        ]),
                    ),
            )
            .gap()
            .comment("PostgreSQL for local development; data survives restarts in a named volume.");
        volumes.push("postgres-data", Map::new());
    }
    if redis {
        services = services
            .entry(
                "redis",
                Map::new()
                    .entry("image", REDIS_IMAGE)
                    .entry(
                        "command",
                        vec![
                            "redis-server",
                            "--appendonly",
                            "yes",
                            "--maxmemory",
                            "512mb",
                            "--maxmemory-policy",
                            "allkeys-lru",
                        ],
                    )
                    .comment(
                        "Persistent, with a memory cap that evicts the least recently used keys.",
                    )
                    .entry("ports", vec![format!("127.0.0.1:{REDIS_HOST_PORT}:6379")])
                    .entry("volumes", vec!["redis-data:/data"])
                    .entry("healthcheck", healthcheck(vec!["CMD", "redis-cli", "ping"])),
            )
            .gap()
            .comment("Redis for local development.");
        volumes.push("redis-data", Map::new());
    }

    let mut root = Map::new()
        .entry("name", name.as_str())
        .comment("Compose project name: prefixes containers, networks and volumes.")
        .entry("services", services)
        .gap();
    if !volumes.is_empty() {
        root = root
            .entry("volumes", volumes)
            .comment("Named volumes keep data across `docker compose down` (remove with -v).")
            .gap();
    }
    document(
        &[
            "Local development with Docker Compose, generated by Slipway from slipway.yaml.",
            "Start: docker compose up --build   Stop: docker compose down (add -v to drop the data).",
        ],
        root,
    )
}

/// The Compose entry of the service at `index`: built from its Dockerfile, with the data
/// stores' URLs, the URLs of the services it talks to and the cluster's hardening.
fn app_service(design: &Design, index: usize, keys: &[String], host_port: Option<u16>) -> Map {
    let service = &design.services[index];
    let name = chart_name(service);
    let web = service.kind.is_web();
    let port = service.container.port;
    let postgres = postgres_image(design);
    let redis = uses_redis(design);
    let database = database_name(design);
    let mut environment = Map::new();
    let mut names: Vec<String> = Vec::new();
    let mut set = |map: &mut Map, key: String, value: String| {
        if !names.contains(&key) {
            map.push(key.clone(), value);
            names.push(key);
        }
    };
    if postgres.is_some() {
        set(
            &mut environment,
            "DATABASE_URL".to_owned(),
            format!("postgresql://{DEV_USER}:{DEV_PASSWORD}@postgres:5432/{database}"),
        );
    }
    if redis {
        set(
            &mut environment,
            "REDIS_URL".to_owned(),
            "redis://redis:6379/0".to_owned(),
        );
    }
    if web {
        set(&mut environment, "PORT".to_owned(), port.to_string());
    }
    let talks_to = design.talked_to(index);
    for &target in &talks_to {
        let key = &keys[target];
        let variable = url_variable(key);
        let url = format!("http://{key}:{}", design.services[target].container.port);
        set(&mut environment, variable, url);
    }
    if let Some(local) = local_environment(design) {
        for variable in &local.values {
            let name = env_name(variable.name.trim());
            // A literal secret in the design is read from the developer's shell or `.env`
            // instead of being written into the file (SECRETS-001).
            let dev_hosts = ["localhost", "127.0.0.1", "db", "postgres", "redis", "cache"];
            let value = if crate::secrets::withheld_unless_local(&name, &variable.value, &dev_hosts)
            {
                format!("${{{name}:?set {name} in your shell or a .env file}}")
            } else {
                literal(&variable.value)
            };
            set(&mut environment, name, value);
        }
    }

    let (context, dockerfile) = build_paths(design, index);
    let mut app = Map::new()
        .entry(
            "build",
            Map::new()
                .entry("context", context)
                .entry("dockerfile", dockerfile)
                .entry("target", runner_stage(service))
                .comment("The stage that ships, so local runs match production's image."),
        )
        .entry("image", format!("{name}:dev"));
    if let Some(host_port) = host_port.filter(|_| web) {
        app = app
            .entry("ports", vec![format!("127.0.0.1:{host_port}:{port}")])
            .comment("Reachable from this machine only.");
    }
    if !environment.is_empty() {
        app = app
            .entry("environment", environment)
            .comment("Development values only: real secrets never go in this file.");
    }
    let mut depends_on = Map::new();
    if postgres.is_some() {
        depends_on.push("postgres", Map::new().entry("condition", "service_healthy"));
    }
    if redis {
        depends_on.push("redis", Map::new().entry("condition", "service_healthy"));
    }
    let stores = !depends_on.is_empty();
    for &target in &talks_to {
        let condition = if has_healthcheck(&design.services[target]) {
            "service_healthy"
        } else {
            "service_started"
        };
        depends_on.push(
            keys[target].clone(),
            Map::new().entry("condition", condition),
        );
    }
    if !depends_on.is_empty() {
        app = app.entry("depends_on", depends_on);
        app = if stores {
            app.comment(
                "Starts once the data stores answer their health checks, not merely when their",
            )
            .comment("containers exist (DOCKER-018).")
        } else {
            app.comment("Starts once the services it talks to are up (healthy where the image")
                .comment("has a health check).")
        };
    }
    let security = &service.kubernetes.security_context;
    if security.read_only_root_filesystem {
        let writable: Vec<String> = service
            .kubernetes
            .writable_paths
            .iter()
            .map(|path| crate::text::url_path(path.trim()))
            .collect();
        app = app
            .entry("read_only", true)
            .comment("Same hardening as the cluster (K8S-003): a read-only root filesystem with")
            .comment("in-memory scratch space where the app writes.")
            .entry("tmpfs", writable);
    }
    app = app
        .entry("cap_drop", vec!["ALL"])
        .entry("security_opt", vec!["no-new-privileges:true"]);

    app
}

/// The README's steps for `compose.yaml` (Markdown): `docker compose up` and where the
/// pieces listen.
pub fn how_to_apply(design: &Design) -> Option<String> {
    let mut out = String::from(
        "Run the app locally with its database and cache:\n\n```sh\ndocker compose up --build\n```\n\n",
    );
    let keys = compose_keys(design);
    let several = design.services.len() > 1;
    for (index, port) in host_ports(design).into_iter().enumerate() {
        let Some(port) = port else {
            continue;
        };
        if several {
            let _ = write!(
                out,
                "`{}` listens on http://127.0.0.1:{port}/. ",
                keys[index]
            );
        } else {
            let _ = write!(out, "The app listens on http://127.0.0.1:{port}/. ");
        }
    }
    if postgres_image(design).is_some() {
        let _ = write!(
            out,
            "PostgreSQL is on 127.0.0.1:{} (user and password `app`). ",
            POSTGRES_HOST_PORT
        );
    }
    if uses_redis(design) {
        let _ = write!(out, "Redis is on 127.0.0.1:{}. ", REDIS_HOST_PORT);
    }
    out.push_str("`docker compose down -v` stops everything and deletes the local data.");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EnvVar;
    use serde_json::Value;

    fn compose(design: &Design) -> Value {
        let text = &generate(design)[0].contents;
        serde_norway::from_str(text).unwrap_or_else(|error| panic!("{error}\n{text}"))
    }

    fn preset(id: &str) -> Design {
        (crate::presets::find(id).unwrap().build)()
    }

    #[test]
    fn every_preset_reads_back() {
        for preset in crate::presets::all() {
            let design = (preset.build)();
            let value = compose(&design);
            let services = value["services"].as_object().unwrap();
            let built = services
                .values()
                .filter(|service| service["build"]["target"].is_string())
                .count();
            assert_eq!(built, design.services.len(), "{}", preset.id);
        }
    }

    #[test]
    fn the_app_builds_the_runner_stage_and_waits_for_healthy_stores() {
        let value = compose(&preset("fastapi-react"));
        let app = &value["services"]["api"];
        assert_eq!(app["build"]["target"], "runner");
        assert_eq!(app["build"]["context"], "backend");
        assert_eq!(app["build"]["dockerfile"], "Dockerfile");
        assert_eq!(app["ports"][0], "127.0.0.1:8000:8000");
        assert_eq!(
            app["depends_on"]["postgres"]["condition"],
            "service_healthy"
        );
        assert_eq!(app["depends_on"]["redis"]["condition"], "service_healthy");
        assert_eq!(
            app["environment"]["DATABASE_URL"],
            "postgresql://app:app@postgres:5432/fastapi_react"
        );
        assert_eq!(app["environment"]["LOG_LEVEL"], "debug");
        let postgres = &value["services"]["postgres"];
        assert_eq!(postgres["image"], "postgres:16.4-alpine");
        assert_eq!(postgres["ports"][0], "127.0.0.1:5437:5432");
        assert_eq!(postgres["healthcheck"]["test"][1], "pg_isready");
        assert_eq!(value["services"]["redis"]["healthcheck"]["test"][2], "ping");
        assert!(value["volumes"]["postgres-data"].is_object());
        assert!(value["volumes"]["redis-data"].is_object());
    }

    #[test]
    fn data_stores_appear_only_when_the_design_uses_them() {
        let value = compose(&preset("static-site"));
        assert!(value["services"].get("postgres").is_none());
        assert!(value["services"].get("redis").is_none());
        assert!(value["services"]["app"].get("depends_on").is_none());
        assert!(value.get("volumes").is_none());

        let mut design = preset("go-service");
        assert!(postgres_image(&design).is_none());
        design
            .pipeline
            .jobs
            .iter_mut()
            .find(|job| job.id == "test")
            .unwrap()
            .services
            .push(crate::model::ServiceContainer::postgres());
        assert_eq!(postgres_image(&design).as_deref(), Some("postgres:15"));
    }

    #[test]
    fn images_are_pinned() {
        for preset in crate::presets::all() {
            let value = compose(&(preset.build)());
            for (name, service) in value["services"].as_object().unwrap() {
                if name == "app" {
                    continue;
                }
                let image = service["image"].as_str().unwrap();
                let tag = image.rsplit_once(':').map(|(_, tag)| tag).unwrap_or("");
                assert!(!tag.is_empty() && tag != "latest", "{image}");
            }
        }
    }

    #[test]
    fn workers_publish_no_port() {
        let value = compose(&preset("worker-cron"));
        assert!(value["services"]["app"].get("ports").is_none());
        assert!(value["services"]["app"]["environment"]
            .get("PORT")
            .is_none());
    }

    #[test]
    fn hostile_strings_cannot_inject_or_interpolate() {
        let mut design = preset("node-api");
        design.project.name = "x\n  evil: true".to_owned();
        design.services[0].name = "x\n  evil: true".to_owned();
        design.services[0].directory = "../../etc\nevil: 1".to_owned();
        design.environments[0].values = vec![
            EnvVar::new("HOME_DIR", "${HOME} $USER $$"),
            EnvVar::new("A\nevil: true", "x\"\n  evil: true"),
        ];
        let value = compose(&design);
        assert_eq!(value["name"], "x-evil-true");
        assert_eq!(value.as_object().unwrap().len(), 3);
        let app = &value["services"]["app"];
        assert_eq!(app["build"]["context"], "etcevil1");
        assert_eq!(app["build"]["dockerfile"], "Dockerfile");
        assert_eq!(app["image"], "x-evil-true:dev");
        let environment = &app["environment"];
        assert_eq!(environment["HOME_DIR"], "$${HOME} $$USER $$$$");
        assert_eq!(environment["A_evil__true"], "x\"\n  evil: true");
        assert!(app.get("evil").is_none());
    }
}
