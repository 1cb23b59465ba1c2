//! What every file of the chart agrees on: its name, the values file of each environment,
//! the image and how new versions roll out.

use crate::model::{CanaryEngine, Design, RolloutStrategy, Service};

/// How the chart deploys new versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Rolling,
    BlueGreen,
    CanaryRatio,
    CanaryArgo,
    /// A worker with a schedule runs as a CronJob; the rollout strategy does not apply.
    Cron,
}

impl Shape {
    pub(super) fn of(service: &Service) -> Shape {
        if !service.kind.is_web() && !service.railway.cron_schedule.trim().is_empty() {
            return Shape::Cron;
        }
        match service.kubernetes.rollout.strategy {
            RolloutStrategy::Rolling => Shape::Rolling,
            RolloutStrategy::BlueGreen => Shape::BlueGreen,
            RolloutStrategy::Canary => match service.kubernetes.rollout.canary_engine {
                CanaryEngine::ArgoRollouts => Shape::CanaryArgo,
                CanaryEngine::ReplicaRatio => Shape::CanaryRatio,
            },
        }
    }
}

/// `ghcr.io/owner/repo` (`ghcr.io/owner/repo/<service>` when the design has several
/// services): the design's registry and repository slug, lowercase and reduced to
/// image-reference characters (the image CI pushes).
pub fn image_repository(design: &Design, service: &Service) -> String {
    // The image CI pushes is the image the chart deploys (CONSIST-003): one definition.
    crate::generate::actions::image_repository(design, service)
}
