use serde::{Deserialize, Serialize};

/// A service's database migrations: the command that applies them before a new version
/// serves, and the schema changes each release ships, phased expand → migrate → contract so
/// that the version still running never meets a schema it cannot use (MIGRATION-001..007).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Migrations {
    /// Applies the pending migrations, e.g. `npx knex migrate:latest`. Empty: Railway's
    /// pre-deploy command, if any. The chart runs it in a pre-install/pre-upgrade hook Job.
    pub command: String,
    /// Longest a migration run may take before it counts as failed (the hook Job's
    /// `activeDeadlineSeconds`).
    pub timeout_seconds: u32,
    /// Retries of a failed run (the hook Job's `backoffLimit`).
    pub backoff_limit: u32,
    /// The schema changes, each in the release that ships it.
    pub operations: Vec<MigrationOperation>,
}

impl Default for Migrations {
    fn default() -> Self {
        Migrations {
            command: String::new(),
            timeout_seconds: 600,
            backoff_limit: 1,
            operations: Vec::new(),
        }
    }
}

/// One schema change: what it does, to which table and column, and when it ships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MigrationOperation {
    pub kind: OperationKind,
    /// The table (a SQL identifier).
    pub table: String,
    /// The column; empty for a table or index as a whole.
    pub column: String,
    /// Add-column: the column is `NOT NULL`.
    pub not_null: bool,
    /// Add-column: the column has a default, so rows the old code inserts still get a value.
    pub with_default: bool,
    /// Rename-column: the column's new name.
    pub new_name: String,
    /// Rename-column: a view keeps exposing the old name while old code runs (MIGRATION-003).
    pub alias_view: bool,
    /// Backfill: the job checks that no row is left to fill (`SELECT count(*) … IS NULL` is 0)
    /// before the constraint ships (MIGRATION-007).
    pub verified: bool,
    /// The release that ships it: 1 is the next release, 2 the one after.
    pub release: u32,
    pub phase: MigrationPhase,
    /// Drop-column and change-type: the release whose code stopped reading the old column or
    /// type; 0 when not said (MIGRATION-004).
    pub readers_moved_in: u32,
}

impl Default for MigrationOperation {
    fn default() -> Self {
        MigrationOperation {
            kind: OperationKind::AddColumn,
            table: String::new(),
            column: String::new(),
            not_null: false,
            with_default: false,
            new_name: String::new(),
            alias_view: false,
            verified: false,
            release: 1,
            phase: MigrationPhase::Expand,
            readers_moved_in: 0,
        }
    }
}

impl MigrationOperation {
    /// An operation of `kind` on `table.column`, shipped in `release` during `phase`.
    pub fn new(
        kind: OperationKind,
        table: &str,
        column: &str,
        release: u32,
        phase: MigrationPhase,
    ) -> Self {
        MigrationOperation {
            kind,
            table: table.to_owned(),
            column: column.to_owned(),
            release,
            phase,
            ..MigrationOperation::default()
        }
    }
}

/// What a migration operation does to the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum OperationKind {
    AddTable,
    #[default]
    AddColumn,
    AddIndex,
    Backfill,
    SetNotNull,
    AddConstraint,
    RenameColumn,
    DropColumn,
    ChangeType,
}

/// The three phases of a zero-downtime change: expand (add, compatible with the old code),
/// migrate (new code writes, a backfill fills old rows), contract (constrain or remove once
/// no running version needs the old shape).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum MigrationPhase {
    #[default]
    Expand,
    Migrate,
    Contract,
}
