use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::workload;

pub struct NoPrivilegeEscalation;

impl Rule for NoPrivilegeEscalation {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-002",
        name: "no-privilege-escalation",
        severity: Severity::High,
        area: Area::K8s,
        title: "Containers cannot gain more privileges than they start with",
        what: "Every container sets `allowPrivilegeEscalation: false` in its own security context \
               (the field exists only at container level, VALID-001).",
        why: "With escalation allowed, a setuid binary or a kernel bug can turn the app's \
              unprivileged user into root inside the container. Turning it off sets the kernel's \
              `no_new_privs` flag, which closes that path for good.",
        incorrect: "containers:\n  - name: app\n    securityContext: {}",
        correct:
            "containers:\n  - name: app\n    securityContext:\n      allowPrivilegeEscalation: false",
        fix: "Sets `allowPrivilegeEscalation: false`.",
        source: "000 · Key Concepts › Security context; Kubernetes Basics › Security Context",
        equivalents: &[
            "checkov CKV_K8S_20",
            "kube-linter privilege-escalation-container",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        match workload(context.service()) {
            Some(k8s) if k8s.security_context.allow_privilege_escalation => vec![Violation::new(
                "kubernetes.security_context.allow_privilege_escalation",
                "The container may gain privileges (setuid binaries, `no_new_privs` off).",
            )],
            _ => Vec::new(),
        }
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Forbid privilege escalation",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_k8s(|k8s| {
            k8s.security_context.allow_privilege_escalation = true
        })]
    }
}

fn apply(design: &mut Design, index: usize) {
    design.services[index]
        .kubernetes
        .security_context
        .allow_privilege_escalation = false;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&NoPrivilegeEscalation, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_escalation_is_allowed() {
        assert_eq!(
            fields(
                &NoPrivilegeEscalation,
                &NoPrivilegeEscalation::failing_examples()[0]
            ),
            ["kubernetes.security_context.allow_privilege_escalation"]
        );
    }
}
