use crate::facts::exposure::any_public;
use crate::model::{Design, Readiness};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct RateLimiting;

impl Rule for RateLimiting {
    const DOC: RuleDoc = RuleDoc {
        id: "READY-004",
        name: "rate-limiting",
        severity: Severity::Medium,
        area: Area::Readiness,
        title: "Public endpoints are rate limited",
        what: "A public web service limits requests per client (`rate_limit_rps` above 0, \
               default 20/s), through the ingress annotation or the app's middleware.",
        why: "Without a limit, one misbehaving client, scraper or credential-stuffing script \
              takes the capacity every other user needs, and brute-forcing logins costs an \
              attacker nothing.",
        incorrect: "rate_limit_rps: 0",
        correct: "nginx.ingress.kubernetes.io/limit-rps: \"20\"",
        fix: "Limits each client to 20 requests per second.",
        source: "000 · Production Readiness Checklist › Security (\"Rate limiting enabled\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if design.readiness.rate_limit_rps > 0 || !any_public(design) {
            return Vec::new();
        }
        vec![Violation::new(
            "readiness.rate_limit_rps",
            "Public endpoints have no rate limit.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Limit requests per client",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_readiness(|readiness| {
            readiness.rate_limit_rps = 0
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if design.readiness.rate_limit_rps == 0 {
        design.readiness.rate_limit_rps = Readiness::default().rate_limit_rps;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&RateLimiting, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_limit() {
        assert_eq!(
            fields(&RateLimiting, &RateLimiting::failing_examples()[0]),
            ["readiness.rate_limit_rps"]
        );
    }
}
