//! The workflow's triggers and each job's settings: needs, environment, runner, matrix,
//! services and variables, each recorded with its line.

use serde_norway::Value;

use super::cache::merge_caches;
use super::job_kinds::{infer_kind, Signals};
use super::yaml::{mapping_vars, path_of, scalar, scalars, truthy, untag, working_directory};
use super::{Events, Reader};
use crate::formats::outline::{key, Segment};
use crate::model::{Cache, EnvVar, Job, MatrixAxis, Runtime, ServiceContainer, Triggers};

impl Reader<'_> {
    pub(super) fn triggers(&mut self, on: Option<&Value>) -> (Triggers, Vec<String>, Events) {
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
                    events.tags = settings.get("tags").is_some();
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
                "release" => events.release = true,
                "workflow_call" => events.workflow_call = true,
                _ => {}
            }
        }
        (triggers, paths, events)
    }

    pub(super) fn job(
        &mut self,
        index: usize,
        id: &str,
        node: &Value,
        workflow_directory: &str,
    ) -> Job {
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
        let mut local_cluster = false;
        let mut rolls_back = false;
        let mut promotes = false;
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
            local_cluster |= effect.local_cluster;
            rolls_back |= effect.rolls_back;
            promotes |= effect.promotes;
            self.env_into(
                &mut env,
                &field,
                &path_of(&step_path, &[key("env")]),
                step.get("env"),
            );
        }
        // A job its author calls a rollback is one, whatever it runs (a GitOps rollback is a
        // commit, like the promotion it undoes).
        let title = format!("{id} {name}").to_ascii_lowercase();
        rolls_back |= ["rollback", "roll back", "roll-back"]
            .iter()
            .any(|word| title.contains(word));
        if promotes
            && !deploys
            && !rolls_back
            && !environment.trim().is_empty()
            && !self.gitops_environments.contains(&environment)
        {
            self.gitops_environments.push(environment.clone());
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
                // A deploy into a cluster the job itself started is a test of the chart; a job
                // that rolls a release back is no deploy, whatever environment it names.
                deploys: !rolls_back
                    && ((deploys && !local_cluster) || !environment.trim().is_empty()),
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

    /// The job's matrix axes: the named axes (a value that is a mapping, `{os: …, target: …}`,
    /// counts as one value), the keys that only `include:` entries add, and, for a matrix or
    /// `include` computed by an expression (`${{ fromJSON(…) }}`), each axis the job reads,
    /// with the expression as its value: GitHub knows those axes only when the job runs.
    fn matrix(&mut self, field: &str, here: &[Segment], node: &Value) -> Vec<MatrixAxis> {
        let matrix_path = path_of(here, &[key("strategy"), key("matrix")]);
        let Some(matrix) = node
            .get("strategy")
            .and_then(|strategy| strategy.get("matrix"))
            .map(untag)
        else {
            return Vec::new();
        };
        // Each axis with the YAML path its line comes from.
        let mut axes: Vec<(MatrixAxis, Vec<Segment>)> = Vec::new();
        let mut computed: Option<String> = None;
        let add = |axes: &mut Vec<(MatrixAxis, Vec<Segment>)>,
                   name: String,
                   values: Vec<String>,
                   path: Vec<Segment>| {
            match axes.iter_mut().find(|(axis, _)| axis.name == name) {
                Some((axis, _)) => {
                    for value in values {
                        if !axis.values.contains(&value) {
                            axis.values.push(value);
                        }
                    }
                }
                None => axes.push((MatrixAxis { name, values }, path)),
            }
        };
        match matrix {
            Value::Mapping(entries) => {
                for (name, values) in entries {
                    let Some(name) = scalar(name) else { continue };
                    let path = path_of(&matrix_path, &[key(&name)]);
                    match (name.as_str(), untag(values)) {
                        ("exclude", _) => {}
                        ("include", Value::Sequence(combinations)) => {
                            for combination in combinations {
                                let Value::Mapping(combination) = untag(combination) else {
                                    continue;
                                };
                                for (name, value) in combination {
                                    let Some(name) = scalar(name) else { continue };
                                    add(&mut axes, name, vec![matrix_value(value)], path.clone());
                                }
                            }
                        }
                        ("include", other) => computed = scalar(other),
                        (_, Value::Sequence(items)) => {
                            let values = items.iter().map(matrix_value).collect();
                            add(&mut axes, name, values, path);
                        }
                        (_, other) => add(&mut axes, name, scalars(other), path),
                    }
                }
            }
            other => computed = scalar(other),
        }
        if let Some(expression) = computed.filter(|text| text.contains("${{")) {
            let mut reads = Vec::new();
            expression_matrix_reads(node, &mut reads);
            for name in reads {
                if !axes.iter().any(|(axis, _)| axis.name == name) {
                    add(
                        &mut axes,
                        name,
                        vec![expression.clone()],
                        matrix_path.clone(),
                    );
                }
            }
        }
        let mut out = Vec::new();
        for (axis, path) in axes {
            self.record(&format!("{field}.matrix[{}]", out.len()), &path);
            out.push(axis);
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

/// A matrix value as text: a scalar as written, a mapping or list as compact JSON.
fn matrix_value(value: &Value) -> String {
    scalar(value).unwrap_or_else(|| serde_json::to_string(untag(value)).unwrap_or_default())
}

/// The matrix axes read in `${{ … }}` expressions anywhere in a job (`matrix.os`,
/// `matrix.config.os` → `config`), each once.
fn expression_matrix_reads(node: &Value, reads: &mut Vec<String>) {
    match untag(node) {
        Value::String(text) => {
            for name in crate::facts::expressions::matrix_reads(text) {
                if !reads.contains(&name) {
                    reads.push(name);
                }
            }
        }
        Value::Sequence(items) => items
            .iter()
            .for_each(|item| expression_matrix_reads(item, reads)),
        Value::Mapping(entries) => entries
            .iter()
            .for_each(|(_, value)| expression_matrix_reads(value, reads)),
        _ => {}
    }
}
