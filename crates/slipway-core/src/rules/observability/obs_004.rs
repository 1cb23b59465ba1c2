use crate::model::{AlertSeverity, Design};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::alerts::{alert_violations, repair_alert, AlertSpec};

pub struct AlertHighLatency;

static SPEC: AlertSpec = AlertSpec {
    field: "observability.alerts.latency_p95",
    what: "p95-latency",
    unit: "ms",
    max_threshold: 2000,
    max_for_minutes: 5,
    severities: &[AlertSeverity::Warning, AlertSeverity::Critical],
};

impl Rule for AlertHighLatency {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-004",
        name: "alert-high-latency",
        severity: Severity::Medium,
        area: Area::Observability,
        title: "An alert fires when p95 latency exceeds 2 s",
        what: "A web service has an alert on the 95th percentile of \
               `http_request_duration_seconds` over 5 minutes that fires above 2 s (2000 ms) at \
               the latest, with `for` of at most 5 minutes and severity `warning` (or \
               `critical`).",
        why: "Slow is the new down: a saturated database or a lock shows as latency long before \
              it shows as errors. The p95 catches what averages hide.",
        incorrect: "latency_p95: {enabled: false}",
        correct: "- alert: HighLatency\n  expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 2\n  for: 5m\n  labels: {severity: warning}",
        fix: "Enables the alert and brings threshold, `for` and severity to the documented values.",
        source: "000 · Observability & Monitoring › Alerting Rules, Key Metrics to Monitor",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !super::web::any_web(context.design) {
            return Vec::new();
        }
        alert_violations(&context.design.observability.alerts.latency_p95, &SPEC)
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Alert on p95 above 2 s",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_observability(|o| o.alerts.latency_p95.enabled = false),
            super::with_observability(|o| o.alerts.latency_p95.threshold = 10_000),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    repair_alert(&mut design.observability.alerts.latency_p95, &SPEC);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&AlertHighLatency, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_missing_or_too_lax() {
        assert_eq!(
            fields(&AlertHighLatency, &AlertHighLatency::failing_examples()[0]),
            ["observability.alerts.latency_p95.enabled"]
        );
        assert_eq!(
            fields(&AlertHighLatency, &AlertHighLatency::failing_examples()[1]),
            ["observability.alerts.latency_p95.threshold"]
        );
    }
}
