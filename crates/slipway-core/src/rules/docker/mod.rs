//! Container image rules (docs/rules.md#container-image), checked on the resolved stages: the
//! design's explicit ones, or the runtime template filled in from the container settings.
//!
//! Not implemented: DOCKER-018 (the design models no docker-compose development setup).

rules! {
    docker_001::NonRootUser,
    docker_002::NoSecretsInImage,
    docker_003::DockerignoreRequired,
    docker_004::FinalStageExplicitCopy,
    docker_005::CopyChown,
    docker_006::MinimalBaseImage,
    docker_007::ExplicitBaseTag,
    docker_008::MultiStageBuild,
    docker_009::ThreeStageLayout,
    docker_010::ProdDepsOnlyInFinal,
    docker_011::NpmCiInImage,
    docker_012::CleanCacheSameLayer,
    docker_013::TestsInBuilder,
    docker_014::ManifestFirstLayerOrder,
    docker_015::HealthcheckInstruction,
    docker_016::NodeEnvProduction,
    docker_017::ExecFormCmd,
}

pub(crate) use docker_007::tag as image_tag;

use super::ci::{segments, tool_and_args};
#[cfg(test)]
use crate::model::Design;
use crate::model::{Instruction, Runtime, Stage, StageRole};

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

/// What a dependency install leaves in place: production dependencies only, or everything
/// (dev dependencies included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Install {
    ProductionOnly,
    Full,
}

/// The package-manager family of an install, which decides how its download cache is
/// cleaned (DOCKER-012).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Installer {
    Npm,
    Yarn,
    Pnpm,
    Pip,
    Poetry,
    Uv,
    Pipenv,
}

/// The kind of dependency install one simple command performs, for the package managers
/// whose installed dependencies ship in the image (Node and Python). `npm prune --omit=dev`
/// and its equivalents count as a production-only install: they remove what a full install
/// added.
fn install_kind(segment: &str) -> Option<(Installer, Install)> {
    let (tool, args) = tool_and_args(segment)?;
    let first = args.first().copied().unwrap_or("");
    let has = |flags: &[&str]| {
        args.iter().any(|arg| {
            flags
                .iter()
                .any(|flag| *arg == *flag || arg.starts_with(&format!("{flag}=")))
        })
    };
    let followed_by = |flag: &str, value: &str| {
        args.windows(2)
            .any(|pair| pair[0] == flag && pair[1].split(',').any(|part| part == value))
            || args.iter().any(|arg| {
                arg.strip_prefix(flag)
                    .and_then(|rest| rest.strip_prefix('='))
                    .is_some_and(|rest| rest.split(',').any(|part| part == value))
            })
    };
    let kind = |production: bool| {
        if production {
            Install::ProductionOnly
        } else {
            Install::Full
        }
    };
    let global = has(&["-g", "--global"]);
    match tool {
        "npm" if matches!(first, "ci" | "install" | "i" | "prune") && !global => {
            // `npm install <package>` adds one package, it does not install the project.
            if matches!(first, "install" | "i") && args[1..].iter().any(|arg| !arg.starts_with('-'))
            {
                return None;
            }
            let omit_dev = has(&["--production", "--only=prod", "--only=production"])
                || followed_by("--omit", "dev")
                || followed_by("--only", "prod")
                || followed_by("--only", "production");
            if first == "prune" {
                return omit_dev.then_some((Installer::Npm, Install::ProductionOnly));
            }
            Some((Installer::Npm, kind(omit_dev)))
        }
        "yarn" if (args.is_empty() || first == "install") && !global => {
            Some((Installer::Yarn, kind(has(&["--production"]))))
        }
        "yarn" if first == "workspaces" && args.get(1) == Some(&"focus") => {
            Some((Installer::Yarn, kind(has(&["--production"]))))
        }
        "pnpm" if matches!(first, "install" | "i") && !global => Some((
            Installer::Pnpm,
            kind(has(&["--prod", "-P", "--production"])),
        )),
        "pnpm" if first == "prune" => {
            has(&["--prod"]).then_some((Installer::Pnpm, Install::ProductionOnly))
        }
        "poetry" if first == "install" => {
            let main_only = followed_by("--only", "main")
                || followed_by("--without", "dev")
                || has(&["--no-dev"]);
            Some((Installer::Poetry, kind(main_only)))
        }
        "pip" | "pip3" if first == "install" => {
            // Requirement files are the production set unless named for development.
            let files: Vec<&str> = args
                .windows(2)
                .filter(|pair| matches!(pair[0], "-r" | "--requirement"))
                .map(|pair| pair[1])
                .chain(
                    args.iter()
                        .filter_map(|arg| arg.strip_prefix("--requirement=")),
                )
                .collect();
            if files.is_empty() {
                return None;
            }
            let dev = files.iter().any(|file| {
                let name = file.rsplit('/').next().unwrap_or(file).to_ascii_lowercase();
                name.contains("dev") || name.contains("test")
            });
            Some((Installer::Pip, kind(!dev)))
        }
        "uv" if first == "sync" => Some((
            Installer::Uv,
            kind(has(&["--no-dev"]) || followed_by("--only-group", "main")),
        )),
        "pipenv" if matches!(first, "install" | "sync") => {
            Some((Installer::Pipenv, kind(!has(&["--dev", "-d"]))))
        }
        _ => None,
    }
}

/// The installs a RUN line performs, in order.
fn installs_in(command: &str) -> Vec<(Installer, Install)> {
    segments(command)
        .into_iter()
        .filter_map(install_kind)
        .collect()
}

/// The stages `index` is built on, root first, ending with `index` itself (`FROM deps AS
/// builder` inherits everything `deps` installed).
fn stage_lineage(stages: &[Stage], index: usize) -> Vec<usize> {
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

/// What a stage's dependency folder holds after every install of its lineage: the last
/// install decides (`npm ci` then `npm prune --omit=dev` leaves production dependencies).
/// `None` when no install ran.
fn installed_dependencies(stages: &[Stage], index: usize) -> Option<Install> {
    stage_lineage(stages, index)
        .into_iter()
        .flat_map(|stage| stages[stage].instructions.iter())
        .filter_map(run_command)
        .flat_map(installs_in)
        .last()
        .map(|(_, kind)| kind)
}

/// Index of the stage a `COPY --from=` names: by name, or by its position.
fn copy_source_stage(stages: &[Stage], before: usize, from: &str) -> Option<usize> {
    stages[..before]
        .iter()
        .rposition(|stage| !stage.name.is_empty() && stage.name == from)
        .or_else(|| from.parse::<usize>().ok().filter(|index| *index < before))
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

/// The conventional runtime user name for a runtime (`nodejs` for Node,
/// docs/defaults.md#container-image).
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

/// A design whose stages are explicit: the Node template, materialised.
#[cfg(test)]
fn explicit_stages() -> Design {
    let mut design = crate::presets::for_runtime(Runtime::Node);
    design.container.stages = crate::stages::template(&design);
    design
}
