//! The Kubernetes workload: whether the design deploys one, and how many pods each environment
//! runs.

use crate::model::{Design, EnvironmentTier, IntOrPercent, Kubernetes, RolloutStrategy, Service};

/// The service's Kubernetes settings, when it deploys to Kubernetes.
pub(crate) fn workload(service: &Service) -> Option<&Kubernetes> {
    service.kubernetes.enabled.then_some(&service.kubernetes)
}

/// The Kubernetes settings of a web service (probes, Service, Ingress).
pub(crate) fn web_workload(service: &Service) -> Option<&Kubernetes> {
    workload(service).filter(|_| service.kind.is_web())
}

/// The path a smoke test probes on a web service: its readiness path when readiness is probed,
/// else the container's health-check path; always starting with `/`, percent-encoded.
pub(crate) fn health_path(service: &Service) -> String {
    let probe = &service.kubernetes.probes.readiness;
    let path = if probe.enabled && !probe.path.trim().is_empty() {
        probe.path.trim()
    } else {
        service.container.healthcheck.path.trim()
    };
    crate::text::url_path(path)
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

/// Every environment's size for a service (its base values when the design has no
/// environments).
pub(crate) fn sizes(design: &Design, service: &Service) -> Vec<Size> {
    if design.environments.is_empty() {
        let k8s = &service.kubernetes;
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
        .map(|(i, env)| {
            let (replicas, min, max) = env.pods_of(&service.name);
            let own = env.size_of(&service.name);
            // A field the service overrides is reported (and fixed) in its override.
            let field = |name: &str, value: Option<u32>| match (own, value) {
                (Some((j, _)), Some(v)) if v > 0 => {
                    format!("environments[{i}].services[{j}].{name}")
                }
                _ => format!("environments[{i}].{name}"),
            };
            Size {
                label: env.name.clone(),
                tier: Some(env.tier),
                replicas,
                min,
                max,
                replicas_field: field("replicas", own.map(|(_, size)| size.replicas)),
                min_field: field(
                    "hpa_min_replicas",
                    own.map(|(_, size)| size.hpa_min_replicas),
                ),
                max_field: field(
                    "hpa_max_replicas",
                    own.map(|(_, size)| size.hpa_max_replicas),
                ),
            }
        })
        .collect()
}

/// The production size (the base values when no environment is production).
pub(crate) fn production_size(design: &Design, service: &Service) -> Size {
    let mut sizes = sizes(design, service);
    let position = sizes
        .iter()
        .position(|size| size.tier == Some(EnvironmentTier::Production))
        .unwrap_or(0);
    sizes.swap_remove(position)
}

/// Sets an environment's counts by the fields [`sizes`] reports (a base field in the service
/// at `index`).
pub(crate) fn set_size(design: &mut Design, index: usize, field: &str, value: u32) {
    if let Some(rest) = field.strip_prefix("environments[") {
        let (index, name) = rest.split_once("].").unwrap_or(("", ""));
        let Some(env) = index
            .parse::<usize>()
            .ok()
            .and_then(|i| design.environments.get_mut(i))
        else {
            return;
        };
        // The environment's own counts, or a service's override of them.
        let (name, replicas, min, max) = match name.strip_prefix("services[") {
            None => (
                name,
                &mut env.replicas,
                &mut env.hpa_min_replicas,
                &mut env.hpa_max_replicas,
            ),
            Some(rest) => {
                let (j, name) = rest.split_once("].").unwrap_or(("", ""));
                let Some(size) = j
                    .parse::<usize>()
                    .ok()
                    .and_then(|j| env.services.get_mut(j))
                else {
                    return;
                };
                (
                    name,
                    &mut size.replicas,
                    &mut size.hpa_min_replicas,
                    &mut size.hpa_max_replicas,
                )
            }
        };
        match name {
            "replicas" => *replicas = value,
            "hpa_min_replicas" => *min = value,
            "hpa_max_replicas" => *max = value,
            _ => {}
        }
        return;
    }
    let Some(service) = design.services.get_mut(index) else {
        return;
    };
    let k8s = &mut service.kubernetes;
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
pub(crate) fn peak_pods(design: &Design, service: &Service) -> u32 {
    let k8s = &service.kubernetes;
    let pods = production_size(design, service).largest(k8s.hpa.enabled);
    match k8s.rollout.strategy {
        RolloutStrategy::Rolling => pods + pods_of(&k8s.rollout.max_surge, pods, true).unwrap_or(0),
        RolloutStrategy::BlueGreen | RolloutStrategy::Canary => pods * 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_size_overrides_the_environment_and_is_reported_where_it_is_written() {
        let mut design = crate::rules::support::preset("web-api-worker");
        let worker = design
            .services
            .iter()
            .position(|s| s.name == "worker")
            .unwrap();
        design.environments[1]
            .services
            .push(crate::model::ServiceSize {
                service: "worker".into(),
                replicas: 1,
                hpa_max_replicas: 20,
                ..Default::default()
            });
        let sizes = sizes(&design, &design.services[worker]);
        assert_eq!(sizes[1].replicas, 1);
        assert_eq!(sizes[1].min, design.environments[1].hpa_min_replicas);
        assert_eq!(sizes[1].max, 20);
        assert_eq!(
            sizes[1].replicas_field,
            "environments[1].services[0].replicas"
        );
        assert_eq!(sizes[1].min_field, "environments[1].hpa_min_replicas");
        let api = sizes_of(&design, "api");
        assert_eq!(api[1].replicas, design.environments[1].replicas);
        let field = sizes[1].replicas_field.clone();
        set_size(&mut design, worker, &field, 3);
        assert_eq!(design.environments[1].services[0].replicas, 3);
        let bundle = crate::generate(&design);
        let values = &bundle
            .file("charts/worker/values/production.yaml")
            .expect("production values")
            .contents;
        assert!(values.contains("replicaCount: 3"), "{values}");
        assert!(values.contains("maxReplicas: 20"), "{values}");
    }

    fn sizes_of(design: &Design, name: &str) -> Vec<Size> {
        sizes(design, design.service_named(name).unwrap())
    }

    #[test]
    fn percentages_round_like_rolling_updates() {
        assert_eq!(pods_of(&IntOrPercent::percent(25), 3, true), Some(1));
        assert_eq!(pods_of(&IntOrPercent::percent(25), 3, false), Some(0));
        assert_eq!(pods_of(&IntOrPercent::Percent("x".into()), 3, true), None);
    }
}
