use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::{is_cron, railway};

pub struct HealthcheckPathForWeb;

fn missing(service: &Service) -> bool {
    railway(service).is_some_and(|railway| {
        service.kind.is_web()
            && !is_cron(railway)
            && !railway.healthcheck_path.trim().starts_with('/')
    })
}

impl Rule for HealthcheckPathForWeb {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-002",
        name: "healthcheck-path-for-web",
        severity: Severity::High,
        area: Area::Railway,
        title: "Railway checks a web service's health before switching traffic",
        what: "Every web service (not a worker, not a cron job) sets `deploy.healthcheckPath` to \
               an absolute path (default `/health`) that returns 200 when the service is healthy.",
        why: "Without a health check Railway switches traffic to a new deployment as soon as the \
              process starts, and cannot tell a deployment that crashes on its first request \
              from a healthy one: broken deploys go live.",
        incorrect: "\"deploy\": { \"startCommand\": \"npm start\" }",
        correct:
            "\"deploy\": { \"startCommand\": \"npm start\", \"healthcheckPath\": \"/health\" }",
        fix: "Sets the path to the image's health-check path (default `/health`).",
        source:
            "000 · Railway Deployment Patterns › Anti-Patterns (\"Skipping healthcheck config\"; \
                 Correct: \"Configure healthcheckPath for all web services\")",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !missing(context.service()) {
            return Vec::new();
        }
        let path = &context.service().railway.healthcheck_path;
        vec![Violation::new(
            "railway.healthcheck_path",
            if path.trim().is_empty() {
                "The web service has no Railway health check: failed deploys go live.".to_owned()
            } else {
                format!("`{path}` is not an absolute path; Railway cannot probe it.")
            },
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Check /health",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_railway(|railway| railway.healthcheck_path.clear()),
            super::with_railway(|railway| railway.healthcheck_path = "health".into()),
        ]
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    if !missing(service) {
        return;
    }
    let image_path = service.container.healthcheck.path.trim();
    service.railway.healthcheck_path = if image_path.starts_with('/') {
        image_path.to_owned()
    } else {
        "/health".to_owned()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_by_default_and_for_cron_workers() {
        assert!(fields(&HealthcheckPathForWeb, &Design::default()).is_empty());
        assert!(fields(&HealthcheckPathForWeb, &preset("worker-cron")).is_empty());
    }

    #[test]
    fn fails_without_a_path() {
        for design in HealthcheckPathForWeb::failing_examples() {
            assert_eq!(
                fields(&HealthcheckPathForWeb, &design),
                ["railway.healthcheck_path"]
            );
        }
    }
}
