use crate::model::{Design, Instruction, Stage, StageRole};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::install::{installed_dependencies, Install};
use super::layout::{copy_source_stage, plays};

pub struct ProdDepsOnlyInFinal;

/// Dependency folders whose content an install decides.
const DEPENDENCY_DIRS: &[&str] = &["node_modules", ".venv", "venv"];

/// The dependency folder a copy source names (`/app/node_modules` → `node_modules`).
fn dependency_dir(source: &str) -> Option<&'static str> {
    let last = source.trim_end_matches('/').rsplit('/').next()?;
    DEPENDENCY_DIRS.iter().copied().find(|dir| *dir == last)
}

/// Copies into the final stage of a dependency folder from a stage with dev dependencies:
/// (instruction index, source stage index).
fn offending_copies(stages: &[Stage]) -> Vec<(usize, usize)> {
    let Some(last) = stages.len().checked_sub(1) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (position, instruction) in stages[last].instructions.iter().enumerate() {
        let Instruction::Copy { from, sources, .. } = instruction else {
            continue;
        };
        if from.is_empty()
            || !sources
                .iter()
                .any(|source| dependency_dir(source).is_some())
        {
            continue;
        }
        if let Some(source) = copy_source_stage(stages, last, from) {
            if installed_dependencies(stages, source) == Some(Install::Full) {
                found.push((position, source));
            }
        }
    }
    found
}

impl Rule for ProdDepsOnlyInFinal {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-010",
        name: "prod-deps-only-in-final",
        severity: Severity::High,
        area: Area::Docker,
        title: "The final image gets production dependencies only",
        what: "The `node_modules` (or Python virtualenv) the final stage copies with `COPY \
               --from=` comes from a stage whose last install was production-only (`npm ci \
               --omit=dev`, `yarn install --production`, `pnpm install --prod`, `poetry install \
               --only main`, `uv sync --no-dev`, a `requirements.txt` without dev files, or a full \
               install followed by `npm prune --omit=dev`). Copying it from a stage that installed \
               dev dependencies is flagged.",
        why: "Test runners, compilers, linters and their transitive packages then ship to \
              production: the image grows by hundreds of megabytes, every one of those packages \
              is attack surface in the running container, and scanners report vulnerabilities in \
              code the service never runs.",
        incorrect: "FROM node:20-alpine AS builder\nRUN npm ci && npm run build\nFROM node:20-alpine AS runner\nCOPY --from=builder /app/node_modules ./node_modules",
        correct: "FROM node:20-alpine AS deps\nRUN npm ci --omit=dev && npm cache clean --force\n...\nFROM node:20-alpine AS runner\nCOPY --from=deps /app/node_modules ./node_modules",
        fix: "Points the `COPY --from` at the production-dependencies stage, adding the runtime's \
              `deps` stage (production-only install of the lockfile) before the final stage when \
              there is none.",
        source: "000 · Docker: Multi-Stage Builds (Incorrect: \"dev deps ship to production\"; key \
                 rules: \"Copy only production node_modules and compiled artifacts into the final \
                 stage\"); A9 (004's example)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((last, _)) = context.final_stage() else {
            return Vec::new();
        };
        offending_copies(&context.stages)
            .into_iter()
            .map(|(position, source)| {
                let field = if context.templated() {
                    "container.stages".to_owned()
                } else {
                    context.instruction_field(last, position)
                };
                Violation::new(
                    field,
                    format!(
                        "The final stage copies its dependencies from `{}`, which installed dev dependencies too.",
                        context.stages[source].name
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Copy dependencies from the deps stage",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut from_builder = crate::rules::support::explicit_stages();
        copy_deps_from(&mut from_builder, "builder");
        let mut no_deps_stage = from_builder.clone();
        no_deps_stage.services[0].container.stages.remove(0);
        vec![from_builder, no_deps_stage]
    }
}

/// An earlier stage holding production dependencies only, preferring one in the deps role.
fn production_stage(stages: &[Stage], before: usize) -> Option<usize> {
    let clean =
        |index: &usize| installed_dependencies(stages, *index) == Some(Install::ProductionOnly);
    (0..before)
        .filter(clean)
        .find(|index| plays(&stages[*index], StageRole::Deps))
        .or_else(|| (0..before).find(clean))
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    let offending = offending_copies(&service.container.stages);
    if offending.is_empty() {
        return;
    }
    let template = crate::facts::stages::template(service);
    let container = &mut service.container;
    let mut last = container.stages.len() - 1;
    let (source, inserted) = match production_stage(&container.stages, last) {
        Some(index) => (index, false),
        None => {
            let Some(mut deps) = template
                .into_iter()
                .find(|stage| stage.role == StageRole::Deps)
            else {
                return;
            };
            if container.stages.iter().any(|stage| stage.name == deps.name) {
                deps.name = fresh_stage_name(&container.stages, "prod-deps");
            }
            container.stages.insert(last, deps);
            last += 1;
            (last - 1, true)
        }
    };
    let name = container.stages[source].name.clone();
    let workdir = container.workdir.trim_end_matches('/').to_owned();
    for (position, _) in offending {
        if let Instruction::Copy { from, sources, .. } =
            &mut container.stages[last].instructions[position]
        {
            *from = name.clone();
            if inserted {
                // The template's deps stage installs into the working directory.
                for path in sources.iter_mut() {
                    if let Some(dir) = dependency_dir(path) {
                        let dir = if dir == "venv" { ".venv" } else { dir };
                        *path = format!("{workdir}/{dir}");
                    }
                }
            }
        }
    }
}

fn fresh_stage_name(stages: &[Stage], base: &str) -> String {
    crate::text::first_free(base, |name| stages.iter().any(|stage| stage.name == name))
}

#[cfg(test)]
fn copy_deps_from(design: &mut Design, stage: &str) {
    let stages = &mut design.services[0].container.stages;
    let last = stages.len() - 1;
    for instruction in &mut stages[last].instructions {
        if let Instruction::Copy { from, sources, .. } = instruction {
            if sources
                .iter()
                .any(|source| dependency_dir(source).is_some())
            {
                *from = stage.to_owned();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Runtime;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_the_templates() {
        for runtime in [Runtime::Node, Runtime::Python] {
            let mut design = crate::presets::for_runtime(runtime);
            assert!(
                fields(&ProdDepsOnlyInFinal, &design).is_empty(),
                "{runtime:?}"
            );
            design.services[0].container.stages =
                crate::facts::stages::template(&design.services[0]);
            assert!(
                fields(&ProdDepsOnlyInFinal, &design).is_empty(),
                "{runtime:?}"
            );
        }
    }

    #[test]
    fn fails_when_node_modules_come_from_the_builder() {
        for design in ProdDepsOnlyInFinal::failing_examples() {
            let last = design.services[0].container.stages.len() - 1;
            let reported = fields(&ProdDepsOnlyInFinal, &design);
            assert_eq!(reported.len(), 1);
            assert!(reported[0].starts_with(&format!("container.stages[{last}].instructions[")));
        }
    }

    #[test]
    fn a_prune_after_the_full_install_counts_as_production_only() {
        let mut design = ProdDepsOnlyInFinal::failing_examples().remove(0);
        design.services[0].container.stages[1]
            .instructions
            .push(Instruction::Run {
                command: "npm run build && npm prune --omit=dev".into(),
            });
        assert!(fields(&ProdDepsOnlyInFinal, &design).is_empty());
    }

    #[test]
    fn the_fix_retargets_or_adds_the_deps_stage() {
        let [mut retarget, mut add]: [Design; 2] =
            ProdDepsOnlyInFinal::failing_examples().try_into().unwrap();
        apply(&mut retarget, 0);
        assert_eq!(retarget.services[0].container.stages.len(), 3);
        assert!(fields(&ProdDepsOnlyInFinal, &retarget).is_empty());
        apply(&mut add, 0);
        let names: Vec<&str> = add.services[0]
            .container
            .stages
            .iter()
            .map(|stage| stage.name.as_str())
            .collect();
        assert_eq!(names, ["builder", "deps", "runner"]);
        assert!(fields(&ProdDepsOnlyInFinal, &add).is_empty());
    }
}
