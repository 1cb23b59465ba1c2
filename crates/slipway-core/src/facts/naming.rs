//! The names the generated files are known by, shared by the generators that write them and
//! the rules that check references to them.

use crate::model::{Design, Environment};
use crate::text::identifier;

/// The chart's name and directory name: `identifier(project.name, "app")`.
pub(crate) fn chart_name(design: &Design) -> String {
    identifier(&design.project.name, "app")
}

/// The values file name of an environment (`values/<this>.yaml`), as the deploy workflow
/// spells it.
pub(crate) fn values_file_name(environment: &Environment) -> String {
    identifier(&environment.name, "staging")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers_with_fallbacks() {
        let mut design = Design::default();
        design.project.name = "x\nevil: true\nrelease-name".to_owned();
        assert_eq!(chart_name(&design), "x-evil-true-release-name");
        design.project.name = "***".to_owned();
        assert_eq!(chart_name(&design), "app");
        let mut environment = design.environments[0].clone();
        environment.name = "Production EU".to_owned();
        assert_eq!(values_file_name(&environment), "production-eu");
        environment.name = String::new();
        assert_eq!(values_file_name(&environment), "staging");
    }
}
