#[cfg(test)]
use crate::model::Design;
use crate::model::Service;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};
use crate::secrets::{exposes_secret, secret_literal_kind};

use super::settings::railway;

pub struct NoSecretsInRailwayConfig;

fn commands(service: &Service) -> Vec<(String, &str)> {
    let railway = &service.railway;
    let mut found = vec![
        (
            "railway.build_command".to_owned(),
            railway.build_command.as_str(),
        ),
        (
            "railway.start_command".to_owned(),
            railway.start_command.as_str(),
        ),
        (
            "railway.pre_deploy_command".to_owned(),
            railway.pre_deploy_command.as_str(),
        ),
    ];
    for (i, over) in railway.overrides.iter().enumerate() {
        found.push((
            format!("railway.overrides[{i}].start_command"),
            over.start_command.as_str(),
        ));
    }
    found
}

/// What the line leaks, if anything.
fn leak(line: &str) -> Option<String> {
    if let Some(kind) = secret_literal_kind(line) {
        return Some(format!("contains {kind}"));
    }
    line.split_whitespace().find_map(|word| {
        let (name, value) = word.split_once('=')?;
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        exposes_secret(name.trim_start_matches("--"), value)
    })
}

impl Rule for NoSecretsInRailwayConfig {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-005",
        name: "no-secrets-in-railway-config",
        severity: Severity::High,
        area: Area::Railway,
        title: "railway.json holds no secrets",
        what: "The commands that go into `railway.json` (build, start, pre-deploy and every \
               override's start command) contain no secret-looking literal (a URL with a \
               password, a PEM key, an AWS key id, a GitHub token) and no `NAME=value` \
               assignment of a literal to a sensitive name.",
        why: "`railway.json` is committed: everyone with read access to the repository, every \
              fork and every CI log gets the secret, and rotating it means rewriting history. \
              Railway's encrypted service and shared variables exist for exactly this. \
              (SECRETS-001 reports the same leak as critical.)",
        incorrect: "\"startCommand\": \"DATABASE_URL=postgres://app:s3cret@db:5432/app node dist/main.js\"",
        correct: "\"startCommand\": \"node dist/main.js\"   # DATABASE_URL=${{Postgres.DATABASE_URL}} as a Railway variable",
        fix: "Manual: create a Railway variable (or reference `${{Postgres.DATABASE_URL}}`) and \
              remove the value from the command.",
        source: "000 · Railway Deployment Patterns › Environment Variables (\"Never hardcode \
                 secrets\"); Anti-Patterns (\"Storing secrets in railway.json\")",
        equivalents: &["gitleaks", "trufflehog"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if railway(context.service()).is_none() {
            return Vec::new();
        }
        commands(context.service())
            .into_iter()
            .filter_map(|(field, line)| {
                leak(line).map(|what| {
                    Violation::new(
                        field,
                        format!("This command {what}; it would be committed in railway.json."),
                    )
                })
            })
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_railway(|railway| {
                railway.start_command =
                    "DATABASE_URL=postgres://app:s3cret@db:5432/app node dist/main.js".into()
            }),
            super::with_railway(|railway| {
                railway.pre_deploy_command = "API_TOKEN=abc123 npm run migrate".into()
            }),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_references() {
        let design = super::super::with_railway(|railway| {
            railway.start_command = "DATABASE_URL=$DATABASE_URL node dist/main.js".into()
        });
        assert!(fields(&NoSecretsInRailwayConfig, &design).is_empty());
    }

    #[test]
    fn fails_on_literal_secrets() {
        assert_eq!(
            fields(
                &NoSecretsInRailwayConfig,
                &NoSecretsInRailwayConfig::failing_examples()[0]
            ),
            ["railway.start_command"]
        );
        assert_eq!(
            fields(
                &NoSecretsInRailwayConfig,
                &NoSecretsInRailwayConfig::failing_examples()[1]
            ),
            ["railway.pre_deploy_command"]
        );
    }
}
