use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::terraform;

pub struct DbFinalSnapshot;

fn skipped(design: &Design) -> bool {
    terraform(design).is_some_and(|infrastructure| {
        infrastructure.rds.enabled && !infrastructure.rds.final_snapshot
    })
}

impl Rule for DbFinalSnapshot {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-010",
        name: "db-final-snapshot",
        severity: Severity::High,
        area: Area::Terraform,
        title: "Destroying the database keeps a final snapshot",
        what: "RDS instances keep a final snapshot: `skip_final_snapshot = false`, with a \
               `final_snapshot_identifier` (the generator writes `<identifier>-final`, VALID-014).",
        why: "`terraform destroy`, or a plan that replaces the instance (a renamed resource, a \
              changed engine), deletes the database. With the snapshot skipped, the data is \
              gone apart from automated backups, which are deleted with the instance too unless \
              retained.",
        incorrect: "skip_final_snapshot = true",
        correct:
            "skip_final_snapshot       = false\nfinal_snapshot_identifier = \"app-production-final\"",
        fix: "Keeps the final snapshot.",
        source: "004 · Infrastructure as Code (Terraform)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !skipped(context.design) {
            return Vec::new();
        }
        vec![Violation::new(
            "infrastructure.rds.final_snapshot",
            "The database skips its final snapshot: a destroy or a replacement deletes the data.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Keep a final snapshot",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_infrastructure(|infrastructure| {
            infrastructure.rds.final_snapshot = false
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.infrastructure.rds.final_snapshot = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_without_a_database() {
        assert!(fields(&DbFinalSnapshot, &Design::default()).is_empty());
        let mut no_database = DbFinalSnapshot::failing_examples().remove(0);
        no_database.infrastructure.rds.enabled = false;
        assert!(fields(&DbFinalSnapshot, &no_database).is_empty());
    }

    #[test]
    fn fails_when_the_snapshot_is_skipped() {
        assert_eq!(
            fields(&DbFinalSnapshot, &DbFinalSnapshot::failing_examples()[0]),
            ["infrastructure.rds.final_snapshot"]
        );
    }
}
