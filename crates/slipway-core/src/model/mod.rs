//! The versioned design model: everything a user composes in Slipway.
//!
//! Every struct carries `#[serde(default)]`, so a design file may leave out any section and get
//! the defaults in docs/defaults.md. Serialising a design always writes every field, which
//! makes JSON and YAML round trips lossless.

mod container;
mod environments;
mod infrastructure;
mod kubernetes;
mod migrations;
mod observability;
mod pipeline;
mod project;
mod railway;
mod readiness;
mod service;
mod shared;
mod vocabulary;

pub use container::*;
pub use environments::*;
pub use infrastructure::*;
pub use kubernetes::*;
pub use migrations::*;
pub use observability::*;
pub use pipeline::*;
pub use project::*;
pub use railway::*;
pub use readiness::*;
pub use service::*;
pub use shared::*;
pub use vocabulary::Vocabulary;

use serde::{Deserialize, Serialize};

/// The schema version this build writes. Files of every version from
/// [`crate::migrate::OLDEST_VERSION`] up to this one are read and upgraded
/// (see `docs/schema.md`).
pub const SCHEMA_VERSION: u32 = 3;

/// A complete delivery design: the single source every finding and generated file derives from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Design {
    /// Schema version; see [`SCHEMA_VERSION`].
    pub version: u32,
    pub project: Project,
    pub repository: Repository,
    pub pipeline: Pipeline,
    /// The deployables, each checked and exported on its own; a design has at least one.
    pub services: Vec<Service>,
    pub environments: Vec<Environment>,
    pub infrastructure: Infrastructure,
    pub secrets: Vec<Secret>,
    pub observability: Observability,
    pub readiness: Readiness,
    /// Which reading of the rules applies where sources disagree.
    pub profile: Profile,
    /// Findings the team accepted, each with the written reason (listed in the exported README).
    pub waivers: Vec<Waiver>,
    /// Production-readiness checklist answers, by checklist id (`CHK-…`).
    pub checklist: Vec<ChecklistAnswer>,
}

impl Default for Design {
    fn default() -> Self {
        Design {
            version: SCHEMA_VERSION,
            project: Project::default(),
            repository: Repository::default(),
            pipeline: Pipeline::default(),
            services: vec![Service::default()],
            environments: Environment::defaults(),
            infrastructure: Infrastructure::default(),
            secrets: Vec::new(),
            observability: Observability::default(),
            readiness: Readiness::default(),
            profile: Profile::default(),
            waivers: Vec::new(),
            checklist: Vec::new(),
        }
    }
}

impl Design {
    /// The environment marked as production, if any.
    pub fn production(&self) -> Option<&Environment> {
        self.environments
            .iter()
            .find(|env| env.tier == EnvironmentTier::Production)
    }

    /// Whether any service runs on Kubernetes (the cluster, the deploy jobs' rollout).
    pub fn uses_kubernetes(&self) -> bool {
        self.services
            .iter()
            .any(|service| service.kubernetes.enabled)
    }

    /// Whether any service deploys to Railway.
    pub fn uses_railway(&self) -> bool {
        self.services.iter().any(|service| service.railway.enabled)
    }

    /// The service named `name`.
    pub fn service_named(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|service| service.name == name)
    }

    /// The services the service at `index` talks to: indices in design order, each once, itself
    /// and unknown names left out (SERVICE-002 reports those).
    pub fn talked_to(&self, index: usize) -> Vec<usize> {
        let mut targets: Vec<usize> = Vec::new();
        let Some(service) = self.services.get(index) else {
            return targets;
        };
        for name in &service.talks_to {
            if let Some(target) = self.services.iter().position(|other| other.name == *name) {
                if target != index && !targets.contains(&target) {
                    targets.push(target);
                }
            }
        }
        targets
    }

    /// Whether `rule_id` is waived in this design.
    pub fn is_waived(&self, rule_id: &str) -> bool {
        self.waivers.iter().any(|waiver| waiver.rule == rule_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_round_trip() {
        let variables = EnvVar::parse_lines("A=1\n\n B = two=2 \nFLAG");
        assert_eq!(
            variables,
            [
                EnvVar::new("A", "1"),
                EnvVar::new("B", "two=2"),
                EnvVar::new("FLAG", "")
            ]
        );
        assert_eq!(
            EnvVar::parse_lines(&EnvVar::format_lines(&variables)),
            variables
        );
    }
}
