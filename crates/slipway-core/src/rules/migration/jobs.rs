//! The migrate jobs and what each job waits for, by id.

use std::collections::BTreeSet;

use crate::model::{Design, Job, JobKind};

/// Every job `job` waits for, directly or through other jobs (by id).
pub(super) fn ancestors<'a>(design: &'a Design, job: &'a Job) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut queue: Vec<&str> = job.needs.iter().map(|need| need.trim()).collect();
    while let Some(id) = queue.pop() {
        if !seen.insert(id) {
            continue;
        }
        if let Some(parent) = design.pipeline.jobs.iter().find(|other| other.id == id) {
            queue.extend(parent.needs.iter().map(|need| need.trim()));
        }
    }
    seen
}

/// The migrate jobs that target `environment` (a migrate job without one targets every
/// environment), by index.
pub(super) fn migrate_jobs_for(design: &Design, environment: &str) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| {
            job.kind == JobKind::Migrate
                && (job.environment.trim().is_empty() || job.environment.trim() == environment)
        })
        .map(|(i, _)| i)
        .collect()
}
