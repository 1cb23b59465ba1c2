use crate::model::{Design, SecretSource};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct SecretsBackendDeclared;

/// Whether the store `source` feeds a target the design deploys to.
fn reachable(design: &Design, source: SecretSource) -> bool {
    match source {
        SecretSource::GithubActions => true,
        SecretSource::AwsSecretsManager | SecretSource::Vault => design.uses_kubernetes(),
        SecretSource::Railway => design.uses_railway(),
    }
}

fn unreachable(design: &Design) -> Vec<usize> {
    if !design.uses_kubernetes() && !design.uses_railway() {
        return Vec::new();
    }
    design
        .secrets
        .iter()
        .enumerate()
        .filter(|(_, secret)| !reachable(design, secret.source))
        .map(|(i, _)| i)
        .collect()
}

impl Rule for SecretsBackendDeclared {
    const DOC: RuleDoc = RuleDoc {
        id: "SECRETS-006",
        name: "secrets-backend-declared",
        severity: Severity::Medium,
        area: Area::Secrets,
        title: "Every secret comes from a store its target can read",
        what: "Each runtime secret's `source` is a store of a target the design deploys to: \
               Kubernetes reads External Secrets backed by AWS Secrets Manager or Vault, Railway \
               reads Railway variables, CI reads GitHub secrets. A secret from the store of a \
               target that is switched off reaches nothing.",
        why: "A secret declared in AWS Secrets Manager for a service that only runs on Railway \
              (or in Railway variables for a cluster) is never delivered: the service starts \
              without it, or someone pastes the value into plain configuration to make it work.",
        incorrect: "kubernetes: {enabled: false}\nrailway: {enabled: true}\nsecrets:\n- name: DATABASE_URL\n  source: aws-secrets-manager",
        correct: "kubernetes: {enabled: false}\nrailway: {enabled: true}\nsecrets:\n- name: DATABASE_URL\n  source: railway",
        fix: "Moves the secret to the default store of the design's runtime target: AWS Secrets \
              Manager on Kubernetes, Railway variables otherwise. Unsafe: the value has to be \
              created in the new store.",
        source: "004 · DevOps Checklist (\"Secrets management (Vault/AWS Secrets Manager)\"); \
                 Secrets Management › HashiCorp Vault; 000 · Key Concepts › Secrets Management",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        unreachable(design)
            .into_iter()
            .map(|i| {
                let secret = &design.secrets[i];
                let target = if design.uses_kubernetes() {
                    "Kubernetes (External Secrets from AWS Secrets Manager or Vault)"
                } else {
                    "Railway (Railway variables)"
                };
                Violation::new(
                    format!("secrets[{i}].source"),
                    format!(
                        "Secret `{}` comes from a store no target of the design reads; the \
                         service runs on {target}.",
                        secret.name.trim()
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use the target's secret store",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::Secret;
        let mut railway_only = Design::default();
        railway_only.services[0].kubernetes.enabled = false;
        railway_only.secrets.push(Secret {
            name: "DATABASE_URL".to_owned(),
            source: SecretSource::AwsSecretsManager,
            remote_key: "app/database".to_owned(),
            description: String::new(),
        });
        let mut cluster_only = Design::default();
        cluster_only.services[0].railway.enabled = false;
        cluster_only.secrets.push(Secret {
            name: "API_KEY".to_owned(),
            source: SecretSource::Railway,
            ..Secret::default()
        });
        vec![railway_only, cluster_only]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let store = super::store::runtime_store(design);
    for i in unreachable(design) {
        let secret = &mut design.secrets[i];
        secret.source = store;
        if store == SecretSource::Railway {
            // Railway variables have no remote path.
            secret.remote_key.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_on_presets() {
        for id in ["node-api", "fastapi-react", "worker-cron"] {
            assert!(
                fields(&SecretsBackendDeclared, &preset(id)).is_empty(),
                "{id}"
            );
        }
    }

    #[test]
    fn fails_on_an_unreachable_store_and_the_fix_moves_it() {
        for mut design in SecretsBackendDeclared::failing_examples() {
            assert_eq!(
                fields(&SecretsBackendDeclared, &design),
                ["secrets[0].source"]
            );
            apply(&mut design, 0);
            assert!(fields(&SecretsBackendDeclared, &design).is_empty());
        }
        let mut design = SecretsBackendDeclared::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(design.secrets[0].source, SecretSource::Railway);
    }
}
