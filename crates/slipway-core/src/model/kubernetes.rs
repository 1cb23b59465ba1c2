use serde::{Deserialize, Serialize};

use super::IntOrPercent;

/// The Kubernetes workload, rendered as a Helm chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Kubernetes {
    pub enabled: bool,
    pub namespace: String,
    /// Replica count when no HPA owns it (3, docs/defaults.md#kubernetes).
    pub replicas: u32,
    pub resources: Resources,
    pub probes: Probes,
    pub security_context: SecurityContext,
    pub hpa: Hpa,
    pub pdb: Pdb,
    pub ingress: Ingress,
    pub rollout: Rollout,
    /// Paths the app writes to; mounted as `emptyDir` when the root filesystem is read-only.
    pub writable_paths: Vec<String>,
}

impl Default for Kubernetes {
    fn default() -> Self {
        Kubernetes {
            enabled: true,
            namespace: "app".to_owned(),
            replicas: 3,
            resources: Resources::default(),
            probes: Probes::default(),
            security_context: SecurityContext::default(),
            hpa: Hpa::default(),
            pdb: Pdb::default(),
            ingress: Ingress::default(),
            rollout: Rollout::default(),
            writable_paths: vec!["/tmp".to_owned()],
        }
    }
}

/// 000's sizes; 004's larger ones are the alternative (docs/defaults.md#a8-resource-sizes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Resources {
    pub requests_cpu: String,
    pub requests_memory: String,
    pub limits_cpu: String,
    pub limits_memory: String,
}

impl Default for Resources {
    fn default() -> Self {
        Resources {
            requests_cpu: "100m".to_owned(),
            requests_memory: "128Mi".to_owned(),
            limits_cpu: "200m".to_owned(),
            limits_memory: "256Mi".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Probes {
    pub startup: Probe,
    pub liveness: Probe,
    pub readiness: Probe,
}

impl Default for Probes {
    /// No initial delays: the startup probe covers the boot (docs/defaults.md#a7-liveness-delay).
    fn default() -> Self {
        Probes {
            startup: Probe::http("/health/startup", 0, 5, 30),
            liveness: Probe::http("/health/liveness", 0, 10, 3),
            readiness: Probe::http("/health/readiness", 0, 5, 2),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Probe {
    pub enabled: bool,
    pub path: String,
    pub initial_delay_seconds: u32,
    pub period_seconds: u32,
    pub timeout_seconds: u32,
    pub failure_threshold: u32,
}

impl Default for Probe {
    fn default() -> Self {
        Probe::http("/health", 0, 10, 3)
    }
}

impl Probe {
    pub fn http(path: &str, initial_delay: u32, period: u32, failure_threshold: u32) -> Self {
        Probe {
            enabled: true,
            path: path.to_owned(),
            initial_delay_seconds: initial_delay,
            period_seconds: period,
            timeout_seconds: 3,
            failure_threshold,
        }
    }
}

/// Pod and container security settings, placed where Kubernetes accepts them (VALID-001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityContext {
    pub run_as_non_root: bool,
    pub run_as_user: u32,
    pub run_as_group: u32,
    pub fs_group: u32,
    pub allow_privilege_escalation: bool,
    pub read_only_root_filesystem: bool,
    pub drop_capabilities: Vec<String>,
    pub seccomp_runtime_default: bool,
}

impl Default for SecurityContext {
    fn default() -> Self {
        SecurityContext {
            run_as_non_root: true,
            run_as_user: 1001,
            run_as_group: 1001,
            fs_group: 1001,
            allow_privilege_escalation: false,
            read_only_root_filesystem: true,
            drop_capabilities: vec!["ALL".to_owned()],
            seccomp_runtime_default: true,
        }
    }
}

/// `autoscaling/v2`, 3 to 10 replicas at 70 % CPU (docs/defaults.md#kubernetes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Hpa {
    pub enabled: bool,
    pub min_replicas: u32,
    pub max_replicas: u32,
    pub cpu_utilization: u32,
}

impl Default for Hpa {
    fn default() -> Self {
        Hpa {
            enabled: true,
            min_replicas: 3,
            max_replicas: 10,
            cpu_utilization: 70,
        }
    }
}

/// `policy/v1`, `minAvailable: 2` (docs/defaults.md#kubernetes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pdb {
    pub enabled: bool,
    pub min_available: IntOrPercent,
}

impl Default for Pdb {
    fn default() -> Self {
        Pdb {
            enabled: true,
            min_available: IntOrPercent::Int(2),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Ingress {
    pub enabled: bool,
    pub class_name: String,
    pub host: String,
    /// Path prefix the service answers under that host (`/`, or `/api` when several services
    /// share a host). Since schema version 3.
    pub path: String,
    pub tls: bool,
    /// cert-manager issuer that provisions the TLS certificate.
    pub cluster_issuer: String,
}

impl Default for Ingress {
    fn default() -> Self {
        Ingress {
            enabled: true,
            class_name: "nginx".to_owned(),
            host: "app.example.com".to_owned(),
            path: "/".to_owned(),
            tls: true,
            cluster_issuer: "letsencrypt-prod".to_owned(),
        }
    }
}

/// How a new version replaces the old one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rollout {
    pub strategy: RolloutStrategy,
    /// Rolling: extra pods allowed during the update (25 %, docs/defaults.md#kubernetes).
    pub max_surge: IntOrPercent,
    /// Rolling: pods that may be unavailable (0 for zero downtime).
    pub max_unavailable: IntOrPercent,
    /// Blue-green: the colour that receives traffic now.
    pub active_color: Color,
    /// Canary: traffic engine.
    pub canary_engine: CanaryEngine,
    /// Canary: traffic weights and pauses, in order.
    pub canary_steps: Vec<CanaryStep>,
    /// Argo Rollouts canary and blue-green: judge the new version by the design's error-rate
    /// and latency thresholds through Prometheus, and stop the release when it fails them
    /// (ROLLOUT-008). Since schema version 3, additive.
    pub analysis: bool,
    /// Seconds before a stalled rollout is marked failed.
    pub progress_deadline_seconds: u32,
    pub revision_history_limit: u32,
}

impl Default for Rollout {
    fn default() -> Self {
        Rollout {
            strategy: RolloutStrategy::Rolling,
            max_surge: IntOrPercent::percent(25),
            max_unavailable: IntOrPercent::Int(0),
            active_color: Color::Blue,
            canary_engine: CanaryEngine::ArgoRollouts,
            canary_steps: CanaryStep::progressive(),
            analysis: true,
            progress_deadline_seconds: 600,
            revision_history_limit: 10,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RolloutStrategy {
    #[default]
    Rolling,
    BlueGreen,
    Canary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Color {
    #[default]
    Blue,
    Green,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CanaryEngine {
    /// An Argo Rollouts `Rollout` with `setWeight` / `pause` steps.
    #[default]
    ArgoRollouts,
    /// Two Deployments behind one Service; traffic follows the replica ratio.
    ReplicaRatio,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct CanaryStep {
    /// Percentage of traffic sent to the canary.
    pub weight: u32,
    /// Seconds to wait before the next step; 0 waits for a manual promotion.
    pub pause_seconds: u32,
}

impl CanaryStep {
    /// 1 % → 5 % → 25 % → 100 %, with a pause to observe each step (docs/defaults.md#a21-canary).
    pub fn progressive() -> Vec<CanaryStep> {
        [(1, 300), (5, 300), (25, 600), (100, 0)]
            .into_iter()
            .map(|(weight, pause_seconds)| CanaryStep {
                weight,
                pause_seconds,
            })
            .collect()
    }
}
