//! Which jobs install dependencies.

use crate::facts::commands::{any_segment, is_install};
use crate::facts::jobs::job_commands;
use crate::model::{Design, Job};

/// Whether a job installs dependencies (its own commands or its kind's defaults).
pub(super) fn installs(design: &Design, index: usize, job: &Job) -> bool {
    job_commands(design, index, job)
        .iter()
        .any(|command| any_segment(&command.text, is_install))
}
