use crate::model::{Design, Resources};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::quantity::quantity;
use crate::facts::workload::workload;

pub struct ResourcesRequestsAndLimits;

/// (field name, value) of the four settings.
fn settings(resources: &Resources) -> [(&'static str, &str); 4] {
    [
        ("requests_cpu", &resources.requests_cpu),
        ("requests_memory", &resources.requests_memory),
        ("limits_cpu", &resources.limits_cpu),
        ("limits_memory", &resources.limits_memory),
    ]
}

fn usable(value: &str) -> bool {
    quantity(value).is_some_and(|amount| amount > 0.0)
}

impl Rule for ResourcesRequestsAndLimits {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-009",
        name: "resources-requests-and-limits",
        severity: Severity::High,
        area: Area::K8s,
        title: "The container sets CPU and memory requests and limits",
        what: "`requests.cpu`, `requests.memory`, `limits.cpu` and `limits.memory` are all set to \
               quantities Kubernetes accepts (`100m`, `0.5`, `128Mi`, `1Gi`).",
        why: "Requests are what the scheduler reserves: without them pods are packed onto nodes \
              that cannot run them and the HPA cannot compute utilisation. Limits cap the damage \
              one pod can do: a memory leak is OOM-killed instead of starving its neighbours.",
        incorrect: "resources: {}",
        correct:
            "resources:\n  requests: {cpu: 100m, memory: 128Mi}\n  limits: {cpu: 200m, memory: 256Mi}",
        fix: "Fills in missing or unreadable values with the documented defaults (100m/128Mi \
              requested, 200m/256Mi limit).",
        source: "000 · Kubernetes Basics › Resource Management (\"Always set requests and \
                 limits\"); Production Readiness Checklist › Infrastructure (\"Resource limits \
                 set\"); 004 · Kubernetes Orchestration › Deployment Manifest; contradiction A8",
        equivalents: &[
            "checkov CKV_K8S_10",
            "checkov CKV_K8S_11",
            "checkov CKV_K8S_12",
            "checkov CKV_K8S_13",
            "kube-linter unset-cpu-requirements",
            "kube-linter unset-memory-requirements",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = workload(context.service()) else {
            return Vec::new();
        };
        settings(&k8s.resources)
            .into_iter()
            .filter(|(_, value)| !usable(value))
            .map(|(name, value)| {
                let label = name.replace('_', ".");
                let message = if value.trim().is_empty() {
                    format!("`{label}` is not set.")
                } else {
                    format!("`{label}` is `{value}`, which is not a positive Kubernetes quantity.")
                };
                Violation::new(format!("kubernetes.resources.{name}"), message)
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Set requests and limits",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let missing = super::with_k8s(|k8s| {
            k8s.resources.limits_cpu.clear();
            k8s.resources.limits_memory.clear();
        });
        let unreadable = super::with_k8s(|k8s| k8s.resources.requests_memory = "128MB".into());
        vec![missing, unreadable]
    }
}

fn apply(design: &mut Design, index: usize) {
    let defaults = Resources::default();
    let resources = &mut design.services[index].kubernetes.resources;
    for (value, default) in [
        (&mut resources.requests_cpu, defaults.requests_cpu),
        (&mut resources.requests_memory, defaults.requests_memory),
        (&mut resources.limits_cpu, defaults.limits_cpu),
        (&mut resources.limits_memory, defaults.limits_memory),
    ] {
        if !usable(value) {
            *value = default;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_defaults() {
        assert!(fields(&ResourcesRequestsAndLimits, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_missing_or_unreadable_values() {
        let reported: Vec<Vec<String>> = ResourcesRequestsAndLimits::failing_examples()
            .iter()
            .map(|design| fields(&ResourcesRequestsAndLimits, design))
            .collect();
        assert_eq!(
            reported[0],
            [
                "kubernetes.resources.limits_cpu",
                "kubernetes.resources.limits_memory"
            ]
        );
        assert_eq!(reported[1], ["kubernetes.resources.requests_memory"]);
    }
}
