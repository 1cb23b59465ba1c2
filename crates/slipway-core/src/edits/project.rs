//! The project's language, tooling and kind, and what follows from them.

use crate::facts::stages::{default_images, STATIC_SITE_IMAGE};
use crate::model::{Commands, Design, PackageManager, Runtime, ServiceKind};

/// Switches the design to another language, resetting what depends on it: version, package
/// manager, lockfile, commands, images, port and runtime user name.
pub fn set_runtime(design: &mut Design, runtime: Runtime) {
    let version = runtime.default_version().to_owned();
    let manager = runtime.default_package_manager();
    let project = &mut design.project;
    project.runtime = runtime;
    project.runtime_version = version.clone();
    project.package_manager = manager;
    project.lockfile = manager.lockfile().to_owned();
    project.commands = Commands::for_runtime(runtime, manager);
    let (build_image, runtime_image) = default_images(runtime, &version);
    let container = &mut design.container;
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

/// Makes the design a web service, a worker or a static site, adjusting the final image, the
/// port, the health check and what gets routed to it.
pub fn set_service_kind(design: &mut Design, kind: ServiceKind) {
    let runtime = design.project.runtime;
    design.project.kind = kind;
    let (_, runtime_image) = default_images(runtime, &design.project.runtime_version);
    let container = &mut design.container;
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
    design.kubernetes.ingress.enabled = kind.is_web();
    design.kubernetes.security_context.run_as_user = design.container.user.uid;
    design.kubernetes.security_context.run_as_group = design.container.user.gid;
    design.kubernetes.security_context.fs_group = design.container.user.gid;
}

/// Switches the package manager and the lockfile that goes with it.
pub fn set_package_manager(design: &mut Design, manager: PackageManager) {
    design.project.package_manager = manager;
    design.project.lockfile = manager.lockfile().to_owned();
}

/// Changes the language version and the images that carry it.
pub fn set_runtime_version(design: &mut Design, version: &str) {
    let old = default_images(design.project.runtime, &design.project.runtime_version);
    let new = default_images(design.project.runtime, version);
    design.project.runtime_version = version.to_owned();
    if design.container.build_image == old.0 {
        design.container.build_image = new.0;
    }
    if design.container.runtime_image == old.1 {
        design.container.runtime_image = new.1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_runtime_resets_dependent_settings() {
        let mut design = Design::default();
        set_runtime(&mut design, Runtime::Python);
        assert_eq!(design.project.lockfile, "poetry.lock");
        assert_eq!(design.container.build_image, "python:3.12-slim");
        assert_eq!(design.container.port, 8000);
    }

    #[test]
    fn a_static_site_ships_on_unprivileged_nginx() {
        let mut design = Design::default();
        set_service_kind(&mut design, ServiceKind::StaticSite);
        assert_eq!(design.container.runtime_image, STATIC_SITE_IMAGE);
        assert_eq!(design.kubernetes.security_context.run_as_user, 101);
        set_service_kind(&mut design, ServiceKind::WebService);
        assert_eq!(design.container.port, 3000);
        assert_eq!(design.container.user.uid, 1001);
    }

    #[test]
    fn a_package_manager_brings_its_lockfile() {
        let mut design = Design::default();
        set_package_manager(&mut design, PackageManager::Pnpm);
        assert_eq!(design.project.package_manager, PackageManager::Pnpm);
        assert_eq!(design.project.lockfile, "pnpm-lock.yaml");
    }

    #[test]
    fn a_version_change_follows_template_images_only() {
        let mut design = Design::default();
        set_runtime_version(&mut design, "22");
        assert_eq!(design.container.runtime_image, "node:22-alpine");
        design.container.runtime_image = "gcr.io/distroless/nodejs22".into();
        set_runtime_version(&mut design, "24");
        assert_eq!(design.container.runtime_image, "gcr.io/distroless/nodejs22");
    }
}
