//! The design's secrets as External Secrets Operator objects (SECRETS-004): one
//! `ExternalSecret` per secret store, each syncing one Kubernetes Secret the pods load with
//! `envFrom`. Values never pass through the chart; each environment reads its keys under its
//! own prefix (`prod/…`, `staging/…`, SECRETS-005).

use crate::facts::secrets::any_operator_synced;
use crate::migrate::secret_prefix;
use crate::model::{Design, Environment, SecretSource};
use crate::text::{env_name, identifier};

use crate::formats::yaml::{Map, Node};

/// A secret store the operator reads from, with the secrets the app takes from it.
pub struct Store {
    /// The `ClusterSecretStore` name, also the suffix of the Kubernetes Secret it fills.
    pub name: &'static str,
    pub backend: &'static str,
    /// `(environment variable, remote key without the environment prefix)`.
    pub secrets: Vec<(String, String)>,
}

/// The stores the design's Kubernetes secrets come from, in a fixed order; empty when no
/// secret is kept in AWS Secrets Manager or Vault.
pub fn stores(design: &Design) -> Vec<Store> {
    let mut stores = vec![
        Store {
            name: "aws-secrets-manager",
            backend: "AWS Secrets Manager",
            secrets: Vec::new(),
        },
        Store {
            name: "vault",
            backend: "HashiCorp Vault",
            secrets: Vec::new(),
        },
    ];
    for secret in &design.secrets {
        let index = match secret.source {
            SecretSource::AwsSecretsManager => 0,
            SecretSource::Vault => 1,
            SecretSource::GithubActions | SecretSource::Railway => continue,
        };
        let variable = env_name(secret.name.trim());
        if stores[index]
            .secrets
            .iter()
            .any(|(name, _)| *name == variable)
        {
            continue;
        }
        let key = shared_key(design, &secret.remote_key, &secret.name);
        stores[index].secrets.push((variable, key));
    }
    stores.retain(|store| !store.secrets.is_empty());
    stores
}

/// The key in the store without the environment (`app/database`); an empty key falls back to
/// `<project>/<secret>`. A key that still names an environment is SECRETS-005's finding.
fn shared_key(design: &Design, key: &str, name: &str) -> String {
    let key = key.trim().trim_matches('/');
    if key.is_empty() {
        format!(
            "{}/{}",
            identifier(&design.project.name, "app"),
            identifier(name, "secret")
        )
    } else {
        key.to_owned()
    }
}

/// The `externalSecrets` block of `values.yaml`.
pub fn values(design: &Design) -> Map {
    let stores: Vec<Node> = stores(design)
        .into_iter()
        .map(|store| {
            let secrets: Vec<Node> = store
                .secrets
                .into_iter()
                .map(|(name, key)| {
                    Map::new()
                        .entry("name", name)
                        .entry("remoteKey", key)
                        .into()
                })
                .collect();
            Map::new()
                .entry("name", store.name)
                .trailing(format!("a ClusterSecretStore backed by {}", store.backend))
                .entry("secrets", Node::Seq(secrets))
                .into()
        })
        .collect();
    Map::new()
        .entry("refreshInterval", "1h")
        .comment("How often the operator re-reads the store, so rotations reach the Secret.")
        .entry("keyPrefix", "")
        .comment(
            "Set per environment in values/<env>.yaml: each reads only its own keys (SECRETS-005).",
        )
        .entry("stores", Node::Seq(stores))
        .comment("One ExternalSecret per store, filling a Secret the pods load with envFrom.")
}

/// The `externalSecrets` block of an environment's values file, when the chart has any.
pub fn environment_values(design: &Design, environment: &Environment) -> Option<Map> {
    any_operator_synced(design).then(|| Map::new().entry("keyPrefix", secret_prefix(environment)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Secret;
    use crate::presets;

    fn design_with(secrets: Vec<Secret>) -> Design {
        let mut design = (presets::find("fastapi-react").unwrap().build)();
        design.secrets = secrets;
        design
    }

    fn secret(name: &str, source: SecretSource, key: &str) -> Secret {
        Secret {
            name: name.to_owned(),
            source,
            remote_key: key.to_owned(),
            description: String::new(),
        }
    }

    #[test]
    fn keys_are_written_without_slashes_at_the_ends() {
        let design = design_with(vec![
            secret(
                "DATABASE_URL",
                SecretSource::AwsSecretsManager,
                "shop/database",
            ),
            secret("API_KEY", SecretSource::Vault, " /shop/api/ "),
        ]);
        let stores = stores(&design);
        assert_eq!(stores.len(), 2);
        assert_eq!(stores[0].name, "aws-secrets-manager");
        assert_eq!(
            stores[0].secrets,
            vec![("DATABASE_URL".to_owned(), "shop/database".to_owned())]
        );
        assert_eq!(
            stores[1].secrets,
            vec![("API_KEY".to_owned(), "shop/api".to_owned())]
        );
    }

    #[test]
    fn ci_and_railway_secrets_and_duplicates_stay_out() {
        let design = design_with(vec![
            secret("TOKEN", SecretSource::GithubActions, ""),
            secret("RAILWAY", SecretSource::Railway, ""),
            secret("DB", SecretSource::AwsSecretsManager, ""),
            secret("DB", SecretSource::AwsSecretsManager, "other"),
        ]);
        let stores = stores(&design);
        assert_eq!(stores.len(), 1);
        assert_eq!(
            stores[0].secrets,
            vec![("DB".to_owned(), "fastapi-react/db".to_owned())]
        );
    }

    #[test]
    fn production_reads_prod_and_staging_reads_staging() {
        let design = (presets::find("fastapi-react").unwrap().build)();
        let prefixes: Vec<String> = design.environments.iter().map(secret_prefix).collect();
        assert_eq!(prefixes, ["staging", "prod"]);
    }
}
