//! The limits of the systems a design's names end up in, in one place: job ids, environment
//! names, environment-variable names, matrix axis names and secret names, each with where it
//! ends up, its longest length and the characters it may hold.
//!
//! The generators rewrite a name's other characters to safe ones (`text::env_name`,
//! `actions::job_ids`, `text::identifier`), so characters alone never break an export; what
//! they cannot rewrite is length: a name written as a YAML key longer than the 1,024 characters
//! YAML allows makes the workflow, compose file or values file unparseable, and GitHub refuses
//! an environment name over 255 characters. Those, and names holding a line break or another
//! control character (never a name: a pasted value), are the hard limits [`check_names`]
//! reports; reading a design file refuses the first one, with its line.
//!
//! Names that never become a YAML key or a Kubernetes name have no limit here. A service's
//! migrations (`services[].migrations`) are such: the tables, columns and new names of its
//! operations reach only the README's release plan, as SQL identifiers of at most 63
//! characters (`facts::migrations::identifier`), and its command reaches the chart's values
//! (`migrations.command`, a list of strings), `railway.json` and the README as a value on one
//! line. The hook Job and its copies are named after the chart, never after a migration.

use crate::model::{Design, EnvVar};

/// The longest implicit key YAML allows (YAML 1.2, 7.4.2: 1,024 Unicode characters).
pub const YAML_KEY_MAX: usize = 1024;

/// Room kept under [`YAML_KEY_MAX`] for what the generators add to a name written as a key
/// (the `job-` prefix and `-2` suffix of a job id, the `_` before an env name with a digit).
const KEY_MARGIN: usize = 24;

/// What one kind of name is, where it ends up, and its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameLimit {
    /// What the name is, e.g. "job id".
    pub what: &'static str,
    /// The system and place it ends up in.
    pub system: &'static str,
    /// The longest accepted name, in characters.
    pub max_chars: usize,
    /// The characters the system takes; the generators rewrite others (not refused).
    pub allowed: &'static str,
}

/// GitHub Actions job ids: a key under `jobs:`. (A `needs` entry naming no job is dropped
/// from the export, so only the ids themselves are checked.)
pub const JOB_ID: NameLimit = NameLimit {
    what: "job id",
    system: "GitHub Actions (`jobs.<id>`, a YAML key)",
    max_chars: YAML_KEY_MAX - KEY_MARGIN,
    allowed: "`[A-Za-z_][A-Za-z0-9_-]*`",
};

/// Environment names: GitHub environments (documented limit: 255 characters), the deploy
/// job's `environment:` and the Helm values file name (`values/<identifier>.yaml`).
pub const ENVIRONMENT: NameLimit = NameLimit {
    what: "environment name",
    system: "GitHub environments (at most 255 characters) and the Helm values file name",
    max_chars: 255,
    allowed: "any printable characters (the values file name keeps `[a-z0-9-]`)",
};

/// Environment-variable names: keys under `env:` in workflows, `environment:` in compose,
/// the Helm values and `ENV`/`ARG` in the Dockerfile.
pub const ENV_VAR: NameLimit = NameLimit {
    what: "environment variable name",
    system: "workflow `env:`, compose `environment:` and Helm values keys, Dockerfile `ENV`",
    max_chars: YAML_KEY_MAX - KEY_MARGIN,
    allowed: "`[A-Za-z_][A-Za-z0-9_]*` (POSIX)",
};

/// Matrix axis names: keys under `strategy.matrix` and operands of `${{ matrix.<name> }}`.
pub const MATRIX_AXIS: NameLimit = NameLimit {
    what: "matrix axis name",
    system: "GitHub Actions (`strategy.matrix.<name>`, a YAML key)",
    max_chars: YAML_KEY_MAX - KEY_MARGIN,
    allowed: "`[A-Za-z_][A-Za-z0-9_-]*`",
};

/// Secret names: GitHub secrets (`${{ secrets.NAME }}`) and the env names of Kubernetes
/// Secrets. GitHub also reserves the `GITHUB_` prefix for its own (`GITHUB_TOKEN` is one to
/// read, so the prefix is not refused).
pub const SECRET: NameLimit = NameLimit {
    what: "secret name",
    system: "GitHub secrets and Kubernetes Secret keys (env names)",
    max_chars: YAML_KEY_MAX - KEY_MARGIN,
    allowed: "`[A-Za-z_][A-Za-z0-9_]*`",
};

/// Service names: the image, chart, Helm release, Kubernetes objects, compose service and
/// Railway service are named after them. Kubernetes names are DNS-1123 labels of at most 63
/// characters, so a longer name cannot name the Deployment.
pub const SERVICE: NameLimit = NameLimit {
    what: "service name",
    system: "Kubernetes object and Helm chart names (DNS-1123 labels, at most 63 characters), compose and Railway service names",
    max_chars: 63,
    allowed: "`[a-z0-9]([-a-z0-9]*[a-z0-9])?` (DNS-1123 label)",
};

/// Every limit, for documentation and tests.
pub const ALL: &[NameLimit] = &[SERVICE, JOB_ID, ENVIRONMENT, ENV_VAR, MATRIX_AXIS, SECRET];

/// A name over a hard limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProblem {
    /// Dotted path of the name, e.g. `pipeline.jobs[3].id`.
    pub field: String,
    pub message: String,
}

/// The problem with `name` under `limit`, if it is over a hard limit.
pub fn problem(limit: &NameLimit, name: &str) -> Option<String> {
    let length = name.chars().count();
    if length > limit.max_chars {
        return Some(format!(
            "this {} is {length} characters long; {} takes at most {}",
            limit.what, limit.system, limit.max_chars
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        let shown = match c {
            '\n' => "a line break".to_owned(),
            '\r' => "a carriage return".to_owned(),
            '\t' => "a tab".to_owned(),
            other => format!("the control character U+{:04X}", u32::from(other)),
        };
        return Some(format!(
            "this {} holds {shown}; a name is one line of {}",
            limit.what, limit.allowed
        ));
    }
    None
}

/// Every name of the design over its hard limit, in file order.
pub fn check_names(design: &Design) -> Vec<NameProblem> {
    let mut out = Vec::new();
    for (i, service) in design.services.iter().enumerate() {
        let field = || format!("services[{i}].name");
        push(&mut out, &SERVICE, field, &service.name);
        let container = &service.container;
        env_names(
            &mut out,
            &format!("services[{i}].container.env"),
            &container.env,
        );
        let build_args = format!("services[{i}].container.build_args");
        env_names(&mut out, &build_args, &container.build_args);
    }
    for (j, job) in design.pipeline.jobs.iter().enumerate() {
        push(
            &mut out,
            &JOB_ID,
            || format!("pipeline.jobs[{j}].id"),
            &job.id,
        );
        for (m, axis) in job.matrix.iter().enumerate() {
            let field = || format!("pipeline.jobs[{j}].matrix[{m}].name");
            push(&mut out, &MATRIX_AXIS, field, &axis.name);
        }
        for (s, service) in job.services.iter().enumerate() {
            let prefix = format!("pipeline.jobs[{j}].services[{s}].env");
            env_names(&mut out, &prefix, &service.env);
        }
        let field = || format!("pipeline.jobs[{j}].environment");
        push(&mut out, &ENVIRONMENT, field, &job.environment);
        env_names(&mut out, &format!("pipeline.jobs[{j}].env"), &job.env);
    }
    for (e, environment) in design.environments.iter().enumerate() {
        let field = || format!("environments[{e}].name");
        push(&mut out, &ENVIRONMENT, field, &environment.name);
        env_names(
            &mut out,
            &format!("environments[{e}].values"),
            &environment.values,
        );
    }
    for (s, secret) in design.secrets.iter().enumerate() {
        push(
            &mut out,
            &SECRET,
            || format!("secrets[{s}].name"),
            &secret.name,
        );
    }
    out
}

/// The first name over its hard limit, as `field: message`: why an edit that leads there is
/// refused (the app's edit path keeps the design as it was).
pub fn refusal(design: &Design) -> Option<String> {
    if design.services.is_empty() {
        return Some("services: a design keeps at least one service".to_owned());
    }
    check_names(design)
        .into_iter()
        .next()
        .map(|problem| format!("{}: {}", problem.field, problem.message))
}

fn push(out: &mut Vec<NameProblem>, limit: &NameLimit, field: impl Fn() -> String, name: &str) {
    if let Some(message) = problem(limit, name) {
        out.push(NameProblem {
            field: field(),
            message,
        });
    }
}

fn env_names(out: &mut Vec<NameProblem>, prefix: &str, variables: &[EnvVar]) {
    for (index, variable) in variables.iter().enumerate() {
        push(
            out,
            &ENV_VAR,
            || format!("{prefix}[{index}].name"),
            &variable.name,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Job, JobKind, MatrixAxis};

    #[test]
    fn every_limit_keeps_keys_under_the_yaml_limit() {
        for limit in ALL {
            assert!(
                limit.max_chars + KEY_MARGIN <= YAML_KEY_MAX,
                "{}",
                limit.what
            );
        }
    }

    #[test]
    fn long_and_multi_line_names_are_reported_with_their_field() {
        let mut design = Design::default();
        let mut job = Job::new(&"a".repeat(2000), JobKind::Test, &[]);
        job.env = vec![EnvVar::new("GOOD", "x"), EnvVar::new("BAD\nNAME", "x")];
        job.matrix = vec![MatrixAxis {
            name: "n".repeat(JOB_ID.max_chars),
            values: vec!["1".to_owned()],
        }];
        design.pipeline.jobs.push(job);
        design.environments[1].name = "p".repeat(256);
        let problems = check_names(&design);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "pipeline.jobs[6].id",
                "pipeline.jobs[6].env[1].name",
                "environments[1].name"
            ]
        );
        assert!(
            problems[0].message.contains("2000 characters"),
            "{problems:?}"
        );
        assert!(problems[1].message.contains("line break"), "{problems:?}");
        assert!(problems[2].message.contains("at most 255"), "{problems:?}");
    }

    /// Migration names are values, never keys or Kubernetes names: however long, and with line
    /// breaks, the design loads and every exported YAML and JSON file parses, without the raw
    /// name anywhere but the design file itself.
    #[test]
    fn migration_names_load_at_any_length_and_export_as_values() {
        use crate::bundle::Syntax;
        use crate::model::{MigrationOperation, MigrationPhase, OperationKind};
        use serde::Deserialize;
        let mut design = (crate::presets::find("web-api-worker").unwrap().build)();
        let long = "t".repeat(3000);
        let service = design
            .services
            .iter_mut()
            .find(|service| !service.migrations.command.is_empty())
            .expect("a service that migrates");
        let mut rename = MigrationOperation::new(
            OperationKind::RenameColumn,
            &long,
            &format!("old\n{long}"),
            1,
            MigrationPhase::Expand,
        );
        rename.new_name = format!("{long}\r\nnew");
        service.migrations.operations.push(rename);
        service.migrations.operations.push(MigrationOperation::new(
            OperationKind::SetNotNull,
            &format!("{long}\u{7}"),
            &long,
            2,
            MigrationPhase::Contract,
        ));
        // The command is a value wherever it goes: the chart's values, railway.json, the README.
        let command = format!("npx knex migrate:latest --env {}", "x".repeat(3000));
        service.migrations.command = format!("{command}\nrm -rf /");
        assert_eq!(check_names(&design), []);
        let loaded = crate::io::parse_design(&crate::io::to_yaml(&design)).unwrap();
        assert_eq!(loaded, design);
        for file in crate::generate(&design).files {
            match file.syntax {
                Syntax::Yaml => {
                    for document in serde_norway::Deserializer::from_str(&file.contents) {
                        serde_norway::Value::deserialize(document)
                            .unwrap_or_else(|error| panic!("{}: {error}", file.path));
                    }
                }
                Syntax::Json => {
                    serde_json::from_str::<serde_json::Value>(&file.contents)
                        .unwrap_or_else(|error| panic!("{}: {error}", file.path));
                }
                _ => {}
            }
            // Tables and columns only as identifiers of at most 63 characters.
            if file.path != "slipway.yaml" {
                assert!(!file.contents.contains(&"t".repeat(64)), "{}", file.path);
            }
            assert!(
                !file.path.contains("ttt") && !file.path.contains("xxx"),
                "{}",
                file.path
            );
        }
    }

    #[test]
    fn odd_characters_are_left_to_the_generators() {
        for name in ["Deploy prod!", "spring.profiles.active", "é 🚀", "", "1"] {
            for limit in ALL {
                assert_eq!(problem(limit, name), None, "{name:?}");
            }
        }
    }
}
