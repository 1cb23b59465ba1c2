use serde::{Deserialize, Serialize};

use super::{
    Commands, Container, Kubernetes, Migrations, PackageManager, Railway, Runtime, ServiceKind,
};

/// One deployable of the design: its folder in the repository, language and commands, its
/// container build, its Kubernetes workload and its Railway service.
///
/// Each service is checked and exported on its own (`<directory>/Dockerfile`,
/// `charts/<name>/`, `<directory>/railway.json`); what the services share (pipeline,
/// environments, infrastructure, secrets) lives on the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Service {
    /// A DNS-1123 label; names the image, chart, release, Railway service and compose entry.
    pub name: String,
    /// What the service is: it decides ports, probes, ingress and the final image.
    pub kind: ServiceKind,
    /// Folder of the service inside the repository (`.` for the root, `backend` in a monorepo).
    pub directory: String,
    pub runtime: Runtime,
    /// Language version, e.g. `20` for Node or `3.12` for Python.
    pub runtime_version: String,
    pub package_manager: PackageManager,
    /// Lockfile path relative to `directory`; CI cache keys hash it.
    pub lockfile: String,
    pub commands: Commands,
    pub container: Container,
    pub kubernetes: Kubernetes,
    pub railway: Railway,
    /// Names of the other services this one calls (compose `depends_on`, private URLs).
    pub talks_to: Vec<String>,
    /// The database migrations this service owns: their command and phased operations.
    pub migrations: Migrations,
}

impl Default for Service {
    fn default() -> Self {
        Service::for_runtime("app", Runtime::Node)
    }
}

impl Service {
    /// A web service with the documented defaults for `runtime`.
    pub fn for_runtime(name: &str, runtime: Runtime) -> Self {
        let package_manager = runtime.default_package_manager();
        Service {
            name: name.to_owned(),
            kind: ServiceKind::WebService,
            directory: ".".to_owned(),
            runtime,
            runtime_version: runtime.default_version().to_owned(),
            package_manager,
            lockfile: package_manager.lockfile().to_owned(),
            commands: Commands::for_runtime(runtime, package_manager),
            container: Container::default(),
            kubernetes: Kubernetes::default(),
            railway: Railway::default(),
            talks_to: Vec::new(),
            migrations: Migrations::default(),
        }
    }
}
