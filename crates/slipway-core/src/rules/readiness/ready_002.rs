use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct SecurityHeaders;

fn missing(design: &Design) -> Vec<(&'static str, &'static str)> {
    if !design.services.iter().any(|service| service.kind.is_web()) {
        return Vec::new();
    }
    let readiness = &design.readiness;
    [
        (
            "readiness.hsts",
            "Strict-Transport-Security",
            readiness.hsts,
        ),
        (
            "readiness.content_security_policy",
            "Content-Security-Policy",
            readiness.content_security_policy,
        ),
        (
            "readiness.frame_options",
            "X-Frame-Options",
            readiness.frame_options,
        ),
    ]
    .into_iter()
    .filter(|(_, _, set)| !set)
    .map(|(field, header, _)| (field, header))
    .collect()
}

impl Rule for SecurityHeaders {
    const DOC: RuleDoc = RuleDoc {
        id: "READY-002",
        name: "security-headers",
        severity: Severity::Medium,
        area: Area::Readiness,
        title: "Responses carry HSTS, CSP and X-Frame-Options",
        what: "A web service sets `Strict-Transport-Security`, `Content-Security-Policy` and \
               `X-Frame-Options` (at the ingress or in the app).",
        why: "HSTS stops the first request of a visit being downgraded to HTTP; a CSP limits what \
              an injected script can load or send (the second line of defence against XSS); \
              X-Frame-Options stops the site being framed for clickjacking.",
        incorrect: "hsts: false\ncontent_security_policy: false",
        correct: "Strict-Transport-Security: max-age=31536000; includeSubDomains\nContent-Security-Policy: default-src 'self'\nX-Frame-Options: DENY",
        fix: "Turns all three headers on.",
        source: "000 · Production Readiness Checklist › Security",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        missing(context.design)
            .into_iter()
            .map(|(field, header)| {
                Violation::new(field, format!("Responses carry no `{header}` header."))
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Send the security headers",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_readiness(|readiness| {
            readiness.hsts = false;
            readiness.frame_options = false;
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let readiness = &mut design.readiness;
    readiness.hsts = true;
    readiness.content_security_policy = true;
    readiness.frame_options = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&SecurityHeaders, &Design::default()).is_empty());
    }

    #[test]
    fn fails_for_each_missing_header() {
        assert_eq!(
            fields(&SecurityHeaders, &SecurityHeaders::failing_examples()[0]),
            ["readiness.hsts", "readiness.frame_options"]
        );
    }
}
