#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};
use crate::text::identifier;

use super::infrastructure::terraform;

pub struct StatePerEnvironment;

/// The state key folder of an environment; empty when the name has no usable characters.
fn key(name: &str) -> String {
    identifier(name, "")
}

impl Rule for StatePerEnvironment {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-004",
        name: "state-per-environment",
        severity: Severity::High,
        area: Area::Terraform,
        title: "Each environment has its own Terraform state",
        what: "Every environment gets its own state key, `<env>/terraform.tfstate`, from its own \
               `backend/<env>.hcl` (TF-004 with VALID-015). Environments whose names resolve to \
               the same key (`Production` and `production`, `prod env` and `prod-env`), or to \
               none, are flagged.",
        why: "Two environments on one state key share one state: planning staging proposes to \
              destroy production's resources, and an apply does it. The seed hardcodes \
              `prod/terraform.tfstate` while using per-environment tfvars (A17).",
        incorrect: "environments: [{name: Production}, {name: production}]   # both production/terraform.tfstate",
        correct: "environments: [{name: staging}, {name: production}]",
        fix: "Manual: rename one of the environments.",
        source: "000 · Environment Management › Infrastructure as Code (Terraform) (`key = \
                 \"prod/terraform.tfstate\"` with per-environment tfvars); A17",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if terraform(design).is_none() {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut first_with: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, env) in design.environments.iter().enumerate() {
            let own = key(&env.name);
            if own.is_empty() {
                found.push(Violation::new(
                    format!("environments[{i}].name"),
                    format!("Environment `{}` has no usable state key.", env.name),
                ));
                continue;
            }
            let first = *first_with.entry(own.clone()).or_insert(i);
            if first != i {
                let earlier = &design.environments[first];
                found.push(Violation::new(
                    format!("environments[{i}].name"),
                    format!(
                        "`{}` and `{}` share the state key `{own}/terraform.tfstate`.",
                        earlier.name, env.name
                    ),
                ));
            }
        }
        found
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.environments[0].name = "Production".into();
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&StatePerEnvironment, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_two_environments_share_a_key() {
        assert_eq!(
            fields(
                &StatePerEnvironment,
                &StatePerEnvironment::failing_examples()[0]
            ),
            ["environments[1].name"]
        );
        let mut unnamed = Design::default();
        unnamed.environments[0].name = "!!".into();
        assert_eq!(
            fields(&StatePerEnvironment, &unnamed),
            ["environments[0].name"]
        );
    }
}
