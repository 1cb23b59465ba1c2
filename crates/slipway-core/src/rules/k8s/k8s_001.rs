use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::workload;

pub struct RunAsNonRoot;

impl Rule for RunAsNonRoot {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-001",
        name: "run-as-non-root",
        severity: Severity::Critical,
        area: Area::K8s,
        title: "Pods refuse to run as root",
        what: "The pod security context sets `runAsNonRoot: true`, so the kubelet refuses to \
               start the container as uid 0 whatever the image says.",
        why: "The image's USER is a promise; `runAsNonRoot` is the enforcement. If an image is \
              rebuilt without its USER line, or someone pulls a different tag, the cluster stops \
              it instead of running it as root with root's reach into the node's kernel.",
        incorrect: "securityContext:\n  runAsNonRoot: false",
        correct: "securityContext:\n  runAsNonRoot: true\n  runAsUser: 1001",
        fix: "Sets `runAsNonRoot: true` (and a non-zero `runAsUser`, the image's uid or 1001, so \
              the kubelet can verify it).",
        source: "000 · Key Concepts › Kubernetes Deployment › Security context; Kubernetes Basics \
                 › Security Context; Docker: Layer Security",
        equivalents: &["checkov CKV_K8S_23", "kube-linter run-as-non-root"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        match workload(context.service()) {
            Some(k8s) if !k8s.security_context.run_as_non_root => vec![Violation::new(
                "kubernetes.security_context.run_as_non_root",
                "Pods may run as root: `runAsNonRoot` is off.",
            )],
            _ => Vec::new(),
        }
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Refuse to run as root",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_k8s(|k8s| {
            k8s.security_context.run_as_non_root = false;
            k8s.security_context.run_as_user = 0;
        })]
    }
}

fn apply(design: &mut Design, index: usize) {
    let uid = match design.services[index].container.user.uid {
        0 => 1001,
        uid => uid,
    };
    let context = &mut design.services[index].kubernetes.security_context;
    context.run_as_non_root = true;
    if context.run_as_user == 0 {
        context.run_as_user = uid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_without_kubernetes() {
        assert!(fields(&RunAsNonRoot, &Design::default()).is_empty());
        let mut railway_only = RunAsNonRoot::failing_examples().remove(0);
        railway_only.services[0].kubernetes.enabled = false;
        assert!(fields(&RunAsNonRoot, &railway_only).is_empty());
    }

    #[test]
    fn fails_when_root_is_allowed() {
        assert_eq!(
            fields(&RunAsNonRoot, &RunAsNonRoot::failing_examples()[0]),
            ["kubernetes.security_context.run_as_non_root"]
        );
    }
}
