//! Where moved-out secrets are recorded.

use crate::model::{Design, Secret, SecretSource};

/// Records `name` as a secret of the design (once), from the store that fits where it is used.
pub(super) fn record_secret(
    design: &mut Design,
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

/// The store for an environment's runtime secrets: External Secrets when a service runs on
/// Kubernetes, Railway variables otherwise.
pub(super) fn runtime_store(design: &Design) -> SecretSource {
    if design.uses_kubernetes() {
        SecretSource::AwsSecretsManager
    } else {
        SecretSource::Railway
    }
}
