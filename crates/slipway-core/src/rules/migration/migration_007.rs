use crate::facts::migrations::{describe, same_column, verification_query, with_problem, Problem};
use crate::model::{Design, MigrationOperation, MigrationPhase, OperationKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct BackfillBeforeConstraint;

impl Rule for BackfillBeforeConstraint {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-007",
        name: "backfill-before-constraint",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "A constraint ships after a verified backfill",
        what: "A `set-not-null` or `add-constraint` operation has a `backfill` of the same \
               column in an earlier release, marked `verified`: the backfill job checks that \
               no row is left to fill (`SELECT count(*) FROM <table> WHERE <column> IS NULL` \
               returns 0) before the constraint ships.",
        why: "A constraint over rows that were never filled fails the migration (and with it \
              the deploy) or, worse, runs for minutes holding a lock while it scans; a backfill \
              that is not verified may have missed the rows written while it ran.",
        incorrect: "- kind: add-column\n  table: users\n  column: email_verified\n  release: 1\n- kind: set-not-null\n  table: users\n  column: email_verified\n  release: 2\n  phase: contract",
        correct: "- kind: add-column\n  table: users\n  column: email_verified\n  release: 1\n- kind: backfill\n  table: users\n  column: email_verified\n  verified: true\n  release: 2\n  phase: migrate\n- kind: set-not-null\n  table: users\n  column: email_verified\n  release: 3\n  phase: contract",
        fix: "Marks the column's backfill as verified, or adds a verified backfill in the \
              constraint's release and moves the constraint to the release after it. Unsafe: \
              the release plan changes.",
        source: "000 · DevOps: Database Migrations (\"Phase 3: Add constraint after backfill is \
                 verified complete\")",
        equivalents: &["squawk adding-not-nullable-field (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let operations = &service.migrations.operations;
        with_problem(service, Problem::NoVerifiedBackfill)
            .into_iter()
            .map(|j| {
                let operation = &operations[j];
                Violation::new(
                    format!("migrations.operations[{j}]"),
                    format!(
                        "Release {}: `{}` has no verified backfill in an earlier release (`{}` \
                         returning 0).",
                        operation.release,
                        describe(operation),
                        verification_query(operation)
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a verified backfill first",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut missing = super::three_phases();
        missing.remove(1);
        let mut unverified = super::three_phases();
        unverified[1].verified = false;
        vec![
            super::with_operations(missing),
            super::with_operations(unverified),
        ]
    }
}

fn apply(design: &mut Design, index: usize) {
    for j in with_problem(&design.services[index], Problem::NoVerifiedBackfill)
        .into_iter()
        .rev()
    {
        let operations = &mut design.services[index].migrations.operations;
        let constraint = operations[j].clone();
        let backfill = operations.iter().position(|other| {
            other.kind == OperationKind::Backfill && same_column(other, &constraint)
        });
        match backfill {
            Some(b) => {
                operations[b].verified = true;
                let after = operations[b].release + 1;
                operations[j].release = operations[j].release.max(after);
            }
            None => {
                let mut backfill = MigrationOperation::new(
                    OperationKind::Backfill,
                    &constraint.table,
                    &constraint.column,
                    constraint.release,
                    MigrationPhase::Migrate,
                );
                backfill.verified = true;
                operations[j].release += 1;
                operations.insert(j, backfill);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_after_a_verified_backfill() {
        let design = super::super::with_operations(super::super::three_phases());
        assert!(fields(&BackfillBeforeConstraint, &design).is_empty());
    }

    #[test]
    fn fails_without_one_and_the_fix_adds_or_verifies_it() {
        for mut design in BackfillBeforeConstraint::failing_examples() {
            assert_eq!(fields(&BackfillBeforeConstraint, &design).len(), 1);
            apply(&mut design, 0);
            assert!(fields(&BackfillBeforeConstraint, &design).is_empty());
        }
    }
}
