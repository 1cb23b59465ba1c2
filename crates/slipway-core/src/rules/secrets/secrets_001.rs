use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::secrets::{exposes_secret, withheld_unless_local};

pub struct NoPlaintextSecrets;

/// Hosts a CI job reaches its service containers on.
fn local_hosts(job: &crate::model::Job) -> Vec<&str> {
    ["localhost", "127.0.0.1"]
        .into_iter()
        .chain(job.services.iter().map(|service| service.name.as_str()))
        .collect()
}

impl Rule for NoPlaintextSecrets {
    const DOC: RuleDoc = RuleDoc {
        id: "SECRETS-001",
        name: "no-plaintext-secrets-in-artifacts",
        severity: Severity::Critical,
        area: Area::Secrets,
        title: "No secret is written into a generated file",
        what: "No job environment variable and no environment value holds a secret-looking literal \
               (a private key, an AWS key id, a GitHub token, a URL with a password) or a literal \
               under a sensitive name (password, token, API key, database URL, ...). Throwaway \
               credentials of a CI service container on localhost are allowed. Container \
               variables are checked by DOCKER-002.",
        why: "Workflows, values files and manifests are committed and copied around: a secret in \
              one of them is a secret in the Git history of every clone. Slipway's generators \
              never write such a value (they emit a secret reference instead), so the design \
              would not deploy what it says either.",
        incorrect: "pipeline:\n  jobs:\n  - id: deploy-production\n    env:\n    - name: SLACK_TOKEN\n      value: xoxb-123456",
        correct: "pipeline:\n  jobs:\n  - id: deploy-production\n    env:\n    - name: SLACK_TOKEN\n      value: ${{ secrets.SLACK_TOKEN }}",
        fix: "Replaces a job's literal with `${{ secrets.NAME }}` and removes an environment's \
              literal value, recording each name under `secrets` so it is provided by the secret \
              store. Unsafe: the literal is discarded (rotate it: it was in the design).",
        source: "000 · Production Readiness Checklist › Security (\"Secrets in environment variables or vault (not in code/config)\"); Docker: Layer Security; Railway › Environment Variables",
        equivalents: &["gitleaks", "trufflehog", "checkov CKV_SECRET_*", "zizmor (hardcoded credentials)"],
    };
    const READS_PROJECT: bool = true;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        for (i, job) in design.pipeline.jobs.iter().enumerate() {
            let local = local_hosts(job);
            for (j, variable) in job.env.iter().enumerate() {
                if withheld_unless_local(&variable.name, &variable.value, &local) {
                    let reason =
                        exposes_secret(&variable.name, &variable.value).unwrap_or_default();
                    violations.push(Violation::new(
                        format!("pipeline.jobs[{i}].env[{j}].value"),
                        format!(
                            "Job `{}`: {reason}; read it from `${{{{ secrets.{} }}}}`.",
                            job.id,
                            variable.name.trim()
                        ),
                    ));
                }
            }
        }
        for (i, environment) in design.environments.iter().enumerate() {
            for (j, variable) in environment.values.iter().enumerate() {
                if let Some(reason) = exposes_secret(&variable.name, &variable.value) {
                    violations.push(Violation::new(
                        format!("environments[{i}].values[{j}].value"),
                        format!(
                            "Environment `{}`: {reason}; keep it in the secret store.",
                            environment.name
                        ),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Replace literal secrets with secret references",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::EnvVar;
        let mut job = Design::default();
        job.pipeline.jobs[0]
            .env
            .push(EnvVar::new("SLACK_TOKEN", "xoxb-123456"));
        let mut key = Design::default();
        key.pipeline.jobs[0]
            .env
            .push(EnvVar::new("UPLOAD", "AKIAABCDEFGHIJKLMNOP"));
        let mut environment = Design::default();
        environment.environments[0].values.push(EnvVar::new(
            "DATABASE_URL",
            "postgres://app:pw@db.internal/app",
        ));
        vec![job, key, environment]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let project = crate::text::identifier(&design.project.name, "app");
    let mut moved: Vec<(String, crate::model::SecretSource, String)> = Vec::new();
    for job in &mut design.pipeline.jobs {
        let local: Vec<String> = local_hosts(job).into_iter().map(str::to_owned).collect();
        let local: Vec<&str> = local.iter().map(String::as_str).collect();
        for variable in &mut job.env {
            if withheld_unless_local(&variable.name, &variable.value, &local) {
                let name = crate::text::env_name(variable.name.trim()).to_ascii_uppercase();
                variable.value = format!("${{{{ secrets.{name} }}}}");
                moved.push((
                    name,
                    crate::model::SecretSource::GithubActions,
                    String::new(),
                ));
            }
        }
    }
    let store = super::store::runtime_store(design);
    for environment in &mut design.environments {
        environment.values.retain(|variable| {
            let secret = exposes_secret(&variable.name, &variable.value).is_some();
            if secret {
                let name = crate::text::env_name(variable.name.trim()).to_ascii_uppercase();
                // Environment-free: each environment reads it under its secret prefix.
                let key = format!("{project}/{}", name.to_ascii_lowercase());
                moved.push((name, store, key));
            }
            !secret
        });
    }
    for (name, source, key) in moved {
        super::store::record_secret(design, &name, source, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnvVar, ServiceContainer};
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&NoPlaintextSecrets, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_literals_and_names_the_field() {
        let reported: Vec<Vec<String>> = NoPlaintextSecrets::failing_examples()
            .iter()
            .map(|design| fields(&NoPlaintextSecrets, design))
            .collect();
        assert_eq!(reported[0].len(), 1);
        assert!(reported[0][0].starts_with("pipeline.jobs[0].env["));
        assert!(reported[2][0].starts_with("environments[0].values["));
    }

    #[test]
    fn references_and_service_container_credentials_pass() {
        let mut design = Design::default();
        design.pipeline.jobs[0]
            .env
            .push(EnvVar::new("SLACK_TOKEN", "${{ secrets.SLACK_TOKEN }}"));
        design.pipeline.jobs[1].services.push(ServiceContainer {
            name: "postgres".into(),
            image: "postgres:16-alpine".into(),
            ..ServiceContainer::default()
        });
        design.pipeline.jobs[1].env.push(EnvVar::new(
            "DATABASE_URL",
            "postgresql://postgres:test@postgres:5432/test",
        ));
        assert!(fields(&NoPlaintextSecrets, &design).is_empty());
    }

    #[test]
    fn the_fix_moves_literals_to_the_secret_store() {
        for mut design in NoPlaintextSecrets::failing_examples() {
            apply(&mut design, 0);
            assert!(fields(&NoPlaintextSecrets, &design).is_empty());
            assert!(!design.secrets.is_empty());
        }
    }
}
