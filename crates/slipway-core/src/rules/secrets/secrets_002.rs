use crate::model::{Design, SecretSource};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::secrets::is_sensitive_name;

pub struct CiSecretsFromGithubSecrets;

/// Whether a sensitive variable's value comes from somewhere other than GitHub secrets.
fn reads_non_secret_expression(value: &str) -> bool {
    let value = value.trim();
    let Some(inner) = value
        .strip_prefix("${{")
        .and_then(|rest| rest.strip_suffix("}}"))
    else {
        return false;
    };
    let inner = inner.trim();
    !(inner.starts_with("secrets.") || inner == "github.token")
}

fn offending(design: &Design) -> Vec<(usize, usize)> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .flat_map(|(i, job)| {
            job.env
                .iter()
                .enumerate()
                .filter(|(_, variable)| {
                    is_sensitive_name(&variable.name)
                        && reads_non_secret_expression(&variable.value)
                })
                .map(move |(j, _)| (i, j))
        })
        .collect()
}

impl Rule for CiSecretsFromGithubSecrets {
    const DOC: RuleDoc = RuleDoc {
        id: "SECRETS-002",
        name: "ci-secrets-from-github-secrets",
        severity: Severity::High,
        area: Area::Secrets,
        title: "Workflow credentials come from GitHub secrets",
        what: "A job environment variable with a sensitive name (token, password, API key, \
               webhook secret, ...) that is set from a workflow expression reads \
               `${{ secrets.NAME }}` (or the job's own `${{ github.token }}`), never `vars.*`, \
               `env.*`, `inputs.*` or event data. Literal values are SECRETS-001's; deploy jobs \
               are bound to their environment by PIPELINE-009, so environment secrets are scoped \
               to the deploy.",
        why: "Configuration variables (`vars`) are readable by anyone with read access to the \
              repository settings and are not masked in logs; inputs and event data are chosen \
              by whoever triggers the run. Only secrets are encrypted, masked and, as environment \
              secrets, released to the deploy job of that environment alone.",
        incorrect: "env:\n- name: REGISTRY_PASSWORD\n  value: ${{ vars.REGISTRY_PASSWORD }}",
        correct: "env:\n- name: REGISTRY_PASSWORD\n  value: ${{ secrets.REGISTRY_PASSWORD }}",
        fix: "Reads the variable from `${{ secrets.NAME }}` and lists the secret under `secrets` \
              for you to create. Unsafe: the old reference is replaced.",
        source: "000 · CI/CD Pipelines › Best Practices (\"use GitHub Secrets\"); GitHub Actions \
                 CI/CD Example › Deploy Pipeline; 004 · CI/CD Pipelines › GitHub Actions",
        equivalents: &["zizmor secrets-outside-env / hardcoded-container-credentials"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        offending(design)
            .into_iter()
            .map(|(i, j)| {
                let job = &design.pipeline.jobs[i];
                let variable = &job.env[j];
                Violation::new(
                    format!("pipeline.jobs[{i}].env[{j}].value"),
                    format!(
                        "Job `{}`: `{}` is a credential read from `{}`, which is neither \
                         encrypted nor masked; read it from GitHub secrets.",
                        job.id,
                        variable.name.trim(),
                        variable.value.trim()
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Read credentials from GitHub secrets",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::EnvVar;
        let mut design = Design::default();
        design.pipeline.jobs[3].env.push(EnvVar::new(
            "REGISTRY_PASSWORD",
            "${{ vars.REGISTRY_PASSWORD }}",
        ));
        let mut input = Design::default();
        input.pipeline.jobs[5]
            .env
            .push(EnvVar::new("DEPLOY_TOKEN", "${{ inputs.token }}"));
        vec![design, input]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (i, j) in offending(design) {
        let variable = &mut design.pipeline.jobs[i].env[j];
        let name = crate::text::env_name(variable.name.trim()).to_ascii_uppercase();
        variable.value = format!("${{{{ secrets.{name} }}}}");
        super::store::record_secret(design, &name, SecretSource::GithubActions, String::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EnvVar;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_on_presets_and_secret_references() {
        assert!(fields(&CiSecretsFromGithubSecrets, &preset("node-api")).is_empty());
        let mut design = Design::default();
        design.pipeline.jobs[3].env = vec![
            EnvVar::new("SNYK_TOKEN", "${{ secrets.SNYK_TOKEN }}"),
            EnvVar::new("GH_TOKEN", "${{ github.token }}"),
            EnvVar::new("LOG_LEVEL", "${{ vars.LOG_LEVEL }}"),
        ];
        assert!(fields(&CiSecretsFromGithubSecrets, &design).is_empty());
    }

    #[test]
    fn fails_on_vars_and_inputs_and_the_fix_uses_secrets() {
        let mut design = CiSecretsFromGithubSecrets::failing_examples().remove(0);
        assert_eq!(
            fields(&CiSecretsFromGithubSecrets, &design),
            ["pipeline.jobs[3].env[0].value"]
        );
        apply(&mut design, 0);
        assert_eq!(
            design.pipeline.jobs[3].env[0].value,
            "${{ secrets.REGISTRY_PASSWORD }}"
        );
        assert!(design
            .secrets
            .iter()
            .any(|secret| secret.name == "REGISTRY_PASSWORD"));
    }
}
