use crate::model::{Design, Probes};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::probes::probe_gaps;
use crate::facts::workload::web_workload;

pub struct LivenessProbe;

impl Rule for LivenessProbe {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-006",
        name: "liveness-probe",
        severity: Severity::High,
        area: Area::K8s,
        title: "A liveness probe restarts a hung container",
        what: "A web service's container has an enabled HTTP liveness probe (default \
               `/health/liveness`) with `failureThreshold` of at least 3.",
        why: "A deadlocked process is still a running process: without a liveness probe \
              Kubernetes keeps it forever and its share of traffic fails. A threshold below 3 \
              restarts pods on a single slow response, which under load turns a hiccup into an \
              outage.",
        incorrect: "livenessProbe:\n  httpGet: {path: /health/liveness, port: 3000}\n  failureThreshold: 1",
        correct: "livenessProbe:\n  httpGet: {path: /health/liveness, port: 3000}\n  periodSeconds: 10\n  failureThreshold: 3",
        fix: "Enables the liveness probe with the default path and a failure threshold of at \
              least 3.",
        source: "000 · Kubernetes Basics › Health Probes; Key Decisions; 004 · Kubernetes \
                 Orchestration › Deployment Manifest; DevOps Checklist (\"liveness + readiness \
                 probes\")",
        equivalents: &["checkov CKV_K8S_8", "kube-linter no-liveness-probe"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = web_workload(context.service()) else {
            return Vec::new();
        };
        let probe = &k8s.probes.liveness;
        let gaps = probe_gaps(probe);
        if !gaps.is_empty() {
            let field = if probe.enabled {
                "kubernetes.probes.liveness.path"
            } else {
                "kubernetes.probes.liveness.enabled"
            };
            return vec![Violation::new(
                field,
                format!("The liveness probe {}.", gaps.join(", ")),
            )];
        }
        if probe.failure_threshold < 3 {
            return vec![Violation::new(
                "kubernetes.probes.liveness.failure_threshold",
                format!(
                    "The liveness probe restarts the container after {} failure(s); use at least 3.",
                    probe.failure_threshold
                ),
            )];
        }
        Vec::new()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a liveness probe",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let off = super::with_k8s(|k8s| k8s.probes.liveness.enabled = false);
        let twitchy = super::with_k8s(|k8s| k8s.probes.liveness.failure_threshold = 1);
        vec![off, twitchy]
    }
}

fn apply(design: &mut Design, index: usize) {
    let default = Probes::default().liveness;
    let probe = &mut design.services[index].kubernetes.probes.liveness;
    probe.enabled = true;
    if probe.path.trim().is_empty() {
        probe.path = default.path;
    }
    if probe.period_seconds == 0 {
        probe.period_seconds = default.period_seconds;
    }
    probe.failure_threshold = probe.failure_threshold.max(3);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&LivenessProbe, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_probe_or_with_a_low_threshold() {
        let reported: Vec<Vec<String>> = LivenessProbe::failing_examples()
            .iter()
            .map(|design| fields(&LivenessProbe, design))
            .collect();
        assert_eq!(reported[0], ["kubernetes.probes.liveness.enabled"]);
        assert_eq!(
            reported[1],
            ["kubernetes.probes.liveness.failure_threshold"]
        );
    }
}
