use crate::model::{Design, EnvVar, Instruction, Secret};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};
use crate::secrets::{exposes_secret, is_secret_file, is_sensitive_name};

pub struct NoSecretsInImage;

impl Rule for NoSecretsInImage {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-002",
        name: "no-secrets-in-build-args-or-env",
        severity: Severity::Critical,
        area: Area::Docker,
        title: "No secrets in build arguments, ENV or copied files",
        what: "No ARG or ENV in any stage has a sensitive name (password, token, api key, \
               database URL, ...) with a literal value or holds a secret-looking literal; no ENV \
               passes a sensitive ARG through; no secret file (.env, *.pem, *.key, id_rsa) is copied.",
        why: "Every ARG and ENV value is stored in the image metadata and shows up in \
              `docker history`, in every registry the image is pushed to and in every layer cache. \
              Secrets must arrive at run time from the orchestrator's secret store.",
        incorrect: "ARG DATABASE_URL\nENV DATABASE_URL=$DATABASE_URL",
        correct: "# no secret at build time; at run time:\n# env: [{name: DATABASE_URL, valueFrom: {secretKeyRef: {name: app-secrets, key: database-url}}}]",
        fix: "Removes the offending build argument or variable and records its name under \
              `secrets`, so the value is injected at run time instead. Unsafe: the literal value \
              is discarded.",
        source: "000 · Docker: Layer Security (Incorrect: `ARG DATABASE_URL` / `ENV DATABASE_URL=$DATABASE_URL`)",
        equivalents: &["hadolint DL3044 (partly)", "checkov CKV_DOCKER_11 (partly)", "trivy secret scanning"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if context.templated() {
            let container = &context.service().container;
            let lists = [
                ("build_args", &container.build_args),
                ("env", &container.env),
            ];
            return lists
                .into_iter()
                .flat_map(|(list, variables)| {
                    variables
                        .iter()
                        .enumerate()
                        .filter_map(move |(i, variable)| {
                            offending_variable(variable).map(|reason| {
                                Violation::new(
                                    format!("container.{list}[{i}].value"),
                                    format!("{reason}: it would be baked into the image."),
                                )
                            })
                        })
                })
                .collect();
        }
        let mut violations = Vec::new();
        for (stage_index, stage) in context.stages.iter().enumerate() {
            for (position, instruction) in stage.instructions.iter().enumerate() {
                if let Some(reason) = offending_instruction(instruction) {
                    violations.push(Violation::new(
                        context.instruction_field(stage_index, position),
                        format!("Stage `{}`: {reason}.", stage.name),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Move to a runtime secret",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut build_arg = crate::presets::for_runtime(crate::model::Runtime::Node);
        build_arg.services[0]
            .container
            .build_args
            .push(EnvVar::new("DATABASE_URL", ""));
        let mut literal = crate::presets::for_runtime(crate::model::Runtime::Node);
        literal.services[0]
            .container
            .env
            .push(EnvVar::new("SENTRY_DSN", "https://key@sentry.io/1"));
        let mut explicit = crate::rules::support::explicit_stages();
        explicit.services[0].container.stages[1]
            .instructions
            .push(crate::rules::support::copy(&[".env"], "./"));
        explicit.services[0].container.stages[2]
            .instructions
            .insert(
                1,
                Instruction::Env {
                    name: "DB".into(),
                    value: "$DATABASE_URL".into(),
                },
            );
        vec![build_arg, literal, explicit]
    }
}

fn offending_variable(variable: &EnvVar) -> Option<String> {
    exposes_secret(&variable.name, &variable.value).or_else(|| {
        // A bare sensitive ARG (no default) is still visible once a value is passed in.
        (is_sensitive_name(&variable.name) && variable.value.trim().is_empty())
            .then(|| format!("`{}` is a sensitive build argument", variable.name))
    })
}

fn offending_instruction(instruction: &Instruction) -> Option<String> {
    match instruction {
        Instruction::Arg { name, default } => offending_variable(&EnvVar::new(name, default)),
        Instruction::Env { name, value } => {
            let passes_sensitive = value
                .split('$')
                .skip(1)
                .map(|rest| rest.trim_start_matches('{'))
                .map(|rest| {
                    rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or("")
                })
                .any(is_sensitive_name);
            exposes_secret(name, value).or_else(|| {
                passes_sensitive.then(|| {
                    format!("`ENV {name}` passes a sensitive build argument into the image")
                })
            })
        }
        Instruction::Copy { from, sources, .. } if from.is_empty() => sources
            .iter()
            .find(|source| is_secret_file(source))
            .map(|source| format!("copies the secret file `{source}` into the image")),
        _ => None,
    }
}

fn record_secret(secrets: &mut Vec<Secret>, name: &str) {
    if !name.trim().is_empty() && !secrets.iter().any(|secret| secret.name == name) {
        secrets.push(Secret {
            name: name.to_owned(),
            description: "Moved out of the image by the DOCKER-002 fix; inject at run time."
                .to_owned(),
            ..Secret::default()
        });
    }
}

fn apply(design: &mut Design, index: usize) {
    let mut moved = Vec::new();
    let container = &mut design.services[index].container;
    for list in [&mut container.build_args, &mut container.env] {
        list.retain(|variable| {
            let offending = offending_variable(variable).is_some();
            if offending {
                moved.push(variable.name.clone());
            }
            !offending
        });
    }
    for stage in &mut container.stages {
        stage.instructions.retain(|instruction| {
            let offending = offending_instruction(instruction).is_some();
            if offending {
                if let Instruction::Arg { name, .. } | Instruction::Env { name, .. } = instruction {
                    moved.push(name.clone());
                }
            }
            !offending
        });
    }
    for name in moved {
        record_secret(&mut design.secrets, &name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violations(design: &Design) -> usize {
        NoSecretsInImage.check(&Context::new(design)).len()
    }

    #[test]
    fn passes_with_plain_configuration() {
        let mut design = crate::presets::for_runtime(crate::model::Runtime::Node);
        design.services[0]
            .container
            .env
            .push(EnvVar::new("LOG_LEVEL", "info"));
        assert_eq!(violations(&design), 0);
    }

    #[test]
    fn fails_on_secret_args_env_and_files() {
        let counts: Vec<usize> = NoSecretsInImage::failing_examples()
            .iter()
            .map(violations)
            .collect();
        assert_eq!(counts, [1, 1, 2]);
    }

    #[test]
    fn the_fix_records_the_secret_by_name() {
        let mut design = NoSecretsInImage::failing_examples().remove(0);
        apply(&mut design, 0);
        assert!(design
            .secrets
            .iter()
            .any(|secret| secret.name == "DATABASE_URL"));
    }
}
