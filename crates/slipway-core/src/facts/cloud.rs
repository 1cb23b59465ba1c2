//! Keyless cloud access: which deploys reach their EKS cluster with GitHub's OIDC token, and
//! the names both sides must agree on (the cluster and deploy role each environment's
//! Terraform creates, the variable the workflow reads the role from, the token's subject).

use crate::facts::deploys::{deploys_read_registry, generated_deploy, target_environment};
use crate::facts::naming::chart_name;
use crate::model::{CloudAuth, Design, Environment, Job, Service};
use crate::text::{identifier, single_line};
use std::collections::HashSet;

/// The GitHub environment variable that holds the environment's deploy role ARN.
pub const ROLE_VARIABLE: &str = "AWS_DEPLOY_ROLE_ARN";
/// The repository variable that holds the role CI assumes to push images to Amazon ECR.
pub const PUSH_ROLE_VARIABLE: &str = "AWS_IMAGE_PUSH_ROLE_ARN";
/// The GitHub environment variable that holds the environment's image read role ARN.
pub const READ_ROLE_VARIABLE: &str = "AWS_IMAGE_READ_ROLE_ARN";
/// The audience GitHub's token is requested for, and the only one the role trusts.
pub const AUDIENCE: &str = "sts.amazonaws.com";
/// Longest project slug: the EKS module derives IAM role name prefixes from
/// `<project>-<environment>-cluster-`, and AWS caps those at 38 characters.
pub const PROJECT_SLUG_MAX: usize = 16;
pub const ENVIRONMENT_SLUG_MAX: usize = 12;

/// A lowercase `[a-z0-9-]` name that starts with a letter and fits in `max` characters.
pub fn slug(text: &str, max: usize, fallback: &str) -> String {
    let mut name = identifier(text, fallback);
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name = format!("{fallback}-{name}");
    }
    let limited: String = name.chars().take(max).collect();
    limited.trim_end_matches('-').to_owned()
}

/// An environment slug no other environment of the design already uses.
pub fn unique_slug(name: &str, taken: &[String]) -> String {
    unique_slug_where(name, |candidate| taken.iter().any(|slug| slug == candidate))
}

fn unique_slug_where(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slug(name, ENVIRONMENT_SLUG_MAX, "env");
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!("-{n}");
            let stem: String = base
                .chars()
                .take(ENVIRONMENT_SLUG_MAX - suffix.len())
                .collect();
            format!("{}{suffix}", stem.trim_end_matches('-'))
        })
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| unreachable!("the suffixes never run out"))
}

/// The slug of every environment, in design order: its Terraform files, state and names.
pub fn environment_slugs(design: &Design) -> Vec<String> {
    environment_slugs_through(design, design.environments.len())
}

/// The slugs of the first `count` environments (a slug depends only on the ones before it).
fn environment_slugs_through(design: &Design, count: usize) -> Vec<String> {
    let mut slugs: Vec<String> = Vec::with_capacity(count);
    let mut taken: HashSet<String> = HashSet::with_capacity(count);
    for environment in design.environments.iter().take(count) {
        let slug = unique_slug_where(&environment.name, |candidate| taken.contains(candidate));
        taken.insert(slug.clone());
        slugs.push(slug);
    }
    slugs
}

/// The project slug, the first part of every AWS name.
pub fn project_slug(design: &Design) -> String {
    slug(&design.project.name, PROJECT_SLUG_MAX, "app")
}

/// Whether the design deploys to EKS clusters its own Terraform creates.
pub fn on_eks(design: &Design) -> bool {
    let infrastructure = &design.infrastructure;
    infrastructure.enabled && infrastructure.eks.enabled && design.uses_kubernetes()
}

/// Whether deploys reach the cluster with OIDC: an EKS design that keeps the default and has
/// an environment CI deploys to itself (Argo CD delivers GitOps ones from inside the cluster).
pub fn keyless(design: &Design) -> bool {
    on_eks(design)
        && design.pipeline.cloud_auth == CloudAuth::Oidc
        && design.environments.iter().any(|env| !env.gitops())
}

/// Whether an environment's Terraform state creates a deploy role: with keyless deploys, for
/// each environment CI deploys to itself. Argo CD delivers a GitOps environment from inside
/// its cluster, so no job of the repository ever reaches that cluster and it gets no role.
pub fn deploy_role(design: &Design, environment: &Environment) -> bool {
    keyless(design) && !environment.gitops()
}

/// The AWS region, as the tfvars hold it.
pub fn region(design: &Design) -> String {
    single_line(&design.infrastructure.region).trim().to_owned()
}

/// The EKS cluster (`<project>-<environment slug>`) a keyless deploy to the named
/// environment reaches, when the design declares that environment (its Terraform state
/// creates the cluster and the role).
pub fn cluster(design: &Design, environment: &str) -> Option<String> {
    let index = design
        .environments
        .iter()
        .position(|env| env.name == environment.trim())?;
    keyless(design).then(|| {
        format!(
            "{}-{}",
            project_slug(design),
            environment_slugs_through(design, index + 1)[index]
        )
    })
}

/// An Amazon ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ecr {
    pub host: String,
    pub account: String,
    pub region: String,
}

/// The design's registry when it is Amazon ECR.
pub fn ecr(design: &Design) -> Option<Ecr> {
    let host = crate::facts::naming::registry_host(design);
    let (account, rest) = host.split_once(".dkr.ecr.")?;
    let region = rest.strip_suffix(".amazonaws.com")?;
    let valid = |part: &str| {
        !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if !valid(account) || !valid(region) {
        return None;
    }
    Some(Ecr {
        account: account.to_owned(),
        region: region.to_owned(),
        host,
    })
}

/// Whether CI pushes images to an Amazon ECR registry with GitHub's OIDC token: the registry
/// is ECR, the design's Terraform (which creates the repositories and the push role) is on
/// and `pipeline.cloud_auth` keeps the default. Otherwise an ECR push reads the
/// `REGISTRY_USERNAME`/`REGISTRY_PASSWORD` secrets (SECRETS-007).
pub fn keyless_registry(design: &Design) -> bool {
    design.uses_kubernetes()
        && design.infrastructure.enabled
        && design.pipeline.cloud_auth == CloudAuth::Oidc
        && ecr(design).is_some()
}

/// The environment whose image read role a deploy job assumes to read the registry: with
/// keyless pushes to Amazon ECR, a generated deploy that reads the registry (to find the
/// images CI built, or verify them) in a declared environment where it holds no deploy role: a
/// GitOps promotion, or a Helm deploy that reaches its cluster with a `KUBECONFIG` secret.
/// Without that role such a job would log in with long-lived registry secrets.
pub fn image_reader<'a>(design: &'a Design, job: &Job) -> Option<&'a Environment> {
    if !keyless_registry(design) || !generated_deploy(job) || !deploys_read_registry(design) {
        return None;
    }
    target_environment(design, job)
        .map(|(_, env)| env)
        .filter(|env| !deploy_role(design, env))
}

/// Whether an environment's Terraform state creates an image read role: a deploy job in it
/// reads the registry without a deploy role ([`image_reader`]). The role trusts only
/// `repo:OWNER/REPO:environment:<name>` and may only read the services' images.
pub fn image_read_role(design: &Design, environment: &Environment) -> bool {
    design
        .pipeline
        .jobs
        .iter()
        .any(|job| image_reader(design, job).is_some_and(|reader| reader.name == environment.name))
}

/// The `sub` claim of GitHub's token for a job of repository `slug` that runs for a push to
/// `branch` outside any environment.
pub fn branch_subject(slug: &str, branch: &str) -> String {
    format!("repo:{}:ref:refs/heads/{}", slug.trim(), branch.trim())
}

/// The `sub` claim of GitHub's token for a job in `environment` of repository `slug`.
pub fn subject(slug: &str, environment: &str) -> String {
    format!("repo:{}:environment:{}", slug.trim(), environment.trim())
}

/// Whether a repository slug is `OWNER/REPO` in the characters GitHub allows.
pub fn valid_slug(slug: &str) -> bool {
    let part = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(slug.split_once('/'), Some((owner, repo)) if part(owner) && part(repo))
}

/// The namespace a service's release goes to.
pub fn namespace(service: &Service) -> String {
    identifier(&service.kubernetes.namespace, &chart_name(service))
}

/// The namespaces the deploys write to, each once, in service order.
pub fn namespaces(design: &Design) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for service in design.services.iter().filter(|s| s.kubernetes.enabled) {
        let name = namespace(service);
        if !all.contains(&name) {
            all.push(name);
        }
    }
    all
}
