//! The project's language, tooling and kind, and what follows from them.

use crate::facts::stages::{default_images, STATIC_SITE_IMAGE};
use crate::model::{Commands, Design, PackageManager, Runtime, Service, ServiceKind};

/// A new service with the documented defaults for its language and kind, in the folder named
/// after it: what "add a service" creates.
pub fn new_service(name: &str, runtime: Runtime, kind: ServiceKind) -> Service {
    let mut service = Service {
        name: name.to_owned(),
        directory: name.to_owned(),
        ..Service::default()
    };
    set_runtime(&mut service, runtime);
    set_service_kind(&mut service, kind);
    service
}

/// A service name not used yet in `design`, starting from `base` (`worker`, `worker-2`, …).
pub fn fresh_service_name(design: &Design, base: &str) -> String {
    crate::text::first_free(base, |name| {
        design.services.iter().any(|service| service.name == name)
    })
}

/// Switches the service to another language, resetting what depends on it: version, package
/// manager, lockfile, commands, images, port and runtime user name.
pub fn set_runtime(service: &mut Service, runtime: Runtime) {
    let version = runtime.default_version().to_owned();
    let manager = runtime.default_package_manager();
    let project = &mut *service;
    project.runtime = runtime;
    project.runtime_version = version.clone();
    project.package_manager = manager;
    project.lockfile = manager.lockfile().to_owned();
    project.commands = Commands::for_runtime(runtime, manager);
    let (build_image, runtime_image) = default_images(runtime, &version);
    let container = &mut service.container;
    container.build_image = build_image;
    container.runtime_image = runtime_image;
    container.port = runtime.default_port();
    container.user.name = match runtime {
        Runtime::Node => "nodejs",
        _ => "app",
    }
    .to_owned();
    container.stages.clear();
}

/// Makes the service a web service, a worker or a static site, adjusting the final image, the
/// port, the health check and what gets routed to it.
pub fn set_service_kind(service: &mut Service, kind: ServiceKind) {
    let runtime = service.runtime;
    service.kind = kind;
    let (_, runtime_image) = default_images(runtime, &service.runtime_version);
    let container = &mut service.container;
    container.stages.clear();
    match kind {
        ServiceKind::StaticSite => {
            container.runtime_image = STATIC_SITE_IMAGE.to_owned();
            container.port = 8080;
            container.user.name = "nginx".to_owned();
            container.user.uid = 101;
            container.user.gid = 101;
            container.healthcheck.enabled = true;
            container.healthcheck.path = "/".to_owned();
        }
        ServiceKind::Worker | ServiceKind::WebService => {
            if container.runtime_image == STATIC_SITE_IMAGE {
                container.runtime_image = runtime_image;
                container.port = runtime.default_port();
                container.user = Default::default();
            }
            container.healthcheck.enabled = kind == ServiceKind::WebService;
        }
    }
    service.kubernetes.ingress.enabled = kind.is_web();
    service.kubernetes.security_context.run_as_user = service.container.user.uid;
    service.kubernetes.security_context.run_as_group = service.container.user.gid;
    service.kubernetes.security_context.fs_group = service.container.user.gid;
}

/// Switches the package manager and the lockfile that goes with it.
pub fn set_package_manager(service: &mut Service, manager: PackageManager) {
    service.package_manager = manager;
    service.lockfile = manager.lockfile().to_owned();
}

/// Changes the language version and the images that carry it.
pub fn set_runtime_version(service: &mut Service, version: &str) {
    let old = default_images(service.runtime, &service.runtime_version);
    let new = default_images(service.runtime, version);
    service.runtime_version = version.to_owned();
    if service.container.build_image == old.0 {
        service.container.build_image = new.0;
    }
    if service.container.runtime_image == old.1 {
        service.container.runtime_image = new.1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_runtime_resets_dependent_settings() {
        let mut design = crate::model::Design::default();
        set_runtime(&mut design.services[0], Runtime::Python);
        assert_eq!(design.services[0].lockfile, "poetry.lock");
        assert_eq!(design.services[0].container.build_image, "python:3.12-slim");
        assert_eq!(design.services[0].container.port, 8000);
    }

    #[test]
    fn a_static_site_ships_on_unprivileged_nginx() {
        let mut design = crate::model::Design::default();
        set_service_kind(&mut design.services[0], ServiceKind::StaticSite);
        assert_eq!(
            design.services[0].container.runtime_image,
            STATIC_SITE_IMAGE
        );
        assert_eq!(
            design.services[0].kubernetes.security_context.run_as_user,
            101
        );
        set_service_kind(&mut design.services[0], ServiceKind::WebService);
        assert_eq!(design.services[0].container.port, 3000);
        assert_eq!(design.services[0].container.user.uid, 1001);
    }

    #[test]
    fn a_new_service_has_its_language_kind_and_folder() {
        let worker = new_service("mailer", Runtime::Python, ServiceKind::Worker);
        assert_eq!(worker.directory, "mailer");
        assert_eq!(worker.container.port, 8000);
        assert_eq!(worker.lockfile, "poetry.lock");
        assert!(!worker.kubernetes.ingress.enabled);
        let mut design = crate::model::Design::default();
        assert_eq!(fresh_service_name(&design, "app"), "app-2");
        design
            .services
            .push(new_service("app-2", Runtime::Go, ServiceKind::WebService));
        assert_eq!(fresh_service_name(&design, "app"), "app-3");
    }

    #[test]
    fn a_package_manager_brings_its_lockfile() {
        let mut design = crate::model::Design::default();
        set_package_manager(&mut design.services[0], PackageManager::Pnpm);
        assert_eq!(design.services[0].package_manager, PackageManager::Pnpm);
        assert_eq!(design.services[0].lockfile, "pnpm-lock.yaml");
    }

    #[test]
    fn a_version_change_follows_template_images_only() {
        let mut design = crate::model::Design::default();
        set_runtime_version(&mut design.services[0], "22");
        assert_eq!(design.services[0].container.runtime_image, "node:22-alpine");
        design.services[0].container.runtime_image = "gcr.io/distroless/nodejs22".into();
        set_runtime_version(&mut design.services[0], "24");
        assert_eq!(
            design.services[0].container.runtime_image,
            "gcr.io/distroless/nodejs22"
        );
    }
}
