use crate::model::{Design, RestartPolicy, Service, ServiceKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::{is_cron, railway};

pub struct CronServiceShape;

fn problems(service: &Service) -> Vec<(&'static str, &'static str)> {
    let Some(railway) = railway(service).filter(|railway| is_cron(railway)) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if service.kind.is_web() {
        found.push((
            "kind",
            "The cron service is a web service, so it gets a public domain and HTTP probes.",
        ));
    }
    if !railway.healthcheck_path.trim().is_empty() {
        found.push((
            "railway.healthcheck_path",
            "The cron service has a health check it can never pass.",
        ));
    }
    found
}

impl Rule for CronServiceShape {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-016",
        name: "cron-service-shape",
        severity: Severity::Low,
        area: Area::Railway,
        title: "A cron service is a worker without a health check",
        what: "A service with `deploy.cronSchedule` is a worker (so it gets no public domain), \
               has no `healthcheckPath` and restarts `NEVER` (RAILWAY-004).",
        why: "A cron job runs and exits. A health check waits for an HTTP answer that never \
              comes and marks every run failed; a web service kind gives the job a public domain \
              and probes it serves nothing on.",
        incorrect: "\"cronSchedule\": \"*/15 * * * *\",\n\"healthcheckPath\": \"/health\"",
        correct: "\"cronSchedule\": \"*/15 * * * *\",\n\"restartPolicyType\": \"NEVER\"",
        fix: "Makes the service a worker, clears the health-check path and sets `NEVER`. Unsafe: \
              the service kind changes.",
        source: "000 · railway.json Configuration › Examples (Cron Worker)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.service())
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Apply the cron shape",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_railway(|railway| {
            railway.cron_schedule = "*/15 * * * *".into();
            railway.restart_policy = RestartPolicy::Never;
        })]
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    if problems(service).is_empty() {
        return;
    }
    if service.kind.is_web() {
        crate::edits::set_service_kind(service, ServiceKind::Worker);
    }
    service.railway.healthcheck_path.clear();
    service.railway.restart_policy = RestartPolicy::Never;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_the_cron_preset() {
        assert!(fields(&CronServiceShape, &preset("worker-cron")).is_empty());
    }

    #[test]
    fn fails_for_a_web_cron_with_a_health_check() {
        assert_eq!(
            fields(&CronServiceShape, &CronServiceShape::failing_examples()[0]),
            ["kind", "railway.healthcheck_path"]
        );
    }
}
