use crate::model::{Design, ErrorTracking as Settings};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::secrets::is_sensitive_name;

pub struct ErrorTracking;

fn valid_secret_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && is_sensitive_name(name)
}

impl Rule for ErrorTracking {
    const DOC: RuleDoc = RuleDoc {
        id: "OBS-011",
        name: "error-tracking",
        severity: Severity::Low,
        area: Area::Observability,
        title: "Errors are reported to an error tracker",
        what: "Error tracking (Sentry or compatible) is on in every environment, with its DSN \
               read from a secret whose name is a valid, sensitive environment variable name \
               (default `SENTRY_DSN`; `dsn` marks a sensitive name, docs/defaults.md#conventions).",
        why: "An error tracker groups exceptions with their stack traces, releases and affected \
              users, so a new error after a deploy is seen in minutes instead of being one line \
              among millions of logs. The DSN lets anyone post events, so it is a secret.",
        incorrect: "error_tracking: {enabled: false}",
        correct: "error_tracking: {enabled: true, dsn_secret: SENTRY_DSN}",
        fix: "Enables error tracking with the DSN from `SENTRY_DSN`.",
        source: "000 · Production Readiness Checklist › Observability (\"Error tracking \
                 configured (Sentry)\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let settings = &context.design.observability.error_tracking;
        if !settings.enabled {
            return vec![Violation::new(
                "observability.error_tracking.enabled",
                "Errors are not reported to an error tracker.",
            )];
        }
        if !valid_secret_name(&settings.dsn_secret) {
            return vec![Violation::new(
                "observability.error_tracking.dsn_secret",
                format!(
                    "`{}` is not a secret name the DSN can be read from.",
                    settings.dsn_secret
                ),
            )];
        }
        Vec::new()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Track errors",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_observability(|o| o.error_tracking.enabled = false),
            super::with_observability(|o| {
                o.error_tracking.dsn_secret = "https://key@sentry.io/1".into()
            }),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let settings = &mut design.observability.error_tracking;
    settings.enabled = true;
    if !valid_secret_name(&settings.dsn_secret) {
        settings.dsn_secret = Settings::default().dsn_secret;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&ErrorTracking, &Design::default()).is_empty());
    }

    #[test]
    fn fails_off_or_with_a_literal_dsn() {
        assert_eq!(
            fields(&ErrorTracking, &ErrorTracking::failing_examples()[0]),
            ["observability.error_tracking.enabled"]
        );
        assert_eq!(
            fields(&ErrorTracking, &ErrorTracking::failing_examples()[1]),
            ["observability.error_tracking.dsn_secret"]
        );
    }
}
