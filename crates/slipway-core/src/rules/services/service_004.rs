#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

pub struct DistinctLocalPorts;

impl Rule for DistinctLocalPorts {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-004",
        name: "distinct-local-ports",
        severity: Severity::Medium,
        area: Area::Services,
        title: "Services listen on different ports",
        what: "No two services of the design listen on the same container port.",
        why: "`compose.yaml` publishes each service on its own port of the developer's machine \
              (`127.0.0.1:8000:8000`): two services on one port make `docker compose up` fail \
              with \"port is already allocated\". Distinct ports also keep logs, dashboards and \
              runbooks unambiguous about which service a port belongs to.",
        incorrect: "services:\n  - name: api\n    container: {port: 8000}\n  - name: admin\n    container: {port: 8000}",
        correct: "services:\n  - name: api\n    container: {port: 8000}\n  - name: admin\n    container: {port: 8001}",
        fix: "Change one service's port (its probes, health check and start command follow the \
              container port in the form).",
        source: "Docker Compose › ports (a host port is published once); Multi-Service Setup on \
                 Railway › Private Networking (each service on its own port)",
        equivalents: &["docker compose up (port is already allocated)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let port = service.container.port;
        let services = &context.design.services;
        let earlier = services[..context.index.min(services.len())]
            .iter()
            .find(|other| other.container.port == port);
        match earlier {
            Some(other) => vec![Violation::new(
                "container.port",
                format!(
                    "`{}` and `{}` both listen on port {port}: compose cannot publish both on \
                     the developer's machine.",
                    other.name, service.name
                ),
            )],
            None => Vec::new(),
        }
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_worker(|worker| worker.container.port = 3000)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_distinct_ports() {
        let design = super::super::with_worker(|worker| worker.container.port = 3001);
        assert!(DistinctLocalPorts
            .check(&Context::for_service(&design, 1))
            .is_empty());
    }

    #[test]
    fn fails_the_later_service_on_a_taken_port() {
        let design = DistinctLocalPorts::failing_examples().remove(0);
        assert!(DistinctLocalPorts.check(&Context::new(&design)).is_empty());
        assert_eq!(
            DistinctLocalPorts
                .check(&Context::for_service(&design, 1))
                .len(),
            1
        );
    }
}
