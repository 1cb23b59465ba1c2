//! The protected branch entries of the design and their fields.

use crate::facts::changes::gate_required;
use crate::facts::jobs::{check_names_job, jobs_of};
use crate::model::{Branch, Design, JobKind};

/// The production branch's protection entry: the branch named like the default branch.
pub(super) fn main_branch(design: &Design) -> Option<(usize, &Branch)> {
    let default = design.repository.default_branch.trim();
    design
        .repository
        .branches
        .iter()
        .enumerate()
        .find(|(_, branch)| branch.name.trim() == default)
}

/// The other protected branches (`dev` and any further long-lived branch).
pub(super) fn other_branches(design: &Design) -> Vec<(usize, &Branch)> {
    let default = design.repository.default_branch.trim();
    design
        .repository
        .branches
        .iter()
        .enumerate()
        .filter(|(_, branch)| branch.name.trim() != default && !branch.name.trim().is_empty())
        .collect()
}

/// Indices of every protected branch entry, the default branch's included.
pub(super) fn all_branches(design: &Design) -> Vec<usize> {
    main_branch(design)
        .map(|(k, _)| k)
        .into_iter()
        .chain(other_branches(design).into_iter().map(|(k, _)| k))
        .collect()
}

pub(super) fn protection_field(k: usize, name: &str) -> String {
    format!("repository.branches[{k}].protection.{name}")
}

/// The ids of the jobs of these kinds that `checks` does not require. Requiring the
/// `ci-passed` gate requires every CI job.
pub(super) fn unrequired_jobs(
    design: &Design,
    checks: &[String],
    kinds: &[JobKind],
) -> Vec<String> {
    if gate_required(design, checks) {
        return Vec::new();
    }
    kinds
        .iter()
        .flat_map(|kind| jobs_of(design, *kind))
        .map(|index| &design.pipeline.jobs[index])
        .filter(|job| !checks.iter().any(|check| check_names_job(check, job)))
        .map(|job| job.id.clone())
        .collect()
}

pub(super) fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
