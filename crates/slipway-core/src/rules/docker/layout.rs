//! How the Dockerfile stages are laid out: their roles, which stage builds on which, and
//! where instructions go.

use crate::model::{Instruction, Runtime, Stage, StageRole};

/// The RUN command of an instruction.
pub(super) fn run_command(instruction: &Instruction) -> Option<&str> {
    match instruction {
        Instruction::Run { command } => Some(command),
        Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("RUN") => {
            Some(arguments)
        }
        _ => None,
    }
}

/// The stages `index` is built on, root first, ending with `index` itself (`FROM deps AS
/// builder` inherits everything `deps` installed).
pub(super) fn stage_lineage(stages: &[Stage], index: usize) -> Vec<usize> {
    let mut lineage = vec![index];
    let mut current = index;
    while let Some(base) = stages[..current]
        .iter()
        .rposition(|stage| stage.name == stages[current].image)
    {
        lineage.push(base);
        current = base;
    }
    lineage.reverse();
    lineage
}

/// Index of the stage a `COPY --from=` names: by name, or by its position.
pub(super) fn copy_source_stage(stages: &[Stage], before: usize, from: &str) -> Option<usize> {
    stages[..before]
        .iter()
        .rposition(|stage| !stage.name.is_empty() && stage.name == from)
        .or_else(|| from.parse::<usize>().ok().filter(|index| *index < before))
}

/// Index of the stage named `name`.
pub(super) fn stage_named(stages: &[Stage], name: &str) -> Option<usize> {
    stages.iter().position(|stage| stage.name == name)
}

/// Whether a stage plays `role`, by its declared role or its conventional name.
pub(super) fn plays(stage: &Stage, role: StageRole) -> bool {
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

/// The conventional runtime user name for a runtime (the catalog's Node image uses `nodejs`).
pub(super) fn default_user_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Node => "nodejs",
        _ => "app",
    }
}

/// Where to insert instructions that belong at the end of a final stage: before the first
/// `EXPOSE`, `HEALTHCHECK`, `CMD` or `ENTRYPOINT`.
pub(super) fn tail_position(stage: &Stage) -> usize {
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
