//! The dependency installs of the image's RUN lines, and what they leave in a stage.

use super::layout::{run_command, stage_lineage};
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::Stage;

/// What a dependency install leaves in place: production dependencies only, or everything
/// (dev dependencies included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Install {
    ProductionOnly,
    Full,
}

/// The package-manager family of an install, which decides how its download cache is
/// cleaned (DOCKER-012).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Installer {
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
pub(super) fn install_kind(segment: &str) -> Option<(Installer, Install)> {
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
    simple_commands(command)
        .into_iter()
        .filter_map(install_kind)
        .collect()
}

/// What a stage's dependency folder holds after every install of its lineage: the last
/// install decides (`npm ci` then `npm prune --omit=dev` leaves production dependencies).
/// `None` when no install ran.
pub(super) fn installed_dependencies(stages: &[Stage], index: usize) -> Option<Install> {
    stage_lineage(stages, index)
        .into_iter()
        .flat_map(|stage| stages[stage].instructions.iter())
        .filter_map(run_command)
        .flat_map(installs_in)
        .last()
        .map(|(_, kind)| kind)
}
