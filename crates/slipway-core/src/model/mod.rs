//! The versioned design model: everything a user composes in Slipway.
//!
//! Every struct carries `#[serde(default)]`, so a design file may leave out any section and get
//! the defaults in docs/defaults.md. Serialising a design always writes every field, which
//! makes JSON and YAML round trips lossless.

mod container;
mod environments;
mod infrastructure;
mod kubernetes;
mod observability;
mod pipeline;
mod project;
mod railway;
mod readiness;
mod vocabulary;

pub use container::*;
pub use environments::*;
pub use infrastructure::*;
pub use kubernetes::*;
pub use observability::*;
pub use pipeline::*;
pub use project::*;
pub use railway::*;
pub use readiness::*;
pub use vocabulary::Vocabulary;

use serde::{Deserialize, Serialize};

/// The schema version this build writes. Files of every version from
/// [`crate::migrate::OLDEST_VERSION`] up to this one are read and upgraded
/// (see `docs/schema.md`).
pub const SCHEMA_VERSION: u32 = 2;

/// A complete delivery design: the single source every finding and generated file derives from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Design {
    /// Schema version; see [`SCHEMA_VERSION`].
    pub version: u32,
    pub project: Project,
    pub repository: Repository,
    pub pipeline: Pipeline,
    pub container: Container,
    pub kubernetes: Kubernetes,
    pub environments: Vec<Environment>,
    pub infrastructure: Infrastructure,
    pub railway: Railway,
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
            container: Container::default(),
            kubernetes: Kubernetes::default(),
            environments: Environment::defaults(),
            infrastructure: Infrastructure::default(),
            railway: Railway::default(),
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

    /// Whether `rule_id` is waived in this design.
    pub fn is_waived(&self, rule_id: &str) -> bool {
        self.waivers.iter().any(|waiver| waiver.rule == rule_id)
    }
}

/// The reading of the rule catalog a design is checked against, where sources disagree
/// (docs/defaults.md#where-the-sources-disagree, third-party scanners); see `docs/profiles.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The seed documents' values (uid 1001, crash-loop alert above 5 restarts an hour, ...).
    #[default]
    Seed,
    /// The stricter value wherever sources disagree: checkov and kube-score thresholds (uid
    /// above 10000) and the stricter side of each contradiction in docs/defaults.md.
    Strict,
}

/// A name/value pair for environment variables, build arguments and service settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
}

impl EnvVar {
    pub fn new(name: &str, value: &str) -> Self {
        EnvVar {
            name: name.to_owned(),
            value: value.to_owned(),
        }
    }

    /// Reads `NAME=value` lines (the editor's text form); blank lines are skipped and a line
    /// without `=` is a name with an empty value.
    pub fn parse_lines(text: &str) -> Vec<EnvVar> {
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| match line.split_once('=') {
                Some((name, value)) => EnvVar::new(name.trim(), value.trim()),
                None => EnvVar::new(line, ""),
            })
            .collect()
    }

    /// The inverse of [`EnvVar::parse_lines`].
    pub fn format_lines(variables: &[EnvVar]) -> String {
        variables
            .iter()
            .map(|variable| format!("{}={}", variable.name, variable.value))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A secret the application needs, by name, and the store it comes from. Values never live in
/// the design.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Secret {
    pub name: String,
    pub source: SecretSource,
    /// Key in the external store (for External Secrets) without the environment, e.g.
    /// `app/database`: each environment reads it under its own `secret_prefix`
    /// (`prod/app/database`). Since schema version 2.
    pub remote_key: String,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SecretSource {
    /// `${{ secrets.NAME }}` in GitHub Actions.
    #[default]
    GithubActions,
    /// External Secrets Operator backed by AWS Secrets Manager.
    AwsSecretsManager,
    /// External Secrets Operator backed by HashiCorp Vault.
    Vault,
    /// A Railway service variable.
    Railway,
}

impl SecretSource {
    /// Whether the External Secrets Operator syncs it from a store into the cluster.
    pub fn synced_by_operator(self) -> bool {
        matches!(self, SecretSource::AwsSecretsManager | SecretSource::Vault)
    }
}

/// A finding the team accepted on purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Waiver {
    pub rule: String,
    pub reason: String,
}

/// One answered item of the production-readiness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ChecklistAnswer {
    pub id: String,
    pub done: bool,
    /// Who answers for the item.
    pub owner: String,
    /// When it was done (ISO date, as the user typed it).
    pub done_on: String,
    pub note: String,
}

/// A Kubernetes-style quantity that is either a count or a percentage (`1` or `"25%"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntOrPercent {
    Int(u32),
    Percent(String),
}

impl IntOrPercent {
    pub fn percent(value: u32) -> Self {
        IntOrPercent::Percent(format!("{value}%"))
    }

    /// True when the value is zero, whether written as `0` or `"0%"`.
    pub fn is_zero(&self) -> bool {
        match self {
            IntOrPercent::Int(n) => *n == 0,
            IntOrPercent::Percent(text) => text.trim_end_matches('%').trim() == "0",
        }
    }
}

impl std::fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrPercent::Int(n) => write!(f, "{n}"),
            IntOrPercent::Percent(text) => f.write_str(text),
        }
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
