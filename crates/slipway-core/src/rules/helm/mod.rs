//! Helm rules (RULES.md §7): one values file per environment, and deploys that keep the
//! release history `helm rollback` needs.

mod helm_002;
mod helm_004;

use super::Rule;
use crate::model::{Design, Job, JobKind};

pub(super) static RULES: &[&dyn Rule] = &[
    &helm_002::ValuesFilePerEnvironment,
    &helm_004::ReleaseHistoryForRollback,
];

/// The deploy jobs' own commands (jobs without commands run the generated
/// `helm upgrade --install`), with the job's and the command's index. Empty off Kubernetes.
fn custom_deploy_commands(design: &Design) -> Vec<(usize, usize, &Job, &str)> {
    if !design.kubernetes.enabled {
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
fn runs_helm_upgrade(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    words
        .windows(2)
        .any(|pair| pair[0].ends_with("helm") && pair[1] == "upgrade")
}

#[cfg(test)]
pub(super) fn failing_examples(id: &str) -> Vec<Design> {
    match id {
        "HELM-002" => helm_002::failing_examples(),
        "HELM-004" => helm_004::failing_examples(),
        other => panic!("no failing examples for {other}"),
    }
}
