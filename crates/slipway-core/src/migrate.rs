//! Upgrading designs saved by earlier versions of Slipway.
//!
//! Every change to the design file's meaning bumps [`SCHEMA_VERSION`] and adds one step here
//! from the version before. [`crate::io::parse_design`] reads a file of any supported version
//! into the current model (fields added since are filled with their defaults, so the parser
//! still reports errors by line) and then runs the steps from the file's version on. The
//! files in `tests/fixtures/v<N>/` are kept as they were written by version N and must load
//! forever (`tests/migration.rs`).

use serde::Deserialize;

use crate::model::{
    ChecklistAnswer, Commands, Container, Design, Environment, EnvironmentTier, Infrastructure,
    Kubernetes, Observability, PackageManager, Pipeline, Profile, Project, Railway, Readiness,
    Repository, Runtime, Secret, Service, ServiceKind, Waiver, SCHEMA_VERSION,
};
use crate::text::identifier;

/// The oldest schema version this build reads.
pub const OLDEST_VERSION: u32 = 1;

/// Brings a design read from a file of schema version `from` up to [`SCHEMA_VERSION`].
pub fn upgrade(design: &mut Design, from: u32) {
    if from < 2 {
        v1_to_v2(design);
    }
    design.version = SCHEMA_VERSION;
}

/// A design file of schema version 1 or 2: one service, whose settings sat at the top level
/// (`project`, `container`, `kubernetes`, `railway`). Every other section is unchanged in
/// version 3.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DesignV2 {
    pub version: u32,
    pub project: ProjectV2,
    pub repository: Repository,
    pub pipeline: Pipeline,
    pub container: Container,
    pub kubernetes: Kubernetes,
    pub environments: Option<Vec<Environment>>,
    pub infrastructure: Infrastructure,
    pub railway: Railway,
    pub secrets: Vec<Secret>,
    pub observability: Observability,
    pub readiness: Readiness,
    pub profile: Profile,
    pub waivers: Vec<Waiver>,
    pub checklist: Vec<ChecklistAnswer>,
}

/// Version 2's `project`: the one service's name, language and commands.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectV2 {
    pub name: String,
    pub description: String,
    pub kind: ServiceKind,
    pub runtime: Runtime,
    pub runtime_version: String,
    pub package_manager: PackageManager,
    pub lockfile: String,
    pub directory: String,
    pub commands: Commands,
}

impl Default for ProjectV2 {
    fn default() -> Self {
        let service = Service::default();
        ProjectV2 {
            name: service.name,
            description: String::new(),
            kind: service.kind,
            runtime: service.runtime,
            runtime_version: service.runtime_version,
            package_manager: service.package_manager,
            lockfile: service.lockfile,
            directory: service.directory,
            commands: service.commands,
        }
    }
}

/// Version 3 holds a list of services. A version 2 design becomes a design with one service
/// named after the project, holding the project's language, commands, container,
/// Kubernetes workload and Railway service; nothing is dropped.
pub fn v2_to_v3(old: DesignV2) -> Design {
    let project = old.project;
    let service = Service {
        name: project.name.clone(),
        kind: project.kind,
        directory: project.directory,
        runtime: project.runtime,
        runtime_version: project.runtime_version,
        package_manager: project.package_manager,
        lockfile: project.lockfile,
        commands: project.commands,
        container: old.container,
        kubernetes: old.kubernetes,
        railway: old.railway,
        talks_to: Vec::new(),
        migrations: Default::default(),
    };
    Design {
        version: old.version,
        project: Project {
            name: project.name,
            description: project.description,
        },
        repository: old.repository,
        pipeline: old.pipeline,
        services: vec![service],
        environments: old.environments.unwrap_or_else(Environment::defaults),
        infrastructure: old.infrastructure,
        secrets: old.secrets,
        observability: old.observability,
        readiness: old.readiness,
        profile: old.profile,
        waivers: old.waivers,
        checklist: old.checklist,
    }
}

/// Where a version 3 field path was in a version 2 file (`services[0].container.port` →
/// `container.port`, `services[0].runtime` → `project.runtime`), to locate errors in it.
pub fn v2_field(path: &str) -> String {
    let Some(rest) = path.strip_prefix("services[0]") else {
        return path.to_owned();
    };
    let rest = rest.trim_start_matches('.');
    let top = rest.split(['.', '[']).next().unwrap_or("");
    if rest.is_empty() {
        "project".to_owned()
    } else if matches!(top, "container" | "kubernetes" | "railway") {
        rest.to_owned()
    } else {
        format!("project.{rest}")
    }
}

/// Version 2 gives each environment a `secret_prefix` and makes secret keys
/// environment-free: v1 keys named one environment (`prod/app/database`) and the Helm chart
/// could only guess the others. The prefix v1 implied becomes the environment's, and the
/// environment segment is taken off every key.
fn v1_to_v2(design: &mut Design) {
    for environment in &mut design.environments {
        environment.secret_prefix = default_secret_prefix(environment);
    }
    let segments = environment_segments(design);
    for secret in &mut design.secrets {
        if let Some(rest) = without_environment(&segments, &secret.remote_key) {
            secret.remote_key = rest;
        }
    }
}

/// The prefix an environment's secrets get when none is chosen: `prod` for the production
/// environment named `production` (the seed's `prod/app/database`), otherwise the
/// environment's name as an identifier (`staging`).
pub fn default_secret_prefix(environment: &Environment) -> String {
    let name = identifier(&environment.name, "staging");
    if environment.tier == EnvironmentTier::Production && name == "production" {
        "prod".to_owned()
    } else {
        name
    }
}

/// The prefix an environment reads its secrets under: its `secret_prefix` without spaces
/// and slashes, or the default when that is empty.
pub fn secret_prefix(environment: &Environment) -> String {
    let chosen = environment.secret_prefix.trim().trim_matches('/');
    if chosen.is_empty() {
        default_secret_prefix(environment)
    } else {
        chosen.to_owned()
    }
}

/// Key segments that name an environment of the design, and the usual environment words.
pub fn environment_segments(design: &Design) -> Vec<String> {
    let mut segments: Vec<String> = design
        .environments
        .iter()
        .flat_map(|environment| {
            [
                secret_prefix(environment),
                identifier(&environment.name, "staging"),
            ]
        })
        .chain(["prod", "production", "staging", "dev", "development"].map(str::to_owned))
        .collect();
    segments.sort();
    segments.dedup();
    segments
}

/// The key without a leading environment segment (`/prod/app/db/` → `app/db`), or `None`
/// when it does not start with one.
pub fn without_environment(segments: &[String], key: &str) -> Option<String> {
    let key = key.trim().trim_matches('/');
    let (first, rest) = key.split_once('/')?;
    (!rest.is_empty()
        && segments
            .iter()
            .any(|segment| first.eq_ignore_ascii_case(segment)))
    .then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Secret, SecretSource};

    fn secret(key: &str) -> Secret {
        Secret {
            name: "S".to_owned(),
            source: SecretSource::Vault,
            remote_key: key.to_owned(),
            description: String::new(),
        }
    }

    #[test]
    fn v1_keys_lose_their_environment_and_environments_get_the_prefix_v1_implied() {
        let mut design = Design::default();
        design.environments[1].name = "live".to_owned();
        design.environments[0].secret_prefix = "staging".to_owned();
        design.secrets = vec![
            secret("prod/app/db"),
            secret("/live/app/key/"),
            secret("app/plain"),
            secret("prod"),
            secret(""),
        ];
        upgrade(&mut design, 1);
        assert_eq!(design.version, SCHEMA_VERSION);
        let prefixes: Vec<&str> = design
            .environments
            .iter()
            .map(|environment| environment.secret_prefix.as_str())
            .collect();
        assert_eq!(prefixes, ["staging", "live"]);
        let keys: Vec<&str> = design
            .secrets
            .iter()
            .map(|secret| secret.remote_key.as_str())
            .collect();
        assert_eq!(keys, ["app/db", "app/key", "app/plain", "prod", ""]);
    }

    #[test]
    fn a_current_design_is_left_as_it_is() {
        let mut design = Design {
            secrets: vec![secret("prod/app/db")],
            ..Design::default()
        };
        let before = design.clone();
        upgrade(&mut design, SCHEMA_VERSION);
        assert_eq!(design, before);
    }

    #[test]
    fn an_empty_prefix_falls_back_to_the_default() {
        let mut environment = Environment::production();
        environment.secret_prefix = " / ".to_owned();
        assert_eq!(secret_prefix(&environment), "prod");
        environment.secret_prefix = "/eu-prod/".to_owned();
        assert_eq!(secret_prefix(&environment), "eu-prod");
    }
}
