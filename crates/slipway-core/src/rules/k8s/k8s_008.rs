use crate::model::{Design, Probes};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::web_workload;

pub struct ProbesDistinctPurpose;

fn normalized(path: &str) -> &str {
    path.trim().trim_end_matches('/')
}

impl Rule for ProbesDistinctPurpose {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-008",
        name: "probes-distinct-purpose",
        severity: Severity::Medium,
        area: Area::K8s,
        title: "Liveness and readiness probe different endpoints",
        what: "The liveness and readiness probes hit different paths (defaults \
               `/health/liveness` and `/health/readiness`): liveness answers \"is the process \
               alive\" with no dependency checks, readiness checks the service's own data stores \
               and returns 503 when one is down.",
        why: "When both probes share an endpoint that checks the database, a database blip fails \
              liveness too and Kubernetes restarts every pod at once, turning a short outage of \
              one dependency into a full one. Readiness should take pods out of rotation; only \
              liveness should restart them.",
        incorrect: "livenessProbe:  {httpGet: {path: /health}}\nreadinessProbe: {httpGet: {path: /health}}",
        correct: "livenessProbe:  {httpGet: {path: /health/liveness}}\nreadinessProbe: {httpGet: {path: /health/readiness}}",
        fix: "Points the probes at the default `/health/liveness` and `/health/readiness` \
              endpoints. Unsafe: custom paths are replaced and the app must serve both.",
        source: "000 · Kubernetes Basics › Health Probes (probe implementation); 004 · Monitoring \
                 & Observability › Health Checks; contradictions A7 and A27",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = web_workload(context.service()) else {
            return Vec::new();
        };
        let probes = &k8s.probes;
        if !probes.liveness.enabled || !probes.readiness.enabled {
            return Vec::new();
        }
        let path = normalized(&probes.liveness.path);
        if path.is_empty() || path != normalized(&probes.readiness.path) {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.probes.readiness.path",
            format!(
                "Liveness and readiness both probe `{path}`, so a dependency outage restarts every pod."
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Split the probe endpoints",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_k8s(|k8s| {
            k8s.probes.liveness.path = "/health".into();
            k8s.probes.readiness.path = "/health/".into();
        })]
    }
}

fn apply(design: &mut Design, index: usize) {
    let defaults = Probes::default();
    let probes = &mut design.services[index].kubernetes.probes;
    if normalized(&probes.liveness.path) == normalized(&probes.readiness.path) {
        probes.liveness.path = defaults.liveness.path;
        probes.readiness.path = defaults.readiness.path;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_default_endpoints() {
        assert!(fields(&ProbesDistinctPurpose, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_both_probes_share_a_path() {
        assert_eq!(
            fields(
                &ProbesDistinctPurpose,
                &ProbesDistinctPurpose::failing_examples()[0]
            ),
            ["kubernetes.probes.readiness.path"]
        );
    }
}
