use serde::{Deserialize, Serialize};

use super::EnvVar;

/// A deployment target (staging, production, ...), with its gate and its sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Environment {
    pub name: String,
    pub tier: EnvironmentTier,
    /// Branch whose pushes deploy here.
    pub branch: String,
    pub url: String,
    /// Deploys wait for a reviewer's approval (GitHub environment protection).
    pub requires_approval: bool,
    pub reviewers: Vec<String>,
    pub replicas: u32,
    pub hpa_min_replicas: u32,
    pub hpa_max_replicas: u32,
    /// Non-secret configuration values for this environment.
    pub values: Vec<EnvVar>,
    /// First segment of every secret-store key this environment reads (`prod` →
    /// `prod/app/database`), so that no environment reads another's secrets (SECRETS-005).
    /// Since schema version 2.
    pub secret_prefix: String,
}

impl Default for Environment {
    fn default() -> Self {
        Environment::staging()
    }
}

impl Environment {
    /// `staging` deploys automatically, `production` needs reviewers (docs/defaults.md#ci-cd).
    pub fn defaults() -> Vec<Environment> {
        vec![Environment::staging(), Environment::production()]
    }

    pub fn staging() -> Self {
        Environment {
            name: "staging".to_owned(),
            tier: EnvironmentTier::Staging,
            branch: "dev".to_owned(),
            url: "https://staging.app.example.com".to_owned(),
            requires_approval: false,
            reviewers: Vec::new(),
            // Three pods, so the default disruption budget (`minAvailable: 2`) still lets a
            // node drain evict one (VALID-005).
            replicas: 3,
            hpa_min_replicas: 3,
            hpa_max_replicas: 6,
            values: vec![EnvVar::new("LOG_LEVEL", "debug")],
            secret_prefix: "staging".to_owned(),
        }
    }

    pub fn production() -> Self {
        Environment {
            name: "production".to_owned(),
            tier: EnvironmentTier::Production,
            branch: "main".to_owned(),
            url: "https://app.example.com".to_owned(),
            requires_approval: true,
            reviewers: vec!["platform-team".to_owned()],
            replicas: 3,
            hpa_min_replicas: 3,
            hpa_max_replicas: 10,
            values: vec![EnvVar::new("LOG_LEVEL", "info")],
            secret_prefix: "prod".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EnvironmentTier {
    Development,
    #[default]
    Staging,
    Production,
}
