use crate::model::{Design, Probes};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::probes::probe_gaps;
use crate::facts::workload::web_workload;

pub struct ReadinessProbe;

impl Rule for ReadinessProbe {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-007",
        name: "readiness-probe",
        severity: Severity::High,
        area: Area::K8s,
        title: "A readiness probe keeps traffic away from pods that cannot serve",
        what: "A web service's container has an enabled HTTP readiness probe (default \
               `/health/readiness`).",
        why: "Without readiness, a pod receives traffic the moment its process starts, before it \
              has connected to the database, and keeps receiving it while a dependency is down. \
              Rolling updates also rely on readiness to know when a new pod can replace an old \
              one.",
        incorrect: "containers:\n  - name: app\n    # no readinessProbe",
        correct: "readinessProbe:\n  httpGet: {path: /health/readiness, port: 3000}\n  periodSeconds: 5\n  failureThreshold: 2",
        fix: "Enables the readiness probe with the default path and timings.",
        source: "000 · Kubernetes Basics › Health Probes; Production Readiness Checklist › \
                 Infrastructure (\"Health checks defined\"); 004 · Kubernetes Orchestration › \
                 Deployment Manifest",
        equivalents: &["checkov CKV_K8S_9", "kube-linter no-readiness-probe"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = web_workload(context.service()) else {
            return Vec::new();
        };
        let probe = &k8s.probes.readiness;
        let gaps = probe_gaps(probe);
        if gaps.is_empty() {
            return Vec::new();
        }
        let field = if probe.enabled {
            "kubernetes.probes.readiness.path"
        } else {
            "kubernetes.probes.readiness.enabled"
        };
        vec![Violation::new(
            field,
            format!("The readiness probe {}.", gaps.join(", ")),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a readiness probe",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let off = super::with_k8s(|k8s| k8s.probes.readiness.enabled = false);
        let pathless = super::with_k8s(|k8s| k8s.probes.readiness.path.clear());
        vec![off, pathless]
    }
}

fn apply(design: &mut Design, index: usize) {
    let default = Probes::default().readiness;
    let probe = &mut design.services[index].kubernetes.probes.readiness;
    probe.enabled = true;
    if probe.path.trim().is_empty() {
        probe.path = default.path;
    }
    if probe.period_seconds == 0 {
        probe.period_seconds = default.period_seconds;
    }
    if probe.failure_threshold == 0 {
        probe.failure_threshold = default.failure_threshold;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&ReadinessProbe, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_usable_probe() {
        let reported: Vec<Vec<String>> = ReadinessProbe::failing_examples()
            .iter()
            .map(|design| fields(&ReadinessProbe, design))
            .collect();
        assert_eq!(reported[0], ["kubernetes.probes.readiness.enabled"]);
        assert_eq!(reported[1], ["kubernetes.probes.readiness.path"]);
    }
}
