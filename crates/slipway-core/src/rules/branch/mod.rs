//! Branch protection rules (docs/rules.md#branch-protection): how `main` (production) and `dev`
//! (staging) are guarded. The exported artifact is a ruleset; the design's `repository.branches` is
//! its source.

rules! {
    branch_001::MainPrTwoApprovals,
    branch_002::MainRequiredChecks,
    branch_003::UpToDateBeforeMerge,
    branch_004::NoForcePushNoDelete,
    branch_005::LinearHistory,
    branch_006::DevPrOneApproval,
    branch_007::DevRequiredChecks,
    branch_008::ExplicitBranchTriggers,
    branch_009::RequiredChecksAlwaysReported,
}

use super::ci::{check_names_job, jobs_of};
use crate::model::{Branch, Design, JobKind};

/// The production branch's protection entry: the branch named like the default branch.
fn main_branch(design: &Design) -> Option<(usize, &Branch)> {
    let default = design.repository.default_branch.trim();
    design
        .repository
        .branches
        .iter()
        .enumerate()
        .find(|(_, branch)| branch.name.trim() == default)
}

/// The other protected branches (`dev` and any further long-lived branch).
fn other_branches(design: &Design) -> Vec<(usize, &Branch)> {
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
fn all_branches(design: &Design) -> Vec<usize> {
    main_branch(design)
        .map(|(k, _)| k)
        .into_iter()
        .chain(other_branches(design).into_iter().map(|(k, _)| k))
        .collect()
}

fn protection_field(k: usize, name: &str) -> String {
    format!("repository.branches[{k}].protection.{name}")
}

/// The ids of the jobs of these kinds that `checks` does not require.
fn unrequired_jobs(design: &Design, checks: &[String], kinds: &[JobKind]) -> Vec<String> {
    kinds
        .iter()
        .flat_map(|kind| jobs_of(design, *kind))
        .map(|index| &design.pipeline.jobs[index])
        .filter(|job| !checks.iter().any(|check| check_names_job(check, job)))
        .map(|job| job.id.clone())
        .collect()
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The default design with one branch's protection changed (0 = `main`, 1 = `dev`).
#[cfg(test)]
fn with_protection(k: usize, edit: impl FnOnce(&mut crate::model::Protection)) -> Design {
    let mut design = Design::default();
    edit(&mut design.repository.branches[k].protection);
    design
}
