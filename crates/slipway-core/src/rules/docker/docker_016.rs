use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::tail_position;

pub struct NodeEnvProduction;

fn sets_production(instruction: &Instruction) -> bool {
    match instruction {
        Instruction::Env { name, value } => name == "NODE_ENV" && value == "production",
        Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("ENV") => {
            let arguments = arguments.replace('"', "");
            arguments.contains("NODE_ENV=production") || arguments.contains("NODE_ENV production")
        }
        _ => false,
    }
}

impl Rule for NodeEnvProduction {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-016",
        name: "node-env-production",
        severity: Severity::Low,
        area: Area::Docker,
        title: "Node images run with NODE_ENV=production",
        what: "For Node services, the final stage sets `ENV NODE_ENV=production`.",
        why: "Express, Next.js and many libraries switch off debug output, verbose errors and \
              development checks only when NODE_ENV is production; without it the image leaks \
              stack traces and runs slower.",
        incorrect: "FROM node:20-alpine AS runner\nCMD [\"node\", \"dist/main.js\"]",
        correct:
            "FROM node:20-alpine AS runner\nENV NODE_ENV=production\nCMD [\"node\", \"dist/main.js\"]",
        fix: "Adds `ENV NODE_ENV=production` to the final stage.",
        source: "000 · Docker: Layer Security and Docker: Multi-Stage Builds (correct examples)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((index, stage)) = context.final_stage() else {
            return Vec::new();
        };
        // The final image runs Node (a static site's nginx runner does not).
        let node_final = stage.image.to_ascii_lowercase().contains("node");
        if !node_final || stage.instructions.iter().any(sets_production) {
            return Vec::new();
        }
        let field = if context.templated() {
            "container.env".to_owned()
        } else {
            format!("container.stages[{index}]")
        };
        vec![Violation::new(
            field,
            format!(
                "The final stage `{}` runs Node without NODE_ENV=production.",
                stage.name
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Set NODE_ENV=production",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::explicit_stages();
        let last = design.services[0].container.stages.len() - 1;
        design.services[0].container.stages[last]
            .instructions
            .retain(|instruction| !sets_production(instruction));
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    if let Some(stage) = design.services[index].container.stages.last_mut() {
        if !stage.instructions.iter().any(sets_production) {
            let position = tail_position(stage);
            stage.instructions.insert(
                position,
                Instruction::Env {
                    name: "NODE_ENV".into(),
                    value: "production".into(),
                },
            );
        }
        return;
    }
    let env = &mut design.services[index].container.env;
    env.retain(|variable| variable.name != "NODE_ENV");
    env.push(crate::model::EnvVar::new("NODE_ENV", "production"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_for_the_node_template_and_other_runtimes() {
        assert!(NodeEnvProduction
            .check(&Context::new(&crate::rules::support::explicit_stages()))
            .is_empty());
        let go = crate::presets::for_runtime(crate::model::Runtime::Go);
        assert!(NodeEnvProduction.check(&Context::new(&go)).is_empty());
    }

    #[test]
    fn fails_without_it_and_the_fix_adds_it() {
        let mut design = NodeEnvProduction::failing_examples().remove(0);
        assert_eq!(NodeEnvProduction.check(&Context::new(&design)).len(), 1);
        apply(&mut design, 0);
        assert!(NodeEnvProduction.check(&Context::new(&design)).is_empty());
    }
}
