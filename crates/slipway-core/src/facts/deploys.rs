//! Where deploy jobs go: the environment and tier each one targets.

use crate::facts::jobs::jobs_of;
use crate::model::{Design, Environment, EnvironmentTier, Job, JobKind, Service};

/// Whether a deploy workflow (`deploy.yml`) deploys the design: Kubernetes is the target and
/// the pipeline has a deploy job. Railway needs none: it deploys from the repository itself.
pub(crate) fn has_deploy_workflow(design: &Design) -> bool {
    design.uses_kubernetes() && !jobs_of(design, JobKind::Deploy).is_empty()
}

/// Whether something deploys the design: its deploy workflow, or Railway.
pub(crate) fn something_deploys(design: &Design) -> bool {
    has_deploy_workflow(design) || design.uses_railway()
}

/// The environment a job targets, by name.
pub(crate) fn target_environment<'a>(
    design: &'a Design,
    job: &Job,
) -> Option<(usize, &'a Environment)> {
    let name = job.environment.trim();
    if name.is_empty() {
        return None;
    }
    design
        .environments
        .iter()
        .enumerate()
        .find(|(_, env)| env.name == name)
}

/// The tier a deploy job targets: its environment's, or read from its environment, id or
/// name when the environment is unknown or missing (`deploy-production`, `Deploy to prod`).
pub(crate) fn deploy_tier(design: &Design, job: &Job) -> Option<EnvironmentTier> {
    if let Some((_, env)) = target_environment(design, job) {
        return Some(env.tier);
    }
    let text = format!("{} {} {}", job.environment, job.id, job.name).to_ascii_lowercase();
    if text.contains("prod") {
        Some(EnvironmentTier::Production)
    } else if text.contains("stag") {
        Some(EnvironmentTier::Staging)
    } else {
        None
    }
}

/// Indices of the deploy jobs that target `tier`.
pub(crate) fn deploys_to(design: &Design, tier: EnvironmentTier) -> Vec<usize> {
    jobs_of(design, JobKind::Deploy)
        .into_iter()
        .filter(|index| deploy_tier(design, &design.pipeline.jobs[*index]) == Some(tier))
        .collect()
}

/// The first environment of a tier.
pub(crate) fn environment_of_tier(
    design: &Design,
    tier: EnvironmentTier,
) -> Option<(usize, &Environment)> {
    design
        .environments
        .iter()
        .enumerate()
        .find(|(_, env)| env.tier == tier)
}

/// The order the deploys (the deploy workflow, Argo CD's sync waves) deploy the Kubernetes services in (indices into
/// `design.services`): design order, except that a service another one talks to is deployed
/// before it. Services that talk to each other in a circle keep design order.
pub(crate) fn deploy_order(design: &Design) -> Vec<usize> {
    let deployed: Vec<usize> = (0..design.services.len())
        .filter(|&index| design.services[index].kubernetes.enabled)
        .collect();
    let needs: Vec<Vec<usize>> = design
        .services
        .iter()
        .enumerate()
        .map(|(index, service)| {
            service
                .talks_to
                .iter()
                .filter_map(|name| {
                    deployed
                        .iter()
                        .copied()
                        .find(|&target| design.services[target].name == *name)
                })
                .filter(|&target| target != index)
                .collect()
        })
        .collect();
    let mut order: Vec<usize> = Vec::with_capacity(deployed.len());
    while order.len() < deployed.len() {
        let waiting = deployed
            .iter()
            .copied()
            .filter(|index| !order.contains(index));
        let ready = waiting
            .clone()
            .find(|&index| needs[index].iter().all(|need| order.contains(need)));
        match ready.or_else(|| waiting.min()) {
            Some(next) => order.push(next),
            None => break,
        }
    }
    order
}

/// Whether CI pushes any image it builds: only when something deploys one (the Helm deploys of
/// `deploy.yml`). Railway builds from the repository itself.
pub(crate) fn pushes_image(design: &Design) -> bool {
    design.uses_kubernetes()
}

/// Whether a job is a build that pushes images with the generated steps, which know each
/// image's digest (a build running the design's own commands pushes what they push).
pub(crate) fn pushes_digests(design: &Design, index: usize, job: &Job) -> bool {
    job.kind == crate::model::JobKind::Build
        && pushes_image(design)
        && crate::facts::jobs::job_commands(design, index, job).is_empty()
        && design.services.iter().any(pushes_service_image)
}

/// Whether CI hands deploy.yml the digests it pushed: its generated build pushes the images.
pub(crate) fn deploys_by_digest(design: &Design) -> bool {
    design.pipeline.jobs.iter().enumerate().any(|(index, job)| {
        crate::facts::jobs::is_ci_job(job) && pushes_digests(design, index, job)
    })
}

/// Whether each Helm deploy verifies the provenance of the image it deploys first.
pub(crate) fn verifies_images(design: &Design) -> bool {
    design.pipeline.attest_images
        && design.pipeline.verify_attestations
        && deploys_by_digest(design)
}

/// Whether CI pushes this service's image: only when its chart deploys it.
pub(crate) fn pushes_service_image(service: &Service) -> bool {
    service.kubernetes.enabled
}

/// Whether a job is a deploy of the generated steps: a Helm deploy, or a GitOps promotion.
pub(crate) fn generated_deploy(job: &Job) -> bool {
    job.kind == JobKind::Deploy && job.commands.is_empty()
}

/// Whether the generated deploys read the registry: to find which images CI built for the
/// commit (it builds only the services a change touched), or to verify their provenance and
/// SBOM (PIPELINE-023).
pub(crate) fn deploys_read_registry(design: &Design) -> bool {
    crate::facts::changes::per_service_runs(design).is_some() || verifies_images(design)
}
