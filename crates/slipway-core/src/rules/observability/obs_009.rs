use crate::model::{Design, Tracing};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct DistributedTracing;

fn valid_endpoint(endpoint: &str) -> bool {
    let endpoint = endpoint.trim();
    ["http://", "https://"].iter().any(|scheme| {
        endpoint
            .strip_prefix(scheme)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
    })
}

impl Rule for DistributedTracing {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-009",
        name: "distributed-tracing",
        severity: Severity::Medium,
        area: Area::Observability,
        title: "OpenTelemetry traces every request to a collector",
        what: "OpenTelemetry instrumentation is on, with an exporter (OTLP, Jaeger or Tempo) and \
               an `http://` or `https://` collector endpoint. The service name defaults to the \
               project name.",
        why: "When a request is slow, metrics say that it is and logs say what one service \
              did; only a trace shows which hop (the database, a downstream API, a lock) took \
              the time.",
        incorrect: "tracing: {enabled: false}",
        correct: "tracing: {enabled: true, exporter: otlp, endpoint: http://otel-collector:4318}",
        fix: "Enables tracing with the OTLP defaults.",
        source: "000 · Observability & Monitoring › Distributed Tracing; Production Readiness \
                 Checklist › Observability; 004 · Three Pillars (Traces); DevOps Checklist",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let tracing = &context.design.observability.tracing;
        if !tracing.enabled {
            return vec![Violation::new(
                "observability.tracing.enabled",
                "Requests are not traced.",
            )];
        }
        if !valid_endpoint(&tracing.endpoint) {
            return vec![Violation::new(
                "observability.tracing.endpoint",
                format!(
                    "`{}` is not an http(s) collector endpoint.",
                    tracing.endpoint
                ),
            )];
        }
        Vec::new()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Trace with OpenTelemetry",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_observability(|o| o.tracing.enabled = false),
            super::with_observability(|o| o.tracing.endpoint = "otel-collector:4318".into()),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let tracing = &mut design.observability.tracing;
    tracing.enabled = true;
    if !valid_endpoint(&tracing.endpoint) {
        tracing.endpoint = Tracing::default().endpoint;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&DistributedTracing, &Design::default()).is_empty());
    }

    #[test]
    fn fails_off_or_without_an_endpoint() {
        assert_eq!(
            fields(
                &DistributedTracing,
                &DistributedTracing::failing_examples()[0]
            ),
            ["observability.tracing.enabled"]
        );
        assert_eq!(
            fields(
                &DistributedTracing,
                &DistributedTracing::failing_examples()[1]
            ),
            ["observability.tracing.endpoint"]
        );
    }
}
