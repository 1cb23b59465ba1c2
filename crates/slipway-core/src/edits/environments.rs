//! Deployment targets.

use crate::model::{Design, Environment, EnvironmentTier, ServiceSize};

/// A pod count a service can set for itself in one environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodCount {
    Replicas,
    AutoscaleMin,
    AutoscaleMax,
}

/// The service's own value of `count` in the environment; 0 when it keeps the environment's.
pub fn service_pod_count(environment: &Environment, service: &str, count: PodCount) -> u32 {
    environment
        .size_of(service)
        .map_or(0, |(_, size)| match count {
            PodCount::Replicas => size.replicas,
            PodCount::AutoscaleMin => size.hpa_min_replicas,
            PodCount::AutoscaleMax => size.hpa_max_replicas,
        })
}

/// Sets the service's own `count` in the environment (0 goes back to the environment's); an
/// entry left with no value of its own is removed.
pub fn set_service_pod_count(
    environment: &mut Environment,
    service: &str,
    count: PodCount,
    value: u32,
) {
    let index = match environment.size_of(service) {
        Some((index, _)) => index,
        None if value == 0 => return,
        None => {
            environment.services.push(ServiceSize {
                service: service.to_owned(),
                ..ServiceSize::default()
            });
            environment.services.len() - 1
        }
    };
    let size = &mut environment.services[index];
    match count {
        PodCount::Replicas => size.replicas = value,
        PodCount::AutoscaleMin => size.hpa_min_replicas = value,
        PodCount::AutoscaleMax => size.hpa_max_replicas = value,
    }
    if size.replicas == 0 && size.hpa_min_replicas == 0 && size.hpa_max_replicas == 0 {
        environment.services.remove(index);
    }
}

/// Adds a development environment named `preview-<n>` (the first free name), with its own
/// secret prefix.
pub fn add_environment(design: &mut Design) {
    let name = (1..)
        .map(|n| format!("preview-{n}"))
        .find(|name| design.environments.iter().all(|e| &e.name != name))
        .unwrap_or_default();
    let mut environment = Environment {
        name,
        tier: EnvironmentTier::Development,
        requires_approval: false,
        reviewers: Vec::new(),
        ..Environment::staging()
    };
    environment.secret_prefix = crate::migrate::default_secret_prefix(&environment);
    design.environments.push(environment);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_pod_count_is_added_changed_and_dropped_when_back_to_the_default() {
        let mut production = Environment::production();
        set_service_pod_count(&mut production, "worker", PodCount::Replicas, 0);
        assert!(production.services.is_empty());
        set_service_pod_count(&mut production, "worker", PodCount::AutoscaleMax, 12);
        assert_eq!(
            service_pod_count(&production, "worker", PodCount::AutoscaleMax),
            12
        );
        assert_eq!(production.pods_of("worker").2, 12);
        assert_eq!(production.pods_of("api").2, production.hpa_max_replicas);
        set_service_pod_count(&mut production, "worker", PodCount::AutoscaleMax, 0);
        assert!(production.services.is_empty());
    }

    #[test]
    fn a_new_environment_gets_a_free_name_and_its_own_secret_prefix() {
        let mut design = Design::default();
        add_environment(&mut design);
        add_environment(&mut design);
        let added: Vec<(&str, &str)> = design.environments[2..]
            .iter()
            .map(|e| (e.name.as_str(), e.secret_prefix.as_str()))
            .collect();
        assert_eq!(
            added,
            [("preview-1", "preview-1"), ("preview-2", "preview-2")]
        );
    }
}
