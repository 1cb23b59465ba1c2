//! Domain edits that touch several fields at once, shared by the web app and the CLI.

use crate::model::{Commands, Design, Runtime};
use crate::stages::default_images;

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
    fn a_version_change_follows_template_images_only() {
        let mut design = Design::default();
        set_runtime_version(&mut design, "22");
        assert_eq!(design.container.runtime_image, "node:22-alpine");
        design.container.runtime_image = "gcr.io/distroless/nodejs22".into();
        set_runtime_version(&mut design, "24");
        assert_eq!(design.container.runtime_image, "gcr.io/distroless/nodejs22");
    }
}
