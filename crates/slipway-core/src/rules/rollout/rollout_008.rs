use crate::facts::analysis::analysable;
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
               apart from the old one and a bad release stops before it reaches everyone. An Argo \
               Rollouts canary or a blue-green web service also keeps `rollout.analysis` on: the \
               chart's AnalysisTemplate aborts a canary whose error rate or p95 latency passes \
               those alerts' thresholds, and the deploy checks the idle colour against them before \
               the switch.",
        why: "A canary exists to be compared with the stable version; without error-rate and \
              latency signals per version nobody can tell whether to promote or roll back, and \
              the strategy only adds risk and cost.",
        incorrect: "kubernetes:\n  rollout:\n    strategy: canary\nobservability:\n  alerts:\n    error_rate:\n      enabled: false",
        correct: "kubernetes:\n  rollout:\n    strategy: canary\n    analysis: true\nobservability:\n  metrics:\n    enabled: true\n  alerts:\n    error_rate:\n      enabled: true\n    latency_p95:\n      enabled: true",
        fix: "Turns on the metrics endpoint, the error-rate and latency alerts and the rollout's \
              analysis.",
        source: "004 · Deployment Strategies › Canary (cons: \"Requires monitoring\"); 000 · Deployment Checklist › During Deployment (\"Watch error rates\")",
        equivalents: &[
            "Argo Rollouts AnalysisTemplate with a background analysis",
            "Flagger's canary analysis",
        ],
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
        let unjudged = analysable(service) && !service.kubernetes.rollout.analysis;
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
            .chain(unjudged.then(|| {
                Violation::new(
                    "kubernetes.rollout.analysis",
                    "Nothing judges the new version by its metrics: a bad release waits for a \
                     person to notice it.",
                )
            }))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Turn on metrics, release alerts and analysis",
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
        let mut unjudged = super::with_strategy(RolloutStrategy::Canary);
        unjudged.services[0].kubernetes.rollout.analysis = false;
        vec![canary, blue_green, unjudged]
    }
}

fn apply(design: &mut Design, index: usize) {
    if design.services[index].kubernetes.rollout.strategy == RolloutStrategy::Rolling {
        return;
    }
    design.services[index].kubernetes.rollout.analysis = true;
    design.observability.metrics.enabled = true;
    design.observability.alerts.error_rate.enabled = true;
    design.observability.alerts.latency_p95.enabled = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CanaryEngine;
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
        assert_eq!(reported[2], ["kubernetes.rollout.analysis"]);
        for mut design in ProgressiveDeliveryNeedsMonitoring::failing_examples() {
            apply(&mut design, 0);
            assert!(fields(&ProgressiveDeliveryNeedsMonitoring, &design).is_empty());
        }
    }

    #[test]
    fn analysis_is_asked_only_where_the_chart_can_run_it() {
        let mut ratio = super::super::with_strategy(RolloutStrategy::Canary);
        ratio.services[0].kubernetes.rollout.canary_engine = CanaryEngine::ReplicaRatio;
        ratio.services[0].kubernetes.rollout.analysis = false;
        assert!(fields(&ProgressiveDeliveryNeedsMonitoring, &ratio).is_empty());
        let mut blue_green = super::super::with_strategy(RolloutStrategy::BlueGreen);
        blue_green.services[0].kubernetes.rollout.analysis = false;
        assert_eq!(
            fields(&ProgressiveDeliveryNeedsMonitoring, &blue_green),
            ["kubernetes.rollout.analysis"]
        );
    }
}
