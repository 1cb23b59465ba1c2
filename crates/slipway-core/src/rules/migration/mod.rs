//! Database migration rules (docs/rules.md#migrations) that the design can decide: migrations run
//! before the code that needs them, and CI exercises their downgrade. The design holds migration
//! commands, not migration operations, so the operation-level rules are listed in
//! `docs/unchecked-rules.md`.

rules! {
    migration_005::MigrateBeforeDeploy,
    migration_008::MigrationsExercisedInCi,
}

mod jobs;
