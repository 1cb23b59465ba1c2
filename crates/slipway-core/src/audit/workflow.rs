//! GitHub Actions workflows: the jobs, triggers and caches of one workflow file, judged by
//! the pipeline, cache and secret rules that can be decided from that file alone.
//!
//! The workflow becomes the pipeline of a neutral design (no project commands, the
//! repository's protected branches taken from the triggers, one environment per environment
//! the jobs name). Only findings about the pipeline are kept: the rest of the neutral design
//! was invented, so findings about it would be about nothing the user wrote.

use super::report::{ArtifactKind, Audit, AuditFinding};
use crate::formats::outline::Outline;
use crate::import::workflow::{self, ImportedWorkflow};
use crate::io::LoadError;
use crate::model::{Commands, Design, JobKind, Runtime};
use crate::rules;

/// Rules that judge what any workflow's jobs run, cache and read.
pub const EVERY_WORKFLOW: &[&str] = &[
    "PIPELINE-004",
    "PIPELINE-006",
    "PIPELINE-008",
    "PIPELINE-009",
    "PIPELINE-010",
    "PIPELINE-011",
    "PIPELINE-012",
    "PIPELINE-013",
    "PIPELINE-014",
    "PIPELINE-016",
    "PIPELINE-019",
    "PIPELINE-020",
    "PIPELINE-023",
    "CACHE-001",
    "CACHE-002",
    "CACHE-004",
    "CACHE-005",
    "CACHE-006",
    "SECRETS-001",
    "SECRETS-002",
    "SECRETS-005",
    "MIGRATION-005",
    "HELM-004",
    "ROLLOUT-002",
    "RAILWAY-015",
    "VALID-009",
    "VALID-017",
    "WORKFLOW-001",
    "WORKFLOW-002",
    "WORKFLOW-003",
    "WORKFLOW-004",
    "WORKFLOW-005",
    "WORKFLOW-006",
    "WORKFLOW-007",
    "WORKFLOW-008",
    "WORKFLOW-009",
    "WORKFLOW-010",
];

/// Rules about a CI workflow (one with lint, test or build jobs that runs on pull requests or
/// branch pushes; a release run on tags is not CI): the checks it runs, on which events, and
/// whether a newer commit cancels the run.
pub const CI_WORKFLOW: &[&str] = &[
    "PIPELINE-001",
    "PIPELINE-002",
    "PIPELINE-003",
    "PIPELINE-005",
    "PIPELINE-015",
];

/// Rules about a workflow that deploys on push: its pushes are the deploys, so they name the
/// protected branches.
pub const DEPLOY_WORKFLOW: &[&str] = &["BRANCH-008"];

/// Rules about a scheduled security workflow.
pub const SCHEDULED_WORKFLOW: &[&str] = &["PIPELINE-007"];

/// Rules whose finding on the whole pipeline (`pipeline.jobs`: "no job lints the code", "the
/// pipeline has no security job") says the repository lacks a kind of job. One workflow file
/// cannot say that: the repository's other workflows may have it. Their findings about a job
/// of the file are kept.
const WHOLE_PIPELINE: &[&str] = &["PIPELINE-002", "PIPELINE-003", "PIPELINE-005"];

/// Audits one workflow file.
pub(super) fn audit(text: &str) -> Result<Audit, LoadError> {
    let imported = workflow::parse(text)?;
    let outline = Outline::new(text);
    let design = design_of(&imported);
    // Without a branch named in the triggers, `main` stands in for the protected branch: a
    // push filter is then not faulted for leaving out a branch the file never mentions.
    let branches_assumed = design.repository.branches.is_empty();
    let selected = selected_rules(&imported);
    let has_build = imported
        .pipeline
        .jobs
        .iter()
        .any(|job| job.kind == JobKind::Build);
    let mut findings: Vec<AuditFinding> = Vec::new();
    // The workflow rules judge the file itself, at paths into it (`workflow.jobs.a.steps[0]`).
    let checked = crate::facts::audited_workflow::with_workflow(imported.document.clone(), || {
        rules::check_only(&design, &|doc| selected.contains(&doc.id))
    });
    for finding in checked {
        let in_file = finding.field.strip_prefix("workflow.");
        if !selected.contains(&finding.rule)
            || !(finding.field.starts_with("pipeline") || in_file.is_some())
        {
            continue;
        }
        if WHOLE_PIPELINE.contains(&finding.rule) && finding.field == "pipeline.jobs" {
            continue;
        }
        // Whether the images are attested is a setting of the whole pipeline, not a line of
        // this file: only its deploy commands are judged here.
        if finding.rule == "PIPELINE-023" && finding.field == "pipeline.attest_images" {
            continue;
        }
        // A workflow without a build job deploys an image another workflow built (often
        // after it, through `workflow_run`): this file alone cannot say which.
        if finding.rule == "PIPELINE-008" && !has_build && finding.message.contains("no build job")
        {
            continue;
        }
        if finding.rule == "BRANCH-008"
            && branches_assumed
            && finding.message.contains("does not name")
        {
            continue;
        }
        let line = match in_file {
            Some(path) => outline.field_line(path),
            None => imported.line_of(&finding.field),
        };
        let duplicate = findings.iter().any(|known| {
            known.finding.rule == finding.rule
                && known.line == line
                && known.finding.message == finding.message
        });
        if !duplicate {
            findings.push(AuditFinding { finding, line });
        }
    }
    Ok(Audit {
        kind: ArtifactKind::GithubWorkflow,
        findings,
    })
}

/// The rules that apply to this workflow, by what it is: CI, a scheduled scan, or both.
pub fn selected_rules(imported: &ImportedWorkflow) -> Vec<&'static str> {
    let jobs = &imported.pipeline.jobs;
    let has = |kind: JobKind| jobs.iter().any(|job| job.kind == kind);
    let events = &imported.events;
    // A push filter with only tags has no branches: that is a release run, not CI.
    let branch_push = events.push && !imported.pipeline.triggers.push_branches.is_empty();
    let is_ci = (events.pull_request || branch_push)
        && (has(JobKind::Lint) || has(JobKind::Test) || has(JobKind::Build));
    // A schedule makes a security scan only when what it runs is a scan: nightly tests and
    // housekeeping run on schedules too.
    let is_scan = (events.schedule && has(JobKind::Security))
        || (!jobs.is_empty() && jobs.iter().all(|job| job.kind == JobKind::Security));
    let mut selected: Vec<&'static str> = EVERY_WORKFLOW.to_vec();
    if has(JobKind::Deploy) && events.push {
        selected.extend_from_slice(DEPLOY_WORKFLOW);
    }
    if is_ci {
        selected.extend(CI_WORKFLOW.iter().copied().filter(|rule| {
            // Deploy jobs must never be cancelled halfway: a workflow that deploys keeps its
            // runs (PIPELINE-015 is about CI-only workflows).
            *rule != "PIPELINE-015" || !has(JobKind::Deploy)
        }));
    }
    if is_scan {
        selected.extend_from_slice(SCHEDULED_WORKFLOW);
    }
    selected
}

/// The neutral design around the workflow's pipeline.
fn design_of(imported: &ImportedWorkflow) -> Design {
    let mut design = Design::default();
    let runtime = imported.runtime.unwrap_or(Runtime::Node);
    let manager = imported
        .package_manager
        .filter(|manager| manager.runtime() == runtime)
        .unwrap_or_else(|| runtime.default_package_manager());
    let project = &mut design.services[0];
    project.runtime = runtime;
    project.runtime_version = runtime.default_version().to_owned();
    project.package_manager = manager;
    project.lockfile = manager.lockfile().to_owned();
    // Jobs are judged by the commands they run, never by defaults the file does not have.
    project.commands = Commands::default();
    let mut registry = String::new();
    if let Some(image) = &imported.image {
        let name = image.rsplit('/').next().unwrap_or(image);
        if !name.is_empty() {
            project.name = name.to_owned();
        }
        if let Some((host, _)) = image.split_once('/') {
            if host.contains('.') || host.contains(':') {
                registry = host.to_owned();
            }
        }
    }
    design.pipeline = imported.pipeline.clone();
    design.pipeline.registry = registry;
    design.pipeline.pin_actions_to_sha = false;

    // The protected branches are the ones the triggers name.
    let (default, branches) = workflow::protected_branches(&imported.pipeline.triggers);
    design.repository.default_branch = default;
    design.repository.branches = branches;

    if !imported.environments.is_empty() {
        design.environments = imported
            .environments
            .iter()
            .map(|name| {
                let mut environment = workflow::environment_named(name);
                if imported.gitops_environments.contains(name) {
                    environment.delivery = crate::model::Delivery::Gitops;
                }
                environment
            })
            .collect();
    }
    design
}
