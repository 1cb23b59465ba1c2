//! The Services panel's edits of the design's list of services, and where the selection goes
//! after them. Pure functions, tested natively; the panel runs them through the store's edit
//! path, so each is one undo step.

use slipway_core::edits::{fresh_service_name, new_service};
use slipway_core::model::{Runtime, Service, ServiceKind};
use slipway_core::Design;

/// The name a new service gets: `service-N`, N one past the number of services and free.
pub fn new_service_name(design: &Design) -> String {
    (design.services.len() + 1..)
        .map(|n| format!("service-{n}"))
        .find(|name| design.services.iter().all(|service| &service.name != name))
        .unwrap_or_else(|| "service".to_owned())
}

/// The first port from `wanted` up that no service of the design listens on.
fn free_port(design: &Design, wanted: u16) -> u16 {
    let taken = |port: u16| {
        design
            .services
            .iter()
            .any(|service| service.container.port == port)
    };
    (wanted..=u16::MAX)
        .find(|&port| !taken(port))
        .unwrap_or(wanted)
}

/// Moves `service` to a port no other service of the design listens on (compose publishes
/// each on its own, SERVICE-004), with the start command's argument that named the old one.
fn take_free_port(design: &Design, service: &mut Service) {
    let old = service.container.port;
    let port = free_port(design, old);
    if port == old {
        return;
    }
    service.container.port = port;
    for arg in &mut service.commands.start {
        if *arg == old.to_string() {
            *arg = port.to_string();
        }
    }
}

/// Adds a service of `kind` from the runtime's template, in a folder named after it, on a
/// port of its own, deployed the way `like` is (Kubernetes namespace, Kubernetes and Railway
/// on or off). A static site is built with Node whatever `like` runs. Returns its index.
pub fn add_service(design: &mut Design, kind: ServiceKind, like: Option<&Service>) -> usize {
    let name = new_service_name(design);
    let runtime = match (kind, like) {
        (ServiceKind::StaticSite, _) | (_, None) => Runtime::Node,
        (_, Some(like)) => like.runtime,
    };
    let mut service = new_service(&name, runtime, kind);
    if let Some(like) = like {
        service.kubernetes.enabled = like.kubernetes.enabled;
        service.kubernetes.namespace = like.kubernetes.namespace.clone();
        service.railway.enabled = like.railway.enabled;
    }
    take_free_port(design, &mut service);
    design.services.push(service);
    design.services.len() - 1
}

/// Copies the service at `index` right after it, under a fresh name, in a folder named after
/// it (two services never share a Dockerfile) and on a port of its own. Returns the copy's
/// index.
pub fn duplicate_service(design: &mut Design, index: usize) -> Option<usize> {
    let mut copy = design.services.get(index)?.clone();
    copy.name = fresh_service_name(design, &format!("{}-copy", copy.name));
    copy.directory = copy.name.clone();
    take_free_port(design, &mut copy);
    design.services.insert(index + 1, copy);
    Some(index + 1)
}

/// Removes the service at `index` and the other services' references to it. Refused (returns
/// false) for the last service: a design always has one.
pub fn remove_service(design: &mut Design, index: usize) -> bool {
    if design.services.len() <= 1 || index >= design.services.len() {
        return false;
    }
    let removed = design.services.remove(index);
    if design.service_named(&removed.name).is_none() {
        for service in &mut design.services {
            service.talks_to.retain(|name| *name != removed.name);
        }
        for environment in &mut design.environments {
            environment
                .services
                .retain(|size| size.service != removed.name);
        }
    }
    true
}

/// Moves the service at `index` one place up (`step` −1) or down (+1). Returns its new index,
/// or `None` at either end.
pub fn move_service(design: &mut Design, index: usize, step: isize) -> Option<usize> {
    let target = index.checked_add_signed(step)?;
    if index >= design.services.len() || target >= design.services.len() {
        return None;
    }
    design.services.swap(index, target);
    Some(target)
}

/// Renames the service at `index`, and the other services' and the environments' references
/// to it.
pub fn rename_service(design: &mut Design, index: usize, name: &str) {
    let Some(old) = design
        .services
        .get(index)
        .map(|service| service.name.clone())
    else {
        return;
    };
    // Another service of the old name keeps the references.
    let shared = design
        .services
        .iter()
        .enumerate()
        .any(|(other, service)| other != index && service.name == old);
    design.services[index].name = name.to_owned();
    if shared || old == name {
        return;
    }
    for (other, service) in design.services.iter_mut().enumerate() {
        if other == index {
            continue;
        }
        for target in &mut service.talks_to {
            if *target == old {
                *target = name.to_owned();
            }
        }
    }
    for environment in &mut design.environments {
        for size in &mut environment.services {
            if size.service == old {
                size.service = name.to_owned();
            }
        }
    }
}

/// The selection after the service at `removed` is removed: the same service when it was
/// another one, else the one that took its place (or the new last one).
pub fn selection_after_remove(selected: usize, removed: usize, count_after: usize) -> usize {
    let selected = if selected > removed {
        selected - 1
    } else {
        selected
    };
    selected.min(count_after.saturating_sub(1))
}

/// The selection after the services at `from` and `to` swapped places: it follows the service.
pub fn selection_after_swap(selected: usize, from: usize, to: usize) -> usize {
    if selected == from {
        to
    } else if selected == to {
        from
    } else {
        selected
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slipway_core::presets;

    fn design() -> Design {
        let mut design = presets::for_runtime(Runtime::Go);
        design.services[0].name = "api".into();
        design
    }

    fn names(design: &Design) -> Vec<&str> {
        design.services.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn a_new_service_gets_a_free_name_its_own_folder_and_its_kind() {
        let mut design = design();
        let like = design.services[0].clone();
        let index = add_service(&mut design, ServiceKind::Worker, Some(&like));
        assert_eq!(index, 1);
        let worker = &design.services[1];
        assert_eq!(
            (worker.name.as_str(), worker.directory.as_str()),
            ("service-2", "service-2")
        );
        assert_eq!(worker.kind, ServiceKind::Worker);
        assert_eq!(worker.runtime, Runtime::Go);
        assert!(!worker.kubernetes.ingress.enabled);
        assert_eq!(
            worker.kubernetes.namespace,
            design.services[0].kubernetes.namespace
        );

        design.services[0].name = "service-3".into();
        let site = add_service(&mut design, ServiceKind::StaticSite, None);
        assert_eq!(design.services[site].name, "service-4");
        assert_eq!(design.services[site].runtime, Runtime::Node);
        assert_eq!(design.services[site].kind, ServiceKind::StaticSite);
        // Go listens on 8080 like a static site's web server: the site takes the next port.
        assert_eq!(design.services[0].container.port, 8080);
        assert_eq!(design.services[1].container.port, 8081);
        assert_eq!(design.services[site].container.port, 8082);
    }

    #[test]
    fn a_new_service_s_start_command_follows_its_own_port() {
        let mut design = presets::for_runtime(Runtime::Python);
        let like = design.services[0].clone();
        let index = add_service(&mut design, ServiceKind::WebService, Some(&like));
        let service = &design.services[index];
        assert_eq!(service.container.port, 8001);
        assert!(
            service.commands.start.contains(&"8001".to_owned()),
            "{:?}",
            service.commands.start
        );
        assert!(!service.commands.start.contains(&"8000".to_owned()));
    }

    #[test]
    fn a_duplicate_follows_its_original_under_a_fresh_name() {
        let mut design = design();
        design.services[0].container.port = 9000;
        assert_eq!(duplicate_service(&mut design, 0), Some(1));
        assert_eq!(duplicate_service(&mut design, 0), Some(1));
        assert_eq!(names(&design), ["api", "api-copy-2", "api-copy"]);
        assert_eq!(design.services[1].directory, "api-copy-2");
        let ports: Vec<u16> = design.services.iter().map(|s| s.container.port).collect();
        assert_eq!(ports, [9000, 9002, 9001]);
        assert_eq!(duplicate_service(&mut design, 7), None);
    }

    #[test]
    fn the_last_service_is_never_removed_and_references_go_with_a_removed_one() {
        let mut design = design();
        assert!(!remove_service(&mut design, 0));
        add_service(&mut design, ServiceKind::Worker, None);
        design.services[0].talks_to = vec!["service-2".into(), "db".into()];
        assert!(remove_service(&mut design, 1));
        assert_eq!(design.services[0].talks_to, ["db"]);
        assert!(!remove_service(&mut design, 0));
        assert!(!remove_service(&mut design, 3));
    }

    #[test]
    fn moving_stops_at_either_end() {
        let mut design = design();
        add_service(&mut design, ServiceKind::Worker, None);
        assert_eq!(move_service(&mut design, 0, -1), None);
        assert_eq!(move_service(&mut design, 1, 1), None);
        assert_eq!(move_service(&mut design, 1, -1), Some(0));
        assert_eq!(names(&design), ["service-2", "api"]);
    }

    #[test]
    fn a_rename_carries_the_references_along() {
        let mut design = design();
        add_service(&mut design, ServiceKind::Worker, None);
        design.services[1].talks_to = vec!["api".into()];
        design.environments[0]
            .services
            .push(slipway_core::model::ServiceSize {
                service: "api".into(),
                replicas: 2,
                ..Default::default()
            });
        rename_service(&mut design, 0, "gateway");
        assert_eq!(design.services[0].name, "gateway");
        assert_eq!(design.services[1].talks_to, ["gateway"]);
        assert_eq!(design.environments[0].services[0].service, "gateway");
        rename_service(&mut design, 9, "nothing");
        assert_eq!(names(&design), ["gateway", "service-2"]);
    }

    #[test]
    fn the_selection_follows_its_service() {
        assert_eq!(selection_after_remove(2, 0, 2), 1);
        assert_eq!(selection_after_remove(0, 2, 2), 0);
        assert_eq!(selection_after_remove(2, 2, 2), 1);
        assert_eq!(selection_after_remove(1, 1, 2), 1);
        assert_eq!(selection_after_swap(1, 1, 0), 0);
        assert_eq!(selection_after_swap(0, 1, 0), 1);
        assert_eq!(selection_after_swap(2, 1, 0), 2);
    }
}
