//! Secrets rules (RULES.md §11): no secret reaches a generated file as a literal, and runtime
//! secrets come from a secret store, never from plain configuration.

mod secrets_001;
mod secrets_002;
mod secrets_003;
mod secrets_005;
mod secrets_006;

use super::Rule;
#[cfg(test)]
use crate::model::Design;
use crate::model::{Secret, SecretSource};

pub(super) static RULES: &[&dyn Rule] = &[
    &secrets_001::NoPlaintextSecrets,
    &secrets_002::CiSecretsFromGithubSecrets,
    &secrets_003::RuntimeSecretsFromSecretStore,
    &secrets_005::EnvironmentScopedSecretPaths,
    &secrets_006::SecretsBackendDeclared,
];

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

#[cfg(test)]
pub(super) fn failing_examples(id: &str) -> Vec<Design> {
    match id {
        "SECRETS-001" => secrets_001::failing_examples(),
        "SECRETS-002" => secrets_002::failing_examples(),
        "SECRETS-003" => secrets_003::failing_examples(),
        "SECRETS-005" => secrets_005::failing_examples(),
        "SECRETS-006" => secrets_006::failing_examples(),
        other => panic!("no failing examples for {other}"),
    }
}
