use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::{lowest_version, terraform};

pub struct TerraformVersionPin;

fn wanted(design: &Design) -> Option<&'static str> {
    let infrastructure = terraform(design)?;
    let constraint = infrastructure.terraform_version.trim();
    let lockfile = infrastructure.state.use_lockfile;
    let too_old = lockfile && lowest_version(constraint) < (1, 10);
    (constraint.is_empty() || too_old).then_some(if lockfile { ">= 1.10" } else { ">= 1.5" })
}

impl Rule for TerraformVersionPin {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-003",
        name: "terraform-version-pin",
        severity: Severity::Low,
        area: Area::Terraform,
        title: "Terraform's version is constrained, and high enough for the backend",
        what: "`terraform.required_version` is set (the seed uses `>= 1.5`), and when the backend \
               locks with `use_lockfile` its lowest admitted version is 1.10 or later.",
        why: "Without a constraint, whichever Terraform a runner happens to have runs the plan; \
              an older one misreads newer syntax, a newer one may upgrade the state format for \
              everyone. `use_lockfile` only exists from 1.10: Terraform 1.5 to 1.9 stop at \
              `init` with \"Unsupported argument\", which `>= 1.5` allows.",
        incorrect: "required_version = \">= 1.5\"\nbackend \"s3\" { use_lockfile = true }",
        correct: "required_version = \">= 1.10\"\nbackend \"s3\" { use_lockfile = true }",
        fix: "Sets `>= 1.10` (with the lock file) or `>= 1.5`.",
        source: "000 · Environment Management › Infrastructure as Code (Terraform); A17",
        equivalents: &["tflint terraform_required_version"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(wanted) = wanted(context.design) else {
            return Vec::new();
        };
        let constraint = context.design.infrastructure.terraform_version.trim();
        vec![Violation::new(
            "infrastructure.terraform_version",
            if constraint.is_empty() {
                format!("No `required_version`; use `{wanted}`.")
            } else {
                format!("`{constraint}` admits Terraform older than 1.10, which rejects `use_lockfile`; use `{wanted}`.")
            },
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Constrain the Terraform version",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_infrastructure(|infrastructure| infrastructure.terraform_version.clear()),
            super::with_infrastructure(|infrastructure| {
                infrastructure.terraform_version = ">= 1.5".into()
            }),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if let Some(wanted) = wanted(design) {
        design.infrastructure.terraform_version = wanted.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_with_dynamodb_on_1_5() {
        assert!(fields(&TerraformVersionPin, &Design::default()).is_empty());
        let dynamodb = super::super::with_infrastructure(|infrastructure| {
            infrastructure.terraform_version = ">= 1.5".into();
            infrastructure.state.use_lockfile = false;
            infrastructure.state.dynamodb_table = "terraform-locks".into();
        });
        assert!(fields(&TerraformVersionPin, &dynamodb).is_empty());
    }

    #[test]
    fn fails_unpinned_or_too_old_for_the_lock_file() {
        for design in TerraformVersionPin::failing_examples() {
            assert_eq!(
                fields(&TerraformVersionPin, &design),
                ["infrastructure.terraform_version"]
            );
        }
    }
}
