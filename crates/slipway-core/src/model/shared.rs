//! Small types that several parts of the design share: name/value pairs, secrets, waivers,
//! checklist answers, count-or-percent quantities and the rule profile.

use serde::{Deserialize, Serialize};

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
