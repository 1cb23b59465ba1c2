use crate::model::{AlertSeverity, Design, Profile};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::alerts::{alert_violations, repair_alert, AlertSpec};

pub struct AlertCrashLooping;

fn spec(profile: Profile) -> AlertSpec {
    AlertSpec {
        field: "observability.alerts.crash_looping",
        what: "crash-loop",
        unit: "restarts/h",
        max_threshold: match profile {
            Profile::Seed => 5,
            Profile::Strict => 3,
        },
        max_for_minutes: 10,
        severities: &[AlertSeverity::Critical],
    }
}

impl Rule for AlertCrashLooping {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-005",
        name: "alert-crash-looping",
        severity: Severity::Medium,
        area: Area::Observability,
        title: "An alert pages when pods keep restarting",
        what: "On Kubernetes, an alert on `increase(kube_pod_container_status_restarts_total[1h])` \
               fires above 5 restarts an hour (profile `seed`) or above 3 (profile `strict`), \
               with `for` of at most 10 minutes and severity `critical`.",
        why: "A crash-looping pod is often still \"running\" between restarts, so error-rate \
              alerts can miss it while capacity quietly halves. The seed disagrees with itself \
              (A16): its alert rule uses > 5 an hour, its metrics table > 3. The `seed` profile \
              keeps the rule's 5; `strict` takes the table's 3.",
        incorrect: "crash_looping: {threshold: 20}",
        correct: "- alert: PodCrashLooping\n  expr: increase(kube_pod_container_status_restarts_total[1h]) > 5\n  for: 10m\n  labels: {severity: critical}",
        fix: "Enables the alert with the profile's threshold, `for: 10m` and severity `critical`.",
        source: "000 · Observability & Monitoring › Alerting Rules, Key Metrics to Monitor; A16; \
                 profile conflict (docs/profiles.md)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !design.uses_kubernetes() {
            return Vec::new();
        }
        let mut found = alert_violations(
            &design.observability.alerts.crash_looping,
            &spec(design.profile),
        );
        if design.profile == Profile::Strict {
            for violation in &mut found {
                if violation.field.ends_with(".threshold") {
                    violation.message.push_str(
                        " (Strict profile: the seed's table says > 3; its alert rule says > 5.)",
                    );
                }
            }
        }
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Alert on crash loops",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let off = super::with_observability(|o| o.alerts.crash_looping.enabled = false);
        let strict = Design {
            profile: Profile::Strict,
            ..Design::default()
        };
        vec![off, strict]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let spec = spec(design.profile);
    repair_alert(&mut design.observability.alerts.crash_looping, &spec);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn the_seed_profile_accepts_five_restarts() {
        assert!(fields(&AlertCrashLooping, &Design::default()).is_empty());
        assert!(fields(&AlertCrashLooping, &preset("worker-cron")).is_empty());
    }

    #[test]
    fn the_strict_profile_wants_three() {
        assert_eq!(
            fields(
                &AlertCrashLooping,
                &AlertCrashLooping::failing_examples()[1]
            ),
            ["observability.alerts.crash_looping.threshold"]
        );
        let mut fixed = AlertCrashLooping::failing_examples().remove(1);
        apply(&mut fixed, 0);
        assert_eq!(fixed.observability.alerts.crash_looping.threshold, 3);
    }
}
