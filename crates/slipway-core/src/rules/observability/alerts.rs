//! What an alert rule must look like, and how to bring one in line.

use crate::model::{Alert, AlertSeverity};
use crate::rules::Violation;

/// What an alert rule must look like.
pub(super) struct AlertSpec {
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
pub(super) fn alert_violations(alert: &Alert, spec: &AlertSpec) -> Vec<Violation> {
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
pub(super) fn repair_alert(alert: &mut Alert, spec: &AlertSpec) {
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
