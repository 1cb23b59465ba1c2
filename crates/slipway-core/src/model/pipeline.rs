use serde::{Deserialize, Serialize};

use super::{EnvVar, Runtime};

/// The CI/CD pipeline: when it runs and the DAG of jobs it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pipeline {
    pub triggers: Triggers,
    /// Path filters (`backend/**`): the workflow runs only when these change.
    pub paths: Vec<String>,
    /// With several services in folders of their own, a change runs only the jobs of the
    /// services whose files it touches, and the repository's jobs: a `changes` job decides,
    /// and the always-running `ci-passed` job is the check to require. Since schema version 3.
    pub skip_unchanged_services: bool,
    /// Cancel an in-progress CI run when a newer commit arrives (never for deploys).
    pub cancel_in_progress: bool,
    /// Pin actions to full commit SHAs (with a `# vX.Y.Z` comment), the default: a moved tag
    /// cannot change what CI runs. `false` writes the release tags instead.
    pub pin_actions_to_sha: bool,
    /// Container registry the build pushes to, e.g. `ghcr.io`.
    pub registry: String,
    /// How deploy jobs reach an EKS cluster the design's Terraform creates, and how CI pushes to
    /// an Amazon ECR registry whose repositories it creates: GitHub's OIDC token for a
    /// per-environment deploy role and an image push role (the default), or long-lived secrets
    /// (the `KUBECONFIG` environment secret, `REGISTRY_USERNAME`/`REGISTRY_PASSWORD`)
    /// (SECRETS-007). Additive in schema version 3: older files read `oidc`.
    pub cloud_auth: CloudAuth,
    /// Attest each image CI pushes: a signed build provenance and an SPDX SBOM, so anyone can
    /// check which workflow and commit made it (PIPELINE-023). Additive in schema version 3:
    /// older files read `true`.
    pub attest_images: bool,
    /// With `attest_images`, each Helm deploy first checks the image's provenance and SBOM with
    /// `gh attestation verify` and refuses an image this repository's CI did not build.
    pub verify_attestations: bool,
    /// Argo CD's settings, for environments delivered by GitOps (`environments[].delivery`).
    /// Additive in schema version 3.
    pub gitops: GitOps,
    pub jobs: Vec<Job>,
}

/// How Argo CD runs the environments delivered by GitOps (HELM-005, HELM-006).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GitOps {
    /// Namespace Argo CD is installed in: its Applications and AppProjects live there.
    pub argocd_namespace: String,
    /// Automated sync deletes what the deploy branch no longer holds.
    pub prune: bool,
    /// Automated sync undoes changes made to the cluster by hand (drift).
    pub self_heal: bool,
    /// Attempts of a failed sync, with backoff from 5 s up to 3 min; 0 never retries.
    pub retry_limit: u32,
}

impl Default for GitOps {
    fn default() -> Self {
        GitOps {
            argocd_namespace: "argocd".to_owned(),
            prune: true,
            self_heal: true,
            retry_limit: 5,
        }
    }
}

/// How a deploy job gets its cluster credentials (docs/schema.md#cloud-access).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CloudAuth {
    /// Short-lived AWS credentials from GitHub's OIDC token; no stored key.
    #[default]
    Oidc,
    /// The environment's `KUBECONFIG` secret: a credential that lives until someone revokes it.
    KubeconfigSecret,
}

impl Default for Pipeline {
    fn default() -> Self {
        Pipeline {
            triggers: Triggers::default(),
            paths: Vec::new(),
            skip_unchanged_services: true,
            cancel_in_progress: true,
            pin_actions_to_sha: true,
            registry: "ghcr.io".to_owned(),
            cloud_auth: CloudAuth::Oidc,
            attest_images: true,
            verify_attestations: true,
            gitops: GitOps::default(),
            jobs: Job::standard_set(),
        }
    }
}

/// CI on push and pull request to `main` and `dev`, weekly security scans (docs/defaults.md#ci-cd).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Triggers {
    pub push_branches: Vec<String>,
    pub pull_request_branches: Vec<String>,
    /// Cron schedule of the security workflow (UTC).
    pub security_schedule: String,
    /// Allow starting workflows by hand (`workflow_dispatch`).
    pub manual: bool,
}

impl Default for Triggers {
    fn default() -> Self {
        Triggers {
            push_branches: vec!["main".into(), "dev".into()],
            pull_request_branches: vec!["main".into(), "dev".into()],
            security_schedule: "0 0 * * 0".to_owned(),
            manual: true,
        }
    }
}

/// One job of the pipeline DAG.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Job {
    /// Job id in the workflow (`jobs.<id>`) and the name other jobs `need`.
    pub id: String,
    pub name: String,
    pub kind: JobKind,
    /// Language toolchain the job sets up; `None` means the project's runtime.
    pub runtime: Option<Runtime>,
    pub needs: Vec<String>,
    pub runs_on: String,
    /// Folder the job's commands run in.
    pub working_directory: String,
    /// Commands the job runs, in order; empty means the kind's defaults.
    pub commands: Vec<String>,
    pub matrix: Vec<MatrixAxis>,
    pub services: Vec<ServiceContainer>,
    pub cache: Cache,
    /// Target environment, for deploy and migrate jobs.
    pub environment: String,
    pub env: Vec<EnvVar>,
    pub timeout_minutes: u32,
}

impl Default for Job {
    fn default() -> Self {
        Job {
            id: "job".to_owned(),
            name: "Job".to_owned(),
            kind: JobKind::Test,
            runtime: None,
            needs: Vec::new(),
            runs_on: "ubuntu-latest".to_owned(),
            working_directory: ".".to_owned(),
            commands: Vec::new(),
            matrix: Vec::new(),
            services: Vec::new(),
            cache: Cache::default(),
            environment: String::new(),
            env: Vec::new(),
            timeout_minutes: 15,
        }
    }
}

impl Job {
    pub fn new(id: &str, kind: JobKind, needs: &[&str]) -> Self {
        Job {
            id: id.to_owned(),
            name: kind.label().to_owned(),
            kind,
            needs: needs.iter().map(|need| (*need).to_owned()).collect(),
            cache: Cache {
                enabled: kind.installs_dependencies(),
                ..Cache::default()
            },
            ..Job::default()
        }
    }

    /// The documented stage order: lint, test and security in parallel, then build, then
    /// staging and production deploys.
    pub fn standard_set() -> Vec<Job> {
        let mut deploy_staging = Job::new("deploy-staging", JobKind::Deploy, &["build"]);
        deploy_staging.name = "Deploy to staging".to_owned();
        deploy_staging.environment = "staging".to_owned();
        let mut deploy_production =
            Job::new("deploy-production", JobKind::Deploy, &["deploy-staging"]);
        deploy_production.name = "Deploy to production".to_owned();
        deploy_production.environment = "production".to_owned();
        vec![
            Job::new("lint", JobKind::Lint, &[]),
            Job::new("test", JobKind::Test, &[]),
            Job::new("security", JobKind::Security, &[]),
            Job::new("build", JobKind::Build, &["lint", "test", "security"]),
            deploy_staging,
            deploy_production,
        ]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum JobKind {
    Lint,
    #[default]
    Test,
    Security,
    Build,
    Deploy,
    Migrate,
    Smoke,
    Notify,
}

impl JobKind {
    /// Jobs that install the project's dependencies, and so benefit from a cache.
    pub fn installs_dependencies(self) -> bool {
        matches!(self, JobKind::Lint | JobKind::Test | JobKind::Security)
    }
}

/// One dimension of a job matrix, e.g. `node-version: [20, 22]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct MatrixAxis {
    pub name: String,
    pub values: Vec<String>,
}

/// A service container next to a job, e.g. PostgreSQL for integration tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceContainer {
    pub name: String,
    pub image: String,
    pub env: Vec<EnvVar>,
    pub ports: Vec<String>,
    /// Health command the job waits on before its steps start (e.g. `pg_isready`).
    pub health_cmd: String,
}

impl ServiceContainer {
    /// The presets' PostgreSQL test database (PIPELINE-016, docs/defaults.md#ci-cd).
    pub fn postgres() -> Self {
        ServiceContainer {
            name: "postgres".to_owned(),
            image: "postgres:15".to_owned(),
            env: vec![EnvVar::new("POSTGRES_PASSWORD", "test")],
            ports: vec!["5432:5432".to_owned()],
            health_cmd: "pg_isready".to_owned(),
        }
    }
}

/// Dependency cache of a job, keyed on the lockfile hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cache {
    pub enabled: bool,
    /// Cached folders; empty means the package manager's own cache folder.
    pub paths: Vec<String>,
    /// Files whose hash keys the cache; empty means the project's lockfile.
    pub key_files: Vec<String>,
    /// Fall back to the newest cache with the same prefix when the key misses.
    pub restore_keys: bool,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            enabled: true,
            paths: Vec::new(),
            key_files: Vec::new(),
            restore_keys: true,
        }
    }
}
