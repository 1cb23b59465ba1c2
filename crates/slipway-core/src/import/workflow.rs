//! Reading a GitHub Actions workflow into the pipeline part of a design, so the pipeline,
//! cache and secret rules that check a design check an existing workflow too.
//!
//! Each job becomes a [`Job`]: its `run:` scripts become one command per shell line, and the
//! actions whose effect the rules judge become the command they stand for (a Trivy scan
//! becomes `trivy image --exit-code 1 …`, `docker/build-push-action` with `push: true`
//! becomes `docker buildx build --push …`). Caches come from `actions/cache` (paths, the
//! files hashed by `hashFiles(...)`, restore keys) and from the `cache:` input of the
//! `setup-*` actions. The kind of a job (lint, test, build, deploy, …) is read from what it
//! runs, then from its id and name. Every design field keeps the line it came from.

use serde_norway::{Mapping, Value};

use super::outline::{key, Outline, Segment};
use crate::io::{LoadError, MAX_DESIGN_BYTES};
use crate::model::{
    Cache, EnvVar, Job, JobKind, MatrixAxis, PackageManager, Pipeline, Runtime, ServiceContainer,
    Triggers,
};

/// What a workflow file says, as design parts, plus what the audit needs to judge it.
#[derive(Debug, Clone)]
pub struct ImportedWorkflow {
    /// The workflow's `name:`, or empty.
    pub name: String,
    pub pipeline: Pipeline,
    /// The language the jobs set up or install for (the first one seen).
    pub runtime: Option<Runtime>,
    pub package_manager: Option<PackageManager>,
    /// The image repository the workflow builds or pushes (`ghcr.io/acme/api`), if it names one.
    pub image: Option<String>,
    /// Names of the environments jobs deploy to, in order of appearance.
    pub environments: Vec<String>,
    pub events: Events,
    /// Design field paths (`pipeline.jobs[2].commands[0]`) and the 1-based line each came from.
    pub lines: Vec<(String, usize)>,
}

/// The events that start the workflow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Events {
    pub push: bool,
    pub pull_request: bool,
    pub schedule: bool,
    pub workflow_run: bool,
    pub workflow_dispatch: bool,
}

impl ImportedWorkflow {
    /// The line of a design field: the longest recorded prefix of it (so
    /// `pipeline.jobs[1].cache.paths` falls back to the cache step, then the job).
    pub fn line_of(&self, field: &str) -> Option<usize> {
        self.lines
            .iter()
            .filter(|(prefix, _)| is_prefix(prefix, field))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, line)| *line)
    }
}

/// Whether `prefix` is `field` or one of its parents (`a.b` of `a.b.c` and `a.b[0]`).
pub(crate) fn is_prefix(prefix: &str, field: &str) -> bool {
    field
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Reads a workflow. Malformed YAML is reported with its line and column; a document without
/// a `jobs:` mapping is not a workflow.
pub fn parse(text: &str) -> Result<ImportedWorkflow, LoadError> {
    if text.len() > MAX_DESIGN_BYTES {
        return Err(whole_file(format!(
            "the workflow is {:.1} MB; Slipway reads workflows up to {} MB",
            text.len() as f64 / (1024.0 * 1024.0),
            MAX_DESIGN_BYTES / (1024 * 1024)
        )));
    }
    let mut document: Value = serde_norway::from_str(text).map_err(|error| {
        let location = error.location();
        let message = error.to_string();
        let message = match message.find(" at line ") {
            Some(index) => message[..index].to_owned(),
            None => message,
        };
        LoadError {
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
            field: None,
            message: format!("not valid YAML: {message}"),
        }
    })?;
    // Anchors with `<<:` merge keys read as the settings they stand for; a malformed merge
    // leaves the document as written.
    let _ = document.apply_merge();
    let outline = Outline::new(text);
    let Some(jobs) = untag(&document)
        .get("jobs")
        .map(untag)
        .and_then(Value::as_mapping)
    else {
        return Err(LoadError {
            line: outline.line(&[key("jobs")]).or(Some(1)),
            ..whole_file("not a GitHub Actions workflow: it has no `jobs:` mapping")
        });
    };
    let source: Vec<&str> = text.lines().collect();
    let mut reader = Reader {
        outline: &outline,
        source: &source,
        lines: Vec::new(),
        runtime: None,
        package_manager: None,
        image: None,
    };
    let name = untag(&document)
        .get("name")
        .and_then(scalar)
        .unwrap_or_default();
    let on = untag(&document)
        .get("on")
        .or_else(|| untag(&document).as_mapping()?.get(Value::Bool(true)));
    let (triggers, paths, events) = reader.triggers(on.map(untag));
    let cancel_in_progress = untag(&document)
        .get("concurrency")
        .map(untag)
        .and_then(|concurrency| concurrency.get("cancel-in-progress"))
        .is_some_and(truthy);
    reader.record("pipeline.triggers", &[key("on")]);
    reader.record("pipeline.paths", &[key("on")]);
    reader.record("pipeline.cancel_in_progress", &[key("concurrency")]);
    reader.record(
        "pipeline.cancel_in_progress",
        &[key("concurrency"), key("cancel-in-progress")],
    );
    reader.record("pipeline.jobs", &[key("jobs")]);
    let workflow_directory = working_directory(untag(&document));
    let mut imported_jobs = Vec::new();
    let mut environments: Vec<String> = Vec::new();
    for (index, (id, job)) in jobs.iter().enumerate() {
        let Some(id) = scalar(id) else { continue };
        let job = reader.job(index, &id, untag(job), &workflow_directory);
        let environment = job.environment.trim();
        if !environment.is_empty() && !environments.iter().any(|known| known == environment) {
            environments.push(environment.to_owned());
        }
        imported_jobs.push(job);
    }
    let pipeline = Pipeline {
        triggers,
        paths,
        cancel_in_progress,
        jobs: imported_jobs,
        ..Pipeline::default()
    };
    Ok(ImportedWorkflow {
        name,
        pipeline,
        runtime: reader.runtime,
        package_manager: reader.package_manager,
        image: reader.image,
        environments,
        events,
        lines: reader.lines,
    })
}

fn whole_file(message: impl Into<String>) -> LoadError {
    LoadError {
        line: None,
        column: None,
        field: None,
        message: message.into(),
    }
}

fn untag(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

/// A scalar as text (`3` and `true` too); `None` for null, lists and mappings.
fn scalar(value: &Value) -> Option<String> {
    match untag(value) {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A scalar or each scalar of a list.
fn scalars(value: &Value) -> Vec<String> {
    match untag(value) {
        Value::Sequence(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

/// `true`, `"true"`, or an expression that may be true; `false` for false, empty and null.
fn truthy(value: &Value) -> bool {
    match untag(value) {
        Value::Bool(flag) => *flag,
        Value::String(text) => !matches!(text.trim(), "" | "false" | "0"),
        Value::Number(number) => number.as_u64() != Some(0),
        _ => false,
    }
}

fn working_directory(node: &Value) -> String {
    node.get("defaults")
        .and_then(|defaults| defaults.get("run"))
        .and_then(|run| run.get("working-directory"))
        .and_then(scalar)
        .unwrap_or_default()
}

fn path_of(parts: &[Segment], more: &[Segment]) -> Vec<Segment> {
    parts.iter().chain(more).cloned().collect()
}

struct Reader<'a> {
    outline: &'a Outline,
    source: &'a [&'a str],
    lines: Vec<(String, usize)>,
    runtime: Option<Runtime>,
    package_manager: Option<PackageManager>,
    image: Option<String>,
}

/// What one step contributes to its job.
#[derive(Default)]
struct StepEffect {
    commands: Vec<(String, usize)>,
    runtime: Option<Runtime>,
    cache: Option<(Cache, Vec<Segment>)>,
    image_build: bool,
    deploys: bool,
}

impl Reader<'_> {
    /// Records that `field` comes from the document path `path`, when the document has it.
    fn record(&mut self, field: &str, path: &[Segment]) {
        if let Some(line) = self.outline.line(path) {
            self.lines.push((field.to_owned(), line));
        }
    }

    fn note_manager(&mut self, manager: PackageManager) {
        if self.package_manager.is_none() {
            self.package_manager = Some(manager);
        }
        if self.runtime.is_none() {
            self.runtime = Some(manager.runtime());
        }
    }

    fn triggers(&mut self, on: Option<&Value>) -> (Triggers, Vec<String>, Events) {
        let mut triggers = Triggers {
            push_branches: Vec::new(),
            pull_request_branches: Vec::new(),
            security_schedule: String::new(),
            manual: false,
        };
        let mut paths = Vec::new();
        let mut events = Events::default();
        let entries: Vec<(String, Value)> = match on {
            Some(Value::String(event)) => vec![(event.clone(), Value::Null)],
            Some(Value::Sequence(list)) => list
                .iter()
                .filter_map(scalar)
                .map(|event| (event, Value::Null))
                .collect(),
            Some(Value::Mapping(map)) => map
                .iter()
                .filter_map(|(event, settings)| Some((scalar(event)?, untag(settings).clone())))
                .collect(),
            _ => Vec::new(),
        };
        for (event, settings) in entries {
            let branches = || -> Vec<String> {
                if settings.get("branches").is_some() {
                    settings.get("branches").map(scalars).unwrap_or_default()
                } else if settings.get("tags").is_some()
                    && settings.get("branches-ignore").is_none()
                {
                    Vec::new()
                } else {
                    vec!["**".to_owned()]
                }
            };
            match event.as_str() {
                "push" => {
                    events.push = true;
                    triggers.push_branches = branches();
                    paths = settings.get("paths").map(scalars).unwrap_or_default();
                    self.record("pipeline.triggers.push_branches", &[key("on"), key("push")]);
                    self.record(
                        "pipeline.triggers.push_branches",
                        &[key("on"), key("push"), key("branches")],
                    );
                    self.record("pipeline.paths", &[key("on"), key("push"), key("paths")]);
                }
                "pull_request" | "pull_request_target" => {
                    events.pull_request = true;
                    triggers.pull_request_branches.extend(branches());
                    let event = key(&event);
                    self.record(
                        "pipeline.triggers.pull_request_branches",
                        &[key("on"), event.clone()],
                    );
                    self.record(
                        "pipeline.triggers.pull_request_branches",
                        &[key("on"), event, key("branches")],
                    );
                }
                "schedule" => {
                    events.schedule = true;
                    triggers.security_schedule = match &settings {
                        Value::Sequence(items) => items
                            .iter()
                            .find_map(|item| item.get("cron").and_then(scalar))
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    self.record(
                        "pipeline.triggers.security_schedule",
                        &[key("on"), key("schedule")],
                    );
                }
                "workflow_dispatch" => {
                    events.workflow_dispatch = true;
                    triggers.manual = true;
                    self.record(
                        "pipeline.triggers.manual",
                        &[key("on"), key("workflow_dispatch")],
                    );
                }
                "workflow_run" => events.workflow_run = true,
                _ => {}
            }
        }
        (triggers, paths, events)
    }

    fn job(&mut self, index: usize, id: &str, node: &Value, workflow_directory: &str) -> Job {
        let here = [key("jobs"), key(id)];
        let field = format!("pipeline.jobs[{index}]");
        self.record(&field, &here);
        let at = |more: &[Segment]| path_of(&here, more);
        for (suffix, path) in [
            ("needs", at(&[key("needs")])),
            ("environment", at(&[key("environment")])),
            ("runs_on", at(&[key("runs-on")])),
            ("timeout_minutes", at(&[key("timeout-minutes")])),
            ("commands", at(&[key("steps")])),
            ("services", at(&[key("services")])),
            ("env", at(&[key("env")])),
            ("matrix", at(&[key("strategy"), key("matrix")])),
            (
                "working_directory",
                at(&[key("defaults"), key("run"), key("working-directory")]),
            ),
        ] {
            self.record(&format!("{field}.{suffix}"), &path);
        }
        let name = node
            .get("name")
            .and_then(scalar)
            .unwrap_or_else(|| id.to_owned());
        let needs = node.get("needs").map(scalars).unwrap_or_default();
        let runs_on = match node.get("runs-on").map(untag) {
            Some(Value::Mapping(settings)) => settings
                .get("labels")
                .or_else(|| settings.get("group"))
                .map(scalars)
                .unwrap_or_default()
                .join(", "),
            Some(other) => scalars(other).join(", "),
            None => String::new(),
        };
        let environment = match node.get("environment").map(untag) {
            Some(Value::Mapping(settings)) => {
                settings.get("name").and_then(scalar).unwrap_or_default()
            }
            Some(other) => scalar(other).unwrap_or_default(),
            None => String::new(),
        };
        let timeout_minutes = node
            .get("timeout-minutes")
            .and_then(|value| untag(value).as_u64())
            .map_or(360, |minutes| minutes.min(u64::from(u32::MAX)) as u32);
        let job_directory = working_directory(node);
        let working_directory = [job_directory.as_str(), workflow_directory]
            .into_iter()
            .find(|dir| !dir.trim().is_empty())
            .unwrap_or(".")
            .to_owned();
        let matrix = self.matrix(&field, &here, node);
        let services = self.services(&field, &here, node);
        let mut env = Vec::new();
        self.env_into(&mut env, &field, &at(&[key("env")]), node.get("env"));
        let job_swallows = node.get("continue-on-error").is_some_and(truthy);

        let mut commands: Vec<String> = Vec::new();
        let mut runtimes: Vec<Runtime> = Vec::new();
        let mut cache: Option<Cache> = None;
        let mut image_build = false;
        let mut deploys = false;
        let steps = node
            .get("steps")
            .map(untag)
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default();
        for (position, step) in steps.iter().enumerate() {
            let step = untag(step);
            let step_path = at(&[key("steps"), Segment::Index(position)]);
            let effect = self.step(step, &step_path, job_swallows);
            for (command, line) in effect.commands {
                self.lines
                    .push((format!("{field}.commands[{}]", commands.len()), line));
                commands.push(command);
            }
            if let Some(runtime) = effect.runtime {
                runtimes.push(runtime);
            }
            if let Some((found, path)) = effect.cache {
                if cache.is_none() {
                    for (suffix, more) in [
                        ("cache", Vec::new()),
                        ("cache.paths", vec![key("with"), key("path")]),
                        ("cache.key_files", vec![key("with"), key("key")]),
                        (
                            "cache.key_files",
                            vec![key("with"), key("cache-dependency-path")],
                        ),
                        ("cache.restore_keys", vec![key("with"), key("restore-keys")]),
                    ] {
                        self.record(&format!("{field}.{suffix}"), &path_of(&path, &more));
                    }
                }
                cache = Some(merge_caches(cache, found));
            }
            image_build |= effect.image_build;
            deploys |= effect.deploys;
            self.env_into(
                &mut env,
                &field,
                &path_of(&step_path, &[key("env")]),
                step.get("env"),
            );
        }
        let runtime = runtimes.first().copied();
        if self.runtime.is_none() {
            self.runtime = runtime;
        }
        let kind = infer_kind(
            id,
            &name,
            &commands,
            &Signals {
                image_build,
                deploys: deploys || !environment.trim().is_empty(),
            },
        );
        Job {
            id: id.to_owned(),
            name,
            kind,
            // A job in another language than the workflow's first is judged as that language.
            runtime: runtime.filter(|job_runtime| Some(*job_runtime) != self.runtime),
            needs,
            runs_on,
            working_directory,
            commands,
            matrix,
            services,
            cache: cache.unwrap_or(Cache {
                enabled: false,
                paths: Vec::new(),
                key_files: Vec::new(),
                restore_keys: false,
            }),
            environment,
            env,
            timeout_minutes,
        }
    }

    fn matrix(&mut self, field: &str, here: &[Segment], node: &Value) -> Vec<MatrixAxis> {
        let matrix_path = path_of(here, &[key("strategy"), key("matrix")]);
        let Some(Value::Mapping(axes)) = node
            .get("strategy")
            .and_then(|strategy| strategy.get("matrix"))
            .map(untag)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, values) in axes {
            let Some(name) = scalar(name) else { continue };
            if matches!(name.as_str(), "include" | "exclude") {
                continue;
            }
            self.record(
                &format!("{field}.matrix[{}]", out.len()),
                &path_of(&matrix_path, &[key(&name)]),
            );
            out.push(MatrixAxis {
                name,
                values: scalars(values),
            });
        }
        out
    }

    fn services(&mut self, field: &str, here: &[Segment], node: &Value) -> Vec<ServiceContainer> {
        let Some(Value::Mapping(services)) = node.get("services").map(untag) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, service) in services {
            let Some(name) = scalar(name) else { continue };
            let service = untag(service);
            let path = path_of(here, &[key("services"), key(&name)]);
            let position = out.len();
            self.record(&format!("{field}.services[{position}]"), &path);
            self.record(
                &format!("{field}.services[{position}].health_cmd"),
                &path_of(&path, &[key("options")]),
            );
            self.record(
                &format!("{field}.services[{position}].env"),
                &path_of(&path, &[key("env")]),
            );
            let image = match service {
                Value::String(image) => image.clone(),
                other => other.get("image").and_then(scalar).unwrap_or_default(),
            };
            let options = service.get("options").and_then(scalar).unwrap_or_default();
            out.push(ServiceContainer {
                name,
                image,
                env: mapping_vars(service.get("env")),
                ports: service.get("ports").map(scalars).unwrap_or_default(),
                health_cmd: health_cmd(&options),
            });
        }
        out
    }

    /// Appends the variables of an `env:` mapping to a job's, recording each one's line.
    fn env_into(
        &mut self,
        env: &mut Vec<EnvVar>,
        field: &str,
        path: &[Segment],
        node: Option<&Value>,
    ) {
        let Some(Value::Mapping(variables)) = node.map(untag) else {
            return;
        };
        for (name, value) in variables {
            let Some(name) = scalar(name) else { continue };
            let position = env.len();
            self.record(
                &format!("{field}.env[{position}]"),
                &path_of(path, &[key(&name)]),
            );
            env.push(EnvVar {
                value: scalar(value).unwrap_or_default(),
                name,
            });
        }
    }

    fn step(&mut self, step: &Value, path: &[Segment], job_swallows: bool) -> StepEffect {
        let mut effect = StepEffect::default();
        let swallows = job_swallows || step.get("continue-on-error").is_some_and(truthy);
        let with = step
            .get("with")
            .map(untag)
            .and_then(Value::as_mapping)
            .cloned()
            .unwrap_or_default();
        let step_line = self.outline.line(path);
        if let Some(script) = step.get("run").and_then(scalar) {
            let run_line = self
                .outline
                .line(&path_of(path, &[key("run")]))
                .or(step_line);
            for (command, offset) in script_commands(&script) {
                let line = run_line.map_or(0, |run| self.command_line(run, &script, offset));
                self.classify_command(&command, &mut effect);
                effect
                    .commands
                    .push((with_swallow(command, swallows), line));
            }
        }
        if let Some(uses) = step.get("uses").and_then(scalar) {
            let line = self
                .outline
                .line(&path_of(path, &[key("uses")]))
                .or(step_line)
                .unwrap_or(0);
            self.action(&uses, &with, path, line, swallows, &mut effect);
        }
        effect.commands.retain(|(command, _)| !command.is_empty());
        effect
    }

    /// The line of the `offset`-th line of a `run:` script: the script's own line for a
    /// one-line value, the matching line below `run: |` for a literal block.
    fn command_line(&self, run_line: usize, script: &str, offset: usize) -> usize {
        let header = self.source.get(run_line - 1).copied().unwrap_or("");
        let literal = header
            .split_once("run:")
            .map(|(_, rest)| rest.trim_start())
            .is_some_and(|rest| rest.starts_with('|'));
        if !literal {
            return run_line;
        }
        let candidate = run_line + 1 + offset;
        let expected = script.lines().nth(offset).map(str::trim).unwrap_or("");
        match self.source.get(candidate - 1) {
            Some(line) if line.trim() == expected => candidate,
            _ => run_line,
        }
    }

    fn classify_command(&mut self, command: &str, effect: &mut StepEffect) {
        for segment in segments(command) {
            let words: Vec<&str> = segment.split_whitespace().collect();
            if let Some(manager) = installs_with(&words) {
                self.note_manager(manager);
            }
            let tool = words
                .first()
                .map(|word| word.rsplit('/').next().unwrap_or(word));
            match (tool, words.get(1).copied()) {
                (Some("docker" | "podman"), Some("build" | "buildx" | "push")) => {
                    effect.image_build = true;
                    if let Some(image) = tag_of(&words) {
                        self.note_image(&image);
                    }
                }
                (Some("helm"), Some("upgrade" | "install"))
                | (Some("kubectl"), Some("apply" | "set" | "rollout"))
                | (Some("railway"), Some("up"))
                | (Some("flyctl" | "fly"), Some("deploy"))
                | (Some("argocd"), Some("app")) => effect.deploys = true,
                _ => {}
            }
        }
    }

    fn note_image(&mut self, reference: &str) {
        if self.image.is_some() {
            return;
        }
        let repository = reference
            .trim_matches(['"', '\''])
            .split([':', '@'])
            .next()
            .unwrap_or("");
        if !repository.is_empty() && !repository.contains('$') {
            self.image = Some(repository.to_owned());
        }
    }

    fn action(
        &mut self,
        uses: &str,
        with: &Mapping,
        path: &[Segment],
        line: usize,
        swallows: bool,
        effect: &mut StepEffect,
    ) {
        let (action, version) = uses.split_once('@').unwrap_or((uses, ""));
        let action = action.trim().to_ascii_lowercase();
        let input = |name: &str| with.get(name).and_then(scalar).unwrap_or_default();
        let listed = |name: &str| -> Vec<String> {
            input(name)
                .split(['\n', ','])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let setup_cache = |enabled: bool, manager: Option<PackageManager>| {
            enabled
                .then(|| Cache {
                    enabled: true,
                    paths: Vec::new(),
                    key_files: listed("cache-dependency-path"),
                    // The setup actions restore only an exact key match.
                    restore_keys: false,
                })
                .map(|cache| (cache, manager))
        };
        let mut cache: Option<(Cache, Option<PackageManager>)> = None;
        match action.as_str() {
            "actions/setup-node" => {
                effect.runtime = Some(Runtime::Node);
                let manager = match input("cache").as_str() {
                    "npm" => Some(PackageManager::Npm),
                    "yarn" => Some(PackageManager::Yarn),
                    "pnpm" => Some(PackageManager::Pnpm),
                    _ => None,
                };
                cache = setup_cache(manager.is_some(), manager);
            }
            "actions/setup-python" => {
                effect.runtime = Some(Runtime::Python);
                let manager = match input("cache").as_str() {
                    "pip" => Some(PackageManager::Pip),
                    "poetry" => Some(PackageManager::Poetry),
                    "pipenv" => Some(PackageManager::Pip),
                    _ => None,
                };
                cache = setup_cache(manager.is_some(), manager);
            }
            "actions/setup-go" => {
                effect.runtime = Some(Runtime::Go);
                // From v4 on, setup-go caches by default, keyed on go.sum.
                let major: u32 = version
                    .trim_start_matches('v')
                    .split('.')
                    .next()
                    .and_then(|major| major.parse().ok())
                    .unwrap_or(5);
                let enabled = match with.get("cache") {
                    Some(value) => truthy(value),
                    None => major >= 4,
                };
                cache = setup_cache(enabled, Some(PackageManager::GoModules));
            }
            "actions/setup-java" => {
                effect.runtime = Some(Runtime::Java);
                let manager = match input("cache").as_str() {
                    "maven" => Some(PackageManager::Maven),
                    "gradle" => Some(PackageManager::Gradle),
                    _ => None,
                };
                cache = setup_cache(manager.is_some(), manager);
            }
            "dtolnay/rust-toolchain" | "actions-rs/toolchain" => {
                effect.runtime = Some(Runtime::Rust);
            }
            "actions-rust-lang/setup-rust-toolchain" => {
                effect.runtime = Some(Runtime::Rust);
                // Caches through rust-cache unless turned off.
                let enabled = with.get("cache").is_none_or(truthy);
                cache = enabled.then(|| (rust_cache(), Some(PackageManager::Cargo)));
            }
            "swatinem/rust-cache" => {
                effect.runtime = Some(Runtime::Rust);
                cache = Some((rust_cache(), Some(PackageManager::Cargo)));
            }
            "actions/cache" | "actions/cache/restore" => {
                let key_text = input("key");
                let mut key_files = hashed_files(&key_text);
                if key_files.is_empty() && !key_text.trim().is_empty() {
                    // A key that hashes nothing never changes: name it as written.
                    key_files.push(key_text.trim().to_owned());
                }
                cache = Some((
                    Cache {
                        enabled: true,
                        paths: listed("path"),
                        key_files,
                        restore_keys: !input("restore-keys").trim().is_empty(),
                    },
                    None,
                ));
            }
            "aquasecurity/trivy-action" => {
                if let Some(command) = trivy_command(&input) {
                    effect
                        .commands
                        .push((with_swallow(command, swallows), line));
                }
            }
            "docker/build-push-action" => {
                effect.image_build = true;
                let tags = listed("tags");
                let tag = tags.first().cloned().unwrap_or_else(|| "$IMAGE".to_owned());
                self.note_image(&tag);
                let mode = if with.get("push").is_some_and(truthy) {
                    " --push"
                } else if with.get("load").is_some_and(truthy) {
                    " --load"
                } else {
                    ""
                };
                let context = match input("context") {
                    context if context.trim().is_empty() => ".".to_owned(),
                    context => context,
                };
                let command = format!("docker buildx build{mode} -t {tag} {context}");
                effect
                    .commands
                    .push((with_swallow(command, swallows), line));
            }
            "azure/k8s-deploy"
            | "azure/webapps-deploy"
            | "aws-actions/amazon-ecs-deploy-task-definition" => {
                effect.deploys = true;
            }
            _ => {}
        }
        if let Some(runtime) = effect.runtime {
            if self.runtime.is_none() {
                self.runtime = Some(runtime);
            }
        }
        if let Some((found, manager)) = cache {
            if let Some(manager) = manager {
                self.note_manager(manager);
            }
            effect.cache = Some((found, path.to_vec()));
        }
    }
}

fn rust_cache() -> Cache {
    Cache {
        enabled: true,
        paths: Vec::new(),
        key_files: vec!["Cargo.lock".to_owned()],
        restore_keys: true,
    }
}

/// Two caches of one job as one: on if either is, everything they hold and hash, and a
/// fallback only if both have one.
fn merge_caches(existing: Option<Cache>, found: Cache) -> Cache {
    match existing {
        None => found,
        Some(mut cache) => {
            for path in found.paths {
                if !cache.paths.contains(&path) {
                    cache.paths.push(path);
                }
            }
            for file in found.key_files {
                if !cache.key_files.contains(&file) {
                    cache.key_files.push(file);
                }
            }
            cache.restore_keys &= found.restore_keys;
            cache
        }
    }
}

/// The command a Trivy action step stands for; `None` for a report-only scan (a SARIF or
/// JSON file written for code scanning, with the default exit code 0).
fn trivy_command(input: &dyn Fn(&str) -> String) -> Option<String> {
    let image = input("image-ref");
    let scan_type = match input("scan-type").trim() {
        "" if image.trim().is_empty() => "fs".to_owned(),
        "" => "image".to_owned(),
        other => other.to_owned(),
    };
    let exit_code = match input("exit-code").trim() {
        "" => "0".to_owned(),
        code => code.to_owned(),
    };
    if exit_code == "0" && !input("output").trim().is_empty() {
        return None;
    }
    let target = if scan_type == "image" {
        image
    } else {
        match input("scan-ref") {
            reference if reference.trim().is_empty() => ".".to_owned(),
            reference => reference,
        }
    };
    let severity = input("severity");
    let severity = if severity.trim().is_empty() {
        String::new()
    } else {
        format!(" --severity {}", severity.trim())
    };
    Some(format!(
        "trivy {scan_type}{severity} --exit-code {exit_code} {}",
        target.trim()
    ))
}

/// The files a cache key hashes: the arguments of every `hashFiles(...)`.
fn hashed_files(key: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut rest = key;
    while let Some(start) = rest.find("hashFiles(") {
        let after = &rest[start + "hashFiles(".len()..];
        let end = after.find(')').unwrap_or(after.len());
        for argument in after[..end].split(',') {
            let file = argument.trim().trim_matches(['\'', '"']).trim();
            if !file.is_empty() {
                files.push(file.to_owned());
            }
        }
        rest = &after[end..];
    }
    files
}

/// The command of a `--health-cmd` option of a service container.
fn health_cmd(options: &str) -> String {
    let Some(start) = options.find("--health-cmd") else {
        return String::new();
    };
    let rest = options[start + "--health-cmd".len()..].trim_start_matches(['=', ' ']);
    match rest.chars().next() {
        Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or("").to_owned(),
        _ => rest.split_whitespace().next().unwrap_or("").to_owned(),
    }
}

fn mapping_vars(node: Option<&Value>) -> Vec<EnvVar> {
    match node.map(untag) {
        Some(Value::Mapping(variables)) => variables
            .iter()
            .filter_map(|(name, value)| {
                Some(EnvVar {
                    name: scalar(name)?,
                    value: scalar(value).unwrap_or_default(),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The shell lines of a `run:` script, continuation lines joined, comments and blank lines
/// dropped, each with the offset of its first line in the script.
fn script_commands(script: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (offset, raw) in script.lines().enumerate() {
        let line = raw.trim();
        if current.is_empty() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            start = offset;
        }
        match line.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head.trim_end());
                current.push(' ');
            }
            None => {
                current.push_str(line);
                out.push((std::mem::take(&mut current).trim().to_owned(), start));
            }
        }
    }
    if !current.trim().is_empty() {
        out.push((current.trim().to_owned(), start));
    }
    out
}

/// A step that may fail without failing the job reads as a command that hides its failure.
fn with_swallow(command: String, swallows: bool) -> String {
    if swallows && !command.is_empty() {
        format!("{command} || true")
    } else {
        command
    }
}

/// The simple commands of a shell line: split at `&&`, `||`, `;`, `|` and newlines.
fn segments(line: &str) -> Vec<&str> {
    line.split(['&', '|', ';', '\n'])
        .map(str::trim)
        .filter(|segment| !segment.is_empty())
        .collect()
}

/// The package manager a simple command installs with, if it installs.
fn installs_with(words: &[&str]) -> Option<PackageManager> {
    let tool = words.first()?.rsplit('/').next()?;
    let first = words.get(1).copied().unwrap_or("");
    match tool {
        "npm" if matches!(first, "ci" | "install" | "i") => Some(PackageManager::Npm),
        "pnpm" if matches!(first, "install" | "i") => Some(PackageManager::Pnpm),
        "yarn" if first.is_empty() || first == "install" => Some(PackageManager::Yarn),
        "poetry" if first == "install" => Some(PackageManager::Poetry),
        "pip" | "pip3" if first == "install" && words.iter().any(|w| w.starts_with("-r")) => {
            Some(PackageManager::Pip)
        }
        "go" if matches!(first, "mod" | "build" | "test") => Some(PackageManager::GoModules),
        "cargo" if matches!(first, "fetch" | "build" | "test") => Some(PackageManager::Cargo),
        "mvn" | "mvnw" => Some(PackageManager::Maven),
        "gradle" | "gradlew" => Some(PackageManager::Gradle),
        _ => None,
    }
}

/// The `-t`/`--tag` value of a build command.
fn tag_of(words: &[&str]) -> Option<String> {
    words.iter().enumerate().find_map(|(i, word)| {
        if *word == "-t" || *word == "--tag" {
            words.get(i + 1).map(|tag| (*tag).to_owned())
        } else {
            word.strip_prefix("--tag=").map(str::to_owned)
        }
    })
}

/// What a job's steps show about it, besides its commands.
struct Signals {
    image_build: bool,
    deploys: bool,
}

/// The kind of a job: what it runs says most, then the words of its id and name.
fn infer_kind(id: &str, name: &str, commands: &[String], signals: &Signals) -> JobKind {
    let text = format!("{id} {name}").to_ascii_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let named = |candidates: &[&str]| {
        words.iter().any(|word| {
            candidates
                .iter()
                .any(|candidate| word.starts_with(candidate))
        })
    };
    let runs = |test: fn(&[&str]) -> bool| {
        commands.iter().any(|command| {
            segments(command).into_iter().any(|segment| {
                let words: Vec<&str> = segment.split_whitespace().collect();
                test(&words)
            })
        })
    };
    if named(&["migrat"]) {
        return JobKind::Migrate;
    }
    if named(&["smoke"]) {
        return JobKind::Smoke;
    }
    if named(&["notif", "slack", "announce"]) {
        return JobKind::Notify;
    }
    if signals.deploys || named(&["deploy", "rollout", "promot"]) {
        return JobKind::Deploy;
    }
    if signals.image_build {
        return JobKind::Build;
    }
    let tests = runs(is_test_command);
    let lints = runs(is_lint_command);
    if named(&[
        "secur", "audit", "scan", "trivy", "codeql", "snyk", "vuln", "sast",
    ]) || runs(is_security_command)
    {
        return JobKind::Security;
    }
    if named(&["lint", "format", "style", "typecheck", "type"]) || (lints && !tests) {
        return JobKind::Lint;
    }
    if tests || named(&["test", "unit", "integration", "e2e", "coverage", "spec"]) {
        return JobKind::Test;
    }
    if named(&["build", "publish", "release", "image", "docker", "package"]) {
        return JobKind::Build;
    }
    // Nothing tells what the job does: judge it only by the rules about every job.
    JobKind::Smoke
}

fn tool<'a>(words: &[&'a str]) -> (&'a str, &'a str) {
    let skip = words
        .iter()
        .position(|word| !word.contains('=') || word.starts_with('-'))
        .unwrap_or(words.len());
    let words = &words[skip..];
    let first = words
        .first()
        .map(|word| word.rsplit('/').next().unwrap_or(word))
        .unwrap_or("");
    (first, words.get(1).copied().unwrap_or(""))
}

fn is_test_command(words: &[&str]) -> bool {
    let (tool, first) = tool(words);
    match tool {
        "npm" | "pnpm" | "yarn" | "bun" => {
            first.starts_with("test")
                || (first == "run" && words.iter().any(|w| w.starts_with("test")))
        }
        "go" | "cargo" => first == "test",
        "mvn" | "mvnw" => words.iter().any(|w| matches!(*w, "test" | "verify")),
        "gradle" | "gradlew" => words.iter().any(|w| matches!(*w, "test" | "check")),
        "pytest" | "jest" | "vitest" | "mocha" | "tox" | "nox" => true,
        "python" | "python3" => words.contains(&"pytest") || words.contains(&"unittest"),
        "poetry" | "uv" => words.contains(&"pytest"),
        _ => false,
    }
}

fn is_lint_command(words: &[&str]) -> bool {
    let (tool, first) = tool(words);
    match tool {
        "npm" | "pnpm" | "yarn" | "bun" => words
            .iter()
            .any(|w| w.starts_with("lint") || w.starts_with("typecheck")),
        "eslint" | "ruff" | "flake8" | "pylint" | "black" | "mypy" | "tsc" | "prettier"
        | "golangci-lint" | "staticcheck" | "hadolint" | "actionlint" | "shellcheck" => true,
        "go" => first == "vet",
        "cargo" => matches!(first, "clippy" | "fmt"),
        "mvn" | "mvnw" | "gradle" | "gradlew" => words
            .iter()
            .any(|w| w.contains("spotless") || w.contains("checkstyle")),
        _ => false,
    }
}

fn is_security_command(words: &[&str]) -> bool {
    let (tool, first) = tool(words);
    match tool {
        "npm" | "pnpm" | "yarn" => first == "audit",
        "trivy" | "pip-audit" | "safety" | "govulncheck" | "snyk" | "grype" | "osv-scanner" => true,
        "cargo" => matches!(first, "audit" | "deny"),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
