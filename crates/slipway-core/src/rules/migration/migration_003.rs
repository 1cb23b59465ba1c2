use crate::facts::migrations::{describe, with_problem, Problem};
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct RenameWithViewAlias;

impl Rule for RenameWithViewAlias {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-003",
        name: "rename-with-view-alias",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "A column rename keeps the old name behind a view",
        what: "Every `rename-column` operation comes with a view that still exposes the old \
               name (`alias_view: true`), or the rename is modelled as add the new column → \
               dual write → backfill → drop the old one.",
        why: "The version still running reads and writes the column by its old name: the \
              moment the rename commits, each of its queries fails until its last pod is gone.",
        incorrect: "- kind: rename-column\n  table: users\n  column: name\n  new_name: full_name\n  release: 1",
        correct: "- kind: rename-column\n  table: users\n  column: name\n  new_name: full_name\n  alias_view: true\n  release: 1",
        fix: "Adds the alias view to the rename (`alias_view: true`): the migration creates a \
              view with the old column name next to the renamed table.",
        source: "000 · DevOps: Database Migrations (key rules: \"Column renames require a view \
                 alias to maintain backward compatibility during rollout\")",
        equivalents: &["squawk renaming-column", "strong_migrations"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let operations = &service.migrations.operations;
        with_problem(service, Problem::RenameWithoutAlias)
            .into_iter()
            .map(|j| {
                Violation::new(
                    format!("migrations.operations[{j}].alias_view"),
                    format!(
                        "Release {}: `{}` without a view that keeps the old name breaks every \
                         query of the version still running.",
                        operations[j].release,
                        describe(&operations[j])
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add the alias view",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::{MigrationOperation, MigrationPhase, OperationKind};
        let mut rename = MigrationOperation::new(
            OperationKind::RenameColumn,
            "users",
            "name",
            1,
            MigrationPhase::Expand,
        );
        rename.new_name = "full_name".to_owned();
        vec![super::with_operations(vec![rename])]
    }
}

fn apply(design: &mut Design, index: usize) {
    for j in with_problem(&design.services[index], Problem::RenameWithoutAlias) {
        design.services[index].migrations.operations[j].alias_view = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_an_alias_view() {
        let mut design = RenameWithViewAlias::failing_examples().remove(0);
        design.services[0].migrations.operations[0].alias_view = true;
        assert!(fields(&RenameWithViewAlias, &design).is_empty());
    }

    #[test]
    fn fails_without_one_and_the_fix_adds_it() {
        let mut design = RenameWithViewAlias::failing_examples().remove(0);
        assert_eq!(
            fields(&RenameWithViewAlias, &design),
            ["migrations.operations[0].alias_view"]
        );
        apply(&mut design, 0);
        assert!(fields(&RenameWithViewAlias, &design).is_empty());
    }
}
