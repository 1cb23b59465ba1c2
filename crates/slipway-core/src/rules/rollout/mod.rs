//! Rollout rules (docs/rules.md#rollout): how a new version replaces the old one, and how a bad one
//! is undone.

rules! {
    rollout_001::RollingZeroDowntime,
    rollout_002::FailedRolloutAutoUndo,
    rollout_003::RollbackProcedure,
    rollout_004::BlueGreenSelectorSwitch,
    rollout_005::BlueGreenVerifyBeforeSwitch,
    rollout_006::BlueGreenCapacity,
    rollout_007::CanaryTrafficSteps,
    rollout_008::ProgressiveDeliveryNeedsMonitoring,
    rollout_009::MixedVersionSchemaSafety,
    rollout_010::ProductionProgressiveStrategy,
}

pub(in crate::rules) mod deploys;

#[cfg(test)]
use crate::model::{Design, RolloutStrategy};

/// The default design with another rollout strategy.
#[cfg(test)]
fn with_strategy(strategy: RolloutStrategy) -> Design {
    let mut design = Design::default();
    design.services[0].kubernetes.rollout.strategy = strategy;
    design
}
