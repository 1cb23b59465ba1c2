use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::{is_cron, railway, start_commands};
use crate::facts::commands::runs_migrations;

pub struct HealthcheckTimeout;

fn needed(service: &Service) -> Option<u32> {
    let railway = railway(service)?;
    if !service.kind.is_web() || is_cron(railway) || railway.healthcheck_path.trim().is_empty() {
        return None;
    }
    let migrates = start_commands(service)
        .iter()
        .any(|command| runs_migrations(&command.text));
    let minimum = if migrates { 60 } else { 1 };
    (railway.healthcheck_timeout_seconds < minimum).then_some(if migrates { 60 } else { 30 })
}

impl Rule for HealthcheckTimeout {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-003",
        name: "healthcheck-timeout",
        severity: Severity::Low,
        area: Area::Railway,
        title: "The health-check timeout covers the service's start",
        what: "`deploy.healthcheckTimeout` is set (default 30 s), and at least 60 s when the \
               start command runs migrations first.",
        why: "Railway fails a deployment whose health check does not pass within the timeout. \
              Migrations at start can take longer than 30 s; the deploy is then rolled back \
              although nothing is wrong. The seed uses 30 s as the default and 60 s in its \
              migration example (A18).",
        incorrect: "\"startCommand\": \"npx prisma migrate deploy && node dist/server.js\",\n\"healthcheckTimeout\": 30",
        correct: "\"startCommand\": \"npx prisma migrate deploy && node dist/server.js\",\n\"healthcheckTimeout\": 60",
        fix: "Sets 30 s, or 60 s when the start command runs migrations.",
        source: "000 · railway.json Configuration › Deploy Settings; Examples (Node.js API with \
                 migrations)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(wanted) = needed(context.service()) else {
            return Vec::new();
        };
        let timeout = context.service().railway.healthcheck_timeout_seconds;
        vec![Violation::new(
            "railway.healthcheck_timeout_seconds",
            if timeout == 0 {
                "The Railway health-check timeout is not set.".to_owned()
            } else {
                format!("The start command runs migrations but the health check gives up after {timeout} s; use {wanted} s.")
            },
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Set the health-check timeout",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_railway(|railway| railway.healthcheck_timeout_seconds = 0),
            super::with_railway(|railway| {
                railway.builder = crate::model::RailwayBuilder::Railpack;
                railway.start_command = "npx prisma migrate deploy && node dist/server.js".into();
            }),
        ]
    }
}

fn apply(design: &mut Design, index: usize) {
    if let Some(wanted) = needed(&design.services[index]) {
        design.services[index].railway.healthcheck_timeout_seconds = wanted;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&HealthcheckTimeout, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_unset_or_too_short_for_migrations() {
        for design in HealthcheckTimeout::failing_examples() {
            assert_eq!(
                fields(&HealthcheckTimeout, &design),
                ["railway.healthcheck_timeout_seconds"]
            );
        }
    }
}
