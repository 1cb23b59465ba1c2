use crate::model::{Design, RolloutStrategy};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct ProgressiveDeliveryNeedsMonitoring;

impl Rule for ProgressiveDeliveryNeedsMonitoring {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-008",
        name: "progressive-delivery-needs-monitoring",
        severity: Severity::High,
        area: Area::Rollout,
        title: "Canary and blue-green releases are watched by metrics and alerts",
        what: "With the canary or blue-green strategy, the service exports metrics and has the \
               error-rate and latency alerts on (OBS-003, OBS-004), so the new version can be told \
               apart from the old one and a bad release stops before it reaches everyone.",
        why: "A canary exists to be compared with the stable version; without error-rate and \
              latency signals per version nobody can tell whether to promote or roll back, and \
              the strategy only adds risk and cost.",
        incorrect: "kubernetes:\n  rollout:\n    strategy: canary\nobservability:\n  alerts:\n    error_rate:\n      enabled: false",
        correct: "kubernetes:\n  rollout:\n    strategy: canary\nobservability:\n  metrics:\n    enabled: true\n  alerts:\n    error_rate:\n      enabled: true\n    latency_p95:\n      enabled: true",
        fix: "Turns on the metrics endpoint and the error-rate and latency alerts.",
        source: "004 · Deployment Strategies › Canary (cons: \"Requires monitoring\"); 000 · Deployment Checklist › During Deployment (\"Watch error rates\")",
        equivalents: &["Argo Rollouts AnalysisTemplate (the practice)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let design = context.design;
        let strategy = service.kubernetes.rollout.strategy;
        if !service.kubernetes.enabled || strategy == RolloutStrategy::Rolling {
            return Vec::new();
        }
        let observability = &design.observability;
        let missing: Vec<(&str, &str)> = [
            (
                !observability.metrics.enabled,
                ("observability.metrics.enabled", "metrics"),
            ),
            (
                !observability.alerts.error_rate.enabled,
                (
                    "observability.alerts.error_rate.enabled",
                    "the error-rate alert",
                ),
            ),
            (
                !observability.alerts.latency_p95.enabled,
                (
                    "observability.alerts.latency_p95.enabled",
                    "the latency alert",
                ),
            ),
        ]
        .into_iter()
        .filter(|(missing, _)| *missing)
        .map(|(_, what)| what)
        .collect();
        missing
            .into_iter()
            .map(|(field, what)| {
                Violation::new(
                    field,
                    format!(
                        "The {} rollout has no {what} to judge the new version by.",
                        if strategy == RolloutStrategy::Canary {
                            "canary"
                        } else {
                            "blue-green"
                        }
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Turn on metrics and release alerts",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut canary = super::with_strategy(RolloutStrategy::Canary);
        canary.observability.alerts.error_rate.enabled = false;
        let mut blue_green = super::with_strategy(RolloutStrategy::BlueGreen);
        blue_green.observability.metrics.enabled = false;
        blue_green.observability.alerts.latency_p95.enabled = false;
        vec![canary, blue_green]
    }
}

fn apply(design: &mut Design, index: usize) {
    if design.services[index].kubernetes.rollout.strategy == RolloutStrategy::Rolling {
        return;
    }
    design.observability.metrics.enabled = true;
    design.observability.alerts.error_rate.enabled = true;
    design.observability.alerts.latency_p95.enabled = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_rolling_and_for_watched_canaries() {
        let mut rolling = Design::default();
        rolling.observability.alerts.error_rate.enabled = false;
        assert!(fields(&ProgressiveDeliveryNeedsMonitoring, &rolling).is_empty());
        assert!(fields(
            &ProgressiveDeliveryNeedsMonitoring,
            &super::super::with_strategy(RolloutStrategy::Canary)
        )
        .is_empty());
    }

    #[test]
    fn fails_without_signals_and_the_fix_adds_them() {
        let reported: Vec<Vec<String>> = ProgressiveDeliveryNeedsMonitoring::failing_examples()
            .iter()
            .map(|design| fields(&ProgressiveDeliveryNeedsMonitoring, design))
            .collect();
        assert_eq!(reported[0], ["observability.alerts.error_rate.enabled"]);
        assert_eq!(reported[1].len(), 2);
        for mut design in ProgressiveDeliveryNeedsMonitoring::failing_examples() {
            apply(&mut design, 0);
            assert!(fields(&ProgressiveDeliveryNeedsMonitoring, &design).is_empty());
        }
    }
}
