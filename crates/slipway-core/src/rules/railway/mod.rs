//! Railway rules (docs/rules.md#railway), checked on the settings `railway.json` is generated from.
//! They apply when the design deploys to Railway (`railway.enabled`).
//!
//! Not implemented (see `docs/unchecked-rules.md`): RAILWAY-001, RAILWAY-007, RAILWAY-008,
//! RAILWAY-012 and RAILWAY-013, which the generator guarantees by construction.

rules! {
    railway_002::HealthcheckPathForWeb,
    railway_003::HealthcheckTimeout,
    railway_004::RestartPolicy,
    railway_005::NoSecretsInRailwayConfig,
    railway_006::NixpacksUnlessNeeded,
    railway_009::BindPortEnv,
    railway_010::ReferenceVariables,
    railway_011::PrivateNetworking,
    railway_014::MigrationsBeforeStart,
    railway_015::CiLinkBeforeUp,
    railway_016::CronServiceShape,
}

use super::ci::{segments, tool_and_args};
use crate::model::{Design, Railway, RailwayBuilder};

/// The Railway settings, when the design deploys to Railway.
pub(crate) fn railway(design: &Design) -> Option<&Railway> {
    design.railway.enabled.then_some(&design.railway)
}

/// Whether the Railway service is a cron job.
pub(crate) fn is_cron(railway: &Railway) -> bool {
    !railway.cron_schedule.trim().is_empty()
}

/// One start command Railway runs, with its field.
pub(crate) struct StartCommand {
    pub text: String,
    pub field: String,
    /// Written by the user for Railway (`railway.start_command` or an override), rather
    /// than the image's own CMD.
    pub railway_specific: bool,
}

/// The start commands Railway runs: the service's (its own, else the project's) and every
/// environment override's.
pub(crate) fn start_commands(design: &Design) -> Vec<StartCommand> {
    let railway = &design.railway;
    let mut commands = vec![if railway.start_command.trim().is_empty() {
        StartCommand {
            text: design.project.commands.start.join(" "),
            field: "project.commands.start".to_owned(),
            railway_specific: false,
        }
    } else {
        StartCommand {
            text: railway.start_command.clone(),
            field: "railway.start_command".to_owned(),
            railway_specific: true,
        }
    }];
    for (i, over) in railway.overrides.iter().enumerate() {
        if !over.start_command.trim().is_empty() {
            commands.push(StartCommand {
                text: over.start_command.clone(),
                field: format!("railway.overrides[{i}].start_command"),
                railway_specific: true,
            });
        }
    }
    commands.retain(|command| !command.text.trim().is_empty());
    commands
}

/// Whether Railway runs the start command without a shell (Dockerfile builds use exec form,
/// so `$PORT`, `&&` and pipes are not interpreted).
pub(crate) fn exec_form(design: &Design) -> bool {
    design.railway.builder == RailwayBuilder::Dockerfile
}

/// Whether a command line is wrapped in a shell (`/bin/sh -c "…"`).
pub(crate) fn shell_wrapped(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    let program = first.rsplit('/').next().unwrap_or(first);
    matches!(program, "sh" | "bash" | "ash" | "dash") && words.next() == Some("-c")
}

/// Whether a simple command runs database migrations.
pub(crate) fn is_migration(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    let second = args.get(1).copied().unwrap_or("");
    match tool {
        "prisma" => first == "migrate" && second == "deploy",
        "alembic" => first == "upgrade",
        "flyway" | "goose" => matches!(first, "migrate" | "up"),
        "knex" => first.starts_with("migrate:"),
        "sequelize" | "sequelize-cli" | "rails" | "rake" => first == "db:migrate",
        "diesel" | "sqlx" => first == "migration" || first == "migrate",
        "npm" | "pnpm" | "yarn" => args.iter().any(|arg| arg.starts_with("migrate")),
        "migrate" => args.contains(&"up"),
        _ => {
            args.contains(&"migrate")
                && (tool.ends_with("manage.py") || first.ends_with("manage.py"))
        }
    }
}

/// Whether any simple command of a line runs migrations.
pub(crate) fn runs_migrations(line: &str) -> bool {
    let inner = unwrap_shell(line);
    segments(&inner).into_iter().any(is_migration)
}

/// The script of `sh -c "…"` (quotes removed), or the line itself.
pub(crate) fn unwrap_shell(line: &str) -> String {
    if !shell_wrapped(line) {
        return line.to_owned();
    }
    let after = line
        .splitn(3, char::is_whitespace)
        .nth(2)
        .unwrap_or("")
        .trim();
    after
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .or_else(|| {
            after
                .strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
        })
        .unwrap_or(after)
        .trim_start_matches("exec ")
        .to_owned()
}

/// The default design with its Railway settings changed.
#[cfg(test)]
fn with_railway(edit: impl FnOnce(&mut Railway)) -> Design {
    let mut design = Design::default();
    edit(&mut design.railway);
    design
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_recognised() {
        assert!(runs_migrations(
            "npx prisma migrate deploy && node dist/server.js"
        ));
        assert!(runs_migrations(
            "/bin/sh -c \"exec alembic upgrade head && uvicorn app:app\""
        ));
        assert!(runs_migrations("python manage.py migrate"));
        assert!(!runs_migrations("node dist/main.js"));
    }

    #[test]
    fn shells_are_unwrapped() {
        assert_eq!(
            unwrap_shell("/bin/sh -c \"exec x --port $PORT\""),
            "x --port $PORT"
        );
        assert_eq!(unwrap_shell("node a.js"), "node a.js");
    }
}
