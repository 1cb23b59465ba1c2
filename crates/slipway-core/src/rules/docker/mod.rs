//! Container image rules (RULES.md §4).

mod docker_001;
mod docker_002;
mod docker_003;
mod docker_004;
mod docker_007;
mod docker_015;

pub(crate) use docker_007::tag as image_tag;

use super::Rule;
#[cfg(test)]
use crate::model::Design;
use crate::model::{Instruction, Runtime, Stage};

pub(super) static RULES: &[&dyn Rule] = &[
    &docker_001::NonRootUser,
    &docker_002::NoSecretsInImage,
    &docker_003::DockerignoreRequired,
    &docker_004::FinalStageExplicitCopy,
    &docker_007::ExplicitBaseTag,
    &docker_015::HealthcheckInstruction,
];

/// The conventional runtime user name for a runtime (RULES.md §16.1 uses `nodejs` for Node).
fn default_user_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Node => "nodejs",
        _ => "app",
    }
}

/// Where to insert instructions that belong at the end of a final stage: before the first
/// `EXPOSE`, `HEALTHCHECK`, `CMD` or `ENTRYPOINT`.
fn tail_position(stage: &Stage) -> usize {
    stage
        .instructions
        .iter()
        .position(|instruction| {
            matches!(
                instruction,
                Instruction::Expose { .. }
                    | Instruction::Healthcheck { .. }
                    | Instruction::Cmd { .. }
                    | Instruction::Entrypoint { .. }
            )
        })
        .unwrap_or(stage.instructions.len())
}

/// Designs that violate a rule, for the registry-wide fix tests.
#[cfg(test)]
pub(super) fn failing_examples(id: &str) -> Vec<Design> {
    match id {
        "DOCKER-001" => docker_001::failing_examples(),
        "DOCKER-002" => docker_002::failing_examples(),
        "DOCKER-003" => docker_003::failing_examples(),
        "DOCKER-004" => docker_004::failing_examples(),
        "DOCKER-007" => docker_007::failing_examples(),
        "DOCKER-015" => docker_015::failing_examples(),
        other => panic!("no failing examples for {other}"),
    }
}

/// A design whose stages are explicit: the Node template, materialised.
#[cfg(test)]
fn explicit_stages() -> Design {
    let mut design = crate::presets::for_runtime(Runtime::Node);
    design.container.stages = crate::stages::template(&design);
    design
}
