//! GitHub Actions workflows: `ci.yml` (checks, image build and push), `deploy.yml` (Helm
//! deploys of the image CI built, staging then production, called by CI), `rollback.yml` (the
//! manual way back) and `security.yml` (the weekly scan), and `dependabot.yml`, which keeps their pins current. This module holds what the three share: the pinned action table, the toolchain,
//! cache and audit steps, and the helpers that keep design text inert.
//!
//! Safety model: every string from the design reaches the workflow through the typed YAML
//! writer (so it cannot add a key or a step) and through `inert` (so a `${{` in it is never
//! evaluated by Actions). Names that become YAML keys or expression operands (job ids, env
//! names, branch names in `if:`) are reduced to safe characters instead.

mod analysis;
mod changes;
pub mod ci;
pub mod dependabot;
pub mod deploy;
pub mod jobs;
pub mod rollback;
pub mod security;

use crate::facts::cloud;
pub(crate) use crate::facts::deploys::{
    deploys_by_digest, pushes_digests, pushes_image, pushes_service_image, verifies_images,
};
use crate::facts::jobs::{job_manager, job_runtime, job_service};
pub(crate) use crate::facts::naming::registry_host;
use crate::facts::naming::{chart_name, reference_char, registry};
use crate::formats::yaml::{Map, Node};
use crate::model::{Design, Job, PackageManager, Runtime, Service};

/// An action the workflows use. [`ActionRef::pin`] is the single table of versions: the
/// release tag and the commit SHA that tag points at (looked up from public workflows that
/// pin the same release, never guessed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionRef {
    Checkout,
    SetupNode,
    SetupPython,
    SetupGo,
    SetupJava,
    Cache,
    UploadArtifact,
    SetupBuildx,
    BuildPush,
    Login,
    Trivy,
    UploadSarif,
    SetupHelm,
    AwsCredentials,
    AttestProvenance,
    Sbom,
    AttestSbom,
    EcrLogin,
}

impl ActionRef {
    pub const ALL: [ActionRef; 18] = [
        ActionRef::Checkout,
        ActionRef::SetupNode,
        ActionRef::SetupPython,
        ActionRef::SetupGo,
        ActionRef::SetupJava,
        ActionRef::Cache,
        ActionRef::UploadArtifact,
        ActionRef::SetupBuildx,
        ActionRef::BuildPush,
        ActionRef::Login,
        ActionRef::Trivy,
        ActionRef::UploadSarif,
        ActionRef::SetupHelm,
        ActionRef::AwsCredentials,
        ActionRef::AttestProvenance,
        ActionRef::Sbom,
        ActionRef::AttestSbom,
        ActionRef::EcrLogin,
    ];

    /// `(action, release tag, commit SHA of that release)`. VALID-017: current majors
    /// of the official actions, third-party actions on a release, never `@master`.
    pub fn pin(self) -> (&'static str, &'static str, &'static str) {
        match self {
            ActionRef::Checkout => (
                "actions/checkout",
                "v4.2.2",
                "11bd71901bbe5b1630ceea73d27597364c9af683",
            ),
            ActionRef::SetupNode => (
                "actions/setup-node",
                "v4.4.0",
                "49933ea5288caeca8642d1e84afbd3f7d6820020",
            ),
            ActionRef::SetupPython => (
                "actions/setup-python",
                "v5.6.0",
                "a26af69be951a213d495a4c3e4e4022e16d87065",
            ),
            ActionRef::SetupGo => (
                "actions/setup-go",
                "v5.5.0",
                "d35c59abb061a4a6fb18e82ac0862c26744d6ab5",
            ),
            ActionRef::SetupJava => (
                "actions/setup-java",
                "v4.7.1",
                "c5195efecf7bdfc987ee8bae7a71cb8b11521c00",
            ),
            ActionRef::Cache => (
                "actions/cache",
                "v4.2.3",
                "5a3ec84eff668545956fd18022155c47e93e2684",
            ),
            ActionRef::UploadArtifact => (
                "actions/upload-artifact",
                "v4.6.2",
                "ea165f8d65b6e75b540449e92b4886f43607fa02",
            ),
            ActionRef::SetupBuildx => (
                "docker/setup-buildx-action",
                "v3.10.0",
                "b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2",
            ),
            ActionRef::BuildPush => (
                "docker/build-push-action",
                "v6.18.0",
                "263435318d21b8e681c14492fe198d362a7d2c83",
            ),
            ActionRef::Login => (
                "docker/login-action",
                "v3.4.0",
                "74a5d142397b4f367a81961eba4e8cd7edddf772",
            ),
            // Tags before 0.35.0 were force-pushed to a credential stealer in March 2026 and
            // re-created with a `v` prefix; v0.36.0 is a release made after the incident.
            ActionRef::Trivy => (
                "aquasecurity/trivy-action",
                "v0.36.0",
                "ed142fd0673e97e23eac54620cfb913e5ce36c25",
            ),
            ActionRef::UploadSarif => (
                "github/codeql-action/upload-sarif",
                "v3.28.18",
                "ff0a06e83cb2de871e5a09832bc6a81e7276941f",
            ),
            ActionRef::SetupHelm => (
                "azure/setup-helm",
                "v4.3.0",
                "b9e51907a09c216f16ebe8536097933489208112",
            ),
            ActionRef::AwsCredentials => (
                "aws-actions/configure-aws-credentials",
                "v6.1.0",
                "ec61189d14ec14c8efccab744f656cffd0e33f37",
            ),
            ActionRef::AttestProvenance => (
                "actions/attest-build-provenance",
                "v4.1.1",
                "0f67c3f4856b2e3261c31976d6725780e5e4c373",
            ),
            ActionRef::Sbom => (
                "anchore/sbom-action",
                "v0.24.0",
                "e22c389904149dbc22b58101806040fa8d37a610",
            ),
            // The SBOM attestation. `actions/attest-sbom` v4 is a deprecated wrapper that warns
            // on every run and calls this same commit with the same inputs.
            ActionRef::AttestSbom => (
                "actions/attest",
                "v4.1.0",
                "59d89421af93a897026c735860bf21b6eb4f7b26",
            ),
            ActionRef::EcrLogin => (
                "aws-actions/amazon-ecr-login",
                "v2.1.7",
                "03f1aad4c6c7ffd436567f42f9384779290529bd",
            ),
        }
    }
}

/// A `uses:` step: `uses` pinned to the tag, or to the full commit SHA with the tag as a
/// trailing comment when the design asks for SHA pins (Dependabot and Renovate read it).
pub(crate) fn uses(design: &Design, name: &str, action: ActionRef) -> Map {
    pinned(Map::new().entry("name", inert(name)), design, action)
}

/// Appends the pinned `uses:` of `action` to a step that already has its name (and `if:`).
pub(crate) fn pinned(step: Map, design: &Design, action: ActionRef) -> Map {
    let (path, tag, sha) = action.pin();
    if design.pipeline.pin_actions_to_sha {
        step.entry("uses", format!("{path}@{sha}")).trailing(tag)
    } else {
        step.entry("uses", format!("{path}@{tag}"))
    }
}

/// A `run:` step with a literal block script. `script` is generator text or design text; in
/// both cases `${{` is neutralised so Actions never evaluates it.
pub(crate) fn run(name: &str, script: &str) -> Map {
    Map::new()
        .entry("name", inert(name))
        .entry("run", block(script))
}

/// A `run:` script as a literal block: YAML keeps it verbatim, so no quoting rule of the
/// shell can collide with one of YAML's.
pub(crate) fn block(script: &str) -> Node {
    let mut text = inert(script.trim_end_matches('\n'));
    text.push('\n');
    Node::Str(text)
}

/// Design text made inert for Actions: every `${{` becomes the expression `${{ '$' }}` followed
/// by a literal `{{`, which Actions renders back as the original characters without
/// evaluating anything. A command such as `echo ${{ secrets.TOKEN }}` therefore reaches the
/// shell as written (where it fails as a bad substitution) instead of leaking the secret.
pub(crate) fn inert(text: &str) -> String {
    text.replace("${{", "${{ '$' }}{{")
}

/// An env value from the design: a plain reference to a secret or variable
/// (`${{ secrets.NAME }}`, `${{ vars.NAME }}`) is kept as that reference, rebuilt from its
/// validated parts; anything else is inert text (SECRETS-002).
pub(crate) fn env_value(value: &str) -> String {
    reference(value).unwrap_or_else(|| inert(value))
}

/// `${{ secrets.NAME }}`, `${{ vars.NAME }}` or `${{ matrix.NAME }}` rebuilt from a design
/// value that is exactly that. A matrix value is one of the design's own axis values, and an
/// env value is data to the shell, never code.
pub(crate) fn reference(value: &str) -> Option<String> {
    let inner = value.trim().strip_prefix("${{")?.strip_suffix("}}")?.trim();
    let (context, name) = inner.split_once('.')?;
    let dash = context == "matrix";
    let valid_name = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || (dash && c == '-'));
    (matches!(context, "secrets" | "vars" | "matrix") && valid_name)
        .then(|| format!("${{{{ {context}.{name} }}}}"))
}

/// A string literal for an Actions expression (`'main'`), from text reduced to the
/// characters Git branch names normally use, so it can neither close the literal nor the
/// expression.
pub(crate) fn expression_literal(text: &str) -> String {
    let safe = crate::text::keep(text.trim(), |c| {
        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')
    });
    format!("'{safe}'")
}

/// Job ids for a list of jobs: `[A-Za-z_][A-Za-z0-9_-]*`, unique, as close to the design's id
/// as possible (`Deploy prod!` becomes `Deploy-prod`).
pub(crate) fn job_ids(jobs: &[&Job]) -> Vec<String> {
    job_ids_besides(jobs, &[])
}

/// [`job_ids`] that also keep clear of the ids of generated jobs (`changes`, `ci-passed`).
pub(crate) fn job_ids_besides(jobs: &[&Job], reserved: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::with_capacity(jobs.len());
    // Actions compares job ids without case.
    let mut taken: std::collections::HashSet<String> =
        reserved.iter().map(|id| id.to_ascii_lowercase()).collect();
    for job in jobs {
        let mut id = String::new();
        for c in job.id.trim().chars() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                id.push(c);
            } else if !id.ends_with('-') && !id.is_empty() {
                id.push('-');
            }
        }
        let mut id = id.trim_end_matches('-').to_owned();
        if id.is_empty() {
            id = job.kind.id().to_owned();
        } else if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            id.insert_str(0, "job-");
        }
        let base = id.clone();
        let mut n = 2;
        while taken.contains(&id.to_ascii_lowercase()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(id.to_ascii_lowercase());
        ids.push(id);
    }
    ids
}

/// The `needs` of each job among `jobs`, as indices into `jobs`: needs on jobs outside the
/// list are dropped, and so is any need that would close a cycle (Actions rejects cyclic
/// graphs; PIPELINE-008 reports the design's own loops).
pub(crate) fn needs_graph(jobs: &[&Job]) -> Vec<Vec<usize>> {
    let mut graph: Vec<Vec<usize>> = vec![Vec::new(); jobs.len()];
    let by_id = crate::facts::needs::positions_by_id(jobs.iter().copied());
    for (from, job) in jobs.iter().enumerate() {
        for need in &job.needs {
            let Some(&to) = by_id.get(need.as_str()) else {
                continue;
            };
            if to == from || graph[from].contains(&to) || reaches(&graph, to, from) {
                continue;
            }
            graph[from].push(to);
        }
    }
    graph
}

/// Whether `from` depends on `target` through `graph`.
pub(crate) fn reaches(graph: &[Vec<usize>], from: usize, target: usize) -> bool {
    let mut stack = vec![from];
    let mut seen = vec![false; graph.len()];
    while let Some(current) = stack.pop() {
        if current == target {
            return true;
        }
        if std::mem::replace(&mut seen[current], true) {
            continue;
        }
        stack.extend(graph[current].iter().copied());
    }
    false
}

/// The name of the output that carries the digest CI pushed for the service at `index`: the
/// build step's, the build job's and deploy.yml's input.
pub(crate) fn digest_key(design: &Design, index: usize) -> String {
    match design.services.len() {
        1 => "digest".to_owned(),
        _ => format!(
            "digest_{}",
            chart_name(&design.services[index]).replace('-', "_")
        ),
    }
}

/// The image repository of a service, e.g. `ghcr.io/acme/node-api`: the design's registry and
/// repository slug, lowercase (registries reject uppercase) and reduced to reference
/// characters. A design with several services gets one repository per service under that
/// path (`ghcr.io/acme/shop/api`), named after its chart.
pub(crate) fn image_repository(design: &Design, service: &Service) -> String {
    let path: Vec<String> = design
        .repository
        .slug
        .to_ascii_lowercase()
        .split('/')
        .map(|part| {
            crate::text::keep(part, reference_char)
                .trim_matches(['.', '-', '_'])
                .to_owned()
        })
        .filter(|part| !part.is_empty())
        .collect();
    let path = if path.is_empty() {
        crate::text::identifier(&design.project.name, "app")
    } else {
        path.join("/")
    };
    let base = format!("{}/{path}", registry(design));
    if design.services.len() > 1 {
        format!("{base}/{}", chart_name(service))
    } else {
        base
    }
}

/// The workflow env variable that holds each service's image repository (by index in
/// `design.services`): `IMAGE_REPOSITORY` for a one-service design, else
/// `IMAGE_REPOSITORY_<NAME>` (the chart name in env-name characters, unique).
pub(crate) fn image_variables(design: &Design) -> Vec<String> {
    if design.services.len() <= 1 {
        return vec!["IMAGE_REPOSITORY".to_owned(); design.services.len()];
    }
    let mut names: Vec<String> = Vec::with_capacity(design.services.len());
    for service in &design.services {
        let suffix = chart_name(service).to_ascii_uppercase().replace('-', "_");
        let base = crate::text::env_name(&format!("IMAGE_REPOSITORY_{suffix}"));
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The first web service the environments' URLs point at: one behind a Kubernetes Ingress,
/// else any web service.
pub(crate) fn primary_web_service(design: &Design) -> Option<&Service> {
    design
        .services
        .iter()
        .find(|service| {
            service.kind.is_web()
                && service.kubernetes.enabled
                && service.kubernetes.ingress.enabled
        })
        .or_else(|| design.services.iter().find(|service| service.kind.is_web()))
}

pub(crate) use crate::facts::deploys::deploy_order;

/// How a deploy job reaches AWS before it reads the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AwsRole {
    /// None: the job logs in with [`login`].
    None,
    /// Its environment's deploy role, assumed earlier in the job, which may read the images.
    Deploy,
    /// Its environment's image read role, assumed by the login steps themselves.
    ImageRead,
}

/// The steps that log in to the design's registry for a deploy job that reads it. For a
/// keyless Amazon ECR: `amazon-ecr-login` with the deploy role's credentials the job already
/// holds, or, for a job without one (a GitOps promotion, a deploy with a `KUBECONFIG` secret),
/// after trading GitHub's OIDC token for one-hour credentials of its environment's image read
/// role. Otherwise [`login`].
pub(crate) fn registry_login(design: &Design, role: AwsRole) -> Vec<Node> {
    let ecr = cloud::ecr(design).filter(|_| cloud::keyless_registry(design));
    match (ecr, role) {
        (Some(_), AwsRole::Deploy) => vec![ecr_login(design).into()],
        (Some(ecr), AwsRole::ImageRead) => vec![
            aws_credentials(
                design,
                cloud::READ_ROLE_VARIABLE,
                "This environment's image read role (infra/ output image_read_role_arn), which trusts only this repository's jobs in this environment and may only read the services' images: no stored key (SECRETS-007, CONSIST-005).",
                ecr.region,
            ),
            ecr_login(design).into(),
        ],
        _ => vec![login(design).into()],
    }
}

/// The steps that log in to push (CI's build) or read (the weekly scan) from the default or an
/// image branch: for a keyless Amazon ECR, GitHub's OIDC token buys one-hour credentials of the
/// image push role and `amazon-ecr-login` trades them for a registry login; otherwise
/// [`login`].
pub(crate) fn push_login(design: &Design) -> Vec<Node> {
    let Some(ecr) = cloud::ecr(design).filter(|_| cloud::keyless_registry(design)) else {
        return vec![login(design).into()];
    };
    vec![
        aws_credentials(
            design,
            cloud::PUSH_ROLE_VARIABLE,
            "The image push role (infra/ output image_push_role_arn), which trusts only this repository's runs on the branches CI pushes images from and may push only to the services' repositories: no stored key (SECRETS-007, CONSIST-005).",
            ecr.region,
        ),
        ecr_login(design).into(),
    ]
}

/// The step that trades GitHub's OIDC token for one-hour credentials of the role whose ARN is
/// the variable `role_variable`; `role` says which role that is (written beside it).
pub(crate) fn aws_credentials(
    design: &Design,
    role_variable: &str,
    role: &str,
    region: String,
) -> Node {
    let with = Map::new()
        .entry("role-to-assume", format!("${{{{ vars.{role_variable} }}}}"))
        .note(role)
        .entry("aws-region", region);
    uses(
        design,
        "Get short-lived AWS credentials",
        ActionRef::AwsCredentials,
    )
    .entry("with", with)
    .into()
}

/// `amazon-ecr-login`, with the AWS credentials an earlier step of the job got: the Docker
/// login it writes lasts twelve hours and holds no stored key.
fn ecr_login(design: &Design) -> Map {
    let account = cloud::ecr(design)
        .map(|ecr| ecr.account)
        .unwrap_or_default();
    uses(design, "Log in to the registry", ActionRef::EcrLogin).entry(
        "with",
        Map::new()
            .entry("registries", account)
            .trailing("the registry's AWS account"),
    )
}

/// The step that logs in to the design's registry with [`registry_credentials`].
pub(crate) fn login(design: &Design) -> Map {
    let (username, password) = registry_credentials(design);
    uses(design, "Log in to the registry", ActionRef::Login).entry(
        "with",
        Map::new()
            .entry("registry", registry_host(design))
            .entry("username", username)
            .entry("password", password),
    )
}

/// Credentials for the registry: GitHub's own token for ghcr.io (scoped by the job's
/// `packages:` permission), repository secrets for any other registry (SECRETS-002).
pub(crate) fn registry_credentials(design: &Design) -> (String, String) {
    if registry_host(design) == "ghcr.io" {
        (
            "${{ github.actor }}".to_owned(),
            "${{ secrets.GITHUB_TOKEN }}".to_owned(),
        )
    } else {
        (
            "${{ secrets.REGISTRY_USERNAME }}".to_owned(),
            "${{ secrets.REGISTRY_PASSWORD }}".to_owned(),
        )
    }
}

/// The `actions/checkout` step. `persist-credentials: false` keeps the job token out of
/// `.git/config`, where every later step (and any script a dependency runs) could read it.
pub(crate) fn checkout(design: &Design, git_ref: Option<&str>) -> Map {
    let with = Map::new()
        .optional("ref", git_ref)
        .entry("persist-credentials", false);
    uses(design, "Check out", ActionRef::Checkout).entry("with", with)
}

/// The folder a job works in, as written in the workflow (`None` for the repository root).
pub(crate) fn working_directory(job: &Job) -> Option<String> {
    let dir = folder(&job.working_directory);
    (dir != ".").then_some(dir)
}

/// A repository folder as a workflow path: `.` for the root, inert text otherwise.
pub(crate) fn folder(dir: &str) -> String {
    let dir = dir.trim();
    let dir = dir.strip_prefix("./").unwrap_or(dir).trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        ".".to_owned()
    } else {
        inert(dir)
    }
}

/// A matrix axis that lists versions of `runtime` (`node-version`, `python`, `jdk`), as in
/// PIPELINE-017.
pub(crate) fn version_axis(job: &Job, runtime: Runtime) -> Option<String> {
    job.matrix
        .iter()
        .map(|axis| matrix_axis_name(&axis.name))
        .find(|name| {
            let lower = name.to_ascii_lowercase();
            lower.contains("version")
                || lower == runtime.id()
                || (runtime == Runtime::Java && lower == "jdk")
        })
}

/// A matrix axis name usable in `${{ matrix.<name> }}`.
pub(crate) fn matrix_axis_name(name: &str) -> String {
    let mut out = crate::text::keep(name.trim(), |c| {
        c.is_ascii_alphanumeric() || c == '-' || c == '_'
    });
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The language version a job sets up: its matrix axis when it has one, else its service's
/// version (or the language default for a job in another language).
pub(crate) fn runtime_version(design: &Design, job: &Job) -> String {
    let runtime = job_runtime(design, job);
    if let Some(axis) = version_axis(job, runtime) {
        return format!("${{{{ matrix.{axis} }}}}");
    }
    let version = match own_service(design, job) {
        Some(service) => service.runtime_version.trim(),
        None => runtime.default_version(),
    };
    if version.is_empty() {
        inert(runtime.default_version())
    } else {
        inert(version)
    }
}

/// Steps that install the job's language toolchain and its package manager.
pub(crate) fn toolchain_steps(design: &Design, job: &Job) -> Vec<Node> {
    let runtime = job_runtime(design, job);
    let manager = job_manager(design, job);
    let version = runtime_version(design, job);
    let mut steps: Vec<Node> = Vec::new();
    match runtime {
        Runtime::Node => {
            steps.push(
                uses(design, "Set up Node.js", ActionRef::SetupNode)
                    .entry("with", Map::new().entry("node-version", version))
                    .into(),
            );
            if manager == PackageManager::Pnpm {
                steps.push(run("Enable pnpm (Corepack)", "corepack enable").into());
            }
        }
        Runtime::Python => {
            steps.push(
                uses(design, "Set up Python", ActionRef::SetupPython)
                    .entry("with", Map::new().entry("python-version", version))
                    .into(),
            );
            if manager == PackageManager::Poetry {
                steps.push(run("Install Poetry", "pipx install poetry").into());
            }
        }
        Runtime::Go => steps.push(
            uses(design, "Set up Go", ActionRef::SetupGo)
                .entry(
                    "with",
                    Map::new()
                        .entry("go-version", version)
                        .entry("cache", false)
                        .note("The explicit actions/cache step below caches the modules."),
                )
                .into(),
        ),
        Runtime::Rust => steps.push(
            run(
                "Set up Rust",
                "rustup toolchain install \"$RUST_TOOLCHAIN\" --profile minimal --component rustfmt --component clippy\nrustup default \"$RUST_TOOLCHAIN\"",
            )
            .entry("env", Map::new().entry("RUST_TOOLCHAIN", version))
            .into(),
        ),
        Runtime::Java => steps.push(
            uses(design, "Set up Java", ActionRef::SetupJava)
                .entry(
                    "with",
                    Map::new()
                        .entry("distribution", "temurin")
                        .entry("java-version", version),
                )
                .into(),
        ),
    }
    steps
}

/// The package manager's own download cache (CACHE-005): what makes a lockfile-exact install
/// fast without caching `node_modules`, which `npm ci` deletes anyway (A11).
fn download_cache_paths(manager: PackageManager) -> &'static [&'static str] {
    match manager {
        PackageManager::Npm => &["~/.npm"],
        PackageManager::Pnpm => &["~/.local/share/pnpm/store"],
        PackageManager::Yarn => &["~/.cache/yarn"],
        PackageManager::Poetry => &["~/.cache/pypoetry"],
        PackageManager::Pip => &["~/.cache/pip"],
        PackageManager::GoModules => &["~/go/pkg/mod", "~/.cache/go-build"],
        PackageManager::Cargo => &[
            "~/.cargo/registry/index",
            "~/.cargo/registry/cache",
            "~/.cargo/git/db",
        ],
        PackageManager::Maven => &["~/.m2/repository"],
        PackageManager::Gradle => &["~/.gradle/caches", "~/.gradle/wrapper"],
    }
}

/// A `hashFiles()` pattern reduced to path and glob characters, so it cannot end the string
/// literal or the expression it sits in.
fn hash_pattern(path: &str) -> String {
    crate::text::keep(path.trim(), |c| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '*' | '?' | '!')
    })
}

/// The service a job works on, when the job is in that service's language (so its version,
/// lockfile and commands apply).
pub(crate) fn own_service<'a>(design: &'a Design, job: &Job) -> Option<&'a Service> {
    job_service(design, job)
        .map(|(_, service)| service)
        .filter(|service| service.runtime == job_runtime(design, job))
}

/// The files whose hash keys a job's cache: its own key files, or its service's lockfile in the
/// service folder.
fn cache_key_files(design: &Design, job: &Job) -> Vec<String> {
    let files: Vec<String> = if job.cache.key_files.is_empty() {
        let directory =
            job_service(design, job).map_or("", |(_, service)| service.directory.trim_matches('/'));
        let lockfile = match own_service(design, job) {
            Some(service) => service.lockfile.clone(),
            None => job_manager(design, job).lockfile().to_owned(),
        };
        vec![if directory.is_empty() || directory == "." {
            lockfile
        } else {
            format!("{directory}/{lockfile}")
        }]
    } else {
        job.cache.key_files.clone()
    };
    files
        .iter()
        .map(|file| hash_pattern(file))
        .filter(|file| !file.is_empty())
        .collect()
}

/// The dependency cache step of a job (CACHE-001..005, CACHE-007): one `actions/cache` step
/// before the install, keyed on the OS, the package manager and the lockfile hash, with the
/// prefix as restore key so a lockfile change still starts from the last cache.
pub(crate) fn cache_step(design: &Design, job: &Job) -> Option<Map> {
    if !job.cache.enabled || !job.kind.installs_dependencies() {
        return None;
    }
    let manager = job_manager(design, job);
    let files = cache_key_files(design, job);
    if files.is_empty() {
        return None;
    }
    let mut paths: Vec<String> = download_cache_paths(manager)
        .iter()
        .map(|path| (*path).to_owned())
        .collect();
    for path in &job.cache.paths {
        let path = inert(path.trim());
        if !path.is_empty() && !paths.contains(&path) {
            paths.push(path);
        }
    }
    let quoted: Vec<String> = files.iter().map(|file| format!("'{file}'")).collect();
    let prefix = format!("${{{{ runner.os }}}}-{}-", manager.id());
    let key = format!("{prefix}${{{{ hashFiles({}) }}}}", quoted.join(", "));
    let mut with = Map::new()
        .entry("path", paths.join("\n") + "\n")
        .entry("key", key)
        .note("The lockfile hash changes exactly when the dependencies do (CACHE-002, CACHE-003).");
    if job.cache.restore_keys {
        with = with
            .entry("restore-keys", prefix + "\n")
            .note("A miss falls back to the newest cache of this OS and tool (CACHE-004).");
    }
    Some(uses(design, "Cache dependencies", ActionRef::Cache).entry("with", with))
}

/// Environment a job's toolchain needs: Poetry keeps its virtualenv in the project (`.venv`),
/// where the cache and `poetry run` find it.
pub(crate) fn toolchain_env(design: &Design, job: &Job) -> Option<(&'static str, &'static str)> {
    (job_manager(design, job) == PackageManager::Poetry)
        .then_some(("POETRY_VIRTUALENVS_IN_PROJECT", "true"))
}

/// The dependency audit of a package manager (PIPELINE-005): fails on known vulnerabilities
/// of high severity or above. The tool is installed in the same script when the runner does
/// not ship it.
pub(crate) fn audit_script(manager: PackageManager) -> &'static str {
    match manager {
        PackageManager::Npm => "npm audit --audit-level=high",
        PackageManager::Pnpm => "pnpm audit --audit-level high",
        PackageManager::Yarn => "yarn audit --level high",
        PackageManager::Poetry => {
            "poetry run pip install --quiet pip-audit\npoetry run pip-audit --skip-editable"
        }
        PackageManager::Pip => {
            "python -m pip install --quiet pip-audit\npython -m pip_audit -r requirements.txt"
        }
        PackageManager::GoModules => "go run golang.org/x/vuln/cmd/govulncheck@v1.1.4 ./...",
        PackageManager::Cargo => {
            "cargo +stable install cargo-audit --locked --version 0.22.2\ncargo audit"
        }
        PackageManager::Maven => {
            "./mvnw -B org.owasp:dependency-check-maven:check -DfailBuildOnCVSS=7 -DnvdApiKey=\"$NVD_API_KEY\""
        }
        PackageManager::Gradle => "./gradlew dependencyCheckAnalyze",
    }
}

/// Whether the audit reads the installed environment (so the install must run first).
pub(crate) fn audit_needs_install(manager: PackageManager) -> bool {
    matches!(manager, PackageManager::Poetry | PackageManager::Pip)
}

/// The audit step, with the secrets its tool reads passed through `env`.
pub(crate) fn audit_step(manager: PackageManager) -> Map {
    let step = run("Audit dependencies", audit_script(manager));
    if matches!(manager, PackageManager::Maven) {
        step.entry(
            "env",
            Map::new()
                .entry("NVD_API_KEY", "${{ secrets.NVD_API_KEY }}")
                .note("The NVD rate-limits anonymous downloads of the vulnerability database."),
        )
    } else {
        step
    }
}

/// Job-level `env` entries from the design: names reduced to env-name characters, values
/// kept as secret references or made inert.
pub(crate) fn design_env(job: &Job, extra: &[(&str, String)]) -> Map {
    let mut env = Map::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in extra {
        seen.push((*name).to_owned());
        env.push(*name, value.clone());
    }
    for variable in &job.env {
        let name = crate::text::env_name(variable.name.trim());
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        // Service containers are reached on localhost from the job: their credentials are
        // throwaway ones.
        let local: Vec<&str> = ["localhost", "127.0.0.1"]
            .into_iter()
            .chain(job.services.iter().map(|service| service.name.as_str()))
            .collect();
        if crate::secrets::withheld_unless_local(&name, &variable.value, &local) {
            // A literal secret in the design: read it from the repository's secrets instead.
            let secret = name.to_ascii_uppercase();
            env.push(name.clone(), format!("${{{{ secrets.{secret} }}}}"));
        } else {
            env.push(name, env_value(&variable.value));
        }
    }
    env
}

/// A step-name for a command: its first line, shortened.
pub(crate) fn command_label(command: &str) -> String {
    let first = command.lines().next().unwrap_or("").trim();
    let first = crate::text::single_line(first);
    let short: String = first.chars().take(60).collect();
    if short.len() < first.len() {
        format!("Run {short}…")
    } else {
        format!("Run {short}")
    }
}

/// Comments that teach, wrapped to lines a reviewer reads without scrolling.
pub(crate) trait Teach {
    /// Adds `text` as comment lines above the entry added last.
    fn note(self, text: &str) -> Self;
}

impl Teach for Map {
    fn note(self, text: &str) -> Map {
        wrap(text)
            .into_iter()
            .fold(self, |map, line| map.comment(line))
    }
}

/// Splits text at spaces into lines of at most 96 characters (longer words stay whole).
pub(crate) fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in crate::text::single_line(text).split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > 96 {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A file header from paragraphs, wrapped like [`Teach::note`].
pub(crate) fn header(paragraphs: &[&str]) -> Vec<String> {
    paragraphs.iter().flat_map(|text| wrap(text)).collect()
}

#[cfg(test)]
mod tests;
