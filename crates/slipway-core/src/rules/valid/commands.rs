//! Every shell command the design holds, with its field.

use crate::model::{Design, Instruction};

/// Every shell command of the design with its field: each service's commands, CI job
/// commands, each service's explicit Dockerfile `RUN` lines and Railway commands.
pub(super) fn command_texts(design: &Design) -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for (index, service) in design.services.iter().enumerate() {
        texts.extend(
            service
                .commands
                .shell_lines()
                .into_iter()
                .map(|(name, text)| (format!("services[{index}].commands.{name}"), text.clone())),
        );
    }
    for (index, job) in design.pipeline.jobs.iter().enumerate() {
        for (position, text) in job.commands.iter().enumerate() {
            texts.push((
                format!("pipeline.jobs[{index}].commands[{position}]"),
                text.clone(),
            ));
        }
    }
    for (index, service) in design.services.iter().enumerate() {
        for (stage_index, stage) in service.container.stages.iter().enumerate() {
            for (position, instruction) in stage.instructions.iter().enumerate() {
                if let Instruction::Run { command } = instruction {
                    texts.push((
                        format!(
                            "services[{index}].container.stages[{stage_index}].instructions[{position}]"
                        ),
                        command.clone(),
                    ));
                }
            }
        }
    }
    for (index, service) in design.services.iter().enumerate() {
        let railway = &service.railway;
        if railway.enabled {
            for (name, text) in [
                ("build_command", &railway.build_command),
                ("start_command", &railway.start_command),
                ("pre_deploy_command", &railway.pre_deploy_command),
            ] {
                texts.push((format!("services[{index}].railway.{name}"), text.clone()));
            }
        }
    }
    texts.retain(|(_, text)| !text.trim().is_empty());
    texts
}

/// Applies `rewrite` to every command [`command_texts`] lists.
pub(super) fn rewrite_commands(design: &mut Design, rewrite: impl Fn(&str) -> String) {
    for service in &mut design.services {
        for text in service.commands.shell_lines_mut() {
            *text = rewrite(text);
        }
        for stage in &mut service.container.stages {
            for instruction in &mut stage.instructions {
                if let Instruction::Run { command } = instruction {
                    *command = rewrite(command);
                }
            }
        }
        let railway = &mut service.railway;
        for text in [
            &mut railway.build_command,
            &mut railway.start_command,
            &mut railway.pre_deploy_command,
        ] {
            *text = rewrite(text);
        }
    }
    for job in &mut design.pipeline.jobs {
        for text in &mut job.commands {
            *text = rewrite(text);
        }
    }
}
