//! Upgrading designs saved by earlier versions of Slipway.
//!
//! Every change to the design file's meaning bumps [`SCHEMA_VERSION`] and adds one step here
//! from the version before. [`crate::io::parse_design`] reads a file of any supported version
//! into the current model (fields added since are filled with their defaults, so the parser
//! still reports errors by line) and then runs the steps from the file's version on. The
//! files in `tests/fixtures/v<N>/` are kept as they were written by version N and must load
//! forever (`tests/migration.rs`).

use crate::model::{Design, Environment, EnvironmentTier, SCHEMA_VERSION};
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
