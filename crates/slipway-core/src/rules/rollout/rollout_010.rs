use crate::facts::workload::workload;
#[cfg(test)]
use crate::model::Design;
use crate::model::RolloutStrategy;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

pub struct ProductionProgressiveStrategy;

impl Rule for ProductionProgressiveStrategy {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-010",
        name: "production-progressive-strategy",
        severity: Severity::Low,
        area: Area::Rollout,
        title: "Production uses blue-green or canary, or says why rolling is enough",
        what: "A design that deploys to production on Kubernetes uses blue-green or canary. \
               Rolling updates (the documented default) are accepted with an explicit \
               acknowledgement: waive this rule with the reason.",
        why: "The documents disagree: Key Decisions pick rolling updates, both checklists ask for \
              blue-green or canary. Rolling updates expose every user to the new version within \
              minutes and roll back only as fast as they rolled out; progressive strategies limit \
              who sees a bad version. The choice should be made, not inherited.",
        incorrect: "kubernetes.rollout.strategy: rolling   # no waiver",
        correct: "kubernetes.rollout.strategy: canary\n# or\nwaivers:\n  - rule: ROLLOUT-010\n    reason: low-traffic internal API; rolling with maxUnavailable 0 is enough",
        fix: "Manual: switch the strategy to canary or blue-green, or waive the rule with the \
              reason rolling updates are enough.",
        source: "000 · Production Readiness Checklist › Deployment (\"Blue-green or canary \
                 deployment ready\"); 004 · DevOps Checklist; compare 000 · Key Decisions \
                 (\"Rolling update (default)\"); contradiction A5",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let design = context.design;
        let rolling =
            workload(service).is_some_and(|k8s| k8s.rollout.strategy == RolloutStrategy::Rolling);
        if !rolling || design.production().is_none() {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.rollout.strategy",
            "Production gets rolling updates: every user meets a new version within minutes. Choose canary or blue-green, or waive with a reason.",
        )]
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![Design::default()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_canary_blue_green_or_no_kubernetes() {
        assert!(fields(&ProductionProgressiveStrategy, &preset("go-service")).is_empty());
        assert!(fields(&ProductionProgressiveStrategy, &preset("rust-service")).is_empty());
        assert!(fields(&ProductionProgressiveStrategy, &preset("worker-cron")).is_empty());
    }

    #[test]
    fn fails_on_unacknowledged_rolling_updates() {
        assert_eq!(
            fields(
                &ProductionProgressiveStrategy,
                &ProductionProgressiveStrategy::failing_examples()[0]
            ),
            ["kubernetes.rollout.strategy"]
        );
    }
}
