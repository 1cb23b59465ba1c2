use crate::facts::commands::builds_app;
use crate::facts::shell::simple_commands;
use crate::model::{Design, StageRole};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::{plays, run_command, stage_named};

pub struct MultiStageBuild;

fn problem(context: &Context) -> Option<(String, String)> {
    let stages = &context.stages;
    let (index, last) = context.final_stage()?;
    if stages.len() < 2 {
        return Some((
            "container.stages".to_owned(),
            "The Dockerfile has a single stage: build tools ship with the app.".to_owned(),
        ));
    }
    if let Some(base) = stage_named(stages, &last.image) {
        if plays(&stages[base], StageRole::Builder) {
            return Some((
                format!("container.stages[{index}].image"),
                format!(
                    "The final stage starts from the build stage `{}` and inherits its tools.",
                    last.image
                ),
            ));
        }
    }
    let builds = last.instructions.iter().position(|instruction| {
        run_command(instruction).is_some_and(|command| {
            simple_commands(command)
                .into_iter()
                .any(|s| builds_app(context.design, s))
        })
    });
    builds.map(|position| {
        (
            context.instruction_field(index, position),
            format!("The final stage `{}` runs the build itself.", last.name),
        )
    })
}

impl Rule for MultiStageBuild {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-008",
        name: "multi-stage-build",
        severity: Severity::High,
        area: Area::Docker,
        title: "The image is built in stages and ships without its build tools",
        what: "The Dockerfile has at least two stages, and the final stage is not the stage that \
               ran the build: it neither runs the build command nor starts `FROM` the builder \
               stage.",
        why: "The build needs compilers, dev dependencies and source; the running service needs \
              none of them. Shipping the build stage makes the image several times larger (about \
              850 MB against 180 MB in the documents' measurement) and ships every build tool's \
              vulnerabilities to production.",
        incorrect: "FROM node:20-alpine\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"node\", \"dist/main.js\"]",
        correct: "FROM node:20-alpine AS builder\nRUN npm ci && npm run build\nFROM node:20-alpine AS runner\nCOPY --from=builder /app/dist ./dist",
        fix: "Rebuilds the container from the runtime's three-stage template. Unsafe: custom \
              stages are replaced.",
        source: "000 · Docker: Multi-Stage Builds; Key Concepts › Container Best Practices; 004 · \
                 Containerization with Docker › Multi-Stage Builds; DevOps Checklist (\"Docker \
                 multi-stage builds implemented\")",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problem(context)
            .map(|(field, message)| vec![Violation::new(field, message)])
            .unwrap_or_default()
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
        let mut single = crate::rules::support::explicit_stages();
        single.services[0].container.stages.drain(..2);
        let mut inherits = crate::rules::support::explicit_stages();
        inherits.services[0].container.stages[2].image = "builder".into();
        vec![single, inherits]
    }
}

fn apply(design: &mut Design, index: usize) {
    if problem(&Context::for_service(design, index)).is_some() {
        design.services[index].container.stages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_templates() {
        for id in ["node-api", "go-service", "static-site"] {
            assert!(fields(&MultiStageBuild, &preset(id)).is_empty(), "{id}");
        }
    }

    #[test]
    fn fails_on_one_stage_or_an_inherited_builder() {
        let reported: Vec<Vec<String>> = MultiStageBuild::failing_examples()
            .iter()
            .map(|design| fields(&MultiStageBuild, design))
            .collect();
        assert_eq!(reported[0], ["container.stages"]);
        assert_eq!(reported[1], ["container.stages[2].image"]);
    }
}
