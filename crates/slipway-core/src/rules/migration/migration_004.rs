use crate::facts::migrations::{describe, with_problem, Problem};
use crate::model::{Design, MigrationPhase};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct DestructiveChangesPhased;

impl Rule for DestructiveChangesPhased {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-004",
        name: "destructive-changes-phased",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "A column is dropped or retyped only after every reader moved",
        what: "A `drop-column` or `change-type` operation says in which release the code \
               stopped reading the old column or type (`readers_moved_in`), and ships in a \
               later release than that one, so that release was fully deployed first.",
        why: "The migration runs before the new version serves, while the previous version \
              still does: if that version still reads the column, each of its queries fails \
              from the moment the drop commits until its last pod is gone.",
        incorrect: "- kind: drop-column\n  table: users\n  column: legacy_field\n  release: 1\n  phase: contract",
        correct: "- kind: drop-column\n  table: users\n  column: legacy_field\n  readers_moved_in: 1\n  release: 2\n  phase: contract",
        fix: "Moves the operation to the release after the one whose code stopped reading the \
              column (taking the operation's own release as that one when none is said). \
              Unsafe: the release plan changes.",
        source: "000 · DevOps: Database Migrations (Incorrect: \"drops column while old code \
                 still reads it\"; the backward-incompatible change list)",
        equivalents: &["squawk ban-drop-column", "strong_migrations"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let operations = &service.migrations.operations;
        with_problem(service, Problem::ReadersNotMoved)
            .into_iter()
            .map(|j| {
                let operation = &operations[j];
                let when = if operation.readers_moved_in == 0 {
                    "no release is said to have stopped reading it".to_owned()
                } else {
                    format!(
                        "release {} stops reading it, so its predecessor may still",
                        operation.readers_moved_in
                    )
                };
                Violation::new(
                    format!("migrations.operations[{j}].release"),
                    format!(
                        "Release {}: `{}` ships while the running version may still read the \
                         column ({when}).",
                        operation.release,
                        describe(operation)
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Move it to a later release",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::{MigrationOperation, OperationKind};
        let drop = MigrationOperation::new(
            OperationKind::DropColumn,
            "users",
            "legacy_field",
            1,
            MigrationPhase::Contract,
        );
        let mut retype = MigrationOperation::new(
            OperationKind::ChangeType,
            "orders",
            "total",
            2,
            MigrationPhase::Contract,
        );
        retype.readers_moved_in = 2;
        vec![
            super::with_operations(vec![drop]),
            super::with_operations(vec![retype]),
        ]
    }
}

fn apply(design: &mut Design, index: usize) {
    for j in with_problem(&design.services[index], Problem::ReadersNotMoved) {
        let operation = &mut design.services[index].migrations.operations[j];
        if operation.readers_moved_in == 0 {
            operation.readers_moved_in = operation.release.max(1);
        }
        operation.release = operation.readers_moved_in + 1;
        operation.phase = MigrationPhase::Contract;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_after_the_readers_moved() {
        let mut design = DestructiveChangesPhased::failing_examples().remove(0);
        let drop = &mut design.services[0].migrations.operations[0];
        drop.readers_moved_in = 1;
        drop.release = 2;
        assert!(fields(&DestructiveChangesPhased, &design).is_empty());
    }

    #[test]
    fn fails_before_and_the_fix_moves_it_later() {
        for mut design in DestructiveChangesPhased::failing_examples() {
            assert_eq!(
                fields(&DestructiveChangesPhased, &design),
                ["migrations.operations[0].release"]
            );
            apply(&mut design, 0);
            assert!(fields(&DestructiveChangesPhased, &design).is_empty());
        }
        let mut design = DestructiveChangesPhased::failing_examples().remove(0);
        apply(&mut design, 0);
        let drop = &design.services[0].migrations.operations[0];
        assert_eq!((drop.readers_moved_in, drop.release), (1, 2));
    }
}
