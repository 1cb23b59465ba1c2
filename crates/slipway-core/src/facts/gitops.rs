//! Environments delivered by GitOps: CI commits what to run to a deploy branch, Argo CD inside
//! the cluster syncs it (`environments[].delivery`, HELM-005, HELM-006).

use crate::facts::cloud::project_slug;
use crate::facts::naming::{chart_name, values_file_name};
use crate::model::{Design, Environment, Service};

/// The environments Argo CD delivers: GitOps ones of a design that runs on Kubernetes.
pub fn gitops_environments(design: &Design) -> Vec<&Environment> {
    if !design.uses_kubernetes() {
        return Vec::new();
    }
    design
        .environments
        .iter()
        .filter(|env| env.gitops())
        .collect()
}

/// Whether Argo CD delivers the environment named `name`.
pub fn delivered_by_gitops(design: &Design, name: &str) -> bool {
    design.uses_kubernetes()
        && design
            .environments
            .iter()
            .any(|env| env.name == name.trim() && env.gitops())
}

/// Whether a service's chart has the smoke test Argo CD runs after its syncs (a PostSync hook
/// Job, on in the GitOps environments' values): a web service on Kubernetes, in a design with
/// an environment Argo CD delivers.
pub fn smoke_tested_after_sync(design: &Design, service: &Service) -> bool {
    crate::facts::workload::web_workload(service).is_some()
        && !gitops_environments(design).is_empty()
}

/// The branch Argo CD syncs an environment from, which only the deploy workflow writes:
/// `deploy/<environment>`.
pub fn deploy_branch(environment: &Environment) -> String {
    format!("deploy/{}", values_file_name(environment))
}

/// The file on the deploy branch that pins the image a service runs there.
pub fn release_file(service: &Service) -> String {
    format!("releases/{}.yaml", chart_name(service))
}

/// The folder of an environment's Argo CD files, in the bundle and on its deploy branch.
pub fn argocd_folder(environment: &Environment) -> String {
    format!("argocd/{}", values_file_name(environment))
}

/// The AppProject of an environment's services.
pub fn project_name(design: &Design, environment: &Environment) -> String {
    limit(&format!(
        "{}-{}",
        project_slug(design),
        values_file_name(environment)
    ))
}

/// The Application of a service in an environment.
pub fn application_name(service: &Service, environment: &Environment) -> String {
    limit(&format!(
        "{}-{}",
        chart_name(service),
        values_file_name(environment)
    ))
}

/// The repository Argo CD clones, from `repository.slug`.
pub fn repository_url(design: &Design) -> String {
    format!("https://github.com/{}.git", design.repository.slug.trim())
}

/// Kubernetes object names are DNS labels of at most 63 characters.
fn limit(name: &str) -> String {
    let cut: String = name.chars().take(63).collect();
    cut.trim_end_matches('-').to_owned()
}
