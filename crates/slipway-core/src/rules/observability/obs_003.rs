use crate::model::{AlertSeverity, Design};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::alerts::{alert_violations, repair_alert, AlertSpec};

pub struct AlertHighErrorRate;

static SPEC: AlertSpec = AlertSpec {
    field: "observability.alerts.error_rate",
    what: "error-rate",
    unit: "%",
    max_threshold: 5,
    max_for_minutes: 5,
    severities: &[AlertSeverity::Critical],
};

impl Rule for AlertHighErrorRate {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-003",
        name: "alert-high-error-rate",
        severity: Severity::High,
        area: Area::Observability,
        title: "An alert pages when more than 5 % of requests fail",
        what: "A web service has an alert on the share of 5xx responses over 5 minutes that \
               fires above 5 % (`> 0.05`), with `for` of at most 5 minutes and severity \
               `critical`.",
        why: "The error rate is the signal users feel first. Without a paging alert, a bad \
              deploy or a failing dependency is noticed from support tickets; a threshold above \
              5 % or a long `for` lets a real outage run unnoticed.",
        incorrect: "error_rate: {enabled: false}",
        correct: "- alert: HighErrorRate\n  expr: sum(rate(http_requests_total{status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05\n  for: 5m\n  labels: {severity: critical}",
        fix: "Enables the alert and brings threshold, `for` and severity to the documented values.",
        source: "000 · Observability & Monitoring › Alerting Rules, Key Metrics to Monitor",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !super::web::any_web(context.design) {
            return Vec::new();
        }
        alert_violations(&context.design.observability.alerts.error_rate, &SPEC)
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Alert on 5 % errors",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_observability(|o| o.alerts.error_rate.enabled = false),
            super::with_observability(|o| {
                o.alerts.error_rate.threshold = 20;
                o.alerts.error_rate.for_minutes = 30;
                o.alerts.error_rate.severity = AlertSeverity::Warning;
            }),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    repair_alert(&mut design.observability.alerts.error_rate, &SPEC);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&AlertHighErrorRate, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_missing_or_too_lax() {
        assert_eq!(
            fields(
                &AlertHighErrorRate,
                &AlertHighErrorRate::failing_examples()[0]
            ),
            ["observability.alerts.error_rate.enabled"]
        );
        assert_eq!(
            fields(
                &AlertHighErrorRate,
                &AlertHighErrorRate::failing_examples()[1]
            )
            .len(),
            3
        );
    }
}
