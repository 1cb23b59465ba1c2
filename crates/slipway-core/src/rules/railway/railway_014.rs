use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::{exec_form, railway, start_commands};
use crate::facts::commands::runs_migrations;
use crate::facts::shell::{shell_wrapped, unwrap_shell};

pub struct MigrationsBeforeStart;

fn most_replicas(service: &Service) -> u32 {
    service
        .railway
        .overrides
        .iter()
        .map(|over| over.replicas)
        .chain(std::iter::once(service.railway.replicas))
        .max()
        .unwrap_or(1)
}

fn problems(service: &Service) -> Vec<(String, String)> {
    if railway(service).is_none() {
        return Vec::new();
    }
    let replicas = most_replicas(service);
    start_commands(service)
        .into_iter()
        .filter(|command| command.railway_specific && runs_migrations(&command.text))
        .filter_map(|command| {
            let message = if exec_form(service)
                && !shell_wrapped(&command.text)
                && command.text.contains("&&")
            {
                "The Dockerfile builder runs this in exec form: `&&` is passed as an argument \
                 and the service never starts."
                    .to_owned()
            } else if replicas > 1 {
                format!("Migrations run at start on each of {replicas} replicas, concurrently and on every restart.")
            } else {
                return None;
            };
            Some((command.field, message))
        })
        .collect()
}

impl Rule for MigrationsBeforeStart {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-014",
        name: "migrations-before-start",
        severity: Severity::Medium,
        area: Area::Railway,
        title: "Migrations run once, before the new version starts",
        what: "Migrations a Railway service owns run in `preDeployCommand` (once per deploy, \
               before the new version starts) or at the head of its start command, and a start \
               command that runs them: is not chained with `&&` in exec form (the Dockerfile \
               builder does not run a shell), and does not run on more than one replica.",
        why: "In exec form `npx prisma migrate deploy && node dist/server.js` hands `&&` to npx as \
              an argument: the service never starts. With several replicas every replica start \
              and every restart runs the migrations again, concurrently, which is safe only if \
              the tool takes a lock (A18). Railway's pre-deploy command runs them once, before \
              traffic moves.",
        incorrect: "\"startCommand\": \"npx prisma migrate deploy && node dist/server.js\",\n\"numReplicas\": 3",
        correct: "\"preDeployCommand\": \"npx prisma migrate deploy\",\n\"startCommand\": \"node dist/server.js\",\n\"numReplicas\": 3",
        fix: "Moves the migration commands from the start command into the pre-deploy command. \
              Unsafe: both commands are rewritten.",
        source: "000 · Multi-Service Setup on Railway › Deploy Order; railway.json Configuration › \
                 Examples (Node.js API with migrations); A18",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.service())
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Migrate in the pre-deploy command",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let chained = super::with_railway(|railway| {
            railway.start_command = "npx prisma migrate deploy && node dist/server.js".into()
        });
        let replicas = super::with_railway(|railway| {
            railway.builder = crate::model::RailwayBuilder::Railpack;
            railway.start_command = "npx prisma migrate deploy && node dist/server.js".into();
            railway.replicas = 3;
        });
        vec![chained, replicas]
    }
}

/// Splits a start command into (migrations, the rest), both `&&`-joined.
fn split(line: &str) -> (String, String) {
    let script = unwrap_shell(line);
    let (migrations, rest): (Vec<&str>, Vec<&str>) = script
        .split("&&")
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .partition(|part| runs_migrations(part));
    (migrations.join(" && "), rest.join(" && "))
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    let wrap = exec_form(service);
    for (field, _) in problems(service) {
        let railway = &mut service.railway;
        let slot = match field
            .strip_prefix("railway.overrides[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|over| over.parse::<usize>().ok())
        {
            Some(over) => &mut railway.overrides[over].start_command,
            None => &mut railway.start_command,
        };
        let (migrations, rest) = split(slot);
        *slot = if wrap && rest.contains('$') {
            format!(
                "/bin/sh -c \"exec {}\"",
                rest.replace('\\', "\\\\").replace('"', "\\\"")
            )
        } else {
            rest
        };
        let pre_deploy = &mut railway.pre_deploy_command;
        if !runs_migrations(pre_deploy) {
            *pre_deploy = if pre_deploy.trim().is_empty() {
                migrations
            } else {
                format!("{} && {migrations}", pre_deploy.trim())
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_a_pre_deploy_command_or_one_shell_wrapped_replica() {
        assert!(fields(&MigrationsBeforeStart, &Design::default()).is_empty());
        let wrapped = super::super::with_railway(|railway| {
            railway.start_command =
                "/bin/sh -c \"npx prisma migrate deploy && exec node dist/server.js\"".into()
        });
        assert!(fields(&MigrationsBeforeStart, &wrapped).is_empty());
    }

    #[test]
    fn fails_on_exec_form_chains_and_several_replicas() {
        for design in MigrationsBeforeStart::failing_examples() {
            assert_eq!(
                fields(&MigrationsBeforeStart, &design),
                ["railway.start_command"]
            );
        }
    }

    #[test]
    fn the_fix_moves_migrations_to_pre_deploy() {
        let mut design = MigrationsBeforeStart::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(
            design.services[0].railway.pre_deploy_command,
            "npx prisma migrate deploy"
        );
        assert_eq!(
            design.services[0].railway.start_command,
            "node dist/server.js"
        );
    }
}
