use crate::model::{Design, RouteLabel};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct HttpRedMetrics;

fn problem(design: &Design) -> Option<(&'static str, &'static str)> {
    let metrics = &design.observability.metrics;
    if !super::web::any_web(design) || !metrics.enabled {
        return None;
    }
    if !metrics.http_red_metrics {
        return Some((
            "observability.metrics.http_red_metrics",
            "No HTTP request counter or duration histogram.",
        ));
    }
    (metrics.route_label == RouteLabel::RawPath).then_some((
        "observability.metrics.route_label",
        "The `route` label holds raw paths: one time series per id, unbounded.",
    ))
}

impl Rule for HttpRedMetrics {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-002",
        name: "http-red-metrics",
        severity: Severity::Low,
        area: Area::Observability,
        title: "HTTP rate, errors and duration are measured per route template",
        what: "Web services export `http_requests_total{method, route, status}` and \
               `http_request_duration_seconds{method, route}` (buckets 0.1, 0.5, 1, 2, 5 s), and \
               `route` holds the route template (`/orders/:id`), not the raw path.",
        why: "These two series feed the error-rate and latency alerts (OBS-003, OBS-004) and the \
              dashboard. A raw path label (`/orders/42`) creates one time series per id: \
              Prometheus memory grows without bound until it falls over (A16).",
        incorrect: "http_requests_total{path=\"/orders/42\"}",
        correct: "http_requests_total{method=\"GET\", route=\"/orders/:id\", status=\"200\"}",
        fix: "Turns the HTTP metrics on with the route-template label.",
        source: "000 · Observability & Monitoring › Prometheus Metrics Exposition; 004 · \
                 Monitoring & Observability › Metrics; A16",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        problem(context.design)
            .map(|(field, message)| Violation::new(field, message))
            .into_iter()
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Measure requests per route",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_observability(|o| o.metrics.http_red_metrics = false),
            super::with_observability(|o| o.metrics.route_label = RouteLabel::RawPath),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let metrics = &mut design.observability.metrics;
    metrics.http_red_metrics = true;
    metrics.route_label = RouteLabel::Template;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&HttpRedMetrics, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_metrics_or_with_raw_paths() {
        assert_eq!(
            fields(&HttpRedMetrics, &HttpRedMetrics::failing_examples()[0]),
            ["observability.metrics.http_red_metrics"]
        );
        assert_eq!(
            fields(&HttpRedMetrics, &HttpRedMetrics::failing_examples()[1]),
            ["observability.metrics.route_label"]
        );
    }
}
