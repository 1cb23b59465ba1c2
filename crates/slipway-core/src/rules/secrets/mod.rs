//! Secrets rules (docs/rules.md#secrets): no secret reaches a generated file as a literal, and
//! runtime secrets come from a secret store, never from plain configuration.

rules! {
    secrets_001::NoPlaintextSecrets,
    secrets_002::CiSecretsFromGithubSecrets,
    secrets_003::RuntimeSecretsFromSecretStore,
    secrets_005::EnvironmentScopedSecretPaths,
    secrets_006::SecretsBackendDeclared,
}

use crate::model::{Secret, SecretSource};

/// Records `name` as a secret of the design (once), from the store that fits where it is used.
fn record_secret(
    design: &mut crate::model::Design,
    name: &str,
    source: SecretSource,
    remote_key: String,
) {
    if design.secrets.iter().any(|secret| secret.name == name) {
        return;
    }
    design.secrets.push(Secret {
        name: name.to_owned(),
        source,
        remote_key,
        description: "Moved out of the design's plain values by a Slipway fix.".to_owned(),
    });
}

/// The store for an environment's runtime secrets: External Secrets on Kubernetes, Railway
/// variables otherwise.
fn runtime_store(design: &crate::model::Design) -> SecretSource {
    if design.kubernetes.enabled {
        SecretSource::AwsSecretsManager
    } else {
        SecretSource::Railway
    }
}

