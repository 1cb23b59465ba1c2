#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

pub struct DistinctIngressRoutes;

/// The public host and path prefix a service's Ingress routes, when it has one. Hosts
/// compare without case; paths without a trailing slash (`/api/` routes as `/api`).
fn ingress_route(service: &crate::model::Service) -> Option<(String, String)> {
    let ingress = &service.kubernetes.ingress;
    let host = ingress.host.trim().to_ascii_lowercase();
    let path = format!("/{}", ingress.path.trim().trim_matches('/'));
    (service.kind.is_web() && service.kubernetes.enabled && ingress.enabled && !host.is_empty())
        .then_some((host, path))
}

impl Rule for DistinctIngressRoutes {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-003",
        name: "distinct-ingress-routes",
        severity: Severity::High,
        area: Area::Services,
        title: "Two services never claim the same public host and path",
        what: "No two services with a Kubernetes Ingress route the same host and path prefix \
               (`kubernetes.ingress.host` and `.path`): each chart's Ingress sends its prefix \
               of its host to its own service. Services may share a host under different \
               prefixes (`/` for the web front end, `/api` for the API).",
        why: "Two Ingresses that claim the same host and path are a conflict the ingress \
              controller settles on its own (ingress-nginx merges them and the older rule \
              wins): one service silently receives the other's traffic, and which one can \
              change with a redeploy.",
        incorrect: "services:\n  - name: web\n    kubernetes: {ingress: {host: shop.example.com}}\n  - name: api\n    kubernetes: {ingress: {host: shop.example.com}}",
        correct: "services:\n  - name: web\n    kubernetes: {ingress: {host: shop.example.com}}\n  - name: api\n    kubernetes: {ingress: {host: shop.example.com, path: /api}}",
        fix: "Give each public service its own host (e.g. `api.` in front of the shared one) or \
              its own path prefix, or turn off the Ingress of a service that browsers do not \
              call directly.",
        source: "Kubernetes › Ingress (rules match by host, then path); ingress-nginx › Ingress \
                 path matching (conflicting rules are merged, the oldest wins)",
        equivalents: &["kube-linter (duplicate ingress host)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(route) = ingress_route(context.service()) else {
            return Vec::new();
        };
        let earlier = context.design.services[..context.index.min(context.design.services.len())]
            .iter()
            .find(|other| ingress_route(other).as_ref() == Some(&route));
        let (host, path) = route;
        match earlier {
            Some(other) => vec![Violation::new(
                "kubernetes.ingress.host",
                format!(
                    "`{}` and `{}` both route `{host}{path}`: the ingress controller \
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
    fn passes_two_services_under_different_prefixes_of_one_host() {
        let mut design = DistinctIngressRoutes::failing_examples().remove(0);
        design.services[1].kubernetes.ingress.path = "/api/".to_owned();
        assert_eq!(reported(&design), 0);
        design.services[0].kubernetes.ingress.path = "api".to_owned();
        assert_eq!(reported(&design), 1);
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
