//! A whole repository as an editable design: its services from Dockerfiles, compose build
//! contexts, Railway configs and Helm charts; each service's language from its manifests;
//! its pipeline from the CI and deploy workflows. Every file read gets a report of what it
//! became and what it did not (see [`report`]); nothing is dropped silently.
//!
//! The design says what the files say. Where they are silent, a field keeps Slipway's default
//! only when no rule would then judge something the repository never claimed; otherwise it
//! says "absent" (no `.dockerignore` is an empty list, no `HEALTHCHECK` a disabled one), so
//! the findings on an imported design are findings about the repository.

mod compose;
pub mod files;
mod manifests;
mod pipeline;
pub mod report;
mod services;
mod toml_subset;

pub use files::{
    decode, from_folder, from_zip, kind_of, Collector, FileKind, Limits, Skipped, SourceFile,
};
pub use report::{Entry, FileReport, ImportReport, Outcome};
pub use services::ServiceFiles;

use crate::import::workflow;
use crate::model::{Design, SCHEMA_VERSION};

/// An imported repository: the design and the report of how each file became part of it.
#[derive(Debug, Clone)]
pub struct RepositoryImport {
    pub design: Design,
    pub report: ImportReport,
    /// The files each service was read from, parallel to `design.services`.
    pub service_files: Vec<ServiceFiles>,
    /// Every file read, as (path, text): what [`crate::patch::against`] compares an export
    /// with.
    pub sources: Vec<(String, String)>,
}

/// Imports the files collected from a repository named `name` (the folder or archive name).
/// Never panics; a file that cannot be read is reported with its line and left out.
pub fn import(name: &str, collector: Collector) -> RepositoryImport {
    let Collector {
        mut files, skipped, ..
    } = collector;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut reports: Vec<report::FileReport> = Vec::new();
    let workflow_files: Vec<&SourceFile> = files
        .iter()
        .filter(|file| kind_of(&file.path) == Some(FileKind::Workflow))
        .collect();
    let workflows = pipeline::read(&workflow_files, &mut reports);
    let project_name = crate::text::identifier(name, "app");
    let services::Found {
        services,
        files: service_files,
    } = services::discover(&files, &project_name, &mut reports);

    let mut design = Design {
        version: SCHEMA_VERSION,
        services,
        ..Design::default()
    };
    design.project.name = project_name.clone();
    let owner = workflows
        .images
        .iter()
        .find_map(|image| {
            let mut parts = image.split('/');
            let host = parts.next()?;
            let owner = parts.next()?;
            (host.contains('.') && parts.next().is_some()).then(|| owner.to_owned())
        })
        .filter(|owner| !owner.contains("${{"));
    design.repository.slug = format!(
        "{}/{project_name}",
        owner.unwrap_or_else(|| "your-org".to_owned())
    );
    let (default_branch, branches) = workflow::protected_branches(&workflows.pipeline.triggers);
    design.repository.default_branch = default_branch;
    design.repository.branches = branches;
    design.environments = workflows
        .environments
        .iter()
        .map(|name| {
            let mut environment = workflow::environment_named(name);
            if workflows.gitops_environments.contains(name) {
                environment.delivery = crate::model::Delivery::Gitops;
            }
            environment
        })
        .collect();
    design.pipeline = workflows.pipeline;
    // Terraform is not read into the design: its infrastructure section is off unless the
    // repository keeps infrastructure as code (then the report says what was not imported).
    design.infrastructure.enabled = files
        .iter()
        .any(|file| kind_of(&file.path) == Some(FileKind::Terraform));

    // Every file imported has a report, even one no service uses (the files kept only for a
    // patch are not imported).
    for file in &files {
        if reports.iter().any(|report| report.path == file.path) {
            continue;
        }
        let Some(kind) = kind_of(&file.path) else {
            continue;
        };
        let mut report = report::FileReport::new(&file.path, kind);
        report.not_mapped(None, "no service of the design is in this file's folder");
        reports.push(report);
    }
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    for report in &mut reports {
        report.sort();
    }
    RepositoryImport {
        design,
        report: ImportReport {
            files: reports,
            skipped,
        },
        service_files,
        sources: files
            .into_iter()
            .map(|file| (file.path, file.text))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
