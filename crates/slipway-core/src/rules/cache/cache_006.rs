use crate::facts::commands::{lockfile_exact, loose_install};
use crate::facts::shell::simple_commands;
use crate::model::{Design, PackageManager, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct ReproducibleInstall;

/// Every command line the rule reads, with its field: each service's commands, the jobs'
/// commands, and each Railway service's build command.
fn lines(design: &Design) -> Vec<(String, &str)> {
    let mut lines: Vec<(String, &str)> = Vec::new();
    for (index, service) in design.services.iter().enumerate() {
        lines.extend(
            service
                .commands
                .shell_lines()
                .into_iter()
                .map(|(name, line)| (format!("services[{index}].commands.{name}"), line.as_str())),
        );
    }
    for (index, job) in design.pipeline.jobs.iter().enumerate() {
        for (position, line) in job.commands.iter().enumerate() {
            lines.push((format!("pipeline.jobs[{index}].commands[{position}]"), line));
        }
    }
    for (index, service) in design.services.iter().enumerate() {
        if service.railway.enabled {
            lines.push((
                format!("services[{index}].railway.build_command"),
                &service.railway.build_command,
            ));
        }
    }
    lines
}

fn poetry_without_lock(service: &Service) -> bool {
    service.package_manager == PackageManager::Poetry
        && !service.lockfile.trim().ends_with("poetry.lock")
}

impl Rule for ReproducibleInstall {
    const DOC: RuleDoc = RuleDoc {
        id: "CACHE-006",
        name: "reproducible-install",
        severity: Severity::High,
        area: Area::Cache,
        title: "Installs reproduce the lockfile exactly",
        what: "Install commands in CI, in each service's commands and in Railway's build command \
               are lockfile-exact: `npm ci` (never a bare `npm install` or `npm i`), `yarn \
               install --frozen-lockfile` (or `--immutable`), and a Poetry project names \
               `poetry.lock` as its lockfile. Dockerfiles are covered by DOCKER-011.",
        why: "`npm install` resolves versions afresh and rewrites the lockfile, so CI tests a \
              dependency tree nobody reviewed and two runs of the same commit can differ. A \
              lockfile-exact install fails loudly when the lockfile is out of date instead.",
        incorrect: "- run: npm install",
        correct: "- run: npm ci",
        fix: "Rewrites `npm install`/`npm i` as `npm ci`, adds `--frozen-lockfile` to Yarn \
              installs and points a Poetry project at `poetry.lock`.",
        source: "000 · CI/CD: Pipeline Caching (key rules: \"npm ci (not npm install)\"); \
                 railway.json Configuration; Nixpacks Customization › nixpacks.toml",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations: Vec<Violation> = lines(design)
            .into_iter()
            .filter_map(|(field, line)| {
                simple_commands(line)
                    .into_iter()
                    .find_map(loose_install)
                    .map(|reason| Violation::new(field, format!("{reason}: `{line}`.")))
            })
            .collect();
        for (index, service) in design.services.iter().enumerate() {
            if poetry_without_lock(service) {
                violations.push(Violation::new(
                    format!("services[{index}].lockfile"),
                    format!(
                        "A Poetry project installs from `poetry.lock`, but the design names `{}`.",
                        service.lockfile
                    ),
                ));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Install from the lockfile",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut project = Design::default();
        project.services[0].commands.install = "npm install".into();
        let mut railway = Design::default();
        railway.services[0].railway.build_command = "npm i && npm run build".into();
        let mut yarn = Design::default();
        yarn.pipeline.jobs[1].commands = vec!["yarn".into(), "yarn test".into()];
        let mut poetry = crate::presets::for_runtime(crate::model::Runtime::Python);
        poetry.services[0].lockfile = "requirements.txt".into();
        vec![project, railway, yarn, poetry]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for service in &mut design.services {
        for line in service.commands.shell_lines_mut() {
            *line = lockfile_exact(line);
        }
        if service.railway.enabled {
            service.railway.build_command = lockfile_exact(&service.railway.build_command);
        }
        if poetry_without_lock(service) {
            service.lockfile = PackageManager::Poetry.lockfile().to_owned();
        }
    }
    for job in &mut design.pipeline.jobs {
        for line in &mut job.commands {
            *line = lockfile_exact(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_ci_installs_and_tool_installs() {
        let mut design = Design::default();
        design.pipeline.jobs[0].commands = vec![
            "npm install -g pnpm".into(),
            "npm install --save-dev eslint".into(),
            "npm ci".into(),
        ];
        assert!(fields(&ReproducibleInstall, &design).is_empty());
    }

    #[test]
    fn fails_on_loose_installs() {
        let reported: Vec<Vec<String>> = ReproducibleInstall::failing_examples()
            .iter()
            .map(|design| fields(&ReproducibleInstall, design))
            .collect();
        assert_eq!(reported[0], ["services[0].commands.install"]);
        assert_eq!(reported[1], ["services[0].railway.build_command"]);
        assert_eq!(reported[2], ["pipeline.jobs[1].commands[0]"]);
        assert_eq!(reported[3], ["services[0].lockfile"]);
    }

    #[test]
    fn every_service_is_read_and_fixed() {
        let mut design = Design::default();
        let mut web = crate::model::Service::default();
        web.commands.install = "npm install".into();
        design.services.push(web);
        assert_eq!(
            fields(&ReproducibleInstall, &design),
            ["services[1].commands.install"]
        );
        apply(&mut design, 0);
        assert_eq!(design.services[1].commands.install, "npm ci");
        assert!(fields(&ReproducibleInstall, &design).is_empty());
    }

    #[test]
    fn the_fix_keeps_flags() {
        assert_eq!(
            lockfile_exact("npm install --no-audit && npm test"),
            "npm ci --no-audit && npm test"
        );
    }
}
