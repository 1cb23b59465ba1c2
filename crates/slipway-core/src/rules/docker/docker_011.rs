use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::run_command;

pub struct NpmCiInImage;

/// Whether a shell command installs project dependencies with `npm install`.
fn npm_install(command: &str) -> bool {
    simple_commands(command).into_iter().any(|segment| {
        tool_and_args(segment).is_some_and(|(tool, args)| {
            tool == "npm"
                && matches!(args.first().copied(), Some("install" | "i"))
                && !args.iter().any(|arg| matches!(*arg, "-g" | "--global"))
                && args.len()
                    == 1 + args
                        .iter()
                        .skip(1)
                        .filter(|arg| arg.starts_with('-'))
                        .count()
        })
    })
}

/// `npm install …` / `npm i …` → `npm ci …`, only in the parts of a command that install the
/// project's dependencies (not `npm install -g tool` or `npm install some-package`).
fn to_npm_ci(command: &str) -> String {
    let tokens: Vec<&str> = command.split(' ').collect();
    let mut out: Vec<String> = tokens.iter().map(|token| (*token).to_owned()).collect();
    let mut index = 0;
    while index < tokens.len() {
        let installs = tokens[index] == "npm"
            && matches!(tokens.get(index + 1).copied(), Some("install" | "i"));
        if !installs {
            index += 1;
            continue;
        }
        let end = tokens[index + 2..]
            .iter()
            .position(|token| matches!(*token, "&&" | "||" | ";" | "|"))
            .map_or(tokens.len(), |offset| index + 2 + offset);
        if npm_install(&tokens[index..end].join(" ")) {
            out[index + 1] = "ci".to_owned();
        }
        index = end;
    }
    out.join(" ")
}

impl Rule for NpmCiInImage {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-011",
        name: "npm-ci-in-image",
        severity: Severity::High,
        area: Area::Docker,
        title: "Images install Node dependencies with `npm ci`",
        what: "No stage runs `npm install` or `npm i` to install the project's dependencies; \
               installs use `npm ci`. Global tool installs (`npm install -g`) are not concerned.",
        why: "`npm install` may resolve newer versions than the lockfile and rewrite it, so two \
              builds of the same commit can ship different code. `npm ci` installs exactly the \
              lockfile, fails when it disagrees with package.json, and is faster.",
        incorrect: "RUN npm install",
        correct: "RUN npm ci --omit=dev && npm cache clean --force",
        fix: "Replaces `npm install` / `npm i` with `npm ci`, keeping the other arguments.",
        source:
            "000 · Docker: Multi-Stage Builds (key rules); Docker Patterns › Layer Caching Optimization",
        equivalents: &["hadolint DL3016 (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if context.templated() {
            let install = &context.service().commands.install;
            return if npm_install(install) {
                vec![Violation::new(
                    "commands.install",
                    format!(
                        "The image installs with `{install}`, which may not match the lockfile."
                    ),
                )]
            } else {
                Vec::new()
            };
        }
        let mut violations = Vec::new();
        for (index, stage) in context.stages.iter().enumerate() {
            for (position, instruction) in stage.instructions.iter().enumerate() {
                if run_command(instruction).is_some_and(npm_install) {
                    violations.push(Violation::new(
                        context.instruction_field(index, position),
                        format!("Stage `{}` installs with `npm install`, which may not match the lockfile.", stage.name),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Install with npm ci",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut templated = crate::presets::for_runtime(crate::model::Runtime::Node);
        templated.services[0].commands.install = "npm install".into();
        let mut explicit = crate::rules::support::explicit_stages();
        explicit.services[0].container.stages[0]
            .instructions
            .push(Instruction::Run {
                command: "npm i --no-audit && npm cache clean --force".into(),
            });
        vec![templated, explicit]
    }
}

fn apply(design: &mut Design, index: usize) {
    if npm_install(&design.services[index].commands.install) {
        design.services[index].commands.install =
            to_npm_ci(&design.services[index].commands.install);
    }
    for stage in &mut design.services[index].container.stages {
        for instruction in &mut stage.instructions {
            match instruction {
                Instruction::Run { command } if npm_install(command) => {
                    *command = to_npm_ci(command)
                }
                Instruction::Other { keyword, arguments }
                    if keyword.eq_ignore_ascii_case("RUN") && npm_install(arguments) =>
                {
                    *arguments = to_npm_ci(arguments)
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_npm_install_but_not_global_tools_or_packages() {
        assert!(npm_install("npm install"));
        assert!(npm_install("cd app && npm i --no-audit"));
        assert!(!npm_install("npm ci --omit=dev"));
        assert!(!npm_install("npm install -g pnpm"));
        assert!(!npm_install("npm install left-pad"));
    }

    #[test]
    fn fails_its_examples_and_the_fix_clears_them() {
        for mut design in NpmCiInImage::failing_examples() {
            assert_eq!(NpmCiInImage.check(&Context::new(&design)).len(), 1);
            apply(&mut design, 0);
            assert!(
                NpmCiInImage.check(&Context::new(&design)).is_empty(),
                "{:?}",
                design.services[0].commands.install
            );
        }
        assert_eq!(to_npm_ci("npm i"), "npm ci");
        assert_eq!(to_npm_ci("npm install --no-audit"), "npm ci --no-audit");
        assert_eq!(
            to_npm_ci("npm install -g pnpm && npm install"),
            "npm install -g pnpm && npm ci"
        );
    }
}
