//! Database migration rules (docs/rules.md#migrations): each service's schema changes are phased
//! expand → migrate → contract across releases, so the version still running never meets a
//! schema it cannot use (MIGRATION-001..004, -007, read from `services[].migrations`);
//! migrations run before the code that needs them (MIGRATION-005), and CI exercises their
//! downgrade (MIGRATION-008). Whether each downgrade reverses its upgrade (MIGRATION-006) is in
//! the migration scripts, listed in `docs/unchecked-rules.md`.

rules! {
    migration_001::BackwardCompatibleOnly,
    migration_002::NotNullInThreePhases,
    migration_003::RenameWithViewAlias,
    migration_004::DestructiveChangesPhased,
    migration_005::MigrateBeforeDeploy,
    migration_007::BackfillBeforeConstraint,
    migration_008::MigrationsExercisedInCi,
}

mod jobs;

#[cfg(test)]
use crate::model::{Design, MigrationOperation, MigrationPhase, OperationKind};

/// The default design whose service migrates with Knex and ships `operations`.
#[cfg(test)]
pub(in crate::rules) fn with_operations(operations: Vec<MigrationOperation>) -> Design {
    let mut design = Design::default();
    design.services[0].migrations.command = "npx knex migrate:latest".to_owned();
    design.services[0].migrations.operations = operations;
    design
}

/// `users.email_verified` made NOT NULL in three releases: add it nullable, backfill it
/// (verified), then set it NOT NULL.
#[cfg(test)]
pub(in crate::rules) fn three_phases() -> Vec<MigrationOperation> {
    let column = |kind, release, phase| {
        MigrationOperation::new(kind, "users", "email_verified", release, phase)
    };
    let mut backfill = column(OperationKind::Backfill, 2, MigrationPhase::Migrate);
    backfill.verified = true;
    vec![
        column(OperationKind::AddColumn, 1, MigrationPhase::Expand),
        backfill,
        column(OperationKind::SetNotNull, 3, MigrationPhase::Contract),
    ]
}
