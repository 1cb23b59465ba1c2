//! What the Terraform for a design contains, decided once and read by every file.

use crate::facts::cloud;
use crate::generate::actions::jobs::image_branches;
use crate::generate::actions::{image_repository, pushes_image, pushes_service_image};
use crate::model::{Design, Environment, EnvironmentTier};

/// What the Terraform for a design contains, decided once for every file.
pub(crate) struct Plan<'a> {
    pub design: &'a Design,
    pub project: String,
    pub environments: Vec<Target<'a>>,
    pub vpc: bool,
    pub eks: bool,
    pub rds: bool,
    pub redis: bool,
    pub branch_protection: bool,
    /// Deploys reach the clusters with GitHub's OIDC token: each environment CI deploys to
    /// gets a deploy role.
    pub keyless: bool,
    /// The Amazon ECR repositories CI pushes to, when the design's registry is ECR.
    pub images: Option<ImageRegistry>,
    /// CI pushes to those repositories with GitHub's OIDC token: the state that owns them
    /// creates the image push role, and the deploy roles may read them.
    pub keyless_registry: bool,
    /// Some environment's state creates an image read role (`image_read.tf`).
    pub image_reads: bool,
}

/// One environment and the file-name-safe slug its files and resource names use.
pub(crate) struct Target<'a> {
    pub environment: &'a Environment,
    pub slug: String,
    /// This environment's state owns what every environment shares (the repository's branch
    /// protection, the image repositories CI pushes to), so exactly one environment manages it.
    pub owns_shared: bool,
    /// CI deploys to this environment itself, so its state creates a deploy role (a GitOps
    /// environment gets none: Argo CD applies from inside the cluster).
    pub deploy_role: bool,
    /// This environment's state creates GitHub's OIDC provider, one per account: the
    /// production environment's when it has a deploy role, else the first that has one, else
    /// (keyless image pushes alone) the one that owns the image repositories.
    pub owns_oidc_provider: bool,
    /// A deploy job in this environment reads the registry without a deploy role (a GitOps
    /// promotion, a deploy with a `KUBECONFIG` secret), so its state creates an image read role.
    pub image_read_role: bool,
}

impl Target<'_> {
    pub fn production(&self) -> bool {
        self.environment.tier == EnvironmentTier::Production
    }
}

impl<'a> Plan<'a> {
    pub(super) fn new(design: &'a Design) -> Self {
        let infrastructure = &design.infrastructure;
        let (eks, rds, redis) = (
            infrastructure.eks.enabled,
            infrastructure.rds.enabled,
            infrastructure.redis.enabled,
        );
        let owner = design
            .environments
            .iter()
            .position(|environment| environment.tier == EnvironmentTier::Production)
            .unwrap_or(0);
        let deploy_role = |environment: &Environment| cloud::deploy_role(design, environment);
        let images = ImageRegistry::of(design);
        let keyless_registry = images.is_some() && cloud::keyless_registry(design);
        // Without a deploy role anywhere, the image push role's state (the one owning the
        // repositories) brings the provider.
        let oidc_owner = design
            .environments
            .iter()
            .position(|environment| {
                environment.tier == EnvironmentTier::Production && deploy_role(environment)
            })
            .or_else(|| design.environments.iter().position(deploy_role))
            .or_else(|| keyless_registry.then_some(owner));
        let environments = design
            .environments
            .iter()
            .zip(cloud::environment_slugs(design))
            .enumerate()
            .map(|(index, (environment, slug))| Target {
                environment,
                slug,
                owns_shared: index == owner,
                deploy_role: deploy_role(environment),
                owns_oidc_provider: Some(index) == oidc_owner,
                image_read_role: keyless_registry && cloud::image_read_role(design, environment),
            })
            .collect::<Vec<Target>>();
        let image_reads = environments.iter().any(|target| target.image_read_role);
        Plan {
            design,
            project: cloud::project_slug(design),
            keyless: cloud::keyless(design),
            environments,
            // The cluster, database and cache all live in private subnets: any of them
            // brings the VPC along, whatever `vpc.enabled` says (TF-006).
            vpc: infrastructure.vpc.enabled || eks || rds || redis,
            eks,
            rds,
            redis,
            branch_protection: !design.repository.branches.is_empty(),
            keyless_registry,
            image_reads,
            images,
        }
    }
}

/// The ECR registry of a design and the repositories CI pushes to it.
pub(crate) struct ImageRegistry {
    /// `123456789012.dkr.ecr.eu-west-1.amazonaws.com`.
    pub host: String,
    pub account: String,
    pub region: String,
    /// Repository names, the image reference after the host (`acme/shop/api`), in service
    /// order.
    pub repositories: Vec<String>,
    /// The branches whose pushes push images: the only ones the image push role trusts.
    pub push_branches: Vec<String>,
}

impl ImageRegistry {
    /// The design's registry when it is Amazon ECR and CI pushes at least one image to it.
    pub fn of(design: &Design) -> Option<ImageRegistry> {
        let cloud::Ecr {
            host,
            account,
            region,
        } = cloud::ecr(design)?;
        if !pushes_image(design) {
            return None;
        }
        let prefix = format!("{host}/");
        let mut repositories: Vec<String> = Vec::new();
        for service in design.services.iter().filter(|s| pushes_service_image(s)) {
            let reference = image_repository(design, service);
            if let Some(name) = reference.strip_prefix(&prefix) {
                if !repositories.iter().any(|known| known == name) {
                    repositories.push(name.to_owned());
                }
            }
        }
        (!repositories.is_empty()).then(|| ImageRegistry {
            host,
            account,
            region,
            repositories,
            push_branches: image_branches(design),
        })
    }
}
