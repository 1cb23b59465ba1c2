use crate::facts::workload::{pods_of, set_size, sizes};
use crate::model::{Design, IntOrPercent};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct PdbBelowMinReplicas;

/// Pods the budget keeps when the deployment runs `pods`.
fn kept(budget: &IntOrPercent, pods: u32) -> Option<u32> {
    pods_of(budget, pods, true)
}

impl Rule for PdbBelowMinReplicas {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-005",
        name: "pdb-below-min-replicas",
        severity: Severity::High,
        area: Area::Validity,
        title: "The disruption budget leaves room to evict a pod",
        what: "In every environment, the PodDisruptionBudget's `minAvailable` (a percentage is \
               rounded up, as Kubernetes does) is below the smallest pod count: the HPA's \
               `minReplicas`, or `replicas` without an HPA. With the default `minAvailable: 2` \
               that means at least 3 pods.",
        why: "When `minAvailable` equals the pod count, no pod may ever be evicted: node drains, \
              cluster upgrades and autoscaler scale-downs hang until someone deletes the budget \
              by hand.",
        incorrect: "minAvailable: 2\n---\nminReplicas: 2",
        correct: "minAvailable: 2\n---\nminReplicas: 3",
        fix: "Raises each blocking environment's pod floor to the smallest count the budget \
              leaves room in (a 100 % budget becomes 50 %).",
        source: "Not in the documents; Kubernetes PodDisruptionBudget eviction API",
        equivalents: &[
            "kube-linter pdb-min-available",
            "kube-score poddisruptionbudget",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let k8s = &context.service().kubernetes;
        if !k8s.enabled || !k8s.pdb.enabled {
            return Vec::new();
        }
        let budget = &k8s.pdb.min_available;
        sizes(context.design, context.service())
            .into_iter()
            .filter_map(|size| {
                let pods = size.smallest(k8s.hpa.enabled);
                let kept = kept(budget, pods)?;
                (pods > 0 && kept >= pods).then(|| {
                    let field = if k8s.hpa.enabled {
                        size.min_field.clone()
                    } else {
                        size.replicas_field.clone()
                    };
                    Violation::new(
                        field,
                        format!(
                            "`{}` runs {pods} pod(s) and the budget keeps {kept} \
                             (`minAvailable: {budget}`): no pod can be evicted, so node drains \
                             block.",
                            size.label
                        ),
                    )
                })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Leave room to evict a pod",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut two_pods = Design::default();
        two_pods.environments[1].hpa_min_replicas = 2;
        let mut all = Design::default();
        all.services[0].kubernetes.hpa.enabled = false;
        all.services[0].kubernetes.pdb.min_available = IntOrPercent::percent(100);
        vec![two_pods, all]
    }
}

fn apply(design: &mut Design, index: usize) {
    let k8s = &design.services[index].kubernetes;
    if !k8s.pdb.enabled {
        return;
    }
    let hpa = k8s.hpa.enabled;
    if matches!(&k8s.pdb.min_available, IntOrPercent::Percent(_))
        && kept(&k8s.pdb.min_available, 100) == Some(100)
    {
        design.services[index].kubernetes.pdb.min_available = IntOrPercent::percent(50);
    }
    let budget = design.services[index].kubernetes.pdb.min_available.clone();
    for size in sizes(design, &design.services[index]) {
        let pods = size.smallest(hpa);
        let Some(enough) = (pods.max(1)..pods.max(1) + 1000)
            .find(|n| kept(&budget, *n).is_some_and(|kept| kept < *n))
        else {
            continue;
        };
        if enough == pods {
            continue;
        }
        if hpa {
            set_size(design, index, &size.min_field, enough);
            if size.max < enough {
                set_size(design, index, &size.max_field, enough * 2);
            }
        } else {
            set_size(design, index, &size.replicas_field, enough);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&PdbBelowMinReplicas, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_the_budget_keeps_every_pod() {
        let reported: Vec<Vec<String>> = PdbBelowMinReplicas::failing_examples()
            .iter()
            .map(|design| fields(&PdbBelowMinReplicas, design))
            .collect();
        assert_eq!(reported[0], ["environments[1].hpa_min_replicas"]);
        assert_eq!(
            reported[1],
            ["environments[0].replicas", "environments[1].replicas"]
        );
    }

    #[test]
    fn a_ninety_percent_budget_blocks_three_pods() {
        assert_eq!(kept(&IntOrPercent::percent(90), 3), Some(3));
    }
}
