use crate::facts::quantity::quantity;
use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct HpaNeedsRequests;

fn cpu_request(service: &Service) -> Option<f64> {
    quantity(&service.kubernetes.resources.requests_cpu).filter(|cores| *cores > 0.0)
}

impl Rule for HpaNeedsRequests {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-004",
        name: "hpa-needs-requests",
        severity: Severity::High,
        area: Area::Validity,
        title: "The CPU autoscaler has a CPU request to measure against",
        what: "When the HPA scales on CPU utilisation, the container sets a positive \
               `requests.cpu`.",
        why: "Utilisation is usage divided by the request. Without a request the HPA reports \
              `<unknown>` targets, logs `missing request for cpu` and never scales.",
        incorrect: "resources:\n  limits: {cpu: 200m}\n---\nmetrics:\n  - resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}",
        correct: "resources:\n  requests: {cpu: 100m}\n  limits: {cpu: 200m}",
        fix: "Sets `requests.cpu` to 100m (or to the CPU limit when that is lower).",
        source: "Not in the documents; Kubernetes HorizontalPodAutoscaler \
                 resource metrics",
        equivalents: &["kube-score container-resources"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let k8s = &context.service().kubernetes;
        if !k8s.enabled || !k8s.hpa.enabled || cpu_request(context.service()).is_some() {
            return Vec::new();
        }
        vec![Violation::new(
            "kubernetes.resources.requests_cpu",
            format!(
                "The HPA scales on CPU utilisation but `requests.cpu` is `{}`: it cannot compute \
                 utilisation and will never scale.",
                k8s.resources.requests_cpu
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Set a CPU request",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut missing = Design::default();
        missing.services[0].kubernetes.resources.requests_cpu = String::new();
        let mut zero = Design::default();
        zero.services[0].kubernetes.resources.requests_cpu = "0".into();
        vec![missing, zero]
    }
}

fn apply(design: &mut Design, index: usize) {
    if cpu_request(&design.services[index]).is_some() {
        return;
    }
    let resources = &mut design.services[index].kubernetes.resources;
    resources.requests_cpu = match quantity(&resources.limits_cpu) {
        Some(limit) if limit > 0.0 && limit < 0.1 => resources.limits_cpu.clone(),
        _ => "100m".to_owned(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_a_request_or_without_hpa() {
        assert!(fields(&HpaNeedsRequests, &Design::default()).is_empty());
        let mut fixed_replicas = HpaNeedsRequests::failing_examples().remove(0);
        fixed_replicas.services[0].kubernetes.hpa.enabled = false;
        assert!(fields(&HpaNeedsRequests, &fixed_replicas).is_empty());
    }

    #[test]
    fn fails_without_a_cpu_request() {
        for design in HpaNeedsRequests::failing_examples() {
            assert_eq!(
                fields(&HpaNeedsRequests, &design),
                ["kubernetes.resources.requests_cpu"]
            );
        }
    }
}
