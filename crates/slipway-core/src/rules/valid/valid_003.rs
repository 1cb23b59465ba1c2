use crate::model::{Design, IntOrPercent, RolloutStrategy};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct RollingParamsNotBothZero;

impl Rule for RollingParamsNotBothZero {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-003",
        name: "rolling-params-not-both-zero",
        severity: Severity::Critical,
        area: Area::Validity,
        title: "A rolling update can make progress",
        what: "With the rolling strategy, `maxSurge` and `maxUnavailable` are not both 0.",
        why: "With no extra pod allowed and no pod allowed to go away, a rolling update could \
              never replace anything; the API server rejects the Deployment.",
        incorrect: "rollingUpdate:\n  maxSurge: 0\n  maxUnavailable: 0",
        correct: "rollingUpdate:\n  maxSurge: 25%\n  maxUnavailable: 0",
        fix: "Sets `maxSurge: 25%`.",
        source: "Not in the documents; Kubernetes Deployment validation",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let k8s = &context.service().kubernetes;
        let rollout = &k8s.rollout;
        if !k8s.enabled
            || rollout.strategy != RolloutStrategy::Rolling
            || !(rollout.max_surge.is_zero() && rollout.max_unavailable.is_zero())
        {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.rollout.max_surge",
            "`maxSurge` and `maxUnavailable` are both 0: the API server rejects the Deployment.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Allow a 25 % surge",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.services[0].kubernetes.rollout.max_surge = IntOrPercent::Percent("0%".into());
        design.services[0].kubernetes.rollout.max_unavailable = IntOrPercent::Int(0);
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    let rollout = &mut design.services[index].kubernetes.rollout;
    if rollout.max_surge.is_zero() && rollout.max_unavailable.is_zero() {
        rollout.max_surge = IntOrPercent::percent(25);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_for_other_strategies() {
        assert!(fields(&RollingParamsNotBothZero, &Design::default()).is_empty());
        let mut canary = RollingParamsNotBothZero::failing_examples().remove(0);
        canary.services[0].kubernetes.rollout.strategy = RolloutStrategy::Canary;
        assert!(fields(&RollingParamsNotBothZero, &canary).is_empty());
    }

    #[test]
    fn fails_when_both_are_zero() {
        assert_eq!(
            fields(
                &RollingParamsNotBothZero,
                &RollingParamsNotBothZero::failing_examples()[0]
            ),
            ["kubernetes.rollout.max_surge"]
        );
    }
}
