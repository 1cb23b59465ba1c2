use crate::model::{Design, EnvironmentTier, Hpa, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::{set_size, sizes, workload};

pub struct AutoscalingAndReplicaFloor;

const FLOOR: u32 = 3;

/// (field, message, value the fix sets).
fn problems(design: &Design, service: &Service) -> Vec<(String, String, u32)> {
    let Some(k8s) = workload(service) else {
        return Vec::new();
    };
    let hpa = k8s.hpa.enabled;
    let mut found = Vec::new();
    for size in sizes(design, service) {
        let production = size.tier == Some(EnvironmentTier::Production)
            || (size.tier.is_none() && design.production().is_none());
        let label = &size.label;
        if hpa {
            let floor = if production { FLOOR } else { 1 };
            if size.min < floor {
                found.push((
                    size.min_field.clone(),
                    format!(
                        "`{label}` scales down to {} pod(s); the floor is {floor}.",
                        size.min
                    ),
                    floor,
                ));
            }
            let min = size.min.max(floor);
            if size.max <= min {
                found.push((
                    size.max_field.clone(),
                    format!(
                        "`{label}` can never scale out: its maximum ({}) is not above its minimum ({min}).",
                        size.max
                    ),
                    min * 2,
                ));
            }
        } else if production && size.replicas < FLOOR {
            found.push((
                size.replicas_field.clone(),
                format!("`{label}` runs {} pod(s) with no autoscaler; production needs at least {FLOOR}.", size.replicas),
                FLOOR,
            ));
        }
    }
    if hpa && !(1..=100).contains(&k8s.hpa.cpu_utilization) {
        found.push((
            "kubernetes.hpa.cpu_utilization".to_owned(),
            format!(
                "The HPA targets {} % CPU utilisation; use a value between 1 and 100.",
                k8s.hpa.cpu_utilization
            ),
            Hpa::default().cpu_utilization,
        ));
    }
    found
}

impl Rule for AutoscalingAndReplicaFloor {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-012",
        name: "autoscaling-and-replica-floor",
        severity: Severity::Medium,
        area: Area::K8s,
        title: "Production runs at least 3 pods and can scale out",
        what: "With the `autoscaling/v2` HPA, production's `minReplicas` is at least 3, every \
               environment's `maxReplicas` is above its `minReplicas` (and the floor at least 1), \
               and the CPU target is a utilisation between 1 and 100 % (default 70). Without an \
               HPA, production's fixed `replicas` is at least 3.",
        why: "Three pods survive one node failure and one rolling update at the same time; two do \
              not. An HPA whose maximum equals its minimum never scales, so the first traffic \
              spike is served by a fixed fleet.",
        incorrect: "minReplicas: 2\nmaxReplicas: 2",
        correct: "apiVersion: autoscaling/v2\nspec:\n  minReplicas: 3\n  maxReplicas: 10\n  metrics:\n    - resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}",
        fix: "Raises production to 3 pods, gives each HPA room to scale (maximum at least twice \
              the minimum when it was not above it) and resets an invalid CPU target to 70 %.",
        source: "000 · Key Concepts › Kubernetes Deployment (\"HorizontalPodAutoscaler for \
                 scaling\"); Production Readiness Checklist › Infrastructure (\"Auto-scaling \
                 configured\"); 004 · Kubernetes Orchestration › Horizontal Pod Autoscaling; \
                 Deployment Manifest (`replicas: 3`); DevOps Checklist",
        equivalents: &["kube-linter minimum-three-replicas", "kube-score deployment-replicas"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.design, context.service())
            .into_iter()
            .map(|(field, message, _)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Scale production to 3+ pods",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut small = Design::default();
        small.environments[1].hpa_min_replicas = 2;
        small.environments[1].hpa_max_replicas = 2;
        let mut fixed = Design::default();
        fixed.services[0].kubernetes.hpa.enabled = false;
        fixed.environments[1].replicas = 1;
        let mut target = Design::default();
        target.services[0].kubernetes.hpa.cpu_utilization = 0;
        vec![small, fixed, target]
    }
}

fn apply(design: &mut Design, index: usize) {
    // Raising a floor can push it up to the maximum: fix, then check again once.
    for _ in 0..2 {
        for (field, _, value) in problems(design, &design.services[index]) {
            if field == "kubernetes.hpa.cpu_utilization" {
                design.services[index].kubernetes.hpa.cpu_utilization = value;
            } else {
                set_size(design, index, &field, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_defaults() {
        assert!(fields(&AutoscalingAndReplicaFloor, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_a_low_floor_no_headroom_or_a_bad_target() {
        let reported: Vec<Vec<String>> = AutoscalingAndReplicaFloor::failing_examples()
            .iter()
            .map(|design| fields(&AutoscalingAndReplicaFloor, design))
            .collect();
        assert_eq!(
            reported[0],
            [
                "environments[1].hpa_min_replicas",
                "environments[1].hpa_max_replicas"
            ]
        );
        assert_eq!(reported[1], ["environments[1].replicas"]);
        assert_eq!(reported[2], ["kubernetes.hpa.cpu_utilization"]);
    }
}
