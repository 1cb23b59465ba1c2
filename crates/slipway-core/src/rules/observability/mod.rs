//! Observability rules (docs/rules.md#observability), checked on the design's observability
//! settings (`observability`), from which the metrics endpoint, the alert rules, the logging and
//! tracing configuration and the dashboard are generated.

rules! {
    obs_001::PrometheusMetricsEndpoint,
    obs_002::HttpRedMetrics,
    obs_003::AlertHighErrorRate,
    obs_004::AlertHighLatency,
    obs_005::AlertCrashLooping,
    obs_006::AlertSaturation,
    obs_007::StructuredLogging,
    obs_008::LogAggregation,
    obs_009::DistributedTracing,
    obs_010::GoldenSignalDashboards,
    obs_011::ErrorTracking,
    obs_012::UptimeCheck,
}

mod alerts;
mod web;

#[cfg(test)]
use crate::model::Design;

/// The default design with its observability settings changed.
#[cfg(test)]
fn with_observability(edit: impl FnOnce(&mut crate::model::Observability)) -> Design {
    let mut design = Design::default();
    edit(&mut design.observability);
    design
}
