use crate::facts::workload::workload;
use crate::model::{Design, IntOrPercent, RolloutStrategy};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct RollingZeroDowntime;

impl Rule for RollingZeroDowntime {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-001",
        name: "rolling-zero-downtime",
        severity: Severity::Medium,
        area: Area::Rollout,
        title: "Rolling updates never drop below full capacity",
        what: "With the rolling strategy (the default), `maxUnavailable` is 0 and `maxSurge` adds \
               at least one pod (default 25 %), so new pods start and become ready before old \
               ones stop.",
        why: "`maxUnavailable` above 0 takes pods out of service before their replacements are \
              ready: during every deploy the service runs short-handed, and if the new version \
              never becomes ready it stays short-handed. With 0, a failed rollout costs no \
              capacity at all.",
        incorrect: "rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 1",
        correct: "rollingUpdate:\n  maxSurge: 25%\n  maxUnavailable: 0",
        fix: "Sets `maxUnavailable: 0` (and `maxSurge: 25%` if it was 0).",
        source: "000 · Key Concepts › Deployment Strategies (Rolling Update: \"maxUnavailable: 0 \
                 # Zero downtime\"); Key Decisions; contradiction A4 (the reference page gives \
                 1/1)",
        equivalents: &["kube-linter no-rolling-update-strategy (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = workload(context.service()) else {
            return Vec::new();
        };
        let rollout = &k8s.rollout;
        if rollout.strategy != RolloutStrategy::Rolling || rollout.max_unavailable.is_zero() {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.rollout.max_unavailable",
            format!(
                "`maxUnavailable: {}` takes pods out of service before their replacements are ready: the rollout is not zero-downtime.",
                rollout.max_unavailable
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Roll out without losing capacity",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut one_one = Design::default();
        one_one.services[0].kubernetes.rollout.max_surge = IntOrPercent::Int(1);
        one_one.services[0].kubernetes.rollout.max_unavailable = IntOrPercent::Int(1);
        let mut surge_only_down = Design::default();
        surge_only_down.services[0].kubernetes.rollout.max_surge = IntOrPercent::Int(0);
        surge_only_down.services[0]
            .kubernetes
            .rollout
            .max_unavailable = IntOrPercent::percent(25);
        vec![one_one, surge_only_down]
    }
}

fn apply(design: &mut Design, index: usize) {
    let rollout = &mut design.services[index].kubernetes.rollout;
    if rollout.strategy != RolloutStrategy::Rolling {
        return;
    }
    rollout.max_unavailable = IntOrPercent::Int(0);
    if rollout.max_surge.is_zero() {
        rollout.max_surge = IntOrPercent::percent(25);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_default_and_other_strategies() {
        assert!(fields(&RollingZeroDowntime, &Design::default()).is_empty());
        let mut canary = RollingZeroDowntime::failing_examples().remove(0);
        canary.services[0].kubernetes.rollout.strategy = RolloutStrategy::Canary;
        assert!(fields(&RollingZeroDowntime, &canary).is_empty());
    }

    #[test]
    fn fails_when_pods_may_be_unavailable() {
        for design in RollingZeroDowntime::failing_examples() {
            assert_eq!(
                fields(&RollingZeroDowntime, &design),
                ["kubernetes.rollout.max_unavailable"]
            );
        }
    }
}
