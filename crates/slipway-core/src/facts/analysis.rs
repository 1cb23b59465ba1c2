//! Releases judged by metrics (ROLLOUT-008): which services' releases can be, and which are.
//! The chart's AnalysisTemplate, the deploy's check of the idle colour, the rollout timeline and
//! the rule all read these facts.

use crate::model::{CanaryEngine, Design, RolloutStrategy, Service};

/// Whether the service's releases can be judged by metrics: an Argo Rollouts canary (the
/// chart's AnalysisTemplate) or blue-green (the deploy's check of the idle colour), for a web
/// service on Kubernetes. A replica-ratio canary has no controller to abort it, and a worker
/// serves no requests to measure.
pub fn analysable(service: &Service) -> bool {
    let rollout = &service.kubernetes.rollout;
    service.kubernetes.enabled
        && service.kind.is_web()
        && match rollout.strategy {
            RolloutStrategy::BlueGreen => true,
            RolloutStrategy::Canary => rollout.canary_engine == CanaryEngine::ArgoRollouts,
            RolloutStrategy::Rolling => false,
        }
}

/// Whether the service's releases are judged: analysable, with analysis on, metrics exported
/// and at least one of the error-rate and latency alerts to take a limit from.
pub fn judged(design: &Design, service: &Service) -> bool {
    let observability = &design.observability;
    let alerts = &observability.alerts;
    analysable(service)
        && service.kubernetes.rollout.analysis
        && observability.metrics.enabled
        && (alerts.error_rate.enabled || alerts.latency_p95.enabled)
}

/// What stops a judged release, in words: "error rate > 5 % or p95 > 2 s".
pub fn limits(design: &Design) -> String {
    let alerts = &design.observability.alerts;
    let mut parts = Vec::new();
    if alerts.error_rate.enabled {
        parts.push(format!("error rate > {} %", alerts.error_rate.threshold));
    }
    if alerts.latency_p95.enabled {
        let ms = alerts.latency_p95.threshold;
        parts.push(if ms.is_multiple_of(1000) {
            format!("p95 > {} s", ms / 1000)
        } else {
            format!("p95 > {ms} ms")
        });
    }
    parts.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_limits_read_as_the_alerts() {
        let mut design = Design::default();
        assert_eq!(limits(&design), "error rate > 5 % or p95 > 2 s");
        design.observability.alerts.latency_p95.threshold = 750;
        design.observability.alerts.error_rate.enabled = false;
        assert_eq!(limits(&design), "p95 > 750 ms");
    }

    #[test]
    fn only_argo_canaries_and_blue_green_web_services_are_judged() {
        let mut design = Design::default();
        assert!(!judged(&design, &design.services[0]));
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::Canary;
        assert!(judged(&design, &design.services[0]));
        design.services[0].kubernetes.rollout.canary_engine = CanaryEngine::ReplicaRatio;
        assert!(!judged(&design, &design.services[0]));
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::BlueGreen;
        assert!(judged(&design, &design.services[0]));
        design.services[0].kubernetes.rollout.analysis = false;
        assert!(!judged(&design, &design.services[0]));
    }
}
