use crate::facts::migrations::{describe, is_constraint, with_problem, Problem};
use crate::model::{Design, MigrationPhase, OperationKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct BackwardCompatibleOnly;

impl Rule for BackwardCompatibleOnly {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-001",
        name: "backward-compatible-only",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "Every release's migrations work with the version still running",
        what: "Each migration operation (`services[].migrations.operations`) is backward \
               compatible with the code of the release before it: adding a nullable column, a \
               table or an index, a backfill, or a rename with a view alias. A drop, a type \
               change, `SET NOT NULL` or a new constraint is the contract phase of a plan \
               whose earlier phases shipped in earlier releases: it is marked `contract`, and a \
               constraint ships in a later release than the column it constrains and its \
               backfill. (A NOT NULL column, a rename and a drop have their own rules: \
               MIGRATION-002, -003, -004.)",
        why: "A migration runs before the new version serves, while the old version still \
              takes traffic (a rolling update, a canary and blue-green all mix them). A \
              constraint added in the release that adds its column makes the old code's \
              inserts fail the moment the migration commits.",
        incorrect: "migrations:\n  operations:\n  - kind: add-column\n    table: users\n    column: email_verified\n    release: 1\n    phase: expand\n  - kind: set-not-null\n    table: users\n    column: email_verified\n    release: 1\n    phase: expand",
        correct: "migrations:\n  operations:\n  - kind: add-column\n    table: users\n    column: email_verified\n    release: 1\n    phase: expand\n  - kind: backfill\n    table: users\n    column: email_verified\n    verified: true\n    release: 2\n    phase: migrate\n  - kind: set-not-null\n    table: users\n    column: email_verified\n    release: 3\n    phase: contract",
        fix: "Marks the operation as the contract phase and moves a constraint to the release \
              after its column's add and backfill. Unsafe: the release plan changes.",
        source: "000 · DevOps: Database Migrations (\"All schema changes must be \
                 backward-compatible with the currently running application version\"); \
                 Environment Management › Backward/Forward Compatibility",
        equivalents: &["squawk (PostgreSQL migration linter)", "strong_migrations (Rails)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let operations = &service.migrations.operations;
        with_problem(service, Problem::NotPhased)
            .into_iter()
            .map(|j| {
                let operation = &operations[j];
                let (field, reason) = if operation.phase == MigrationPhase::Contract {
                    (
                        "release",
                        "ships no later than the column it constrains: old code still inserts \
                         rows without it",
                    )
                } else {
                    (
                        "phase",
                        "is not backward compatible, so it belongs to the contract phase of a \
                         plan whose earlier phases shipped first",
                    )
                };
                Violation::new(
                    format!("migrations.operations[{j}].{field}"),
                    format!(
                        "Release {}: `{}` {reason}.",
                        operation.release,
                        describe(operation)
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Make it the contract phase",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::MigrationOperation;
        let mut same_release = super::three_phases();
        same_release[2].release = 1;
        same_release[1].release = 1;
        let mut expand_drop = super::three_phases();
        let mut drop = MigrationOperation::new(
            OperationKind::DropColumn,
            "users",
            "legacy_field",
            3,
            MigrationPhase::Expand,
        );
        drop.readers_moved_in = 2;
        expand_drop.push(drop);
        vec![
            super::with_operations(same_release),
            super::with_operations(expand_drop),
        ]
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &design.services[index];
    for j in with_problem(service, Problem::NotPhased) {
        let operations = &mut design.services[index].migrations.operations;
        operations[j].phase = MigrationPhase::Contract;
        if is_constraint(operations[j].kind) {
            let target = operations[j].clone();
            let latest = operations
                .iter()
                .filter(|other| {
                    crate::facts::migrations::same_column(other, &target)
                        && matches!(
                            other.kind,
                            OperationKind::AddColumn | OperationKind::Backfill
                        )
                })
                .map(|other| other.release)
                .max()
                .unwrap_or(0);
            operations[j].release = operations[j].release.max(latest + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_a_phased_plan() {
        let design = super::super::with_operations(super::super::three_phases());
        assert!(fields(&BackwardCompatibleOnly, &design).is_empty());
    }

    #[test]
    fn fails_for_an_early_constraint_or_drop_and_the_fix_phases_them() {
        let reported: Vec<Vec<String>> = BackwardCompatibleOnly::failing_examples()
            .iter()
            .map(|design| fields(&BackwardCompatibleOnly, design))
            .collect();
        assert_eq!(reported[0], ["migrations.operations[2].release"]);
        assert_eq!(reported[1], ["migrations.operations[3].phase"]);
        for mut design in BackwardCompatibleOnly::failing_examples() {
            apply(&mut design, 0);
            assert!(fields(&BackwardCompatibleOnly, &design).is_empty());
        }
    }
}
