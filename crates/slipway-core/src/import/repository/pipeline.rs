//! The repository's workflows as one pipeline: the jobs of its CI and deploy workflows (and
//! of a scheduled security scan), with their triggers, environments and the settings the
//! files show (actions pinned to SHAs, attested images, cloud access).

use std::collections::BTreeSet;

use serde_norway::Value;

use super::files::SourceFile;
use super::report::FileReport;
use crate::formats::outline::{key, Outline, Segment};
use crate::import::workflow::{self, ImportedWorkflow, WorkflowRole};
use crate::model::{CloudAuth, Job, JobKind, Pipeline, Triggers};

/// What the workflows give the design.
#[derive(Debug, Default)]
pub(super) struct Workflows {
    pub pipeline: Pipeline,
    /// Environment names deploy jobs name, in order of appearance.
    pub environments: Vec<String>,
    /// Of those, the ones delivered by GitOps (their deploy jobs promote through git).
    pub gitops_environments: Vec<String>,
    /// Image repositories the workflows build or push.
    pub images: Vec<String>,
}

/// Top-level workflow keys the import reads.
const READ_TOP: &[&str] = &["name", "on", "true", "jobs", "concurrency"];
/// Job keys the import reads.
const READ_JOB: &[&str] = &[
    "name",
    "runs-on",
    "needs",
    "steps",
    "strategy",
    "services",
    "environment",
    "timeout-minutes",
    "continue-on-error",
    "env",
    "defaults",
];

/// Reads every workflow, adding a report per file to `reports`.
pub(super) fn read(files: &[&SourceFile], reports: &mut Vec<FileReport>) -> Workflows {
    let mut merged = Workflows {
        pipeline: Pipeline {
            triggers: Triggers {
                push_branches: Vec::new(),
                pull_request_branches: Vec::new(),
                security_schedule: String::new(),
                manual: false,
            },
            jobs: Vec::new(),
            // A repository's own workflows have no `changes` job: every change runs them.
            skip_unchanged_services: false,
            cancel_in_progress: false,
            registry: String::new(),
            ..Pipeline::default()
        },
        ..Workflows::default()
    };
    let mut uses: Vec<String> = Vec::new();
    let mut commands: Vec<String> = Vec::new();
    for file in files {
        let mut report = FileReport::new(&file.path, super::files::FileKind::Workflow);
        let imported = match workflow::parse(&file.text) {
            Ok(imported) => imported,
            Err(error) => {
                report.error = Some(error);
                reports.push(report);
                continue;
            }
        };
        let file_name = file.path.rsplit('/').next().unwrap_or(&file.path);
        let role = imported.role(file_name);
        report.role = format!("{} workflow", role.label());
        let outline = Outline::new(&file.text);
        let before = uses.len();
        collect_uses(&imported.document, &mut uses);
        let unpinned = uses[before..]
            .iter()
            .filter(|uses| !uses.starts_with("./") && !uses.starts_with("docker://"))
            .filter(|uses| !pinned(uses))
            .count();
        if unpinned > 0 {
            report.mapped(
                None,
                format!(
                    "{unpinned} action reference{} by tag or branch → pipeline.pin_actions_to_sha: the export pins every action to a commit SHA",
                    if unpinned == 1 { "" } else { "s" }
                ),
            );
        }
        let scan = role == WorkflowRole::Scheduled
            && !imported.pipeline.jobs.is_empty()
            && imported
                .pipeline
                .jobs
                .iter()
                .all(|job| job.kind == JobKind::Security);
        let imported_role = matches!(role, WorkflowRole::Ci | WorkflowRole::Deploy) || scan;
        report_top_level(&imported.document, &outline, &mut report);
        report_reusable_calls(&imported.document, &outline, &mut report);
        if !imported_role {
            report.not_mapped(
                Some(1),
                format!(
                    "{} workflow: a design's pipeline holds CI, deploys and the scheduled security scan, so its jobs are not imported",
                    match role {
                        WorkflowRole::Automation => "an automation",
                        WorkflowRole::Release => "a release",
                        WorkflowRole::Reusable => "a reusable",
                        WorkflowRole::Scheduled => "a scheduled",
                        WorkflowRole::Docs => "a docs",
                        WorkflowRole::Ci => "a CI",
                        WorkflowRole::Deploy => "a deploy",
                    }
                ),
            );
            for job in &imported.pipeline.jobs {
                let line = outline.line(&[key("jobs"), key(&job.id)]);
                report.not_mapped(line, format!("job `{}`", job.id));
            }
            report.sort();
            reports.push(report);
            continue;
        }
        merge_triggers(&imported, role, scan, &mut merged.pipeline, &mut report);
        for job in &imported.pipeline.jobs {
            commands.extend(job.commands.iter().cloned());
        }
        let first_new = merged.pipeline.jobs.len();
        let renamed = add_jobs(&imported, file_name, &mut merged.pipeline.jobs);
        for (index, job) in merged.pipeline.jobs[first_new..].iter_mut().enumerate() {
            scripts_as_written(&imported, index, &file.text, &outline, job);
            expressions_to_variables(job, &outline, &mut report);
        }
        for (index, job) in imported.pipeline.jobs.iter().enumerate() {
            let new_id = &renamed[index];
            let job_path = [key("jobs"), key(&job.id)];
            let line = outline.line(&job_path);
            let kind = format!("{:?}", job.kind).to_ascii_lowercase();
            let mut text = format!("job `{}` → pipeline job `{new_id}` ({kind})", job.id);
            if *new_id != job.id {
                text.push_str(": renamed, another workflow has a job of that id");
            }
            if !job.environment.is_empty() {
                text.push_str(&format!(", deploys to `{}`", job.environment));
            }
            report.mapped(line, text);
            report_job(&imported, index, new_id, &file.text, &outline, &mut report);
        }
        for environment in &imported.environments {
            if !merged.environments.contains(environment) {
                merged.environments.push(environment.clone());
            }
        }
        for environment in &imported.gitops_environments {
            if !merged.gitops_environments.contains(environment) {
                merged.gitops_environments.push(environment.clone());
            }
        }
        if let Some(image) = &imported.image {
            if !merged.images.contains(image) {
                merged.images.push(image.clone());
            }
        }
        report.sort();
        reports.push(report);
    }
    let pipeline = &mut merged.pipeline;
    // The export pins every action it writes to a commit (WORKFLOW-005 judges the
    // repository's own files): the report says where the repository does not.
    pipeline.pin_actions_to_sha = true;
    pipeline.attest_images = uses
        .iter()
        .any(|uses| uses.starts_with("actions/attest-build-provenance"));
    pipeline.verify_attestations = pipeline.attest_images
        && commands
            .iter()
            .any(|command| command.contains("gh attestation verify"));
    let keys_in_secrets = commands
        .iter()
        .any(|command| command.contains("KUBECONFIG"));
    let assumes_role = uses
        .iter()
        .any(|uses| uses.starts_with("aws-actions/configure-aws-credentials"));
    pipeline.cloud_auth = if keys_in_secrets && !assumes_role {
        CloudAuth::KubeconfigSecret
    } else {
        CloudAuth::Oidc
    };
    if let Some(image) = merged.images.first() {
        if let Some((host, _)) = image.split_once('/') {
            if host.contains('.') || host.contains(':') {
                pipeline.registry = host.to_owned();
            }
        }
    }
    if pipeline.registry.is_empty() {
        pipeline.registry = "ghcr.io".to_owned();
    }
    merged
}

/// A step's `run:` script as one command, as written: the reading for rules splits scripts
/// into lines, but a script is a whole (`if … fi`, `{ … }`, here-documents) and the export
/// must run it as one. Steps that may fail (`continue-on-error`) keep their lines.
fn scripts_as_written(
    imported: &ImportedWorkflow,
    index: usize,
    text: &str,
    outline: &Outline,
    job: &mut Job,
) {
    let Some(original) = imported.pipeline.jobs.get(index) else {
        return;
    };
    let prefix = format!("pipeline.jobs[{index}].commands[");
    let command_lines: Vec<(usize, usize)> = imported
        .lines
        .iter()
        .filter_map(|(field, line)| {
            let position = field
                .strip_prefix(&prefix)?
                .strip_suffix(']')?
                .parse()
                .ok()?;
            Some((position, *line))
        })
        .collect();
    let Some(steps) = imported
        .document
        .get("jobs")
        .and_then(|jobs| jobs.get(original.id.as_str()))
        .and_then(|node| node.get("steps"))
        .and_then(Value::as_sequence)
    else {
        return;
    };
    let source: Vec<&str> = text.lines().collect();
    // (first command, last command, script) of each step whose lines are several commands.
    let mut scripts: Vec<(usize, usize, String)> = Vec::new();
    for (step_index, step) in steps.iter().enumerate() {
        let Some(script) = step.get("run").and_then(Value::as_str) else {
            continue;
        };
        if step.get("continue-on-error").is_some() {
            continue;
        }
        let path = [
            key("jobs"),
            key(&original.id),
            key("steps"),
            Segment::Index(step_index),
        ];
        let Some(start) = outline.line(&path) else {
            continue;
        };
        let end = block_end(&source, start);
        let mut positions: Vec<usize> = command_lines
            .iter()
            .filter(|(_, line)| (start..end).contains(line))
            .map(|(position, _)| *position)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        let (Some(&first), Some(&last)) = (positions.first(), positions.last()) else {
            continue;
        };
        if last > first && last - first + 1 == positions.len() {
            scripts.push((first, last, script.trim_end().to_owned()));
        }
    }
    for (first, last, script) in scripts.into_iter().rev() {
        if last < job.commands.len() {
            job.commands.splice(first..=last, [script]);
        }
    }
}

/// The default variable of each `github` context value a script can read instead.
const GITHUB_VARIABLES: &[(&str, &str)] = &[
    ("sha", "GITHUB_SHA"),
    ("ref", "GITHUB_REF"),
    ("ref_name", "GITHUB_REF_NAME"),
    ("head_ref", "GITHUB_HEAD_REF"),
    ("base_ref", "GITHUB_BASE_REF"),
    ("repository", "GITHUB_REPOSITORY"),
    ("repository_owner", "GITHUB_REPOSITORY_OWNER"),
    ("actor", "GITHUB_ACTOR"),
    ("run_id", "GITHUB_RUN_ID"),
    ("run_number", "GITHUB_RUN_NUMBER"),
    ("run_attempt", "GITHUB_RUN_ATTEMPT"),
    ("workspace", "GITHUB_WORKSPACE"),
    ("event_name", "GITHUB_EVENT_NAME"),
    ("server_url", "GITHUB_SERVER_URL"),
    ("job", "GITHUB_JOB"),
    ("workflow", "GITHUB_WORKFLOW"),
];

/// `${{ … }}` in a job's commands as shell variables: the export never lets Actions expand
/// an expression inside a script (template injection), so `${{ env.X }}` becomes `${X}`,
/// `${{ github.sha }}` `${GITHUB_SHA}`, and a secret, variable or matrix value becomes a
/// job variable set from it (`${MATRIX_NODE}` from `${{ matrix.node }}`). Any other
/// expression (a step's or job's output, an event field) stays as text and is reported.
fn expressions_to_variables(job: &mut Job, outline: &Outline, report: &mut FileReport) {
    let mut added: Vec<crate::model::EnvVar> = Vec::new();
    let mut kept: Vec<String> = Vec::new();
    for command in &mut job.commands {
        let mut out = String::with_capacity(command.len());
        let mut rest = command.as_str();
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let Some(length) = rest[start..].find("}}") else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let expression = &rest[start..start + length + 2];
            let inner = expression[3..expression.len() - 2].trim();
            let quoting = quote_state(&out);
            // Inside single quotes a variable would not expand: the expression stays text.
            let variable = variable_for(inner).filter(|_| quoting != Some('\''));
            match variable {
                Some((name, source)) => {
                    if quoting == Some('"') {
                        out.push_str(&format!("${{{name}}}"));
                    } else {
                        out.push_str(&format!("\"${{{name}}}\""));
                    }
                    if let Some(source) = source {
                        if !job.env.iter().chain(&added).any(|known| known.name == name) {
                            added.push(crate::model::EnvVar::new(&name, &source));
                        }
                    }
                }
                None => {
                    out.push_str(expression);
                    if !kept.iter().any(|known| known == inner) {
                        kept.push(inner.to_owned());
                    }
                }
            }
            rest = &rest[start + length + 2..];
        }
        out.push_str(rest);
        *command = out;
    }
    job.env.extend(added);
    let line = outline.line(&[key("jobs"), key(&job.id)]);
    for expression in kept {
        report.not_mapped(
            line,
            format!(
                "job `{}`: the expression `${{{{ {expression} }}}}` in a script stays text: the export never expands expressions inside scripts",
                job.id
            ),
        );
    }
}

/// The quote open at the end of a shell text (`"` or `'`), if any.
fn quote_state(text: &str) -> Option<char> {
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match open {
            Some('\'') if c == '\'' => open = None,
            Some('\'') => {}
            _ if escaped => escaped = false,
            _ if c == '\\' => escaped = true,
            Some('"') if c == '"' => open = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => open = Some(c),
            None => {}
        }
    }
    open
}

/// The shell variable for an expression, and the job variable that must set it (`None` when
/// the runner already does).
fn variable_for(inner: &str) -> Option<(String, Option<String>)> {
    let (context, name) = inner.split_once('.')?;
    let simple = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !simple {
        return None;
    }
    let upper = crate::text::env_name(&name.to_ascii_uppercase().replace('-', "_"));
    match context {
        "env" => Some((name.to_owned(), None)).filter(|_| !name.contains('-')),
        "github" => GITHUB_VARIABLES
            .iter()
            .find(|(field, _)| *field == name)
            .map(|(_, variable)| ((*variable).to_owned(), None)),
        "secrets" | "vars" if !name.contains('-') => Some((
            name.to_owned(),
            Some(format!("${{{{ {context}.{name} }}}}")),
        )),
        "matrix" => Some((
            format!("MATRIX_{upper}"),
            Some(format!("${{{{ matrix.{name} }}}}")),
        )),
        _ => None,
    }
}

/// Adds a workflow's jobs, renaming an id another workflow already uses to
/// `<workflow>-<id>` (and the `needs` that name it). Returns each job's id in the pipeline.
fn add_jobs(imported: &ImportedWorkflow, file_name: &str, jobs: &mut Vec<Job>) -> Vec<String> {
    let stem = crate::text::identifier(
        file_name.trim_end_matches(".yml").trim_end_matches(".yaml"),
        "workflow",
    );
    let taken: BTreeSet<String> = jobs.iter().map(|job| job.id.clone()).collect();
    let renamed: Vec<String> = imported
        .pipeline
        .jobs
        .iter()
        .map(|job| {
            if !taken.contains(&job.id) {
                return job.id.clone();
            }
            let mut candidate = format!("{stem}-{}", job.id);
            let mut counter = 2;
            while taken.contains(&candidate) {
                candidate = format!("{stem}-{}-{counter}", job.id);
                counter += 1;
            }
            candidate
        })
        .collect();
    for (job, id) in imported.pipeline.jobs.iter().zip(&renamed) {
        let mut job = job.clone();
        job.id = id.clone();
        for need in &mut job.needs {
            if let Some(position) = imported.pipeline.jobs.iter().position(|j| j.id == *need) {
                *need = renamed[position].clone();
            }
        }
        jobs.push(job);
    }
    renamed
}

fn merge_triggers(
    imported: &ImportedWorkflow,
    role: WorkflowRole,
    scan: bool,
    pipeline: &mut Pipeline,
    report: &mut FileReport,
) {
    let triggers = &imported.pipeline.triggers;
    let outline_line = |field: &str| imported.line_of(field);
    if role == WorkflowRole::Ci {
        for branch in &triggers.push_branches {
            if !pipeline.triggers.push_branches.contains(branch) {
                pipeline.triggers.push_branches.push(branch.clone());
            }
        }
        for branch in &triggers.pull_request_branches {
            if !pipeline.triggers.pull_request_branches.contains(branch) {
                pipeline.triggers.pull_request_branches.push(branch.clone());
            }
        }
        if imported.events.push || imported.events.pull_request {
            report.mapped(
                outline_line("pipeline.triggers"),
                format!(
                    "triggers → pipeline.triggers (push: {}; pull requests: {})",
                    listed(&triggers.push_branches),
                    listed(&triggers.pull_request_branches)
                ),
            );
        }
        if !imported.pipeline.paths.is_empty() {
            report.not_mapped(
                outline_line("pipeline.paths"),
                format!(
                    "path filter {}: a design runs each service's jobs when its folder changes instead (pipeline.skip_unchanged_services)",
                    listed(&imported.pipeline.paths)
                ),
            );
        }
        if imported.pipeline.cancel_in_progress {
            pipeline.cancel_in_progress = true;
            report.mapped(
                outline_line("pipeline.cancel_in_progress"),
                "concurrency with cancel-in-progress → pipeline.cancel_in_progress",
            );
        }
    }
    if scan && !triggers.security_schedule.is_empty() {
        pipeline.triggers.security_schedule = triggers.security_schedule.clone();
        report.mapped(
            outline_line("pipeline.triggers.security_schedule"),
            format!(
                "schedule `{}` → pipeline.triggers.security_schedule",
                triggers.security_schedule
            ),
        );
    }
    if triggers.manual {
        pipeline.triggers.manual = true;
        report.mapped(
            outline_line("pipeline.triggers.manual"),
            "workflow_dispatch → pipeline.triggers.manual",
        );
    }
}

/// Report lines for what the import read of one job, and the parts it has no place for.
fn report_job(
    imported: &ImportedWorkflow,
    index: usize,
    new_id: &str,
    text: &str,
    outline: &Outline,
    report: &mut FileReport,
) {
    let job = &imported.pipeline.jobs[index];
    let prefix = format!("pipeline.jobs[{index}]");
    let recorded: Vec<(String, usize)> = imported
        .lines
        .iter()
        .filter(|(field, _)| workflow::is_prefix(&prefix, field) && *field != prefix)
        .map(|(field, line)| (field[prefix.len()..].to_owned(), *line))
        .collect();
    let mut seen_lines: BTreeSet<usize> = BTreeSet::new();
    for (field, line) in &recorded {
        if !seen_lines.insert(*line) {
            continue;
        }
        let field = field.trim_start_matches('.');
        report.mapped(Some(*line), format!("→ job `{new_id}` {field}"));
    }
    let Some(node) = imported
        .document
        .get("jobs")
        .and_then(|jobs| jobs.get(job.id.as_str()))
    else {
        return;
    };
    if let Some(mapping) = node.as_mapping() {
        for job_key in mapping.keys().filter_map(Value::as_str) {
            if READ_JOB.contains(&job_key) {
                continue;
            }
            let line = outline.line(&[key("jobs"), key(&job.id), key(job_key)]);
            report.not_mapped(line, format!("job `{}`: `{job_key}`", job.id));
        }
    }
    let source: Vec<&str> = text.lines().collect();
    let steps = node.get("steps").and_then(Value::as_sequence);
    for (step_index, step) in steps.into_iter().flatten().enumerate() {
        let path = [
            key("jobs"),
            key(&job.id),
            key("steps"),
            Segment::Index(step_index),
        ];
        let Some(start) = outline.line(&path) else {
            continue;
        };
        let end = block_end(&source, start);
        if seen_lines.range(start..end).next().is_some() {
            continue;
        }
        let uses = step.get("uses").and_then(Value::as_str).unwrap_or("");
        let name = step
            .get("name")
            .and_then(Value::as_str)
            .map(|name| format!("`{name}`"))
            .unwrap_or_else(|| format!("{}", step_index + 1));
        let action = uses.split('@').next().unwrap_or("");
        if action == "actions/checkout" || action.starts_with("actions/setup-") {
            report.mapped(
                Some(start),
                format!("step {name} ({action}): every generated job checks out the code and sets up its language"),
            );
        } else if uses.is_empty() {
            report.not_mapped(
                Some(start),
                format!(
                    "step {name} of job `{}`: runs nothing the design models",
                    job.id
                ),
            );
        } else {
            report.not_mapped(
                Some(start),
                format!(
                    "step {name} of job `{}`: the action {action} has no design field",
                    job.id
                ),
            );
        }
    }
}

/// Jobs that call a reusable workflow (`uses:` instead of steps): the called file's jobs
/// are what runs, and a design reads jobs from their own file.
fn report_reusable_calls(document: &Value, outline: &Outline, report: &mut FileReport) {
    let Some(jobs) = document.get("jobs").and_then(Value::as_mapping) else {
        return;
    };
    for (id, job) in jobs {
        let (Some(id), Some(uses)) = (id.as_str(), job.get("uses").and_then(Value::as_str)) else {
            continue;
        };
        report.not_mapped(
            outline.line(&[key("jobs"), key(id)]),
            format!("job `{id}` calls the reusable workflow {uses}: its jobs are in that file, not this one"),
        );
    }
}

/// Top-level keys the design has no place for (`permissions`, `env`, `defaults`).
fn report_top_level(document: &Value, outline: &Outline, report: &mut FileReport) {
    let Some(mapping) = document.as_mapping() else {
        return;
    };
    for top in mapping.keys() {
        let name = match top {
            Value::String(name) => name.clone(),
            Value::Bool(true) => "true".to_owned(),
            _ => continue,
        };
        if READ_TOP.contains(&name.as_str()) {
            continue;
        }
        let line = outline.line(&[key(&name)]);
        let why = match name.as_str() {
            "permissions" => "the generated workflows set least-privilege permissions per job",
            "env" => "workflow-wide variables have no design field; job variables do",
            _ => "no design field",
        };
        report.not_mapped(line, format!("`{name}`: {why}"));
    }
}

/// The line after the block that starts at `start` (1-based): the next line indented no
/// deeper than it (blank and comment lines belong to the block).
fn block_end(source: &[&str], start: usize) -> usize {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let Some(first) = source.get(start - 1) else {
        return start + 1;
    };
    let own = indent(first);
    let mut line = start + 1;
    while let Some(text) = source.get(line - 1) {
        let trimmed = text.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') && indent(text) <= own {
            break;
        }
        line += 1;
    }
    line
}

/// Every `uses:` of a workflow's jobs and steps.
fn collect_uses(document: &Value, into: &mut Vec<String>) {
    let Some(jobs) = document.get("jobs").and_then(Value::as_mapping) else {
        return;
    };
    for job in jobs.values() {
        if let Some(uses) = job.get("uses").and_then(Value::as_str) {
            into.push(uses.to_owned());
        }
        for step in job
            .get("steps")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if let Some(uses) = step.get("uses").and_then(Value::as_str) {
                into.push(uses.to_owned());
            }
        }
    }
}

/// `owner/repo@<40 hex digits>`.
fn pinned(uses: &str) -> bool {
    uses.rsplit_once('@').is_some_and(|(_, reference)| {
        reference.len() == 40 && reference.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
}

fn listed(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}
