use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::workload;

pub struct DropAllCapabilities;

fn drops_all(service: &Service) -> bool {
    service
        .kubernetes
        .security_context
        .drop_capabilities
        .iter()
        .any(|capability| capability.trim().eq_ignore_ascii_case("ALL"))
}

impl Rule for DropAllCapabilities {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-004",
        name: "drop-all-capabilities",
        severity: Severity::High,
        area: Area::K8s,
        title: "Containers drop every Linux capability",
        what: "Every container's `securityContext.capabilities.drop` contains `ALL` (the design \
               adds no capabilities back).",
        why: "Container runtimes grant a default set of capabilities (raw sockets, changing file \
              ownership, binding low ports...). A web service needs none of them, and each one is \
              a tool an attacker can use after a breach.",
        incorrect: "securityContext:\n  capabilities: {}",
        correct: "securityContext:\n  capabilities:\n    drop: [ALL]",
        fix: "Adds `ALL` to the dropped capabilities.",
        source: "000 · Key Concepts › Security context (\"Drop all capabilities\"); Kubernetes \
                 Basics › Security Context",
        equivalents: &[
            "checkov CKV_K8S_28",
            "checkov CKV_K8S_37",
            "kube-linter drop-net-raw-capability",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if workload(context.service()).is_none() || drops_all(context.service()) {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.security_context.drop_capabilities",
            "The container keeps the runtime's default Linux capabilities: `drop` does not contain `ALL`.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Drop all capabilities",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_k8s(|k8s| {
            k8s.security_context.drop_capabilities = vec!["NET_RAW".into()]
        })]
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    if !drops_all(service) {
        service
            .kubernetes
            .security_context
            .drop_capabilities
            .push("ALL".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&DropAllCapabilities, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_drop_all() {
        assert_eq!(
            fields(
                &DropAllCapabilities,
                &DropAllCapabilities::failing_examples()[0]
            ),
            ["kubernetes.security_context.drop_capabilities"]
        );
    }
}
