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
    /// Services whose pod counts here differ from the environment's (`replicas`, HPA bounds).
    /// Since schema version 3.
    pub services: Vec<ServiceSize>,
    /// How a new version reaches this environment: CI deploys it (`push`), or CI commits it to
    /// the environment's deploy branch and Argo CD syncs it (`gitops`). Additive in schema
    /// version 3: older files read `push`.
    pub delivery: Delivery,
    /// GitOps: Argo CD applies what the deploy branch holds by itself (`automated`) or waits
    /// for someone to press Sync (`manual`). Additive in schema version 3.
    pub sync: SyncMode,
}

/// How new versions reach an environment (docs/schema.md#delivery).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// CI's deploy job runs `helm upgrade --install` against the cluster.
    #[default]
    Push,
    /// CI commits the chart and the image it built to `deploy/<environment>` (through a pull
    /// request when the environment needs approval) and Argo CD, inside the cluster, syncs it:
    /// CI never holds cluster credentials.
    Gitops,
}

/// When Argo CD applies what an environment's deploy branch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SyncMode {
    /// On every change of the branch, pruning what it no longer holds and undoing drift.
    #[default]
    Automated,
    /// Only when someone presses Sync in Argo CD.
    Manual,
}

/// One service's pod counts in one environment; 0 keeps the environment's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceSize {
    /// The service's name.
    pub service: String,
    pub replicas: u32,
    pub hpa_min_replicas: u32,
    pub hpa_max_replicas: u32,
}

impl Environment {
    /// Whether Argo CD, not CI, applies new versions here.
    pub fn gitops(&self) -> bool {
        self.delivery == Delivery::Gitops
    }

    /// The override of the named service, with its index in `services`.
    pub fn size_of(&self, service: &str) -> Option<(usize, &ServiceSize)> {
        self.services
            .iter()
            .enumerate()
            .find(|(_, size)| size.service == service)
    }

    /// The pods the named service runs here: (replicas, HPA minimum, HPA maximum).
    pub fn pods_of(&self, service: &str) -> (u32, u32, u32) {
        let own = self.size_of(service).map(|(_, size)| size);
        let pick = |value: Option<u32>, default: u32| value.filter(|v| *v > 0).unwrap_or(default);
        (
            pick(own.map(|size| size.replicas), self.replicas),
            pick(own.map(|size| size.hpa_min_replicas), self.hpa_min_replicas),
            pick(own.map(|size| size.hpa_max_replicas), self.hpa_max_replicas),
        )
    }
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
            services: Vec::new(),
            delivery: Delivery::Push,
            sync: SyncMode::Automated,
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
            services: Vec::new(),
            delivery: Delivery::Push,
            sync: SyncMode::Automated,
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
