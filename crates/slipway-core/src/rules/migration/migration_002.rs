use crate::facts::migrations::{describe, same_column, with_problem, Problem};
use crate::model::{Design, MigrationOperation, MigrationPhase, OperationKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct NotNullInThreePhases;

impl Rule for NotNullInThreePhases {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-002",
        name: "not-null-in-three-phases",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "A NOT NULL column is added in three releases",
        what: "A migration never adds a `NOT NULL` column without a default in one step. It \
               takes three releases: (1) add the column as nullable; (2) ship the code that \
               writes it, with a backfill of the existing rows; (3) `SET NOT NULL` once the \
               backfill is verified.",
        why: "The old version, still serving while the migration runs and the new pods roll \
              out, inserts rows without the new column: every one of its inserts fails with a \
              NOT NULL violation as soon as the column exists.",
        incorrect: "- kind: add-column\n  table: users\n  column: email_verified\n  not_null: true\n  release: 1",
        correct: "- kind: add-column\n  table: users\n  column: email_verified\n  release: 1\n  phase: expand\n- kind: backfill\n  table: users\n  column: email_verified\n  verified: true\n  release: 2\n  phase: migrate\n- kind: set-not-null\n  table: users\n  column: email_verified\n  release: 3\n  phase: contract",
        fix: "Splits the operation into three phases across releases: the column is added \
              nullable in its release, a verified backfill ships in the next one and \
              `SET NOT NULL` in the one after. Unsafe: the release plan changes.",
        source: "000 · DevOps: Database Migrations (Incorrect: \"adds NOT NULL column, old \
                 inserts fail immediately\"; \"Never add a NOT NULL column in a single step\"); \
                 Environment Management › Zero-Downtime Migration Pattern",
        equivalents: &["squawk adding-required-field", "strong_migrations"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let operations = &service.migrations.operations;
        with_problem(service, Problem::NotNullInOneStep)
            .into_iter()
            .map(|j| {
                Violation::new(
                    format!("migrations.operations[{j}].not_null"),
                    format!(
                        "Release {}: `{}` in one step makes every insert of the version still \
                         running fail; add it nullable, backfill it, then set it NOT NULL, in \
                         three releases.",
                        operations[j].release,
                        describe(&operations[j])
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Split into three phases",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut one_step = MigrationOperation::new(
            OperationKind::AddColumn,
            "users",
            "email_verified",
            1,
            MigrationPhase::Expand,
        );
        one_step.not_null = true;
        vec![super::with_operations(vec![one_step])]
    }
}

fn apply(design: &mut Design, index: usize) {
    // From the last, so inserting after an operation keeps the earlier indices.
    for j in with_problem(&design.services[index], Problem::NotNullInOneStep)
        .into_iter()
        .rev()
    {
        let operations = &mut design.services[index].migrations.operations;
        let add = &mut operations[j];
        add.not_null = false;
        add.phase = MigrationPhase::Expand;
        let add = add.clone();
        let constrained = operations
            .iter()
            .any(|other| other.kind == OperationKind::SetNotNull && same_column(other, &add));
        if constrained {
            continue;
        }
        let mut backfill = MigrationOperation::new(
            OperationKind::Backfill,
            &add.table,
            &add.column,
            add.release + 1,
            MigrationPhase::Migrate,
        );
        backfill.verified = true;
        let constraint = MigrationOperation::new(
            OperationKind::SetNotNull,
            &add.table,
            &add.column,
            add.release + 2,
            MigrationPhase::Contract,
        );
        operations.splice(j + 1..j + 1, [backfill, constraint]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_nullable_or_defaulted_columns() {
        let design = super::super::with_operations(super::super::three_phases());
        assert!(fields(&NotNullInThreePhases, &design).is_empty());
        let mut defaulted = NotNullInThreePhases::failing_examples().remove(0);
        defaulted.services[0].migrations.operations[0].with_default = true;
        assert!(fields(&NotNullInThreePhases, &defaulted).is_empty());
    }

    #[test]
    fn fails_in_one_step_and_the_fix_splits_it_in_three() {
        let mut design = NotNullInThreePhases::failing_examples().remove(0);
        assert_eq!(
            fields(&NotNullInThreePhases, &design),
            ["migrations.operations[0].not_null"]
        );
        apply(&mut design, 0);
        assert_eq!(
            design.services[0].migrations.operations,
            super::super::three_phases()
        );
        assert!(crate::rules::check(&design)
            .iter()
            .all(|finding| !finding.rule.starts_with("MIGRATION-00")
                || finding.rule == "MIGRATION-008"));
    }
}
