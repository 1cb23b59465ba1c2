//! Platform validity rules (docs/rules.md#platform-validity): checks the documents do not state but
//! the platforms enforce, so that a design never exports something the API server, GitHub,
//! Terraform or AWS rejects. Then the cross-artifact consistency checks (`CONSIST-…`: one value
//! that several generated files must agree on) and the profile-dependent checks (`PROFILE-…`, see
//! `docs/profiles.md`).
//!
//! Not implemented (listed in `docs/unchecked-rules.md`): VALID-001, VALID-008, VALID-014,
//! VALID-018, VALID-019 and VALID-020, which the generators guarantee by construction and no
//! design field can break.

rules! {
    valid_002::NumericUidForRunAsNonRoot,
    valid_003::RollingParamsNotBothZero,
    valid_004::HpaNeedsRequests,
    valid_005::PdbBelowMinReplicas,
    valid_006::RequestsNotAboveLimits,
    valid_007::PortConsistency,
    valid_009::MatrixUnderJob,
    valid_010::HealthcheckTargetPresent,
    valid_011::DockerignoreVsBuilderTests,
    valid_012::ReadonlyFsWritableMounts,
    valid_013::RdsUsernameNotReserved,
    valid_015::BackendConfigNotVariables,
    valid_016::NpmOmitDev,
    valid_017::CurrentActionVersions,
    consist_001::HealthPathConsistency,
    consist_002::ImageUserMatchesRunAsUser,
    consist_003::DeployedImageIsBuiltImage,
    consist_004::EnvironmentNamesAgree,
    profile_001::StrictHighUid,
}

use super::Context;
use crate::model::{Design, Instruction};

/// The final stage's last `USER`, with its instruction position.
pub(crate) fn final_user(context: &Context) -> Option<(usize, String)> {
    let (_, stage) = context.final_stage()?;
    stage.instructions.iter().enumerate().rev().find_map(
        |(position, instruction)| match instruction {
            Instruction::User { user } => Some((position, user.trim().to_owned())),
            Instruction::Other { keyword, arguments } if keyword.eq_ignore_ascii_case("USER") => {
                Some((position, arguments.trim().to_owned()))
            }
            _ => None,
        },
    )
}

/// The uid of a numeric `USER` (`1001` or `1001:1001`); `None` for a name.
pub(crate) fn numeric_uid(user: &str) -> Option<u32> {
    user.split(':').next()?.trim().parse().ok()
}

/// The gid of a numeric `USER uid:gid`.
pub(crate) fn numeric_gid(user: &str) -> Option<u32> {
    user.split_once(':')?.1.trim().parse().ok()
}

/// The port a start command listens on, and the index of the argument that holds it:
/// `--port 8000`, `--port=8000`, `-p 8000`, `--bind 0.0.0.0:8000`, `-b :8000`,
/// `--server.port=8000`, `-Dserver.port=8000`, `PORT=8000`.
pub(crate) fn listen_port<S: AsRef<str>>(args: &[S]) -> Option<(usize, u16)> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    for (index, arg) in args.iter().enumerate() {
        let arg = arg.trim_matches(|c| c == '"' || c == '\'');
        let next = args
            .get(index + 1)
            .map(|next| next.trim_matches(|c| c == '"' || c == '\''));
        match arg {
            "--port" | "-p" | "--http-port" | "--listen-port" => {
                if let Some(port) = next.and_then(|n| n.parse().ok()) {
                    return Some((index + 1, port));
                }
            }
            "--bind" | "-b" | "--listen" | "--addr" | "--host-port" => {
                if let Some(port) = next
                    .and_then(|n| n.rsplit_once(':'))
                    .and_then(|(_, p)| p.parse().ok())
                {
                    return Some((index + 1, port));
                }
            }
            _ => {}
        }
        for prefix in [
            "--port=",
            "--bind=",
            "--listen=",
            "--addr=",
            "--server.port=",
            "-Dserver.port=",
            "PORT=",
        ] {
            if let Some(value) = arg.strip_prefix(prefix) {
                let value = value.rsplit(':').next().unwrap_or(value);
                if let Ok(port) = value.parse() {
                    return Some((index, port));
                }
            }
        }
    }
    None
}

/// `text` with its trailing number replaced by `port` (`0.0.0.0:8000` → `0.0.0.0:3000`).
pub(crate) fn replace_trailing_number(text: &str, port: u16) -> String {
    let digits = text.chars().rev().take_while(char::is_ascii_digit).count();
    format!("{}{port}", &text[..text.len() - digits])
}

/// The port of a local URL (`http://127.0.0.1:3000/health` → 3000).
pub(crate) fn url_port(text: &str) -> Option<u16> {
    let (_, rest) = text.split_once("://")?;
    let authority = rest.split('/').next()?;
    authority.rsplit_once(':')?.1.parse().ok()
}

/// Every shell command of the design with its field: project commands, CI job commands,
/// explicit Dockerfile `RUN` lines and Railway commands.
pub(crate) fn command_texts(design: &Design) -> Vec<(String, String)> {
    let commands = &design.project.commands;
    let mut texts: Vec<(String, String)> = [
        ("install", &commands.install),
        ("lint", &commands.lint),
        ("typecheck", &commands.typecheck),
        ("test", &commands.test),
        ("build", &commands.build),
    ]
    .into_iter()
    .map(|(name, text)| (format!("project.commands.{name}"), text.clone()))
    .collect();
    for (index, job) in design.pipeline.jobs.iter().enumerate() {
        for (position, text) in job.commands.iter().enumerate() {
            texts.push((
                format!("pipeline.jobs[{index}].commands[{position}]"),
                text.clone(),
            ));
        }
    }
    for (stage_index, stage) in design.container.stages.iter().enumerate() {
        for (position, instruction) in stage.instructions.iter().enumerate() {
            if let Instruction::Run { command } = instruction {
                texts.push((
                    format!("container.stages[{stage_index}].instructions[{position}]"),
                    command.clone(),
                ));
            }
        }
    }
    let railway = &design.railway;
    if railway.enabled {
        for (name, text) in [
            ("build_command", &railway.build_command),
            ("start_command", &railway.start_command),
            ("pre_deploy_command", &railway.pre_deploy_command),
        ] {
            texts.push((format!("railway.{name}"), text.clone()));
        }
    }
    texts.retain(|(_, text)| !text.trim().is_empty());
    texts
}

/// Applies `rewrite` to every command [`command_texts`] lists.
pub(crate) fn rewrite_commands(design: &mut Design, rewrite: impl Fn(&str) -> String) {
    let commands = &mut design.project.commands;
    for text in [
        &mut commands.install,
        &mut commands.lint,
        &mut commands.typecheck,
        &mut commands.test,
        &mut commands.build,
    ] {
        *text = rewrite(text);
    }
    for job in &mut design.pipeline.jobs {
        for text in &mut job.commands {
            *text = rewrite(text);
        }
    }
    for stage in &mut design.container.stages {
        for instruction in &mut stage.instructions {
            if let Instruction::Run { command } = instruction {
                *command = rewrite(command);
            }
        }
    }
    let railway = &mut design.railway;
    for text in [
        &mut railway.build_command,
        &mut railway.start_command,
        &mut railway.pre_deploy_command,
    ] {
        *text = rewrite(text);
    }
}

/// A design whose stages are explicit: the Node template, materialised.
#[cfg(test)]
fn explicit_stages() -> Design {
    let mut design = crate::presets::for_runtime(crate::model::Runtime::Node);
    design.container.stages = crate::stages::template(&design);
    design
}

/// Replaces the final stage's USER of an explicit design.
#[cfg(test)]
fn set_final_user(design: &mut Design, user: &str) {
    if let Some(stage) = design.container.stages.last_mut() {
        for instruction in &mut stage.instructions {
            if let Instruction::User { user: current } = instruction {
                *current = user.to_owned();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_command_ports_are_found() {
        assert_eq!(
            listen_port(&["uvicorn", "app:app", "--port", "8000"]),
            Some((3, 8000))
        );
        assert_eq!(
            listen_port(&["gunicorn", "--bind", "0.0.0.0:8080"]),
            Some((2, 8080))
        );
        assert_eq!(
            listen_port(&["java", "-Dserver.port=9000", "-jar", "a.jar"]),
            Some((1, 9000))
        );
        assert_eq!(listen_port(&["uvicorn", "--port", "$PORT"]), None);
        assert_eq!(listen_port(&["node", "dist/main.js"]), None);
        assert_eq!(
            replace_trailing_number("0.0.0.0:8000", 3000),
            "0.0.0.0:3000"
        );
    }

    #[test]
    fn local_url_ports_are_found() {
        assert_eq!(url_port("http://127.0.0.1:3000/health"), Some(3000));
        assert_eq!(url_port("http://localhost/health"), None);
    }
}
