//! Every shell command the design holds, with its field.

use crate::model::{Design, Instruction};

/// Every shell command of the design with its field: project commands, CI job commands,
/// explicit Dockerfile `RUN` lines and Railway commands.
pub(super) fn command_texts(design: &Design) -> Vec<(String, String)> {
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
pub(super) fn rewrite_commands(design: &mut Design, rewrite: impl Fn(&str) -> String) {
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
