//! Rollout rules (RULES.md §6): how a new version replaces the old one, and how a bad one
//! is undone.
//!
//! Not implemented: ROLLOUT-009 (needs the release's migrations, checked by MIGRATION-001);
//! see `docs/unchecked-rules.md`.

mod rollout_001;
mod rollout_002;
mod rollout_003;
mod rollout_004;
mod rollout_005;
mod rollout_006;
mod rollout_007;
mod rollout_008;
mod rollout_010;

use super::Rule;
#[cfg(test)]
use crate::model::{Design, RolloutStrategy};

pub(super) static RULES: &[&dyn Rule] = &[
    &rollout_001::RollingZeroDowntime,
    &rollout_002::FailedRolloutAutoUndo,
    &rollout_003::RollbackProcedure,
    &rollout_004::BlueGreenSelectorSwitch,
    &rollout_005::BlueGreenVerifyBeforeSwitch,
    &rollout_006::BlueGreenCapacity,
    &rollout_007::CanaryTrafficSteps,
    &rollout_008::ProgressiveDeliveryNeedsMonitoring,
    &rollout_010::ProductionProgressiveStrategy,
];

/// Designs that violate a rule, for the registry-wide tests.
#[cfg(test)]
pub(super) fn failing_examples(id: &str) -> Vec<Design> {
    match id {
        "ROLLOUT-001" => rollout_001::failing_examples(),
        "ROLLOUT-002" => rollout_002::failing_examples(),
        "ROLLOUT-003" => rollout_003::failing_examples(),
        "ROLLOUT-004" => rollout_004::failing_examples(),
        "ROLLOUT-005" => rollout_005::failing_examples(),
        "ROLLOUT-006" => rollout_006::failing_examples(),
        "ROLLOUT-007" => rollout_007::failing_examples(),
        "ROLLOUT-008" => rollout_008::failing_examples(),
        "ROLLOUT-010" => rollout_010::failing_examples(),
        other => panic!("no failing examples for {other}"),
    }
}

/// The default design with another rollout strategy.
#[cfg(test)]
fn with_strategy(strategy: RolloutStrategy) -> Design {
    let mut design = Design::default();
    design.kubernetes.rollout.strategy = strategy;
    design
}
