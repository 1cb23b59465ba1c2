use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, Instruction, Stage};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::install::{install_kind, Install, Installer};
use super::layout::{run_command, stage_lineage};

pub struct CleanCacheSameLayer;

/// Whether one simple command removes `installer`'s download cache.
fn cleans(installer: Installer, segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    let removes = |names: &[&str]| {
        tool == "rm"
            && args
                .iter()
                .any(|arg| !arg.starts_with('-') && names.iter().any(|name| arg.contains(name)))
    };
    match installer {
        Installer::Npm => {
            (tool == "npm" && first == "cache" && args.get(1) == Some(&"clean"))
                || removes(&[".npm"])
        }
        Installer::Yarn => {
            (tool == "yarn" && first == "cache" && args.get(1) == Some(&"clean"))
                || removes(&["yarn"])
        }
        Installer::Pnpm => {
            (tool == "pnpm" && first == "store" && args.get(1) == Some(&"prune"))
                || removes(&["pnpm"])
        }
        Installer::Pip | Installer::Pipenv => removes(&[".cache"]),
        Installer::Poetry => {
            (tool == "poetry" && first == "cache" && args.get(1) == Some(&"clear"))
                || removes(&[".cache", "pypoetry"])
        }
        Installer::Uv => {
            (tool == "uv" && first == "cache" && matches!(args.get(1), Some(&"clean" | &"prune")))
                || removes(&[".cache"])
        }
    }
}

/// Whether the install itself writes no cache (`pip install --no-cache-dir`, `uv sync
/// --no-cache`).
fn cacheless(installer: Installer, segment: &str) -> bool {
    let words: Vec<&str> = segment.split_whitespace().collect();
    match installer {
        Installer::Pip => words
            .iter()
            .any(|word| *word == "--no-cache-dir" || word.starts_with("PIP_NO_CACHE_DIR=")),
        Installer::Uv => words
            .iter()
            .any(|word| *word == "--no-cache" || word.starts_with("UV_NO_CACHE=")),
        _ => false,
    }
}

/// Whether the stage sets the environment variable that turns the cache off.
fn cache_disabled_by_env(stage: &Stage, before: usize, installer: Installer) -> bool {
    let name = match installer {
        Installer::Pip | Installer::Pipenv => "PIP_NO_CACHE_DIR",
        Installer::Uv => "UV_NO_CACHE",
        _ => return false,
    };
    stage.instructions[..before]
        .iter()
        .any(|instruction| match instruction {
            Instruction::Env { name: env, value } => env == name && !value.trim().is_empty(),
            Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("ENV") => {
                arguments.contains(name)
            }
            _ => false,
        })
}

/// The package managers of production installs in `command` that leave their cache behind.
fn uncleaned(stage: &Stage, position: usize, command: &str) -> Vec<Installer> {
    if command.contains("--mount=type=cache") {
        return Vec::new();
    }
    let parts = simple_commands(command);
    let mut left = Vec::new();
    for segment in &parts {
        let Some((installer, Install::ProductionOnly)) = install_kind(segment) else {
            continue;
        };
        let clean = cacheless(installer, segment)
            || cache_disabled_by_env(stage, position, installer)
            || parts.iter().any(|other| cleans(installer, other));
        if !clean && !left.contains(&installer) {
            left.push(installer);
        }
    }
    left
}

fn cleanup_name(installer: Installer) -> &'static str {
    match installer {
        Installer::Npm => "npm cache clean --force",
        Installer::Yarn => "yarn cache clean",
        Installer::Pnpm => "pnpm store prune",
        Installer::Pip => "--no-cache-dir",
        Installer::Poetry => "rm -rf \"$HOME/.cache/pypoetry\"",
        Installer::Uv => "uv cache clean",
        Installer::Pipenv => "rm -rf \"$HOME/.cache/pip\" \"$HOME/.cache/pipenv\"",
    }
}

impl Rule for CleanCacheSameLayer {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-012",
        name: "clean-cache-same-layer",
        severity: Severity::Medium,
        area: Area::Docker,
        title: "The production install cleans its download cache in the same RUN",
        what: "Every `RUN` that installs production dependencies only also removes the package \
               manager's download cache in the same instruction: `npm cache clean --force`, \
               `yarn cache clean`, `pnpm store prune`, `pip install --no-cache-dir` (or \
               `PIP_NO_CACHE_DIR`), `rm -rf` of the Poetry/uv/pipenv cache, or a BuildKit cache \
               mount (`--mount=type=cache`) that keeps it out of the layer. Reported as a \
               suggestion when the stage is not part of the final image.",
        why: "A layer stores the files as they are when its RUN ends: a cache deleted by a later \
              RUN is hidden but still shipped and pulled, typically tens of megabytes per image. \
              Cleaning in the same RUN keeps it out of the layer altogether.",
        incorrect: "RUN npm ci --omit=dev\nRUN npm cache clean --force",
        correct: "RUN npm ci --omit=dev && npm cache clean --force",
        fix: "Appends the package manager's cache cleanup to the install line (`--no-cache-dir` \
              for pip).",
        source: "000 · Docker: Multi-Stage Builds (key rules)",
        equivalents: &[
            "hadolint DL3042 (pip --no-cache-dir)",
            "hadolint DL3060 (yarn cache clean)",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((last, _)) = context.final_stage() else {
            return Vec::new();
        };
        let shipped = stage_lineage(&context.stages, last);
        let mut violations = Vec::new();
        for (index, stage) in context.stages.iter().enumerate() {
            for (position, instruction) in stage.instructions.iter().enumerate() {
                let Some(command) = run_command(instruction) else {
                    continue;
                };
                for installer in uncleaned(stage, position, command) {
                    let field = if context.templated() {
                        "container.stages".to_owned()
                    } else {
                        context.instruction_field(index, position)
                    };
                    let violation = Violation::new(
                        field,
                        format!(
                            "Stage `{}` installs production dependencies without `{}` in the same RUN, so the download cache stays in the layer.",
                            stage.name,
                            cleanup_name(installer)
                        ),
                    );
                    violations.push(if shipped.contains(&index) {
                        violation
                    } else {
                        violation.downgraded(Severity::Low)
                    });
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Clean the cache in the install RUN",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut npm = crate::rules::support::explicit_stages();
        npm.services[0].container.stages[0].instructions[2] = Instruction::Run {
            command: "npm ci --omit=dev".into(),
        };
        let mut pip = crate::presets::for_runtime(crate::model::Runtime::Python);
        pip.services[0].package_manager = crate::model::PackageManager::Pip;
        pip.services[0].container.stages = crate::facts::stages::template(&pip.services[0]);
        pip.services[0].container.stages[0]
            .instructions
            .push(Instruction::Run {
                command: "pip install -r requirements.txt".into(),
            });
        vec![npm, pip]
    }
}

/// The install line with each missing cleanup added.
fn with_cleanup(command: &str, missing: &[Installer]) -> String {
    let mut out = command.trim_end().to_owned();
    for installer in missing {
        if *installer == Installer::Pip {
            let install = simple_commands(&out)
                .into_iter()
                .find(|segment| {
                    matches!(
                        install_kind(segment),
                        Some((Installer::Pip, Install::ProductionOnly))
                    ) && !cacheless(Installer::Pip, segment)
                })
                .map(str::to_owned);
            if let Some(segment) = install {
                let fixed = segment.replacen(" install", " install --no-cache-dir", 1);
                out = out.replacen(&segment, &fixed, 1);
            }
        } else {
            out = format!("{out} && {}", cleanup_name(*installer));
        }
    }
    out
}

fn apply(design: &mut Design, index: usize) {
    for stage in &mut design.services[index].container.stages {
        for position in 0..stage.instructions.len() {
            let Some(command) = run_command(&stage.instructions[position]).map(str::to_owned)
            else {
                continue;
            };
            let missing = uncleaned(stage, position, &command);
            if missing.is_empty() {
                continue;
            }
            let fixed = with_cleanup(&command, &missing);
            match &mut stage.instructions[position] {
                Instruction::Run { command } => *command = fixed,
                Instruction::Other { arguments, .. } => *arguments = fixed,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PackageManager, Runtime};
    use crate::rules::support::violations;

    #[test]
    fn passes_for_every_template() {
        for (runtime, manager) in [
            (Runtime::Node, PackageManager::Npm),
            (Runtime::Node, PackageManager::Yarn),
            (Runtime::Node, PackageManager::Pnpm),
            (Runtime::Python, PackageManager::Poetry),
            (Runtime::Python, PackageManager::Pip),
        ] {
            let mut design = crate::presets::for_runtime(runtime);
            design.services[0].package_manager = manager;
            assert!(
                violations(&CleanCacheSameLayer, &design).is_empty(),
                "{manager:?}"
            );
        }
    }

    #[test]
    fn fails_without_the_cleanup_and_downgrades_stages_that_do_not_ship() {
        let found = violations(
            &CleanCacheSameLayer,
            &CleanCacheSameLayer::failing_examples()[0],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "container.stages[0].instructions[2]");
        // `deps` is copied from, not built on: its cache does not reach the final image.
        assert_eq!(found[0].severity, Some(Severity::Low));

        let mut shipped = CleanCacheSameLayer::failing_examples().remove(0);
        shipped.services[0].container.stages[2].image = "deps".into();
        assert_eq!(violations(&CleanCacheSameLayer, &shipped)[0].severity, None);
    }

    #[test]
    fn a_later_run_does_not_count_but_a_cache_mount_does() {
        let mut design = CleanCacheSameLayer::failing_examples().remove(0);
        design.services[0].container.stages[0]
            .instructions
            .push(Instruction::Run {
                command: "npm cache clean --force".into(),
            });
        assert_eq!(violations(&CleanCacheSameLayer, &design).len(), 1);
        design.services[0].container.stages[0].instructions[2] = Instruction::Run {
            command: "--mount=type=cache,target=/root/.npm npm ci --omit=dev".into(),
        };
        assert!(violations(&CleanCacheSameLayer, &design).is_empty());
    }

    #[test]
    fn the_fix_appends_the_cleanup() {
        assert_eq!(
            with_cleanup("npm ci --omit=dev", &[Installer::Npm]),
            "npm ci --omit=dev && npm cache clean --force"
        );
        assert_eq!(
            with_cleanup("pip install -r requirements.txt", &[Installer::Pip]),
            "pip install --no-cache-dir -r requirements.txt"
        );
        for mut design in CleanCacheSameLayer::failing_examples() {
            apply(&mut design, 0);
            assert!(violations(&CleanCacheSameLayer, &design).is_empty());
        }
    }
}
