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

use super::Violation;
use crate::model::{Alert, AlertSeverity, Design};

/// What an alert rule must look like.
pub(crate) struct AlertSpec {
    /// Dotted field of the alert, e.g. `observability.alerts.error_rate`.
    pub field: &'static str,
    /// What it measures, for messages.
    pub what: &'static str,
    pub unit: &'static str,
    /// It must fire at or below this threshold.
    pub max_threshold: u32,
    /// It must fire within this many minutes.
    pub max_for_minutes: u32,
    /// The severities it may carry.
    pub severities: &'static [AlertSeverity],
}

/// What is wrong with an alert against its spec.
pub(crate) fn alert_violations(alert: &Alert, spec: &AlertSpec) -> Vec<Violation> {
    let field = |name: &str| format!("{}.{name}", spec.field);
    if !alert.enabled {
        return vec![Violation::new(
            field("enabled"),
            format!("No alert fires on {}.", spec.what),
        )];
    }
    let mut found = Vec::new();
    if alert.threshold == 0 || alert.threshold > spec.max_threshold {
        found.push(Violation::new(
            field("threshold"),
            format!(
                "The {} alert fires above {} {}; it should fire above {} {} at most.",
                spec.what, alert.threshold, spec.unit, spec.max_threshold, spec.unit
            ),
        ));
    }
    if alert.for_minutes > spec.max_for_minutes {
        found.push(Violation::new(
            field("for_minutes"),
            format!(
                "The {} alert waits {} min before firing; at most {}.",
                spec.what, alert.for_minutes, spec.max_for_minutes
            ),
        ));
    }
    if !spec.severities.contains(&alert.severity) {
        found.push(Violation::new(
            field("severity"),
            format!(
                "The {} alert has severity `{}`; it should be `{}`.",
                spec.what,
                severity_name(alert.severity),
                severity_name(spec.severities[0])
            ),
        ));
    }
    found
}

fn severity_name(severity: AlertSeverity) -> &'static str {
    match severity {
        AlertSeverity::Critical => "critical",
        AlertSeverity::Warning => "warning",
        AlertSeverity::Info => "info",
    }
}

/// Brings an alert in line with its spec, keeping values that already comply.
pub(crate) fn repair_alert(alert: &mut Alert, spec: &AlertSpec) {
    alert.enabled = true;
    if alert.threshold == 0 || alert.threshold > spec.max_threshold {
        alert.threshold = spec.max_threshold;
    }
    if alert.for_minutes > spec.max_for_minutes {
        alert.for_minutes = spec.max_for_minutes;
    }
    if !spec.severities.contains(&alert.severity) {
        alert.severity = spec.severities[0];
    }
}

/// Whether the service is reachable from the internet (an Ingress or a Railway web service).
pub(crate) fn is_public(design: &Design) -> bool {
    design.project.kind.is_web()
        && ((design.kubernetes.enabled && design.kubernetes.ingress.enabled)
            || (design.railway.enabled && design.railway.cron_schedule.trim().is_empty()))
}

/// The default design with its observability settings changed.
#[cfg(test)]
fn with_observability(edit: impl FnOnce(&mut crate::model::Observability)) -> Design {
    let mut design = Design::default();
    edit(&mut design.observability);
    design
}
