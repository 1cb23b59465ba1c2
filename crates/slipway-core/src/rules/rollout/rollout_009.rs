use crate::facts::migrations::{describe, problems, releases};
#[cfg(test)]
use crate::model::Design;
use crate::model::{RolloutStrategy, Service};
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

pub struct MixedVersionSchemaSafety;

/// How the service's deploy runs two versions against one database at once.
fn mixing(service: &Service) -> Option<&'static str> {
    if service.kubernetes.enabled {
        Some(match service.kubernetes.rollout.strategy {
            RolloutStrategy::Rolling => "the rolling update runs old and new pods side by side",
            RolloutStrategy::Canary => "the canary serves the old version to most users",
            RolloutStrategy::BlueGreen => "blue and green share one database",
        })
    } else if service.railway.enabled {
        Some("Railway keeps the old deployment serving until the new one is healthy")
    } else {
        None
    }
}

impl Rule for MixedVersionSchemaSafety {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-009",
        name: "mixed-version-schema-safety",
        severity: Severity::Critical,
        area: Area::Rollout,
        title: "No release's migrations break the version its rollout still runs",
        what: "Every strategy runs the old and the new code against one schema for a while: a \
               rolling update and a canary mix versions, blue-green shares one database, and \
               Railway keeps the old deployment until the new one is healthy. So a release \
               whose migration operations are not backward compatible (MIGRATION-001, -002, \
               -003, -004, -007) blocks the deploy of the service that ships it: one finding \
               per release, at its first such operation. A service with operations also has a \
               migration command (`migrations.command` or Railway's pre-deploy command), so they \
               run before the new version serves.",
        why: "The strategy decides how long two versions overlap, not whether they do: the \
              migration runs before the first new pod and the last old one stops well after, \
              so every incompatible change is an outage for the old version's share of the \
              traffic, however careful the rollout.",
        incorrect: "kubernetes:\n  rollout:\n    strategy: canary\nmigrations:\n  operations:\n  - kind: drop-column\n    table: users\n    column: legacy_field\n    release: 1",
        correct: "kubernetes:\n  rollout:\n    strategy: canary\nmigrations:\n  operations:\n  - kind: drop-column\n    table: users\n    column: legacy_field\n    readers_moved_in: 1\n    release: 2\n    phase: contract",
        fix: "Phase the release's operations with the fixes of the MIGRATION findings that name \
              the same operations (split a NOT NULL add, add the alias view, move the drop to a \
              later release, add a verified backfill).",
        source: "000 · Deployment Strategies › Rolling (cons: \"Mixed versions running \
                 simultaneously\") and › Blue-Green (cons: \"database migrations tricky\"); \
                 DevOps: Database Migrations; 004 · Blue-Green (cons: \"Database migrations \
                 complex\")",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let Some(mixing) = mixing(service) else {
            return Vec::new();
        };
        let operations = &service.migrations.operations;
        let mut out: Vec<Violation> = Vec::new();
        if !operations.is_empty() && crate::facts::migrations::command(service).is_none() {
            out.push(Violation::new(
                "migrations.command",
                "The service plans migration operations but has no migration command: nothing \
                 applies them before the new version serves.",
            ));
        }
        out.extend(releases(service).into_iter().filter_map(|release| {
            let j = (0..operations.len()).find(|&j| {
                operations[j].release == release && !problems(operations, j).is_empty()
            })?;
            Some(Violation::new(
                format!("migrations.operations[{j}]"),
                format!(
                    "Release {release} is not safe to deploy: {mixing}, and `{}` breaks \
                         the version still running.",
                    describe(&operations[j])
                ),
            ))
        }));
        out
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::{MigrationOperation, MigrationPhase, OperationKind};
        let drop = MigrationOperation::new(
            OperationKind::DropColumn,
            "users",
            "legacy_field",
            1,
            MigrationPhase::Contract,
        );
        let mut canary = super::with_strategy(RolloutStrategy::Canary);
        canary.services[0].migrations.command = "npx knex migrate:latest".to_owned();
        canary.services[0].migrations.operations = vec![drop.clone()];
        let mut railway = Design::default();
        railway.services[0].kubernetes.enabled = false;
        railway.services[0].railway.pre_deploy_command = "npx knex migrate:latest".to_owned();
        let mut operations = crate::rules::migration::three_phases();
        operations[2].release = 1;
        operations.push(drop);
        railway.services[0].migrations.operations = operations;
        vec![canary, railway]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_phased_operations_or_no_deploy() {
        let mut design = Design::default();
        design.services[0].migrations.command = "npx knex migrate:latest".to_owned();
        design.services[0].migrations.operations = crate::rules::migration::three_phases();
        assert!(fields(&MixedVersionSchemaSafety, &design).is_empty());
        let mut nowhere = MixedVersionSchemaSafety::failing_examples().remove(1);
        nowhere.services[0].railway.enabled = false;
        assert!(fields(&MixedVersionSchemaSafety, &nowhere).is_empty());
    }

    #[test]
    fn fails_once_per_unsafe_release() {
        let reported: Vec<Vec<String>> = MixedVersionSchemaSafety::failing_examples()
            .iter()
            .map(|design| fields(&MixedVersionSchemaSafety, design))
            .collect();
        assert_eq!(reported[0], ["migrations.operations[0]"]);
        assert_eq!(reported[1], ["migrations.operations[2]"]);
    }

    #[test]
    fn fails_when_nothing_runs_the_operations() {
        let mut design = Design::default();
        design.services[0].migrations.operations = crate::rules::migration::three_phases();
        assert_eq!(
            fields(&MixedVersionSchemaSafety, &design),
            ["migrations.command"]
        );
    }
}
