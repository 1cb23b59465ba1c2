//! Kubernetes workload rules (docs/rules.md#kubernetes), checked on the settings every
//! environment's manifests are rendered from. They apply when the design deploys to Kubernetes;
//! probe and ingress rules apply to web services only (workers get no HTTP probes, Service or
//! Ingress).
//!
//! Not implemented: K8S-010 (the Service and its selector are generated for every web service;
//! nothing in the design can break them) and K8S-014 (the design models no database running
//! inside the cluster; the managed database comes from Terraform).

rules! {
    k8s_001::RunAsNonRoot,
    k8s_002::NoPrivilegeEscalation,
    k8s_003::ReadOnlyRootFilesystem,
    k8s_004::DropAllCapabilities,
    k8s_005::StartupProbe,
    k8s_006::LivenessProbe,
    k8s_007::ReadinessProbe,
    k8s_008::ProbesDistinctPurpose,
    k8s_009::ResourcesRequestsAndLimits,
    k8s_011::IngressWithTls,
    k8s_012::AutoscalingAndReplicaFloor,
    k8s_013::PodDisruptionBudget,
    k8s_015::NamespaceResourceQuota,
}

use crate::model::{Design, EnvironmentTier, IntOrPercent, Kubernetes, Probe, RolloutStrategy};

/// The Kubernetes settings, when the design deploys to Kubernetes.
pub(crate) fn workload(design: &Design) -> Option<&Kubernetes> {
    design.kubernetes.enabled.then_some(&design.kubernetes)
}

/// The Kubernetes settings of a web service (probes, Service, Ingress).
pub(crate) fn web_workload(design: &Design) -> Option<&Kubernetes> {
    workload(design).filter(|_| design.project.kind.is_web())
}

/// A Kubernetes quantity (`100m`, `0.5`, `128Mi`, `1G`, `1e3`) in base units: cores or bytes.
pub(crate) fn quantity(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '+')))
        .map_or(text.len(), |(i, _)| i);
    let (number, suffix) = text.split_at(split);
    let value: f64 = number.trim_start_matches('+').parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0_f64.powi(2),
        "Gi" => 1024.0_f64.powi(3),
        "Ti" => 1024.0_f64.powi(4),
        "Pi" => 1024.0_f64.powi(5),
        "Ei" => 1024.0_f64.powi(6),
        exponent => {
            let digits = exponent
                .strip_prefix('e')
                .or_else(|| exponent.strip_prefix('E'))?;
            10f64.powi(digits.parse().ok()?)
        }
    };
    value.is_finite().then_some(value * factor)
}

/// How many pods a deployment runs in one environment, with the fields that set it.
pub(crate) struct Size {
    /// The environment's name, or `base` when the design has no environments.
    pub label: String,
    pub tier: Option<EnvironmentTier>,
    pub replicas: u32,
    pub min: u32,
    pub max: u32,
    pub replicas_field: String,
    pub min_field: String,
    pub max_field: String,
}

impl Size {
    /// The fewest pods the environment runs: the HPA's floor, or the fixed count.
    pub fn smallest(&self, hpa: bool) -> u32 {
        if hpa {
            self.min
        } else {
            self.replicas
        }
    }

    /// The most pods the environment runs outside a rollout.
    pub fn largest(&self, hpa: bool) -> u32 {
        if hpa {
            self.max.max(self.min)
        } else {
            self.replicas
        }
    }
}

/// Every environment's size (the base values when the design has no environments).
pub(crate) fn sizes(design: &Design) -> Vec<Size> {
    if design.environments.is_empty() {
        let k8s = &design.kubernetes;
        return vec![Size {
            label: "base".to_owned(),
            tier: None,
            replicas: k8s.replicas,
            min: k8s.hpa.min_replicas,
            max: k8s.hpa.max_replicas,
            replicas_field: "kubernetes.replicas".to_owned(),
            min_field: "kubernetes.hpa.min_replicas".to_owned(),
            max_field: "kubernetes.hpa.max_replicas".to_owned(),
        }];
    }
    design
        .environments
        .iter()
        .enumerate()
        .map(|(i, env)| Size {
            label: env.name.clone(),
            tier: Some(env.tier),
            replicas: env.replicas,
            min: env.hpa_min_replicas,
            max: env.hpa_max_replicas,
            replicas_field: format!("environments[{i}].replicas"),
            min_field: format!("environments[{i}].hpa_min_replicas"),
            max_field: format!("environments[{i}].hpa_max_replicas"),
        })
        .collect()
}

/// The production size (the base values when no environment is production).
pub(crate) fn production_size(design: &Design) -> Size {
    let mut sizes = sizes(design);
    let position = sizes
        .iter()
        .position(|size| size.tier == Some(EnvironmentTier::Production))
        .unwrap_or(0);
    sizes.swap_remove(position)
}

/// Sets an environment's counts by the fields [`sizes`] reports.
pub(crate) fn set_size(design: &mut Design, field: &str, value: u32) {
    if let Some(rest) = field.strip_prefix("environments[") {
        let (index, name) = rest.split_once("].").unwrap_or(("", ""));
        if let Some(env) = index
            .parse::<usize>()
            .ok()
            .and_then(|i| design.environments.get_mut(i))
        {
            match name {
                "replicas" => env.replicas = value,
                "hpa_min_replicas" => env.hpa_min_replicas = value,
                "hpa_max_replicas" => env.hpa_max_replicas = value,
                _ => {}
            }
        }
        return;
    }
    let k8s = &mut design.kubernetes;
    match field {
        "kubernetes.replicas" => k8s.replicas = value,
        "kubernetes.hpa.min_replicas" => k8s.hpa.min_replicas = value,
        "kubernetes.hpa.max_replicas" => k8s.hpa.max_replicas = value,
        _ => {}
    }
}

/// Pods of `value` out of `total` (`25%` of 4 → 1, rounded up like maxSurge); `None` when the
/// text is neither a count nor a percentage.
pub(crate) fn pods_of(value: &IntOrPercent, total: u32, round_up: bool) -> Option<u32> {
    match value {
        IntOrPercent::Int(n) => Some(*n),
        IntOrPercent::Percent(text) => {
            let percent: f64 = text.trim().strip_suffix('%')?.trim().parse().ok()?;
            if !(0.0..=100.0).contains(&percent) {
                return None;
            }
            let exact = percent * f64::from(total) / 100.0;
            Some(if round_up {
                exact.ceil()
            } else {
                exact.floor()
            } as u32)
        }
    }
}

/// The most pods production runs at once, during a rollout included: the surge on rolling
/// updates, a second full set during a blue-green switch or a canary at full weight.
pub(crate) fn peak_pods(design: &Design) -> u32 {
    let k8s = &design.kubernetes;
    let pods = production_size(design).largest(k8s.hpa.enabled);
    match k8s.rollout.strategy {
        RolloutStrategy::Rolling => pods + pods_of(&k8s.rollout.max_surge, pods, true).unwrap_or(0),
        RolloutStrategy::BlueGreen | RolloutStrategy::Canary => pods * 2,
    }
}

/// A probe's usable settings: enabled, with a path and a period.
fn probe_gaps(probe: &Probe) -> Vec<&'static str> {
    let mut gaps = Vec::new();
    if !probe.enabled {
        gaps.push("is disabled");
        return gaps;
    }
    if probe.path.trim().is_empty() {
        gaps.push("has no path");
    }
    if probe.period_seconds == 0 {
        gaps.push("has no period");
    }
    if probe.failure_threshold == 0 {
        gaps.push("has no failure threshold");
    }
    gaps
}

/// The default design with its Kubernetes settings changed.
#[cfg(test)]
fn with_k8s(edit: impl FnOnce(&mut Kubernetes)) -> Design {
    let mut design = Design::default();
    edit(&mut design.kubernetes);
    design
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse_like_kubernetes() {
        assert_eq!(quantity("100m"), Some(0.1));
        assert_eq!(quantity("2"), Some(2.0));
        assert_eq!(quantity("128Mi"), Some(128.0 * 1024.0 * 1024.0));
        assert_eq!(quantity("1G"), Some(1e9));
        assert_eq!(quantity("1e3"), Some(1000.0));
        assert_eq!(quantity("lots"), None);
        assert_eq!(quantity("1Gb"), None);
        assert_eq!(quantity(""), None);
    }

    #[test]
    fn percentages_round_like_rolling_updates() {
        assert_eq!(pods_of(&IntOrPercent::percent(25), 3, true), Some(1));
        assert_eq!(pods_of(&IntOrPercent::percent(25), 3, false), Some(0));
        assert_eq!(pods_of(&IntOrPercent::Percent("x".into()), 3, true), None);
    }
}
