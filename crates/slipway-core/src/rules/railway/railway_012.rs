use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct InternalServicesPrivate;

/// Whether a service that serves no HTTP (a worker or cron job) is routed from the internet.
fn exposed_worker(service: &Service) -> bool {
    !service.kind.is_web() && service.kubernetes.enabled && service.kubernetes.ingress.enabled
}

impl Rule for InternalServicesPrivate {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-012",
        name: "internal-services-private",
        severity: Severity::Medium,
        area: Area::Railway,
        title: "Workers are never public",
        what: "A worker or cron service has no public route: no Ingress on Kubernetes, and on \
               Railway no public domain (the exported config gives a worker none). Only web \
               services and static sites are reachable from the internet; data stores are \
               reached over private networking.",
        why: "A worker serves no HTTP, so a public route to it only adds attack surface: an \
              Ingress and a certificate pointing at a port nothing answers on, or worse, at a \
              debug or metrics endpoint that was never meant to be public.",
        incorrect: "services:\n  - name: worker\n    kind: worker\n    kubernetes: {ingress: {enabled: true}}",
        correct: "services:\n  - name: worker\n    kind: worker\n    kubernetes: {ingress: {enabled: false}}",
        fix: "Turns off the worker's Ingress.",
        source: "000 · Multi-Service Setup on Railway › Common Architectures (only web, and api \
                 when browsers call it, are public)",
        equivalents: &["checkov CKV_K8S_* (exposed services)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        if !exposed_worker(service) {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.ingress.enabled",
            format!(
                "`{}` is a worker, yet its chart gets an Ingress: a public route to a service \
                 that serves no HTTP.",
                service.name
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Turn off the worker's Ingress",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        crate::edits::set_service_kind(&mut design.services[0], crate::model::ServiceKind::Worker);
        design.services[0].kubernetes.ingress.enabled = true;
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    if let Some(service) = design.services.get_mut(index) {
        if exposed_worker(service) {
            service.kubernetes.ingress.enabled = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::violations;

    #[test]
    fn passes_a_web_service_with_ingress_and_a_worker_without() {
        assert!(violations(&InternalServicesPrivate, &Design::default()).is_empty());
        let mut worker = Design::default();
        crate::edits::set_service_kind(&mut worker.services[0], crate::model::ServiceKind::Worker);
        assert!(violations(&InternalServicesPrivate, &worker).is_empty());
    }

    #[test]
    fn fails_a_worker_with_ingress() {
        for design in InternalServicesPrivate::failing_examples() {
            assert_eq!(violations(&InternalServicesPrivate, &design).len(), 1);
        }
    }
}
