//! The Railway settings and the start commands Railway runs.

use crate::model::{Railway, RailwayBuilder, Service};

/// The service's Railway settings, when it deploys to Railway.
pub(super) fn railway(service: &Service) -> Option<&Railway> {
    service.railway.enabled.then_some(&service.railway)
}

/// Whether the Railway service is a cron job.
pub(super) fn is_cron(railway: &Railway) -> bool {
    !railway.cron_schedule.trim().is_empty()
}

/// One start command Railway runs, with its field.
pub(super) struct StartCommand {
    pub text: String,
    pub field: String,
    /// Written by the user for Railway (`railway.start_command` or an override), rather
    /// than the image's own CMD.
    pub railway_specific: bool,
}

/// The start commands Railway runs for a service: its Railway start command (else its own
/// start command) and every environment override's.
pub(super) fn start_commands(service: &Service) -> Vec<StartCommand> {
    let railway = &service.railway;
    let mut commands = vec![if railway.start_command.trim().is_empty() {
        StartCommand {
            text: service.commands.start.join(" "),
            field: "commands.start".to_owned(),
            railway_specific: false,
        }
    } else {
        StartCommand {
            text: railway.start_command.clone(),
            field: "railway.start_command".to_owned(),
            railway_specific: true,
        }
    }];
    for (i, over) in railway.overrides.iter().enumerate() {
        if !over.start_command.trim().is_empty() {
            commands.push(StartCommand {
                text: over.start_command.clone(),
                field: format!("railway.overrides[{i}].start_command"),
                railway_specific: true,
            });
        }
    }
    commands.retain(|command| !command.text.trim().is_empty());
    commands
}

/// Whether Railway runs the start command without a shell (Dockerfile builds use exec form,
/// so `$PORT`, `&&` and pipes are not interpreted).
pub(super) fn exec_form(service: &Service) -> bool {
    service.railway.builder == RailwayBuilder::Dockerfile
}
