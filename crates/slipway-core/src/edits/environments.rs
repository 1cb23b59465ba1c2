//! Deployment targets.

use crate::model::{Design, Environment, EnvironmentTier};

/// Adds a development environment named `preview-<n>` (the first free name), with its own
/// secret prefix.
pub fn add_environment(design: &mut Design) {
    let name = (1..)
        .map(|n| format!("preview-{n}"))
        .find(|name| design.environments.iter().all(|e| &e.name != name))
        .unwrap_or_default();
    let mut environment = Environment {
        name,
        tier: EnvironmentTier::Development,
        requires_approval: false,
        reviewers: Vec::new(),
        ..Environment::staging()
    };
    environment.secret_prefix = crate::migrate::default_secret_prefix(&environment);
    design.environments.push(environment);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_environment_gets_a_free_name_and_its_own_secret_prefix() {
        let mut design = Design::default();
        add_environment(&mut design);
        add_environment(&mut design);
        let added: Vec<(&str, &str)> = design.environments[2..]
            .iter()
            .map(|e| (e.name.as_str(), e.secret_prefix.as_str()))
            .collect();
        assert_eq!(
            added,
            [("preview-1", "preview-1"), ("preview-2", "preview-2")]
        );
    }
}
