use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use crate::facts::exposure::any_public;

pub struct UptimeCheck;

impl Rule for UptimeCheck {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-012",
        name: "uptime-check",
        severity: Severity::Low,
        area: Area::Observability,
        title: "A synthetic check probes the public health endpoint",
        what: "A public web service (an Ingress, or a Railway web service) has a synthetic \
               uptime check on its health endpoint from outside the cluster.",
        why: "Every in-cluster signal can be green while users see nothing: DNS, the \
              certificate, the load balancer or the CDN in front can fail on their own. Only a \
              check from outside sees what users see.",
        incorrect: "uptime_check: false",
        correct: "uptime_check: true   # probes https://app.example.com/health every minute",
        fix: "Adds the uptime check.",
        source: "000 · Production Readiness Checklist › Observability (\"Uptime monitoring \
                 (synthetic checks)\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if design.observability.uptime_check || !any_public(design) {
            return Vec::new();
        }
        vec![Violation::new(
            "observability.uptime_check",
            "Nothing checks the public endpoint from outside.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add an uptime check",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_observability(|o| o.uptime_check = false)]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.observability.uptime_check = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_by_default_and_for_workers() {
        assert!(fields(&UptimeCheck, &Design::default()).is_empty());
        let mut worker = preset("worker-cron");
        worker.observability.uptime_check = false;
        assert!(fields(&UptimeCheck, &worker).is_empty());
    }

    #[test]
    fn fails_without_a_check() {
        assert_eq!(
            fields(&UptimeCheck, &UptimeCheck::failing_examples()[0]),
            ["observability.uptime_check"]
        );
    }
}
