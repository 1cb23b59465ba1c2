use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct FinalStageExplicitCopy;

pub(super) fn copies_whole_context(instruction: &Instruction) -> bool {
    let whole = |source: &str| matches!(source.trim(), "." | "./" | "*" | "./*");
    match instruction {
        Instruction::Copy { from, sources, .. } => {
            from.is_empty() && sources.iter().any(|s| whole(s))
        }
        Instruction::Other { keyword, arguments } => {
            keyword.eq_ignore_ascii_case("ADD")
                && arguments.split_whitespace().next().is_some_and(whole)
        }
        _ => false,
    }
}

impl Rule for FinalStageExplicitCopy {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-004",
        name: "final-stage-explicit-copy",
        severity: Severity::Critical,
        area: Area::Docker,
        title: "The final stage copies only what it needs",
        what: "The final stage never copies the whole build context (`COPY . .`, `ADD . .`); it \
               copies build outputs from earlier stages plus the package manifests.",
        why: "Copying the whole context into the shipped image brings along whatever the \
              .dockerignore missed: source, tests, `.git`, local `.env` files. The image grows and \
              secrets leak; with explicit copies only the runtime artifacts ship.",
        incorrect: "FROM node:20-alpine AS runner\nCOPY . .",
        correct: "FROM node:20-alpine AS runner\nCOPY --from=deps --chown=1001:1001 /app/node_modules ./node_modules\nCOPY --from=builder --chown=1001:1001 /app/dist ./dist\nCOPY --chown=1001:1001 package.json ./",
        fix: "Rebuilds the container from the runtime's three-stage template. Unsafe: custom \
              stages are replaced.",
        source: "000 · Docker: Layer Security (Incorrect: `COPY . .`); Docker: Multi-Stage Builds (key rules)",
        equivalents: &["hadolint DL3045 (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((index, stage)) = context.final_stage() else {
            return Vec::new();
        };
        stage
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, instruction)| copies_whole_context(instruction))
            .map(|(position, _)| {
                Violation::new(
                    context.instruction_field(index, position),
                    format!(
                        "The final stage `{}` copies the whole build context.",
                        stage.name
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use the three-stage template",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::explicit_stages();
        design.services[0].container.stages[2]
            .instructions
            .insert(1, crate::rules::support::copy(&["."], "."));
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    let stages = &mut design.services[index].container.stages;
    let final_copies_context = stages
        .last()
        .is_some_and(|stage| stage.instructions.iter().any(copies_whole_context));
    if final_copies_context {
        stages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_with_the_template() {
        let design = crate::rules::support::explicit_stages();
        assert!(FinalStageExplicitCopy
            .check(&Context::new(&design))
            .is_empty());
    }

    #[test]
    fn fails_on_copy_dot() {
        let design = FinalStageExplicitCopy::failing_examples().remove(0);
        let violations = FinalStageExplicitCopy.check(&Context::new(&design));
        assert_eq!(violations[0].field, "container.stages[2].instructions[1]");
    }
}
