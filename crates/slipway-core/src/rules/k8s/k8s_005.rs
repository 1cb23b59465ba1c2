use crate::model::{Design, Probe, Probes};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::probes::probe_gaps;
use crate::facts::workload::web_workload;

pub struct StartupProbe;

/// The start-up budget the documents give: 30 attempts, 5 seconds apart.
const BUDGET_SECONDS: u32 = 150;

fn budget(probe: &Probe) -> u32 {
    probe.period_seconds.saturating_mul(probe.failure_threshold)
}

impl Rule for StartupProbe {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-005",
        name: "startup-probe",
        severity: Severity::High,
        area: Area::K8s,
        title: "A startup probe gives the app time to boot",
        what: "A web service's container has an enabled HTTP startup probe (default \
               `/health/startup`), and `failureThreshold × periodSeconds` covers the expected \
               maximum start time: the documented 30 × 5 s = 150 s.",
        why: "Liveness and readiness only start once the startup probe succeeds. Without it a \
              slow start (migrations, cache warm-up, a JVM) is mistaken for a hang, the liveness \
              probe kills the pod, and it crash-loops without ever becoming ready.",
        incorrect: "livenessProbe:\n  initialDelaySeconds: 60   # a guess at the start time",
        correct: "startupProbe:\n  httpGet: {path: /health/startup, port: 3000}\n  periodSeconds: 5\n  failureThreshold: 30",
        fix: "Enables the startup probe with the default path and raises its failure threshold to \
              a 150-second budget.",
        source: "000 · Kubernetes Basics › Health Probes; Key Decisions (\"separate \
                 startup/liveness/readiness\"); contradiction A7",
        equivalents: &["kube-score container-probes (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = web_workload(context.service()) else {
            return Vec::new();
        };
        let probe = &k8s.probes.startup;
        let gaps = probe_gaps(probe);
        if !gaps.is_empty() {
            let field = if probe.enabled && probe.path.trim().is_empty() {
                "kubernetes.probes.startup.path"
            } else if probe.enabled {
                "kubernetes.probes.startup.failure_threshold"
            } else {
                "kubernetes.probes.startup.enabled"
            };
            return vec![Violation::new(
                field,
                format!("The startup probe {}.", gaps.join(", ")),
            )];
        }
        if budget(probe) < BUDGET_SECONDS {
            return vec![Violation::new(
                "kubernetes.probes.startup.failure_threshold",
                format!(
                    "The startup probe gives up after {} s ({} × {} s); the expected start budget is {BUDGET_SECONDS} s.",
                    budget(probe),
                    probe.failure_threshold,
                    probe.period_seconds
                ),
            )];
        }
        Vec::new()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a startup probe",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let off = super::with_k8s(|k8s| k8s.probes.startup.enabled = false);
        let short = super::with_k8s(|k8s| k8s.probes.startup.failure_threshold = 3);
        vec![off, short]
    }
}

fn apply(design: &mut Design, index: usize) {
    let default = Probes::default().startup;
    let probe = &mut design.services[index].kubernetes.probes.startup;
    probe.enabled = true;
    if probe.path.trim().is_empty() {
        probe.path = default.path;
    }
    if probe.period_seconds == 0 {
        probe.period_seconds = default.period_seconds;
    }
    let needed = BUDGET_SECONDS.div_ceil(probe.period_seconds);
    probe.failure_threshold = probe.failure_threshold.max(needed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_by_default_and_for_workers() {
        assert!(fields(&StartupProbe, &Design::default()).is_empty());
        let mut worker = preset("worker-cron");
        worker.services[0].kubernetes.enabled = true;
        worker.services[0].kubernetes.probes.startup.enabled = false;
        assert!(fields(&StartupProbe, &worker).is_empty());
    }

    #[test]
    fn fails_without_a_probe_or_with_a_short_budget() {
        let reported: Vec<Vec<String>> = StartupProbe::failing_examples()
            .iter()
            .map(|design| fields(&StartupProbe, design))
            .collect();
        assert_eq!(reported[0], ["kubernetes.probes.startup.enabled"]);
        assert_eq!(reported[1], ["kubernetes.probes.startup.failure_threshold"]);
    }
}
