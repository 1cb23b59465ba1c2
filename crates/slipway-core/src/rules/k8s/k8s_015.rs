#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::quantity::quantity;
use crate::facts::workload::{peak_pods, workload};

pub struct NamespaceResourceQuota;

/// The production namespace quota (docs/defaults.md#kubernetes).
pub(crate) const QUOTA: [(&str, &str, f64); 4] = [
    ("requests_cpu", "requests.cpu", 10.0),
    (
        "requests_memory",
        "requests.memory",
        20.0 * 1024.0 * 1024.0 * 1024.0,
    ),
    ("limits_cpu", "limits.cpu", 20.0),
    (
        "limits_memory",
        "limits.memory",
        40.0 * 1024.0 * 1024.0 * 1024.0,
    ),
];

pub(crate) const QUOTA_PODS: u32 = 50;

fn shown(name: &str, amount: f64) -> String {
    if name.ends_with("memory") {
        format!("{:.1}Gi", amount / (1024.0 * 1024.0 * 1024.0))
    } else {
        format!("{amount:.1} cores")
    }
}

impl Rule for NamespaceResourceQuota {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-015",
        name: "namespace-resource-quota",
        severity: Severity::Low,
        area: Area::K8s,
        title: "Production's worst case fits the namespace quota",
        what: "At its peak (the HPA maximum, plus the rolling surge, or doubled during a \
               blue-green switch or a canary at full weight) production's pods, CPU and memory, \
               requested and limited, fit the documented production ResourceQuota: \
               `requests.cpu 10`, `requests.memory 20Gi`, `limits.cpu 20`, `limits.memory 40Gi`, \
               `pods 50`.",
        why:
            "A quota protects the cluster from one runaway service, but a quota the service's own \
              scale-out or rollout exceeds blocks new pods exactly when they are needed: the HPA \
              asks for more replicas, or a deploy creates the new version, and the API refuses.",
        incorrect:
            "hpa: {max_replicas: 40}\nresources: {limits_memory: 2Gi}\n# 40 × 2Gi = 80Gi > 40Gi",
        correct:
            "hpa: {max_replicas: 10}\nresources: {limits_memory: 2Gi}\n# 10 × 2Gi + surge = 26Gi",
        fix: "Manual: lower the maximum replicas or the per-pod resources, or raise the \
              production namespace quota to match the design.",
        source: "000 · Kubernetes Basics › Resource Quotas; docs/defaults.md#kubernetes \
                 (ResourceQuota defaults)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let design = context.design;
        let Some(k8s) = workload(service) else {
            return Vec::new();
        };
        let pods = peak_pods(design, service);
        let mut violations = Vec::new();
        if pods > QUOTA_PODS {
            violations.push(Violation::new(
                "kubernetes.hpa.max_replicas",
                format!(
                    "Production peaks at {pods} pods; the namespace quota allows {QUOTA_PODS}."
                ),
            ));
        }
        let resources = &k8s.resources;
        let values = [
            &resources.requests_cpu,
            &resources.requests_memory,
            &resources.limits_cpu,
            &resources.limits_memory,
        ];
        for ((name, label, limit), value) in QUOTA.into_iter().zip(values) {
            let Some(per_pod) = quantity(value) else {
                continue;
            };
            let total = per_pod * f64::from(pods);
            if total > limit {
                violations.push(Violation::new(
                    format!("kubernetes.resources.{name}"),
                    format!(
                        "At its peak of {pods} pods production needs {} of `{label}`; the quota allows {}.",
                        shown(name, total),
                        shown(name, limit)
                    ),
                ));
            }
        }
        violations
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut large = Design::default();
        large.environments[1].hpa_max_replicas = 30;
        large.services[0].kubernetes.resources.limits_memory = "2Gi".into();
        vec![large]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_the_presets() {
        for id in ["node-api", "java-spring", "rust-service", "go-service"] {
            assert!(
                fields(&NamespaceResourceQuota, &preset(id)).is_empty(),
                "{id}"
            );
        }
    }

    #[test]
    fn fails_when_the_peak_exceeds_the_quota() {
        assert_eq!(
            fields(
                &NamespaceResourceQuota,
                &NamespaceResourceQuota::failing_examples()[0]
            ),
            ["kubernetes.resources.limits_memory"]
        );
    }
}
