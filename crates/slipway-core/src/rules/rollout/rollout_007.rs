use crate::facts::workload::{production_size, workload};
use crate::model::{CanaryEngine, CanaryStep, Design, RolloutStrategy, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct CanaryTrafficSteps;

/// The smallest traffic share one canary pod gets next to production's stable pods.
fn smallest_share(design: &Design, service: &Service) -> f64 {
    let stable = production_size(design, service)
        .smallest(service.kubernetes.hpa.enabled)
        .max(1);
    100.0 / f64::from(stable + 1)
}

fn problems(design: &Design, service: &Service) -> Vec<(String, String)> {
    let Some(k8s) = workload(service) else {
        return Vec::new();
    };
    let rollout = &k8s.rollout;
    if rollout.strategy != RolloutStrategy::Canary {
        return Vec::new();
    }
    if !service.kind.is_web() {
        return vec![(
            "kubernetes.rollout.strategy".to_owned(),
            "A worker receives no traffic to split, so a canary cannot limit who sees the new version.".to_owned(),
        )];
    }
    let steps = &rollout.canary_steps;
    let mut found = Vec::new();
    if steps.is_empty() {
        found.push((
            "kubernetes.rollout.canary_steps".to_owned(),
            "The canary has no traffic steps.".to_owned(),
        ));
        return found;
    }
    let mut previous = 0;
    for (i, step) in steps.iter().enumerate() {
        if step.weight <= previous || step.weight > 100 {
            found.push((
                format!("kubernetes.rollout.canary_steps[{i}].weight"),
                format!(
                    "Step {} sends {} % after {previous} %: weights must rise, up to 100 %.",
                    i + 1,
                    step.weight
                ),
            ));
        }
        previous = previous.max(step.weight);
    }
    if steps.last().map(|step| step.weight) != Some(100) {
        found.push((
            format!(
                "kubernetes.rollout.canary_steps[{}].weight",
                steps.len() - 1
            ),
            "The last step does not reach 100 %, so the canary is never promoted.".to_owned(),
        ));
    }
    if rollout.canary_engine == CanaryEngine::ReplicaRatio {
        let share = smallest_share(design, service);
        for (i, step) in steps.iter().enumerate() {
            if step.weight < 100 && f64::from(step.weight) < share.floor() {
                found.push((
                    format!("kubernetes.rollout.canary_steps[{i}].weight"),
                    format!(
                        "{} % is unreachable with replica ratios: one canary pod already takes {share:.0} % of production's traffic.",
                        step.weight
                    ),
                ));
            }
        }
    }
    found
}

impl Rule for CanaryTrafficSteps {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-007",
        name: "canary-traffic-steps",
        severity: Severity::Medium,
        area: Area::Rollout,
        title: "Canary steps climb to 100 % in reachable increments",
        what: "With canary, the design lists traffic weights that strictly increase from above 0 \
               and end at 100 % (default 1 → 5 → 25 → 100), each followed by a pause or a manual \
               promotion. With the replica-ratio engine every step must be reachable with \
               production's pods: one canary pod next to N stable ones is 100/(N+1) %. Canary \
               needs traffic to split, so it is for web services only.",
        why: "The canary's value is its small first step: a bad version meets 1 % of users, not \
              all of them. Steps that go down, skip 100 % or cannot be expressed with the pods \
              available silently turn the canary into an all-at-once deploy, or one that never \
              finishes.",
        incorrect: "strategy: canary\nengine: replica-ratio   # 3 pods\nsteps: [1, 5, 25, 100]   # 1 % and 5 % are unreachable",
        correct: "strategy: canary\nengine: argo-rollouts\nsteps: [1, 5, 25, 100]",
        fix: "Restores the default 1 → 5 → 25 → 100 % steps; with the replica-ratio engine, keeps \
              only the steps production's pods can reach. Unsafe: custom steps are replaced.",
        source: "000 · Deployment Strategies › Canary Deployment; Deployment Strategies summary \
                 (\"Traffic splitting with Istio\"); 004 · Deployment Strategies › Canary \
                 Deployment; contradiction A21",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.design, context.service())
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use progressive canary steps",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut unordered = super::with_strategy(RolloutStrategy::Canary);
        unordered.services[0].kubernetes.rollout.canary_steps[1].weight = 1;
        let mut unfinished = super::with_strategy(RolloutStrategy::Canary);
        unfinished.services[0].kubernetes.rollout.canary_steps.pop();
        let mut ratio = super::with_strategy(RolloutStrategy::Canary);
        ratio.services[0].kubernetes.rollout.canary_engine = CanaryEngine::ReplicaRatio;
        vec![unordered, unfinished, ratio]
    }
}

fn apply(design: &mut Design, index: usize) {
    if problems(design, &design.services[index]).is_empty() {
        return;
    }
    if !design.services[index].kind.is_web() {
        design.services[index].kubernetes.rollout.strategy = RolloutStrategy::Rolling;
        return;
    }
    let mut steps = CanaryStep::progressive();
    if design.services[index].kubernetes.rollout.canary_engine == CanaryEngine::ReplicaRatio {
        let share = smallest_share(design, &design.services[index]).ceil() as u32;
        steps.retain(|step| step.weight == 100 || step.weight >= share);
        if steps.len() == 1 && share < 100 {
            steps.insert(
                0,
                CanaryStep {
                    weight: share,
                    pause_seconds: 300,
                },
            );
        }
    }
    design.services[index].kubernetes.rollout.canary_steps = steps;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_the_canary_preset() {
        assert!(fields(&CanaryTrafficSteps, &preset("go-service")).is_empty());
    }

    #[test]
    fn fails_on_falling_unfinished_or_unreachable_steps() {
        let reported: Vec<Vec<String>> = CanaryTrafficSteps::failing_examples()
            .iter()
            .map(|design| fields(&CanaryTrafficSteps, design))
            .collect();
        assert_eq!(reported[0], ["kubernetes.rollout.canary_steps[1].weight"]);
        assert_eq!(reported[1], ["kubernetes.rollout.canary_steps[2].weight"]);
        assert_eq!(
            reported[2],
            [
                "kubernetes.rollout.canary_steps[0].weight",
                "kubernetes.rollout.canary_steps[1].weight"
            ]
        );
    }
}
