//! What a service's migration operations mean: which ones the version still running can live
//! with, what each one is missing to be phased safely (the MIGRATION rules and ROLLOUT-009
//! read the same verdicts), and the command that applies them (the chart's hook Job, Railway's
//! pre-deploy command).

use crate::model::{MigrationOperation, MigrationPhase, OperationKind, Service};

/// The command that applies the service's migrations: its own, else Railway's pre-deploy
/// command; `None` when it has neither.
pub fn command(service: &Service) -> Option<&str> {
    [
        service.migrations.command.trim(),
        service.railway.pre_deploy_command.trim(),
    ]
    .into_iter()
    .find(|command| !command.is_empty())
}

/// Railway's pre-deploy command for the service: its own, else the migration command.
pub fn railway_pre_deploy(service: &Service) -> &str {
    let own = service.railway.pre_deploy_command.trim();
    if own.is_empty() {
        service.migrations.command.trim()
    } else {
        own
    }
}

/// What keeps an operation from being safe while the previous version still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A destructive or constraining kind outside the contract phase, or shipped no later
    /// than the column it constrains (MIGRATION-001).
    NotPhased,
    /// `ADD COLUMN … NOT NULL` without a default, in one step (MIGRATION-002).
    NotNullInOneStep,
    /// A rename without a view that keeps the old name (MIGRATION-003).
    RenameWithoutAlias,
    /// A drop or type change in a release whose previous version may still read the old
    /// column (MIGRATION-004).
    ReadersNotMoved,
    /// A constraint without a verified backfill of its column in an earlier release
    /// (MIGRATION-007).
    NoVerifiedBackfill,
}

/// Whether the kind changes the schema in a way only the contract phase may.
pub fn is_contracting(kind: OperationKind) -> bool {
    matches!(
        kind,
        OperationKind::DropColumn
            | OperationKind::ChangeType
            | OperationKind::SetNotNull
            | OperationKind::AddConstraint
    )
}

/// Whether the kind constrains existing rows (needs them backfilled first).
pub fn is_constraint(kind: OperationKind) -> bool {
    matches!(
        kind,
        OperationKind::SetNotNull | OperationKind::AddConstraint
    )
}

/// Whether two operations are about the same table and column (case-insensitive, as SQL).
pub fn same_column(a: &MigrationOperation, b: &MigrationOperation) -> bool {
    a.table.trim().eq_ignore_ascii_case(b.table.trim())
        && a.column.trim().eq_ignore_ascii_case(b.column.trim())
}

/// The release after which `constraint` may ship: the latest earlier-phase operation (add or
/// backfill) on its column, or 0.
fn latest_preparation(operations: &[MigrationOperation], at: usize) -> u32 {
    let constraint = &operations[at];
    operations
        .iter()
        .enumerate()
        .filter(|(j, other)| {
            *j != at
                && same_column(other, constraint)
                && matches!(
                    other.kind,
                    OperationKind::AddColumn | OperationKind::Backfill
                )
        })
        .map(|(_, other)| other.release)
        .max()
        .unwrap_or(0)
}

/// The problems of the operation at `at`, in rule order.
pub fn problems(operations: &[MigrationOperation], at: usize) -> Vec<Problem> {
    let operation = &operations[at];
    let mut out = Vec::new();
    if is_contracting(operation.kind)
        && (operation.phase != MigrationPhase::Contract
            || (is_constraint(operation.kind)
                && latest_preparation(operations, at) >= operation.release))
    {
        out.push(Problem::NotPhased);
    }
    if operation.kind == OperationKind::AddColumn && operation.not_null && !operation.with_default {
        out.push(Problem::NotNullInOneStep);
    }
    if operation.kind == OperationKind::RenameColumn && !operation.alias_view {
        out.push(Problem::RenameWithoutAlias);
    }
    if matches!(
        operation.kind,
        OperationKind::DropColumn | OperationKind::ChangeType
    ) && (operation.readers_moved_in == 0 || operation.readers_moved_in >= operation.release)
    {
        out.push(Problem::ReadersNotMoved);
    }
    if is_constraint(operation.kind) && verified_backfill(operations, at).is_none() {
        out.push(Problem::NoVerifiedBackfill);
    }
    out
}

/// The verified backfill of the constraint at `at`'s column in an earlier release, by index.
pub fn verified_backfill(operations: &[MigrationOperation], at: usize) -> Option<usize> {
    let constraint = &operations[at];
    operations.iter().position(|other| {
        other.kind == OperationKind::Backfill
            && other.verified
            && other.release < constraint.release
            && same_column(other, constraint)
    })
}

/// The operations (by index) that have `problem`.
pub fn with_problem(service: &Service, problem: Problem) -> Vec<usize> {
    let operations = &service.migrations.operations;
    (0..operations.len())
        .filter(|&at| problems(operations, at).contains(&problem))
        .collect()
}

/// The releases the service's operations ship in, in order, each once.
pub fn releases(service: &Service) -> Vec<u32> {
    let mut releases: Vec<u32> = service
        .migrations
        .operations
        .iter()
        .map(|operation| operation.release)
        .collect();
    releases.sort_unstable();
    releases.dedup();
    releases
}

/// A SQL identifier as generated files may show it: letters, digits, `_` and `$` only (others
/// are dropped), at most 63 characters (PostgreSQL's limit); `?` when nothing is left.
pub fn identifier(name: &str) -> String {
    let kept: String = name
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$'))
        .take(63)
        .collect();
    if kept.is_empty() {
        "?".to_owned()
    } else {
        kept
    }
}

/// The operation in words, with its names as identifiers: `add column users.email (nullable)`.
pub fn describe(operation: &MigrationOperation) -> String {
    let table = identifier(&operation.table);
    let target = if operation.column.trim().is_empty() {
        table
    } else {
        format!("{table}.{}", identifier(&operation.column))
    };
    match operation.kind {
        OperationKind::AddTable => format!("add table {target}"),
        OperationKind::AddColumn => format!(
            "add column {target} ({}{})",
            if operation.not_null {
                "NOT NULL"
            } else {
                "nullable"
            },
            if operation.with_default {
                ", with a default"
            } else {
                ""
            }
        ),
        OperationKind::AddIndex => format!("add an index on {target}"),
        OperationKind::Backfill => format!(
            "backfill {target}{}",
            if operation.verified {
                " (verified: no row left NULL)"
            } else {
                ""
            }
        ),
        OperationKind::SetNotNull => format!("set {target} NOT NULL"),
        OperationKind::AddConstraint => format!("add a constraint on {target}"),
        OperationKind::RenameColumn => format!(
            "rename {target} to {}{}",
            identifier(&operation.new_name),
            if operation.alias_view {
                " (a view keeps the old name)"
            } else {
                ""
            }
        ),
        OperationKind::DropColumn => format!("drop column {target}"),
        OperationKind::ChangeType => format!("change the type of {target}"),
    }
}

/// The query a verified backfill runs before the constraint ships: it must return 0.
pub fn verification_query(operation: &MigrationOperation) -> String {
    format!(
        "SELECT count(*) FROM {} WHERE {} IS NULL",
        identifier(&operation.table),
        identifier(&operation.column)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three_phases() -> Vec<MigrationOperation> {
        let mut backfill = MigrationOperation::new(
            OperationKind::Backfill,
            "users",
            "email_verified",
            2,
            MigrationPhase::Migrate,
        );
        backfill.verified = true;
        vec![
            MigrationOperation::new(
                OperationKind::AddColumn,
                "users",
                "email_verified",
                1,
                MigrationPhase::Expand,
            ),
            backfill,
            MigrationOperation::new(
                OperationKind::SetNotNull,
                "users",
                "email_verified",
                3,
                MigrationPhase::Contract,
            ),
        ]
    }

    #[test]
    fn a_three_phase_not_null_has_no_problem() {
        let operations = three_phases();
        for at in 0..operations.len() {
            assert!(problems(&operations, at).is_empty(), "{at}");
        }
    }

    #[test]
    fn a_constraint_with_its_column_has_problems() {
        let mut operations = three_phases();
        operations[2].release = 1;
        assert_eq!(
            problems(&operations, 2),
            [Problem::NotPhased, Problem::NoVerifiedBackfill]
        );
    }

    #[test]
    fn identifiers_keep_sql_characters_only() {
        assert_eq!(identifier("users; DROP TABLE x"), "usersDROPTABLEx");
        assert_eq!(identifier("`\n"), "?");
        assert_eq!(
            describe(&three_phases()[0]),
            "add column users.email_verified (nullable)"
        );
    }
}
