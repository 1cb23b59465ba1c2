use crate::model::{Design, Profile};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::{lowest_version, terraform};

pub struct StateLocking;

fn problem(design: &Design) -> Option<(&'static str, bool)> {
    let state = &terraform(design)?.state;
    if state.use_lockfile {
        return None;
    }
    if state.dynamodb_table.trim().is_empty() {
        return Some(("infrastructure.state.use_lockfile", false));
    }
    (design.profile == Profile::Strict).then_some(("infrastructure.state.dynamodb_table", true))
}

impl Rule for StateLocking {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-002",
        name: "state-locking",
        severity: Severity::High,
        area: Area::Terraform,
        title: "Terraform state is locked while a run changes it",
        what: "The backend locks state: `use_lockfile = true` (S3-native, Terraform 1.10+) or a \
               `dynamodb_table`. Profile `strict` also flags DynamoDB-only locking (as a \
               warning), which newer Terraform deprecates.",
        why: "Two applies at once (two merges, a developer and CI) write the same state: the \
              second overwrites the first's resources, and the lost ones keep running, \
              unmanaged and billed. The seed shows DynamoDB locking; Terraform 1.10+ deprecates \
              it in favour of `use_lockfile` (A17). The `seed` profile accepts either; `strict` \
              wants the lock file.",
        incorrect: "backend \"s3\" {\n  bucket = \"terraform-state\"\n}",
        correct: "backend \"s3\" {\n  bucket       = \"terraform-state\"\n  use_lockfile = true\n}",
        fix: "Turns on `use_lockfile` (and raises `required_version` to `>= 1.10` when it \
              admits older versions).",
        source: "000 · Environment Management › Infrastructure as Code (Terraform) (\"with \
                 DynamoDB locking\"); A17; profile conflict (docs/profiles.md)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        match problem(context.design) {
            None => Vec::new(),
            Some((field, false)) => vec![Violation::new(
                field,
                "The state backend has no lock: concurrent applies overwrite each other's state.",
            )],
            Some((field, true)) => vec![Violation::new(
                field,
                "Strict profile: DynamoDB locking is deprecated since Terraform 1.10; use \
                 `use_lockfile` (the seed profile accepts DynamoDB, as the seed does).",
            )
            .downgraded(Severity::Medium)],
        }
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Lock the state",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let unlocked = super::with_infrastructure(|infrastructure| {
            infrastructure.state.use_lockfile = false;
        });
        let mut dynamodb = super::with_infrastructure(|infrastructure| {
            infrastructure.state.use_lockfile = false;
            infrastructure.state.dynamodb_table = "terraform-locks".into();
        });
        dynamodb.profile = Profile::Strict;
        vec![unlocked, dynamodb]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if problem(design).is_none() {
        return;
    }
    let infrastructure = &mut design.infrastructure;
    infrastructure.state.use_lockfile = true;
    if lowest_version(&infrastructure.terraform_version) < (1, 10) {
        infrastructure.terraform_version = ">= 1.10".to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, violations};

    #[test]
    fn passes_by_default_and_with_dynamodb_under_the_seed_profile() {
        assert!(fields(&StateLocking, &Design::default()).is_empty());
        let mut seed = StateLocking::failing_examples().remove(1);
        seed.profile = Profile::Seed;
        assert!(fields(&StateLocking, &seed).is_empty());
    }

    #[test]
    fn fails_without_a_lock_and_warns_on_dynamodb_when_strict() {
        assert_eq!(
            fields(&StateLocking, &StateLocking::failing_examples()[0]),
            ["infrastructure.state.use_lockfile"]
        );
        let strict = violations(&StateLocking, &StateLocking::failing_examples()[1]);
        assert_eq!(strict[0].field, "infrastructure.state.dynamodb_table");
        assert_eq!(strict[0].severity, Some(Severity::Medium));
    }
}
