//! The deploy commands the design writes itself.

use crate::model::{Design, Job, JobKind};

/// The deploy jobs' own commands (jobs without commands run the generated
/// `helm upgrade --install`), with the job's and the command's index. Empty when no service
/// runs on Kubernetes.
pub(super) fn custom_deploy_commands(design: &Design) -> Vec<(usize, usize, &Job, &str)> {
    if !design.uses_kubernetes() {
        return Vec::new();
    }
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| job.kind == JobKind::Deploy)
        .flat_map(|(i, job)| {
            job.commands
                .iter()
                .enumerate()
                .map(move |(j, command)| (i, j, job, command.as_str()))
        })
        .collect()
}

/// Whether a shell command runs `helm upgrade`.
pub(super) fn runs_helm_upgrade(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words
        .windows(2)
        .any(|pair| pair[0].ends_with("helm") && pair[1] == "upgrade")
}
