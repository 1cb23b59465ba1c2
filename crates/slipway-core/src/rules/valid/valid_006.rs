use crate::facts::quantity::quantity;
use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct RequestsNotAboveLimits;

/// (resource, request field, request, limit) pairs where the request exceeds the limit.
fn inverted(service: &Service) -> Vec<(&'static str, &'static str)> {
    let resources = &service.kubernetes.resources;
    [
        ("cpu", &resources.requests_cpu, &resources.limits_cpu),
        ("memory", &resources.requests_memory, &resources.limits_memory),
    ]
    .into_iter()
    .filter(|(_, request, limit)| {
        matches!((quantity(request), quantity(limit)), (Some(r), Some(l)) if r > l)
    })
    .map(|(name, _, _)| {
        (
            name,
            if name == "cpu" {
                "kubernetes.resources.limits_cpu"
            } else {
                "kubernetes.resources.limits_memory"
            },
        )
    })
    .collect()
}

impl Rule for RequestsNotAboveLimits {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-006",
        name: "requests-not-above-limits",
        severity: Severity::Critical,
        area: Area::Validity,
        title: "Requests do not exceed limits",
        what: "For cpu and memory, the request is at most the limit.",
        why: "A request above its limit is invalid: the API server rejects the pod template, so \
              the Deployment never creates a pod.",
        incorrect: "resources:\n  requests: {memory: 512Mi}\n  limits: {memory: 256Mi}",
        correct: "resources:\n  requests: {memory: 512Mi}\n  limits: {memory: 512Mi}",
        fix: "Raises each limit that is below its request to the request.",
        source: "Not in the documents; Kubernetes ResourceRequirements validation",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !context.service().kubernetes.enabled {
            return Vec::new();
        }
        inverted(context.service())
            .into_iter()
            .map(|(name, field)| {
                Violation::new(
                    field,
                    format!("The {name} request is above the {name} limit: the API server rejects the pod."),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Raise limits to the requests",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.services[0].kubernetes.resources.requests_memory = "512Mi".into();
        design.services[0].kubernetes.resources.requests_cpu = "1".into();
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    for (name, _) in inverted(&design.services[index]) {
        let resources = &mut design.services[index].kubernetes.resources;
        if name == "cpu" {
            resources.limits_cpu = resources.requests_cpu.clone();
        } else {
            resources.limits_memory = resources.requests_memory.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&RequestsNotAboveLimits, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_a_request_exceeds_its_limit() {
        assert_eq!(
            fields(
                &RequestsNotAboveLimits,
                &RequestsNotAboveLimits::failing_examples()[0]
            ),
            [
                "kubernetes.resources.limits_cpu",
                "kubernetes.resources.limits_memory"
            ]
        );
    }
}
