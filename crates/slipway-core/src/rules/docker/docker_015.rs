use crate::facts::stages::healthcheck_command;
use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::tail_position;

pub struct HealthcheckInstruction;

fn has_healthcheck(instruction: &Instruction) -> bool {
    match instruction {
        Instruction::Healthcheck { .. } => true,
        Instruction::Other { keyword, arguments } => {
            keyword.eq_ignore_ascii_case("HEALTHCHECK")
                && !arguments.trim().eq_ignore_ascii_case("NONE")
        }
        _ => false,
    }
}

impl Rule for HealthcheckInstruction {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-015",
        name: "healthcheck-instruction",
        severity: Severity::High,
        area: Area::Docker,
        title: "The final image declares a HEALTHCHECK",
        what: "The final stage of a web service has a `HEALTHCHECK` whose command fails when the \
               app is unhealthy and runs with what the final image contains. Workers are exempt.",
        why: "Without a health check, Docker, Compose and Swarm report a hung process as \
              running and keep sending it traffic. (Kubernetes ignores HEALTHCHECK and uses its \
              probes; Railway uses healthcheckPath.)",
        incorrect: "FROM node:20-alpine AS runner\nCMD [\"node\", \"dist/main.js\"]",
        correct: "FROM node:20-alpine AS runner\nHEALTHCHECK --interval=30s --timeout=3s CMD [\"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:3000/health\"]\nCMD [\"node\", \"dist/main.js\"]",
        fix: "Adds a HEALTHCHECK that probes the design's health path on its port with a tool the \
              final image has.",
        source: "000 · Docker: Multi-Stage Builds (\"Always include a HEALTHCHECK in the production stage\"); Docker: Layer Security",
        equivalents: &["checkov CKV_DOCKER_2"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((index, stage)) = context.final_stage() else {
            return Vec::new();
        };
        let is_worker = !context.service().kind.is_web();
        if is_worker || stage.instructions.iter().any(has_healthcheck) {
            return Vec::new();
        }
        let field = if context.templated() {
            "container.healthcheck.enabled".to_owned()
        } else {
            format!("container.stages[{index}]")
        };
        vec![Violation::new(
            field,
            format!("The final stage `{}` has no HEALTHCHECK.", stage.name),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a health check",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut disabled = crate::presets::for_runtime(crate::model::Runtime::Python);
        disabled.services[0].container.healthcheck.enabled = false;
        let mut explicit = crate::rules::support::explicit_stages();
        explicit.services[0].container.stages[2]
            .instructions
            .retain(|instruction| !has_healthcheck(instruction));
        vec![disabled, explicit]
    }
}

fn apply(design: &mut Design, index: usize) {
    design.services[index].container.healthcheck.enabled = true;
    let settings = design.services[index].container.healthcheck.clone();
    let command = healthcheck_command(
        design.services[index].runtime,
        design.services[index].container.port,
        &settings.path,
    );
    let Some(stage) = design.services[index].container.stages.last_mut() else {
        return;
    };
    if stage.instructions.iter().any(has_healthcheck) {
        return;
    }
    let position = tail_position(stage);
    stage.instructions.insert(
        position,
        Instruction::Healthcheck {
            interval_seconds: settings.interval_seconds,
            timeout_seconds: settings.timeout_seconds,
            start_period_seconds: settings.start_period_seconds,
            retries: settings.retries,
            command,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_with_the_template_healthcheck() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Node);
        assert!(HealthcheckInstruction
            .check(&Context::new(&design))
            .is_empty());
    }

    #[test]
    fn fails_without_a_healthcheck() {
        for design in HealthcheckInstruction::failing_examples() {
            assert_eq!(
                HealthcheckInstruction.check(&Context::new(&design)).len(),
                1
            );
        }
    }
}
