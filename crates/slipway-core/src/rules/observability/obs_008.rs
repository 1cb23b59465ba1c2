use crate::model::{Design, LogSink};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct LogAggregation;

impl Rule for LogAggregation {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-008",
        name: "log-aggregation",
        severity: Severity::Low,
        area: Area::Observability,
        title: "Logs are collected somewhere searchable",
        what: "Every environment ships its logs to a sink: Loki, ELK, or the platform's own log \
               store (Railway, CloudWatch).",
        why: "Pod logs disappear with the pod: after a crash-loop or a rollout, the lines that \
              explain the incident are gone.",
        incorrect: "logging: {sink: none}",
        correct: "logging: {sink: loki}",
        fix: "Selects Loki (or the platform's logs when the design deploys only to Railway).",
        source: "000 · Production Readiness Checklist › Observability (\"Log aggregation \
                 configured (ELK/Loki)\"); 004 · DevOps Checklist (\"Logging: ELK Stack or \
                 similar\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        if context.design.observability.logging.sink != LogSink::None {
            return Vec::new();
        }
        vec![Violation::new(
            "observability.logging.sink",
            "Logs are not collected anywhere.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Collect the logs",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_observability(|o| {
            o.logging.sink = LogSink::None
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if design.observability.logging.sink == LogSink::None {
        design.observability.logging.sink = if design.uses_kubernetes() {
            LogSink::Loki
        } else {
            LogSink::Platform
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&LogAggregation, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_sink() {
        assert_eq!(
            fields(&LogAggregation, &LogAggregation::failing_examples()[0]),
            ["observability.logging.sink"]
        );
    }
}
