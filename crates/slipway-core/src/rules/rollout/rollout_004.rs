use crate::facts::workload::workload;
use crate::model::{Design, RolloutStrategy, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct BlueGreenSelectorSwitch;

fn misapplied(service: &Service) -> bool {
    workload(service).is_some_and(|k8s| k8s.rollout.strategy == RolloutStrategy::BlueGreen)
        && !service.kind.is_web()
}

impl Rule for BlueGreenSelectorSwitch {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-004",
        name: "blue-green-selector-switch",
        severity: Severity::Medium,
        area: Area::Rollout,
        title: "Blue-green is used where there is a Service selector to switch",
        what: "Blue-green runs two Deployments that differ only in image and `version` label, and \
               switches traffic by patching the Service selector (the generator emits both \
               colours, the selector and the switch and revert steps). That needs a Service: a \
               worker, which receives no traffic and gets no Service, cannot use blue-green.",
        why: "For a worker there is nothing to switch: both colours consume the same queue or run \
              the same schedule at once, doubling the work instead of isolating the new version, \
              and the \"switch back\" rollback does nothing.",
        incorrect: "services:\n  - kind: worker\n    kubernetes: {rollout: {strategy: blue-green}}",
        correct: "services:\n  - kind: worker\n    kubernetes: {rollout: {strategy: rolling}}",
        fix: "Switches a worker to rolling updates. Unsafe: the chosen strategy changes.",
        source: "000 · Deployment Strategies › Blue-Green Deployment; 004 · Deployment Strategies \
                 › Blue-Green Deployment",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !misapplied(context.service()) {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.rollout.strategy",
            "Blue-green switches a Service selector, but a worker has no Service: both colours would run at once.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use rolling updates",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut worker = super::with_strategy(RolloutStrategy::BlueGreen);
        worker.services[0].kind = crate::model::ServiceKind::Worker;
        vec![worker]
    }
}

fn apply(design: &mut Design, index: usize) {
    if misapplied(&design.services[index]) {
        design.services[index].kubernetes.rollout.strategy = RolloutStrategy::Rolling;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_a_web_service() {
        assert!(fields(&BlueGreenSelectorSwitch, &preset("rust-service")).is_empty());
    }

    #[test]
    fn fails_for_a_worker() {
        assert_eq!(
            fields(
                &BlueGreenSelectorSwitch,
                &BlueGreenSelectorSwitch::failing_examples()[0]
            ),
            ["kubernetes.rollout.strategy"]
        );
    }
}
