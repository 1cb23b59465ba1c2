use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::jobs::{ancestors, migrate_jobs_for};

pub struct MigrateBeforeDeploy;

/// Deploy jobs (by index) with migrate jobs for their environment, none of which they wait for.
fn unordered(design: &Design) -> Vec<(usize, Vec<usize>)> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| job.kind == JobKind::Deploy)
        .filter_map(|(d, deploy)| {
            let migrations = migrate_jobs_for(design, deploy.environment.trim());
            let waited = ancestors(design, deploy);
            let ordered = migrations
                .iter()
                .any(|&m| waited.contains(design.pipeline.jobs[m].id.as_str()));
            (!migrations.is_empty() && !ordered).then_some((d, migrations))
        })
        .collect()
}

impl Rule for MigrateBeforeDeploy {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-005",
        name: "migrate-before-deploy",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "Migrations run before the new code is deployed",
        what: "When the pipeline has a `migrate` job for an environment, every deploy job to that \
               environment waits for it (through `needs`, directly or via other jobs). On Railway \
               the pre-deploy command plays that part (RAILWAY-014).",
        why: "New code that reads a column the migration has not created yet fails on its first \
              request. The documented order is migrate, then deploy the new code; a migrate job \
              that runs after or beside the deploy leaves a window where the new version runs \
              against the old schema.",
        incorrect: "jobs:\n- id: migrate-production\n  kind: migrate\n  environment: production\n  needs: [deploy-production]\n- id: deploy-production\n  kind: deploy\n  needs: [build]",
        correct: "jobs:\n- id: migrate-production\n  kind: migrate\n  environment: production\n  needs: [build]\n- id: deploy-production\n  kind: deploy\n  needs: [build, migrate-production]",
        fix: "Makes each deploy job wait for its environment's migrate jobs; a migrate job that \
              waited for the deploy takes over the deploy's own `needs` instead. Unsafe: the job \
              graph changes (a contract migration meant to run after the rollout needs a second, \
              later migrate job).",
        source: "000 · DevOps: Database Migrations (\"Deploy order: migrate → deploy new code → \
                 migrate\"; \"Always deploy migrations before the application code\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        unordered(design)
            .into_iter()
            .map(|(d, migrations)| {
                let names: Vec<String> = migrations
                    .iter()
                    .map(|&m| format!("`{}`", design.pipeline.jobs[m].id))
                    .collect();
                Violation::new(
                    format!("pipeline.jobs[{d}].needs"),
                    format!(
                        "Deploy job `{}` does not wait for {}: the new code can start before \
                         its schema exists.",
                        design.pipeline.jobs[d].id,
                        names.join(", ")
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Migrate before deploying",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::Job;
        let mut beside = Design::default();
        let mut migrate = Job::new("migrate-production", JobKind::Migrate, &["build"]);
        migrate.environment = "production".to_owned();
        migrate.commands = vec!["alembic upgrade head".to_owned()];
        beside.pipeline.jobs.push(migrate.clone());
        let mut after = Design::default();
        migrate.needs = vec!["deploy-production".to_owned()];
        after.pipeline.jobs.push(migrate);
        vec![beside, after]
    }
}

fn apply(design: &mut Design, _service: usize) {
    // One deploy at a time: each reorder changes what the next deploy waits for.
    while let Some((d, migrations)) = unordered(design).into_iter().next() {
        let deploy_id = design.pipeline.jobs[d].id.clone();
        let deploy_needs = design.pipeline.jobs[d].needs.clone();
        for m in migrations {
            let after_deploy =
                ancestors(design, &design.pipeline.jobs[m]).contains(deploy_id.as_str());
            let migrate_id = design.pipeline.jobs[m].id.clone();
            if after_deploy {
                design.pipeline.jobs[m].needs = deploy_needs
                    .iter()
                    .filter(|need| need.trim() != migrate_id)
                    .cloned()
                    .collect();
            }
            let needs = &mut design.pipeline.jobs[d].needs;
            if !needs.iter().any(|need| need.trim() == migrate_id) {
                needs.push(migrate_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_without_migrations_and_when_deploys_wait() {
        assert!(fields(&MigrateBeforeDeploy, &Design::default()).is_empty());
        let mut design = MigrateBeforeDeploy::failing_examples().remove(0);
        design.pipeline.jobs[5]
            .needs
            .push("migrate-production".to_owned());
        assert!(fields(&MigrateBeforeDeploy, &design).is_empty());
    }

    #[test]
    fn fails_beside_or_after_the_deploy_and_the_fix_reorders() {
        for mut design in MigrateBeforeDeploy::failing_examples() {
            assert_eq!(
                fields(&MigrateBeforeDeploy, &design),
                ["pipeline.jobs[5].needs"]
            );
            apply(&mut design, 0);
            assert!(design.pipeline.jobs[5]
                .needs
                .contains(&"migrate-production".to_owned()));
            assert!(!design.pipeline.jobs[6]
                .needs
                .contains(&"deploy-production".to_owned()));
        }
    }
}
