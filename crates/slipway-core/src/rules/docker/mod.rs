//! Container image rules (RULES.md §4), checked on the resolved stages: the design's explicit
//! ones, or the runtime template filled in from the container settings.
//!
//! Not implemented: DOCKER-018 (the design models no docker-compose development setup).

mod docker_001;
mod docker_002;
mod docker_003;
mod docker_004;
mod docker_005;
mod docker_006;
mod docker_007;
mod docker_008;
mod docker_009;
mod docker_011;
mod docker_014;
mod docker_015;
mod docker_016;
mod docker_017;

pub(crate) use docker_007::tag as image_tag;

use super::Rule;
#[cfg(test)]
use crate::model::Design;
use crate::model::{Instruction, Runtime, Stage, StageRole};

pub(super) static RULES: &[&dyn Rule] = &[
    &docker_001::NonRootUser,
    &docker_002::NoSecretsInImage,
    &docker_003::DockerignoreRequired,
    &docker_004::FinalStageExplicitCopy,
    &docker_005::CopyChown,
    &docker_006::MinimalBaseImage,
    &docker_007::ExplicitBaseTag,
    &docker_008::MultiStageBuild,
    &docker_009::ThreeStageLayout,
    &docker_011::NpmCiInImage,
    &docker_014::ManifestFirstLayerOrder,
    &docker_015::HealthcheckInstruction,
    &docker_016::NodeEnvProduction,
    &docker_017::ExecFormCmd,
];

/// The RUN command of an instruction.
fn run_command(instruction: &Instruction) -> Option<&str> {
    match instruction {
        Instruction::Run { command } => Some(command),
        Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("RUN") => {
            Some(arguments)
        }
        _ => None,
    }
}

/// Index of the stage named `name`.
fn stage_named(stages: &[Stage], name: &str) -> Option<usize> {
    stages.iter().position(|stage| stage.name == name)
}

/// Whether a stage plays `role`, by its declared role or its conventional name.
fn plays(stage: &Stage, role: StageRole) -> bool {
    if stage.role == role {
        return true;
    }
    let name = stage.name.to_ascii_lowercase();
    match role {
        StageRole::Deps => matches!(name.as_str(), "deps" | "dependencies" | "prod-deps"),
        StageRole::Builder => matches!(name.as_str(), "builder" | "build"),
        StageRole::Runner => matches!(name.as_str(), "runner" | "runtime" | "production" | "final"),
        StageRole::Other => false,
    }
}

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
        "DOCKER-005" => docker_005::failing_examples(),
        "DOCKER-006" => docker_006::failing_examples(),
        "DOCKER-007" => docker_007::failing_examples(),
        "DOCKER-008" => docker_008::failing_examples(),
        "DOCKER-009" => docker_009::failing_examples(),
        "DOCKER-011" => docker_011::failing_examples(),
        "DOCKER-014" => docker_014::failing_examples(),
        "DOCKER-015" => docker_015::failing_examples(),
        "DOCKER-016" => docker_016::failing_examples(),
        "DOCKER-017" => docker_017::failing_examples(),
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
