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

mod protection;

#[cfg(test)]
use crate::model::Design;

/// The default design with one branch's protection changed (0 = `main`, 1 = `dev`).
#[cfg(test)]
fn with_protection(k: usize, edit: impl FnOnce(&mut crate::model::Protection)) -> Design {
    let mut design = Design::default();
    edit(&mut design.repository.branches[k].protection);
    design
}
