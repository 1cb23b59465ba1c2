use crate::facts::shell::{simple_commands, tool_and_args};
#[cfg(test)]
use crate::model::Design;
use crate::model::Instruction;
use crate::rules::{Area, Context, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::run_command;

pub struct ManifestFirstLayerOrder;

/// Whether a command installs dependencies with one of the supported package managers.
fn installs_dependencies(command: &str) -> bool {
    simple_commands(command).into_iter().any(|segment| {
        let Some((tool, args)) = tool_and_args(segment) else {
            return false;
        };
        let first = args.first().copied().unwrap_or("");
        match tool {
            "npm" => matches!(first, "ci" | "install" | "i") && !args.contains(&"-g"),
            "yarn" => args.is_empty() || first == "install",
            "pnpm" => matches!(first, "install" | "i"),
            "pip" | "pip3" => first == "install" && args.contains(&"-r"),
            "poetry" => first == "install",
            "uv" => first == "sync",
            "go" => first == "mod" && args.get(1) == Some(&"download"),
            "cargo" => first == "fetch",
            "mvn" | "./mvnw" => args.iter().any(|arg| arg.starts_with("dependency:")),
            _ => false,
        }
    })
}

/// Whether an instruction copies the whole build context (`COPY . .`).
fn copies_everything(instruction: &Instruction) -> bool {
    match instruction {
        Instruction::Copy { from, sources, .. } => {
            from.is_empty()
                && sources
                    .iter()
                    .any(|source| matches!(source.as_str(), "." | "./"))
        }
        Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("COPY") => {
            !arguments.contains("--from") && arguments.split_whitespace().next() == Some(".")
        }
        _ => false,
    }
}

impl Rule for ManifestFirstLayerOrder {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-014",
        name: "manifest-first-layer-order",
        severity: Severity::Medium,
        area: Area::Docker,
        title: "Dependencies are installed before the source is copied",
        what:
            "In every stage that installs dependencies, the manifests and lockfile are copied and \
               the install runs before any `COPY . .` of the whole build context.",
        why: "Docker reuses a layer only while every layer before it is unchanged. Copying the \
              source first means any code change re-runs the dependency install, turning a \
              seconds-long rebuild into minutes.",
        incorrect: "COPY . .\nRUN npm ci",
        correct: "COPY package.json package-lock.json ./\nRUN npm ci\nCOPY . .",
        fix:
            "Copy the manifests and lockfile first (`COPY package.json package-lock.json ./`), run \
              the install, then `COPY . .`. Slipway's stage templates already do.",
        source: "000 · Docker Patterns › Layer Caching Optimization",
        equivalents: &[
            "hadolint (none)",
            "docker build check CopyIgnoredFile (related)",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut violations = Vec::new();
        for (index, stage) in context.stages.iter().enumerate() {
            let install = stage.instructions.iter().position(|instruction| {
                run_command(instruction).is_some_and(installs_dependencies)
            });
            let copy_all = stage.instructions.iter().position(copies_everything);
            if let (Some(install), Some(copy_all)) = (install, copy_all) {
                if copy_all < install {
                    let field = if context.templated() {
                        "container.stages".to_owned()
                    } else {
                        context.instruction_field(index, copy_all)
                    };
                    violations.push(Violation::new(
                        field,
                        format!(
                            "Stage `{}` copies the whole source before installing dependencies: every code change re-runs the install.",
                            stage.name
                        ),
                    ));
                }
            }
        }
        violations
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::explicit_stages();
        design.services[0].container.stages[0]
            .instructions
            .insert(0, crate::rules::support::copy(&["."], "."));
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_for_every_runtime_template() {
        for runtime in [
            crate::model::Runtime::Node,
            crate::model::Runtime::Python,
            crate::model::Runtime::Go,
            crate::model::Runtime::Rust,
            crate::model::Runtime::Java,
        ] {
            let design = crate::presets::for_runtime(runtime);
            assert!(
                ManifestFirstLayerOrder
                    .check(&Context::new(&design))
                    .is_empty(),
                "{runtime:?}"
            );
        }
    }

    #[test]
    fn fails_when_the_source_comes_first() {
        let design = ManifestFirstLayerOrder::failing_examples().remove(0);
        let violations = ManifestFirstLayerOrder.check(&Context::new(&design));
        assert_eq!(violations.len(), 1);
        assert_eq!(violations[0].field, "container.stages[0].instructions[0]");
        assert!(installs_dependencies("cd app && npm ci --omit=dev"));
        assert!(installs_dependencies("go mod download"));
        assert!(!installs_dependencies("npm run build"));
    }
}
