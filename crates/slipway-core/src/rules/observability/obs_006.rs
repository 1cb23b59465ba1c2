use crate::model::{AlertSeverity, Design};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::alerts::{alert_violations, repair_alert, AlertSpec};

pub struct AlertSaturation;

static CPU: AlertSpec = AlertSpec {
    field: "observability.alerts.cpu_saturation",
    what: "CPU-saturation",
    unit: "%",
    max_threshold: 80,
    max_for_minutes: 10,
    severities: &[AlertSeverity::Warning, AlertSeverity::Critical],
};

static MEMORY: AlertSpec = AlertSpec {
    field: "observability.alerts.memory_saturation",
    what: "memory-saturation",
    unit: "%",
    max_threshold: 85,
    max_for_minutes: 10,
    severities: &[AlertSeverity::Warning, AlertSeverity::Critical],
};

impl Rule for AlertSaturation {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-006",
        name: "alert-saturation",
        severity: Severity::Medium,
        area: Area::Observability,
        title: "Alerts fire before CPU or memory run out",
        what: "On Kubernetes, alerts fire when CPU stays above 80 % and memory above 85 % of the \
               container's limit (thresholds at most those), within 10 minutes.",
        why: "Saturation is the early warning: CPU at its limit is throttled (latency climbs), \
              memory at its limit is OOM-killed (A8). The alert gives time to scale or fix a \
              leak before users notice.",
        incorrect: "memory_saturation: {enabled: false}",
        correct: "- alert: HighMemory\n  expr: container_memory_working_set_bytes / container_spec_memory_limit_bytes > 0.85\n  for: 10m",
        fix: "Enables both alerts with the documented thresholds.",
        source: "000 · Observability & Monitoring › Key Metrics to Monitor",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !design.uses_kubernetes() {
            return Vec::new();
        }
        let alerts = &design.observability.alerts;
        let mut found = alert_violations(&alerts.cpu_saturation, &CPU);
        found.extend(alert_violations(&alerts.memory_saturation, &MEMORY));
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Alert on saturation",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_observability(|o| {
            o.alerts.cpu_saturation.threshold = 95;
            o.alerts.memory_saturation.enabled = false;
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let alerts = &mut design.observability.alerts;
    repair_alert(&mut alerts.cpu_saturation, &CPU);
    repair_alert(&mut alerts.memory_saturation, &MEMORY);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&AlertSaturation, &Design::default()).is_empty());
    }

    #[test]
    fn fails_for_each_missing_or_lax_alert() {
        assert_eq!(
            fields(&AlertSaturation, &AlertSaturation::failing_examples()[0]),
            [
                "observability.alerts.cpu_saturation.threshold",
                "observability.alerts.memory_saturation.enabled"
            ]
        );
    }
}
