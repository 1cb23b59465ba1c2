#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

pub struct DistinctIngressRoutes;

/// The public host a service's Ingress routes, when it has one.
fn ingress_host(service: &crate::model::Service) -> Option<String> {
    let ingress = &service.kubernetes.ingress;
    (service.kind.is_web() && service.kubernetes.enabled && ingress.enabled)
        .then(|| ingress.host.trim().to_ascii_lowercase())
        .filter(|host| !host.is_empty())
}

impl Rule for DistinctIngressRoutes {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-003",
        name: "distinct-ingress-routes",
        severity: Severity::High,
        area: Area::Services,
        title: "Two services never claim the same public host",
        what: "No two services with a Kubernetes Ingress route the same host: each chart's \
               Ingress sends every path of its host (`/`) to its own service.",
        why: "Two Ingresses that claim the same host and path are a conflict the ingress \
              controller settles on its own (ingress-nginx merges them and the older rule \
              wins): one service silently receives the other's traffic, and which one can \
              change with a redeploy.",
        incorrect: "services:\n  - name: web\n    kubernetes: {ingress: {host: shop.example.com}}\n  - name: api\n    kubernetes: {ingress: {host: shop.example.com}}",
        correct: "services:\n  - name: web\n    kubernetes: {ingress: {host: shop.example.com}}\n  - name: api\n    kubernetes: {ingress: {host: api.shop.example.com}}",
        fix: "Give each public service its own host (e.g. `api.` in front of the shared one), or \
              turn off the Ingress of a service that browsers do not call directly.",
        source: "Kubernetes › Ingress (rules match by host, then path); ingress-nginx › Ingress \
                 path matching (conflicting rules are merged, the oldest wins)",
        equivalents: &["kube-linter (duplicate ingress host)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(host) = ingress_host(context.service()) else {
            return Vec::new();
        };
        let earlier = context.design.services[..context.index.min(context.design.services.len())]
            .iter()
            .find(|other| ingress_host(other).as_deref() == Some(host.as_str()));
        match earlier {
            Some(other) => vec![Violation::new(
                "kubernetes.ingress.host",
                format!(
                    "`{}` and `{}` both route every path of `{host}`: the ingress controller \
                     sends its traffic to only one of them.",
                    other.name,
                    context.service().name
                ),
            )],
            None => Vec::new(),
        }
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_worker(|worker| {
            crate::edits::set_service_kind(worker, crate::model::ServiceKind::WebService);
            worker.kubernetes.ingress.host = "app.example.com".to_owned();
        })]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(design: &Design) -> usize {
        (0..design.services.len())
            .map(|index| {
                DistinctIngressRoutes
                    .check(&Context::for_service(design, index))
                    .len()
            })
            .sum()
    }

    #[test]
    fn passes_distinct_hosts_and_a_worker_without_ingress() {
        let mut design = super::super::with_worker(|_| {});
        design.services[0].kubernetes.ingress.host = "app.example.com".to_owned();
        assert_eq!(reported(&design), 0);
    }

    #[test]
    fn fails_the_second_service_on_a_host() {
        let mut design = DistinctIngressRoutes::failing_examples().remove(0);
        design.services[0].kubernetes.ingress.host = "APP.example.com".to_owned();
        assert_eq!(reported(&design), 1);
        assert!(DistinctIngressRoutes
            .check(&Context::new(&design))
            .is_empty());
    }
}
