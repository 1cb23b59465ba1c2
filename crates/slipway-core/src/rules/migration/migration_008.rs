use crate::facts::commands::runs_migrations;
use crate::facts::jobs::job_commands;
use crate::facts::shell::{list_commands, unwrap_shell};
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct MigrationsExercisedInCi;

/// Known `(upgrade, downgrade)` sub-commands of migration tools.
const INVERSES: &[(&str, &str)] = &[
    ("alembic upgrade head", "alembic downgrade -1"),
    ("knex migrate:latest", "knex migrate:rollback"),
    ("sequelize db:migrate", "sequelize db:migrate:undo"),
    ("sequelize-cli db:migrate", "sequelize-cli db:migrate:undo"),
    ("goose up", "goose down"),
    ("rails db:migrate", "rails db:rollback"),
    ("rake db:migrate", "rake db:rollback"),
    ("diesel migration run", "diesel migration revert"),
    ("sqlx migrate run", "sqlx migrate revert"),
];

/// The commands of a start line's script, split at `&&`, `||` and `;` only, so each can be
/// rewritten in place.
fn commands_of(line: &str) -> Vec<String> {
    list_commands(&unwrap_shell(line))
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Whether a simple command steps a migration tool back.
fn is_downgrade(segment: &str) -> bool {
    let words: Vec<&str> = segment.split_whitespace().collect();
    let tool = words.iter().any(|word| {
        let word = word.rsplit('/').next().unwrap_or(word);
        matches!(
            word,
            "alembic"
                | "knex"
                | "sequelize"
                | "sequelize-cli"
                | "goose"
                | "rails"
                | "rake"
                | "diesel"
                | "sqlx"
                | "flyway"
                | "migrate"
                | "manage.py"
                | "prisma"
        ) || word.starts_with("migrate")
    });
    tool && words.iter().any(|word| {
        matches!(
            *word,
            "downgrade"
                | "down"
                | "undo"
                | "revert"
                | "rollback"
                | "migrate:rollback"
                | "migrate:down"
                | "db:rollback"
                | "db:migrate:undo"
                | "reset"
        )
    })
}

/// The design's migration command lines: migrate jobs' commands and each Railway service's.
fn migration_commands(design: &Design) -> Vec<String> {
    let mut lines: Vec<String> = design
        .pipeline
        .jobs
        .iter()
        .filter(|job| job.kind == JobKind::Migrate)
        .flat_map(|job| job.commands.iter().cloned())
        .collect();
    for service in &design.services {
        if service.railway.enabled {
            lines.push(service.railway.pre_deploy_command.clone());
            lines.push(service.railway.start_command.clone());
        }
        if service.kubernetes.enabled || service.railway.enabled {
            lines.push(service.migrations.command.clone());
        }
    }
    lines.retain(|line| !line.trim().is_empty());
    lines
}

fn runs_any_migration(design: &Design) -> bool {
    design
        .pipeline
        .jobs
        .iter()
        .any(|job| job.kind == JobKind::Migrate)
        || design.services.iter().any(|service| {
            (service.railway.enabled
                && (runs_migrations(&service.railway.pre_deploy_command)
                    || runs_migrations(&service.railway.start_command)))
                || ((service.kubernetes.enabled || service.railway.enabled)
                    && !service.migrations.command.trim().is_empty())
        })
}

fn is_ci_job(kind: JobKind) -> bool {
    matches!(
        kind,
        JobKind::Lint | JobKind::Test | JobKind::Security | JobKind::Build
    )
}

fn has_round_trip(design: &Design) -> bool {
    design.pipeline.jobs.iter().enumerate().any(|(i, job)| {
        is_ci_job(job.kind)
            && job_commands(design, i, job)
                .iter()
                .any(|command| commands_of(&command.text).iter().any(|s| is_downgrade(s)))
    })
}

impl Rule for MigrationsExercisedInCi {
    const DOC: RuleDoc = RuleDoc {
        id: "MIGRATION-008",
        name: "migrations-exercised-in-ci",
        severity: Severity::Critical,
        area: Area::Migration,
        title: "CI runs every migration up, down and up again",
        what: "When the design runs database migrations (a `migrate` job, a service's \
               `migrations.command`, or Railway's pre-deploy or start command), a CI job (lint, test, security or build) runs the round trip \
               upgrade → downgrade one step → upgrade, e.g. `alembic upgrade head && alembic \
               downgrade -1 && alembic upgrade head`, against its test database service.",
        why: "A rollback is only as good as the last time it ran. A downgrade that was never \
              executed fails exactly when production needs it; running it on every change also \
              proves the upgrade can be applied twice.",
        incorrect: "jobs:\n- id: test\n  commands: [pytest]\n- id: migrate-production\n  kind: migrate\n  commands: [alembic upgrade head]",
        correct: "jobs:\n- id: test\n  commands:\n  - alembic upgrade head && alembic downgrade -1 && alembic upgrade head\n  - pytest",
        fix: "Adds the round trip of the design's migration command (Alembic, Knex, Sequelize, \
              goose, Rails, Diesel, sqlx) to the first test job, after its install step.",
        source: "000 · DevOps: Database Migrations (\"Test rollback procedures regularly\"); \
                 Environment Management › Rollback Procedures; Production Readiness Checklist › \
                 Deployment (\"Database migrations tested\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !runs_any_migration(design) || has_round_trip(design) {
            return Vec::new();
        }
        let field = design
            .pipeline
            .jobs
            .iter()
            .position(|job| job.kind == JobKind::Test)
            .map_or("pipeline.jobs".to_owned(), |i| {
                format!("pipeline.jobs[{i}].commands")
            });
        vec![Violation::new(
            field,
            "The design runs database migrations, but no CI job runs them down and up again: \
             the downgrade is untested until a rollback needs it.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add the migration round trip to CI",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::Job;
        let mut job = Design::default();
        let mut migrate = Job::new("migrate-production", JobKind::Migrate, &["build"]);
        migrate.environment = "production".to_owned();
        migrate.commands = vec!["poetry run alembic upgrade head".to_owned()];
        job.pipeline.jobs.push(migrate);
        job.pipeline.jobs[5]
            .needs
            .push("migrate-production".to_owned());
        let mut railway = Design::default();
        railway.services[0].railway.pre_deploy_command = "npx knex migrate:latest".to_owned();
        vec![job, railway]
    }
}

/// `up && down && up` for the first migration command with a known inverse.
fn round_trip(design: &Design) -> Option<String> {
    migration_commands(design).iter().find_map(|line| {
        commands_of(line).into_iter().find_map(|segment| {
            INVERSES.iter().find_map(|(up, down)| {
                segment.contains(up).then(|| {
                    format!(
                        "{segment} && {} && {segment}",
                        segment.replacen(up, down, 1)
                    )
                })
            })
        })
    })
}

fn apply(design: &mut Design, _service: usize) {
    if !runs_any_migration(design) || has_round_trip(design) {
        return;
    }
    let Some(command) = round_trip(design) else {
        return;
    };
    let Some(i) = design
        .pipeline
        .jobs
        .iter()
        .position(|job| job.kind == JobKind::Test)
    else {
        return;
    };
    let job = &design.pipeline.jobs[i];
    let mut commands: Vec<String> = job_commands(design, i, job)
        .into_iter()
        .map(|command| command.text)
        .filter(|text| !text.trim().is_empty())
        .collect();
    // After the install step (the first command), before the tests.
    let at = usize::from(!commands.is_empty());
    commands.insert(at, command);
    design.pipeline.jobs[i].commands = commands;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_without_migrations_or_with_a_round_trip() {
        assert!(fields(&MigrationsExercisedInCi, &Design::default()).is_empty());
        let mut design = MigrationsExercisedInCi::failing_examples().remove(0);
        design.pipeline.jobs[1].commands = vec![
            "poetry run alembic upgrade head && poetry run alembic downgrade -1 && poetry run alembic upgrade head".to_owned(),
            "poetry run pytest".to_owned(),
        ];
        assert!(fields(&MigrationsExercisedInCi, &design).is_empty());
    }

    #[test]
    fn fails_without_a_round_trip_and_the_fix_adds_one() {
        for mut design in MigrationsExercisedInCi::failing_examples() {
            assert_eq!(
                fields(&MigrationsExercisedInCi, &design),
                ["pipeline.jobs[1].commands"]
            );
            apply(&mut design, 0);
            assert!(fields(&MigrationsExercisedInCi, &design).is_empty());
        }
        let mut design = MigrationsExercisedInCi::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(
            design.pipeline.jobs[1].commands,
            [
                "npm ci",
                "poetry run alembic upgrade head && poetry run alembic downgrade -1 && poetry run alembic upgrade head",
                "npm run test:coverage"
            ]
        );
    }
}
