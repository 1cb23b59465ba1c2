//! Reading a GitHub Actions workflow into the pipeline part of a design, so the pipeline,
//! cache and secret rules that check a design check an existing workflow too.
//!
//! Each job becomes a [`Job`](crate::model::Job): its `run:` scripts become one command per shell line, and the
//! actions whose effect the rules judge become the command they stand for (a Trivy scan
//! becomes `trivy image --exit-code 1 …`, `docker/build-push-action` with `push: true`
//! becomes `docker buildx build --push …`). Caches come from `actions/cache` (paths, the
//! files hashed by `hashFiles(...)`, restore keys) and from the `cache:` input of the
//! `setup-*` actions. The kind of a job (lint, test, build, deploy, …) is read from what it
//! runs, then from its id and name. Every design field keeps the line it came from.

mod actions;
mod cache;
mod job_kinds;
mod parse;
mod steps;
mod yaml;

use serde_norway::Value;

use crate::formats::outline::{key, Outline, Segment};
use crate::io::{LoadError, MAX_DESIGN_BYTES};
use crate::model::{Cache, PackageManager, Pipeline, Runtime};
use yaml::{scalar, truthy, untag, working_directory};

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
    /// The environments whose deploy job promotes through git (pushes a branch or opens a pull
    /// request) and never writes to a cluster: GitOps, where Argo CD or Flux applies the change.
    pub gitops_environments: Vec<String>,
    pub events: Events,
    /// Design field paths (`pipeline.jobs[2].commands[0]`) and the 1-based line each came from.
    pub lines: Vec<(String, usize)>,
    /// The YAML document, anchors merged, for the rules that judge the file itself.
    pub document: Value,
}

/// The events that start the workflow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Events {
    pub push: bool,
    pub pull_request: bool,
    pub schedule: bool,
    pub workflow_run: bool,
    pub workflow_dispatch: bool,
    /// A push filter names tags (`v*`): those pushes are releases.
    pub tags: bool,
    /// A published GitHub release starts it.
    pub release: bool,
    /// Other workflows call it (`workflow_call`): a reusable workflow.
    pub workflow_call: bool,
}

/// What a workflow is for, from its triggers and what its jobs run. Rules about the whole
/// pipeline judge CI and deploy workflows; a release, docs or housekeeping workflow is not
/// asked for lint or coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkflowRole {
    /// Lint, test, build or scan on pull requests or branch pushes.
    Ci,
    /// Deploys to an environment or a cluster.
    Deploy,
    /// Builds and publishes on tags or GitHub releases.
    Release,
    /// Runs on a schedule only: scans, dependency updates, clean-ups.
    Scheduled,
    /// Builds or publishes documentation.
    Docs,
    /// Called by other workflows (`workflow_call`).
    Reusable,
    /// Anything else: labelling, stale issues, bots.
    Automation,
}

impl WorkflowRole {
    pub fn label(self) -> &'static str {
        match self {
            WorkflowRole::Ci => "CI",
            WorkflowRole::Deploy => "deploy",
            WorkflowRole::Release => "release",
            WorkflowRole::Scheduled => "scheduled",
            WorkflowRole::Docs => "docs",
            WorkflowRole::Reusable => "reusable",
            WorkflowRole::Automation => "automation",
        }
    }
}

impl ImportedWorkflow {
    /// What the workflow is for (see [`WorkflowRole`]).
    pub fn role(&self, file_name: &str) -> WorkflowRole {
        use crate::model::JobKind;
        let jobs = &self.pipeline.jobs;
        let has = |kind: JobKind| jobs.iter().any(|job| job.kind == kind);
        let events = &self.events;
        let branch_push = events.push && !self.pipeline.triggers.push_branches.is_empty();
        let lower = format!("{} {}", file_name, self.name).to_ascii_lowercase();
        let docs_word = ["docs", "documentation", "pages", "mkdocs", "sphinx"]
            .iter()
            .any(|word| lower.contains(word));
        if has(JobKind::Deploy) && !docs_word {
            return WorkflowRole::Deploy;
        }
        if docs_word {
            return WorkflowRole::Docs;
        }
        // Jobs that all call reusable workflows run those files' jobs: on pull requests or
        // branch pushes that is CI too.
        let calls_only = jobs.is_empty()
            && untag(&self.document)
                .get("jobs")
                .and_then(Value::as_mapping)
                .is_some_and(|called| !called.is_empty());
        if (events.pull_request || branch_push)
            && (calls_only
                || has(JobKind::Lint)
                || has(JobKind::Test)
                || has(JobKind::Build)
                || has(JobKind::Security))
        {
            return WorkflowRole::Ci;
        }
        if events.release || (events.push && !branch_push && events.tags) {
            return WorkflowRole::Release;
        }
        if events.workflow_call {
            return WorkflowRole::Reusable;
        }
        if events.schedule && !events.push && !events.pull_request {
            return WorkflowRole::Scheduled;
        }
        WorkflowRole::Automation
    }

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

/// The branches a workflow's triggers name (patterns left out), as protected branches, and
/// the default branch among them (`main`, then `master`, then the first; `main` if none).
pub fn protected_branches(
    triggers: &crate::model::Triggers,
) -> (String, Vec<crate::model::Branch>) {
    let mut branches: Vec<String> = Vec::new();
    for branch in triggers
        .push_branches
        .iter()
        .chain(&triggers.pull_request_branches)
    {
        let branch = branch.trim();
        let pattern = branch.contains(['*', '?', '[', '!']);
        if !branch.is_empty() && !pattern && !branches.iter().any(|known| known == branch) {
            branches.push(branch.to_owned());
        }
    }
    let default = ["main", "master"]
        .into_iter()
        .find(|name| branches.iter().any(|branch| branch == name))
        .map(str::to_owned)
        .or_else(|| branches.first().cloned())
        .unwrap_or_else(|| "main".to_owned());
    let branches = branches
        .into_iter()
        .map(|name| crate::model::Branch {
            name,
            ..crate::model::Branch::default()
        })
        .collect();
    (default, branches)
}

/// An environment a workflow deploys to, by its name: `prod…` is production, `stag…`
/// staging, anything else a development environment.
pub fn environment_named(name: &str) -> crate::model::Environment {
    use crate::model::{Environment, EnvironmentTier};
    let lower = name.to_ascii_lowercase();
    let mut environment = if lower.contains("prod") {
        Environment::production()
    } else if lower.contains("stag") {
        Environment::staging()
    } else {
        Environment {
            tier: EnvironmentTier::Development,
            ..Environment::staging()
        }
    };
    environment.name = name.to_owned();
    environment
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
        gitops_environments: Vec::new(),
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
    for (id, job) in jobs {
        let Some(id) = scalar(id) else { continue };
        // A job that calls a reusable workflow (`uses:` instead of steps) runs that file's
        // jobs, which are read from that file.
        if untag(job).get("uses").is_some() {
            continue;
        }
        let index = imported_jobs.len();
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
        gitops_environments: reader.gitops_environments,
        events,
        lines: reader.lines,
        document,
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

/// The reading of one workflow: where its nodes are, the design fields read so far with their
/// lines, and what the jobs show about the project. The methods are spread over the modules
/// of what they read (jobs in `parse`, steps in `steps`, actions in `actions`).
struct Reader<'a> {
    outline: &'a Outline,
    source: &'a [&'a str],
    lines: Vec<(String, usize)>,
    runtime: Option<Runtime>,
    package_manager: Option<PackageManager>,
    image: Option<String>,
    /// See [`ImportedWorkflow::gitops_environments`].
    gitops_environments: Vec<String>,
}

/// What one step contributes to its job.
#[derive(Default)]
struct StepEffect {
    commands: Vec<(String, usize)>,
    runtime: Option<Runtime>,
    cache: Option<(Cache, Vec<Segment>)>,
    image_build: bool,
    deploys: bool,
    /// The step starts a throwaway local cluster (`kind create cluster`, `helm/kind-action`):
    /// what the job then deploys there is a test, not a release.
    local_cluster: bool,
    /// The step undoes a release (`helm rollback`, `kubectl rollout undo`, `kubectl argo
    /// rollouts undo|abort`, `git revert`): its job is a rollback, not a deploy.
    rolls_back: bool,
    /// The step pushes to a git branch or opens a pull request: a GitOps promotion when the job
    /// writes to no cluster.
    promotes: bool,
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
}

#[cfg(test)]
mod tests;
