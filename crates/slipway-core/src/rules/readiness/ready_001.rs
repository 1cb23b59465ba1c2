use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct HttpsRedirect;

/// Whether a web service of the design is served through a Kubernetes Ingress.
fn behind_ingress(design: &Design) -> bool {
    design.services.iter().any(|service| {
        service.kind.is_web() && service.kubernetes.enabled && service.kubernetes.ingress.enabled
    })
}

impl Rule for HttpsRedirect {
    const DOC: RuleDoc = RuleDoc {
        id: "READY-001",
        name: "https-redirect",
        severity: Severity::High,
        area: Area::Readiness,
        title: "Plain HTTP is redirected to HTTPS",
        what: "A web service behind a Kubernetes Ingress redirects HTTP to HTTPS (the \
               `ssl-redirect`/`force-ssl-redirect` annotation, with HSTS from READY-002). \
               Railway's domains are HTTPS-only and pass.",
        why: "Without the redirect, a typed `http://` link or an old bookmark sends cookies and \
              credentials in clear text over every Wi-Fi on the way; the page then loads over \
              HTTP and HSTS never gets a chance to be set.",
        incorrect: "https_redirect: false",
        correct:
            "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/force-ssl-redirect: \"true\"",
        fix: "Turns the redirect on.",
        source: "000 · Production Readiness Checklist › Security (\"HTTPS enforced (redirect HTTP \
                 → HTTPS)\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !behind_ingress(design) || design.readiness.https_redirect {
            return Vec::new();
        }
        vec![Violation::new(
            "readiness.https_redirect",
            "The Ingress answers plain HTTP instead of redirecting to HTTPS.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Redirect HTTP to HTTPS",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_readiness(|readiness| {
            readiness.https_redirect = false
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.readiness.https_redirect = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_on_railway_only() {
        assert!(fields(&HttpsRedirect, &Design::default()).is_empty());
        let mut railway = HttpsRedirect::failing_examples().remove(0);
        railway.services[0].kubernetes.enabled = false;
        assert!(fields(&HttpsRedirect, &railway).is_empty());
    }

    #[test]
    fn fails_without_the_redirect() {
        assert_eq!(
            fields(&HttpsRedirect, &HttpsRedirect::failing_examples()[0]),
            ["readiness.https_redirect"]
        );
    }
}
