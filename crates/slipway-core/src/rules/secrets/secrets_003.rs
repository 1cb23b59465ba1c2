use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::secrets::is_sensitive_name;

pub struct RuntimeSecretsFromSecretStore;

impl Rule for RuntimeSecretsFromSecretStore {
    const DOC: RuleDoc = RuleDoc {
        id: "SECRETS-003",
        name: "k8s-env-from-secret-refs",
        severity: Severity::High,
        area: Area::Secrets,
        title: "Runtime secrets come from a Secret, never from plain values",
        what: "On Kubernetes, no environment value has a sensitive name (password, token, API key, \
               database URL, ...): those values would land in the ConfigMap. They belong under \
               `secrets`, from which the pod reads them through `secretKeyRef`.",
        why: "A ConfigMap is readable by anyone who can read the namespace's configuration and is \
              printed by `kubectl describe`; a Secret has its own RBAC, can be encrypted at rest and \
              is filled from the secret store by External Secrets.",
        incorrect: "environments:\n- name: production\n  values:\n  - name: DATABASE_URL\n    value: ${{ secrets.DATABASE_URL }}",
        correct: "secrets:\n- name: DATABASE_URL\n  source: aws-secrets-manager\n  remote_key: app/database_url",
        fix: "Moves each sensitive value out of the environment's values into `secrets`, with a \
              per-environment key in the secret store.",
        source: "000 · Kubernetes › Secrets; 004 · Secrets Management (External Secrets Operator)",
        equivalents: &["checkov CKV_K8S_35 (prefer secrets as files)", "kube-linter env-var-secret"],
    };
    const READS_PROJECT: bool = true;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !design.uses_kubernetes() {
            return Vec::new();
        }
        let mut violations = Vec::new();
        for (i, environment) in design.environments.iter().enumerate() {
            for (j, variable) in environment.values.iter().enumerate() {
                if is_sensitive_name(&variable.name) {
                    violations.push(Violation::new(
                        format!("environments[{i}].values[{j}].name"),
                        format!(
                            "Environment `{}`: `{}` is a secret by its name; the chart would put it in the ConfigMap.",
                            environment.name,
                            variable.name.trim()
                        ),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Move sensitive values to secrets",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::EnvVar;
        let mut design = Design::default();
        design.environments[1]
            .values
            .push(EnvVar::new("DATABASE_URL", "${{ secrets.DATABASE_URL }}"));
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if !design.uses_kubernetes() {
        return;
    }
    let project = crate::text::identifier(&design.project.name, "app");
    let store = super::store::runtime_store(design);
    let mut moved = Vec::new();
    for environment in &mut design.environments {
        environment.values.retain(|variable| {
            let sensitive = is_sensitive_name(&variable.name);
            if sensitive {
                let name = crate::text::env_name(variable.name.trim()).to_ascii_uppercase();
                // Environment-free: each environment reads it under its secret prefix.
                let key = format!("{project}/{}", name.to_ascii_lowercase());
                moved.push((name, key));
            }
            !sensitive
        });
    }
    for (name, key) in moved {
        super::store::record_secret(design, &name, store, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_off_kubernetes() {
        assert!(fields(&RuntimeSecretsFromSecretStore, &Design::default()).is_empty());
        let mut railway = RuntimeSecretsFromSecretStore::failing_examples().remove(0);
        railway.services[0].kubernetes.enabled = false;
        assert!(fields(&RuntimeSecretsFromSecretStore, &railway).is_empty());
    }

    #[test]
    fn fails_on_a_sensitive_value_and_the_fix_moves_it() {
        let mut design = RuntimeSecretsFromSecretStore::failing_examples().remove(0);
        let reported = fields(&RuntimeSecretsFromSecretStore, &design);
        assert_eq!(reported.len(), 1);
        assert!(reported[0].starts_with("environments[1].values["));
        apply(&mut design, 0);
        assert!(fields(&RuntimeSecretsFromSecretStore, &design).is_empty());
        assert!(design
            .secrets
            .iter()
            .any(|secret| secret.name == "DATABASE_URL"
                && secret.remote_key.ends_with("/database_url")
                && !secret.remote_key.starts_with("production/")));
    }
}
