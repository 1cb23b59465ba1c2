//! Secrets rules (docs/rules.md#secrets): no secret reaches a generated file as a literal, and
//! runtime secrets come from a secret store, never from plain configuration.

rules! {
    secrets_001::NoPlaintextSecrets,
    secrets_002::CiSecretsFromGithubSecrets,
    secrets_003::RuntimeSecretsFromSecretStore,
    secrets_005::EnvironmentScopedSecretPaths,
    secrets_006::SecretsBackendDeclared,
    secrets_007::KeylessCloudAccess,
}

mod store;
