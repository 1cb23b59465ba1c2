use crate::model::{Design, LogFormat};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct StructuredLogging;

fn problems(design: &Design) -> Vec<(&'static str, &'static str)> {
    let logging = &design.observability.logging;
    let mut found = Vec::new();
    if logging.format != LogFormat::Json {
        found.push((
            "observability.logging.format",
            "Logs are plain text, not JSON.",
        ));
    }
    if !logging.request_id && super::web::any_web(design) {
        found.push((
            "observability.logging.request_id",
            "Request log lines carry no request id.",
        ));
    }
    found
}

impl Rule for StructuredLogging {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-007",
        name: "structured-logging",
        severity: Severity::Medium,
        area: Area::Observability,
        title: "Logs are JSON lines carrying a request id",
        what: "The service logs JSON, and every request's lines carry `request_id` (a UUID4), \
               method, path and status; the response returns the id in `X-Request-ID`.",
        why: "Plain-text logs cannot be queried by field: finding every line of one failing \
              request across replicas becomes grep and luck. The request id ties the log lines, \
              the trace and the user's bug report together.",
        incorrect: "logging: {format: text, request_id: false}",
        correct: "{\"level\":\"info\",\"request_id\":\"4b1e…\",\"method\":\"GET\",\"path\":\"/orders\",\"status\":200}",
        fix: "Switches to JSON logs with request ids.",
        source: "000 · Observability & Monitoring › Log Aggregation; Production Readiness \
                 Checklist › Observability (\"Structured logging (JSON format)\"); 004 · Three \
                 Pillars (Logs)",
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
            label: "Log JSON with request ids",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_observability(|o| {
            o.logging.format = LogFormat::Text;
            o.logging.request_id = false;
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let logging = &mut design.observability.logging;
    logging.format = LogFormat::Json;
    logging.request_id = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&StructuredLogging, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_text_logs_without_ids() {
        assert_eq!(
            fields(
                &StructuredLogging,
                &StructuredLogging::failing_examples()[0]
            ),
            [
                "observability.logging.format",
                "observability.logging.request_id"
            ]
        );
    }
}
