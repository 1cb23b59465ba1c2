use crate::model::{Design, IntOrPercent};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::{pods_of, set_size, sizes, workload};

pub struct PodDisruptionBudget;

fn protects(value: &IntOrPercent) -> Result<bool, ()> {
    match value {
        IntOrPercent::Int(n) => Ok(*n > 0),
        IntOrPercent::Percent(_) => pods_of(value, 100, true).map(|p| p > 0).ok_or(()),
    }
}

impl Rule for PodDisruptionBudget {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-013",
        name: "pod-disruption-budget",
        severity: Severity::Medium,
        area: Area::K8s,
        title: "A PodDisruptionBudget keeps pods up during node maintenance",
        what: "A `policy/v1` PodDisruptionBudget selects the app's pods with a `minAvailable` \
               that protects something: a count above 0 (default 2) or a percentage above 0 %. \
               VALID-005 checks it stays below the replica count.",
        why: "Node drains, cluster upgrades and autoscaler scale-downs evict pods voluntarily. \
              Without a budget they may evict every replica at once, and a routine upgrade \
              becomes an outage.",
        incorrect: "pdb:\n  enabled: false",
        correct: "apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec:\n  minAvailable: 2",
        fix: "Enables the budget with `minAvailable` of 2, or one less than the smallest \
              environment's pod count when that is lower (raising environments below 2 pods to \
              2).",
        source: "000 · Kubernetes Basics › PodDisruptionBudget; contradiction A25 (the chart \
                 layout has no PDB template)",
        equivalents: &["kube-linter pdb-min-available (VALID-005's side)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = workload(context.service()) else {
            return Vec::new();
        };
        if !k8s.pdb.enabled {
            return vec![Violation::new(
                "kubernetes.pdb.enabled",
                "No PodDisruptionBudget: a node drain may evict every pod at once.",
            )];
        }
        match protects(&k8s.pdb.min_available) {
            Ok(true) => Vec::new(),
            Ok(false) => vec![Violation::new(
                "kubernetes.pdb.min_available",
                "The PodDisruptionBudget keeps 0 pods available, so it protects nothing.",
            )],
            Err(()) => vec![Violation::new(
                "kubernetes.pdb.min_available",
                format!(
                    "`minAvailable: {}` is neither a count nor a percentage.",
                    k8s.pdb.min_available
                ),
            )],
        }
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a disruption budget",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let off = super::with_k8s(|k8s| k8s.pdb.enabled = false);
        let zero = super::with_k8s(|k8s| k8s.pdb.min_available = IntOrPercent::percent(0));
        let garbage =
            super::with_k8s(|k8s| k8s.pdb.min_available = IntOrPercent::Percent("most".into()));
        vec![off, zero, garbage]
    }
}

fn apply(design: &mut Design, index: usize) {
    let hpa = design.services[index].kubernetes.hpa.enabled;
    for size in sizes(design, &design.services[index]) {
        if size.smallest(hpa) < 2 {
            let field = if hpa {
                &size.min_field
            } else {
                &size.replicas_field
            };
            set_size(design, index, field, 2);
            if hpa && size.max <= 2 {
                set_size(design, index, &size.max_field, 4);
            }
        }
    }
    let smallest = sizes(design, &design.services[index])
        .iter()
        .map(|size| size.smallest(hpa))
        .min()
        .unwrap_or(2);
    let pdb = &mut design.services[index].kubernetes.pdb;
    pdb.enabled = true;
    if protects(&pdb.min_available) != Ok(true) {
        pdb.min_available = IntOrPercent::Int(smallest.saturating_sub(1).clamp(1, 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_default_budget() {
        assert!(fields(&PodDisruptionBudget, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_protective_budget() {
        let reported: Vec<Vec<String>> = PodDisruptionBudget::failing_examples()
            .iter()
            .map(|design| fields(&PodDisruptionBudget, design))
            .collect();
        assert_eq!(reported[0], ["kubernetes.pdb.enabled"]);
        assert_eq!(reported[1], ["kubernetes.pdb.min_available"]);
        assert_eq!(reported[2], ["kubernetes.pdb.min_available"]);
    }
}
