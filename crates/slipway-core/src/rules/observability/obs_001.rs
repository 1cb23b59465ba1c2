use crate::model::{Design, Scrape};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct PrometheusMetricsEndpoint;

fn problems(design: &Design) -> Vec<(&'static str, &'static str)> {
    if !super::web::any_web(design) {
        return Vec::new();
    }
    let metrics = &design.observability.metrics;
    if !metrics.enabled {
        return vec![(
            "observability.metrics.enabled",
            "The service exports no Prometheus metrics.",
        )];
    }
    let mut found = Vec::new();
    if !metrics.path.trim().starts_with('/') {
        found.push((
            "observability.metrics.path",
            "The metrics path is not an absolute path.",
        ));
    }
    let web_on_kubernetes = design
        .services
        .iter()
        .any(|service| service.kind.is_web() && service.kubernetes.enabled);
    if web_on_kubernetes && metrics.scrape == Scrape::None {
        found.push((
            "observability.metrics.scrape",
            "Nothing tells Prometheus to scrape the pods.",
        ));
    }
    found
}

impl Rule for PrometheusMetricsEndpoint {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-001",
        name: "prometheus-metrics-endpoint",
        severity: Severity::Medium,
        area: Area::Observability,
        title: "The service exposes Prometheus metrics, and Kubernetes scrapes them",
        what: "Web services expose `/metrics` (Prometheus text format) on the service's port, an \
               absolute path; on Kubernetes a ServiceMonitor or scrape annotations make \
               Prometheus collect it.",
        why: "Without metrics, every alert, dashboard and canary analysis has nothing to read: \
              an outage is noticed by users first. An endpoint nobody scrapes is the same as \
              none.",
        incorrect: "metrics: {enabled: false}",
        correct: "metrics: {enabled: true, path: /metrics, scrape: service-monitor}",
        fix: "Enables `/metrics` and a ServiceMonitor.",
        source: "000 · Observability & Monitoring › Prometheus Metrics Exposition; Production \
                 Readiness Checklist › Observability (\"Metrics exported (Prometheus format)\"); \
                 004 · Monitoring & Observability › Three Pillars (Metrics); DevOps Checklist",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.design)
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Export and scrape /metrics",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_observability(|observability| observability.metrics.enabled = false),
            super::with_observability(|observability| {
                observability.metrics.path = "metrics".into();
                observability.metrics.scrape = Scrape::None;
            }),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let metrics = &mut design.observability.metrics;
    metrics.enabled = true;
    if !metrics.path.trim().starts_with('/') {
        metrics.path = "/metrics".to_owned();
    }
    if metrics.scrape == Scrape::None {
        metrics.scrape = Scrape::ServiceMonitor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_by_default_and_for_workers() {
        assert!(fields(&PrometheusMetricsEndpoint, &Design::default()).is_empty());
        let mut worker = preset("worker-cron");
        worker.observability.metrics.enabled = false;
        assert!(fields(&PrometheusMetricsEndpoint, &worker).is_empty());
    }

    #[test]
    fn fails_without_an_endpoint_or_scraping() {
        assert_eq!(
            fields(
                &PrometheusMetricsEndpoint,
                &PrometheusMetricsEndpoint::failing_examples()[0]
            ),
            ["observability.metrics.enabled"]
        );
        assert_eq!(
            fields(
                &PrometheusMetricsEndpoint,
                &PrometheusMetricsEndpoint::failing_examples()[1]
            ),
            ["observability.metrics.path", "observability.metrics.scrape"]
        );
    }
}
