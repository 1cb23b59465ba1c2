//! Edits of a service's migration operations, for the form's list.

use crate::model::{MigrationOperation, MigrationPhase, OperationKind, Service};

/// Appends an operation: a nullable column added in the release after the latest one planned
/// (the next release when none is), in the expand phase.
pub fn add_migration_operation(service: &mut Service) {
    let operations = &mut service.migrations.operations;
    let release = operations
        .iter()
        .map(|operation| operation.release)
        .max()
        .map_or(1, |latest| latest + 1);
    operations.push(MigrationOperation::new(
        OperationKind::AddColumn,
        "",
        "",
        release,
        MigrationPhase::Expand,
    ));
}

/// Removes operation `index`, if there is one.
pub fn remove_migration_operation(service: &mut Service, index: usize) {
    let operations = &mut service.migrations.operations;
    if index < operations.len() {
        operations.remove(index);
    }
}

/// Edits operation `index` with `change`, if there is one; its release stays 1 or later.
pub fn edit_migration_operation(
    service: &mut Service,
    index: usize,
    change: impl FnOnce(&mut MigrationOperation),
) {
    if let Some(operation) = service.migrations.operations.get_mut(index) {
        change(operation);
        operation.release = operation.release.max(1);
    }
}

/// The service's release plan: for each release in order, the operations (by index) of each
/// phase (expand, migrate, contract).
pub fn release_plan(service: &Service) -> Vec<(u32, [Vec<usize>; 3])> {
    crate::facts::migrations::releases(service)
        .into_iter()
        .map(|release| {
            let of = |phase: MigrationPhase| {
                service
                    .migrations
                    .operations
                    .iter()
                    .enumerate()
                    .filter(|(_, operation)| {
                        operation.release == release && operation.phase == phase
                    })
                    .map(|(index, _)| index)
                    .collect()
            };
            (
                release,
                [
                    of(MigrationPhase::Expand),
                    of(MigrationPhase::Migrate),
                    of(MigrationPhase::Contract),
                ],
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_added_in_the_next_release_and_removed() {
        let mut service = Service::default();
        add_migration_operation(&mut service);
        add_migration_operation(&mut service);
        let releases: Vec<u32> = service
            .migrations
            .operations
            .iter()
            .map(|operation| operation.release)
            .collect();
        assert_eq!(releases, [1, 2]);
        edit_migration_operation(&mut service, 1, |operation| operation.release = 0);
        assert_eq!(service.migrations.operations[1].release, 1);
        remove_migration_operation(&mut service, 0);
        remove_migration_operation(&mut service, 5);
        assert_eq!(service.migrations.operations.len(), 1);
    }

    #[test]
    fn the_plan_puts_each_operation_in_its_release_and_phase() {
        let design = crate::presets::find("web-api-worker").map(|p| (p.build)());
        let design = design.expect("preset");
        let plan = release_plan(&design.services[1]);
        assert_eq!(
            plan,
            [
                (1, [vec![0], vec![], vec![]]),
                (2, [vec![], vec![1], vec![]]),
                (3, [vec![], vec![], vec![2, 3]]),
            ]
        );
    }
}
