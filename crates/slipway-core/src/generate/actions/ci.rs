//! `.github/workflows/ci.yml`: the design's lint, test, security and build jobs, with the
//! triggers, caches, scans and permissions the catalog asks for.

use super::changes;
use super::deploy;
use super::jobs::{deploys, image_branches, is_ci_job, CI_WORKFLOW_NAME};
use super::{
    audit_step, block, cache_step, checkout, command_label, design_env, image_repository,
    image_variables, inert, job_ids, job_ids_besides, matrix_axis_name, needs_graph, pinned,
    pushes_digests, pushes_image, pushes_service_image, run, toolchain_env, toolchain_steps, uses,
    working_directory, ActionRef, Teach,
};
use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::changes::{per_service_runs, ServiceFiles, CHANGES_JOB, GATE_JOB};
use crate::facts::cloud;
use crate::facts::deploys::something_deploys;
use crate::facts::jobs::{job_commands, job_manager, job_runtime, owning_service};
use crate::facts::naming::{chart_name, dockerfile_path, service_folder};
use crate::formats::yaml::{document, Map, Node};
use crate::model::{Design, Job, JobKind, Runtime};

/// Path of the generated workflow.
pub const PATH: &str = ".github/workflows/ci.yml";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    vec![GeneratedFile::new(PATH, Syntax::Yaml, render(design))]
}

/// The README's steps for `ci.yml` (Markdown), and what deploys the checked code: when
/// nothing does, the README says so plainly.
pub fn how_to_apply(design: &Design) -> Option<String> {
    let repositories: Vec<String> = design
        .services
        .iter()
        .map(|service| format!("`{}`", image_repository(design, service)))
        .collect();
    let registry = repositories.join(", ");
    let mut out = if super::registry_host(design) == "ghcr.io" {
        format!("Commit `.github/workflows/ci.yml`. It needs no secrets: the build pushes to {registry} with the job's own `GITHUB_TOKEN`.")
    } else if cloud::keyless_registry(design) {
        let mut text = format!(
            "Commit `.github/workflows/ci.yml`. It needs no secrets: the build pushes to {registry} with one-hour credentials of the image push role, which GitHub's OIDC token buys (SECRETS-007). Set the repository variable `{}` (Settings → Secrets and variables → Actions → Variables) to `terraform output -raw image_push_role_arn` of the state that creates the image repositories; the role trusts only this repository's runs on the branches {} (CI's pushes, the weekly image scan) and may push only to those repositories.",
            cloud::PUSH_ROLE_VARIABLE,
            image_branches(design).iter().map(|branch| crate::formats::markdown::escape(branch)).collect::<Vec<_>>().join(", ")
        );
        if deploy::reads_registry_with_secrets(design) {
            text.push_str(" A deploy job to an environment the design does not declare has no role to read the registry with (no Terraform state creates one, CONSIST-005): it logs in with the repository secrets `REGISTRY_USERNAME` and `REGISTRY_PASSWORD`.");
        }
        text
    } else {
        format!("Commit `.github/workflows/ci.yml`. The build pushes to {registry} with the repository secrets `REGISTRY_USERNAME` and `REGISTRY_PASSWORD`: create them first.")
    };
    out.push_str(" Then make the checks required in branch protection (Settings → Branches, or the branch-protection export) so nothing merges red.");
    if design.pipeline.attest_images && super::deploys_by_digest(design) {
        out.push_str(" Each image it pushes gets two signed attestations pushed to the registry beside it, its build provenance and its SPDX SBOM (also kept as a run artifact), and the deploy runs it by digest; check one with `gh attestation verify oci://IMAGE@DIGEST --repo OWNER/REPO`, adding `--predicate-type https://spdx.dev/Document/v2.3` for the SBOM (PIPELINE-023).");
    }
    if !something_deploys(design) {
        out.push_str(if design.uses_kubernetes() {
            "\n\n**Nothing deploys this design:** the pipeline has no deploy job, so no deploy workflow is generated and the Helm chart is only installed by hand. Add a deploy job (kind `deploy`, an environment, `needs: [build]`) and export again to get one (PIPELINE-022)."
        } else {
            "\n\n**Nothing deploys this design:** neither Kubernetes nor Railway is a target, so CI checks the code and deploys nothing. Turn one of them on (with a deploy job for Kubernetes) and export again to get a deploy."
        });
    }
    Some(out)
}

/// The one job of a design without lint, test, security or build jobs: a workflow needs a job,
/// and a CI that checks nothing must not pass (PIPELINE-002, PIPELINE-003, PIPELINE-005).
fn no_checks_job() -> Map {
    Map::new()
        .entry("name", "No checks")
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 1u32)
        .entry(
            "steps",
            vec![Map::new().entry("name", "The design has no checks").entry(
                "run",
                "echo \"::error::The design has no lint, test, security or build job; add them in Slipway and export again.\"\nexit 1\n",
            )],
        )
        .note("Fails on purpose: the design defines no CI job, so nothing would be checked.")
}

fn render(design: &Design) -> String {
    let jobs: Vec<(usize, &Job)> = design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| is_ci_job(job))
        .collect();
    let job_refs: Vec<&Job> = jobs.iter().map(|(_, job)| *job).collect();
    // Some only when the design has CI jobs (`facts::changes::has_gate`).
    let services = per_service_runs(design);
    let calls_deploy = deploys(design) && !jobs.is_empty();
    let mut reserved: Vec<&str> = Vec::new();
    if services.is_some() {
        reserved.extend([CHANGES_JOB, GATE_JOB]);
    }
    if calls_deploy {
        reserved.push(deploy::CALL_JOB);
    }
    let ids = if reserved.is_empty() {
        job_ids(&job_refs)
    } else {
        job_ids_besides(&job_refs, &reserved)
    };
    let graph = needs_graph(&job_refs);
    let has_build = jobs.iter().any(|(_, job)| job.kind == JobKind::Build);

    let mut root = Map::new()
        .entry("name", CI_WORKFLOW_NAME)
        .entry("on", triggers(design))
        .gap()
        .entry("permissions", Map::new())
        .note("No token permissions by default; each job asks for the least it needs.")
        .gap()
        .entry(
            "concurrency",
            Map::new()
                .entry("group", "${{ github.workflow }}-${{ github.ref }}")
                .entry(
                    "cancel-in-progress",
                    cancel_in_progress(design, calls_deploy),
                ),
        )
        .note(if calls_deploy && design.pipeline.cancel_in_progress {
            "A newer commit on the same branch or pull request cancels the run it replaces \
             (PIPELINE-015), except a push to a deploy branch: that run deploys, and a deploy \
             is never cancelled halfway (A20); the newer run waits for it."
        } else if calls_deploy {
            "Runs of the same branch or pull request wait for each other; a deploy is never \
             cancelled halfway (A20)."
        } else {
            "A newer commit on the same branch or pull request cancels the run it replaces \
             (PIPELINE-015)."
        })
        .gap()
        .entry(
            "defaults",
            Map::new().entry("run", Map::new().entry("shell", "bash")),
        )
        .note("bash with -e and pipefail: a failing command fails its step (PIPELINE-014).")
        .gap();
    if has_build {
        root = root
            .entry("env", image_env(design))
            .note("Image tags are the commit SHA, never latest (PIPELINE-013).")
            .gap();
    }
    let mut job_map = Map::new();
    if let Some(services) = &services {
        job_map = job_map
            .entry(CHANGES_JOB, changes::changes_job(design, services))
            .note("Which services this change touches: their jobs run, the others' are skipped.")
            .gap();
    }
    for (position, (index, job)) in jobs.iter().enumerate() {
        let needs: Vec<String> = graph[position].iter().map(|n| ids[*n].clone()).collect();
        let skipping = services.as_deref().map(|services| Skipping {
            services,
            own: owning_service(design, job)
                .and_then(|(service, _)| services.iter().find(|files| files.service == service)),
        });
        let rendered = ci_job(design, *index, job, &ids[position], needs, skipping);
        job_map = job_map.entry(ids[position].clone(), rendered).gap();
    }
    if calls_deploy {
        let builds: Vec<String> = jobs
            .iter()
            .zip(&ids)
            .filter(|((_, job), _)| job.kind == JobKind::Build)
            .map(|(_, id)| id.clone())
            .collect();
        let needs = if builds.is_empty() {
            ids.clone()
        } else {
            builds
        };
        let digests = jobs
            .iter()
            .zip(&ids)
            .find(|((index, job), _)| pushes_digests(design, *index, job))
            .map(|(_, id)| id.as_str());
        job_map = job_map
            .entry(deploy::CALL_JOB, deploy_call_job(design, needs, digests))
            .note(
                "The deploy (deploy.yml) after the image build, on pushes to the deploy branches \
                 only: it deploys the image this run built and scanned (PIPELINE-008, \
                 PIPELINE-012).",
            )
            .gap();
    }
    if services.is_some() {
        let mut needs = vec![CHANGES_JOB.to_owned()];
        needs.extend(ids.iter().cloned());
        job_map = job_map.entry(GATE_JOB, changes::gate_job(needs)).gap();
    }
    if jobs.is_empty() {
        job_map = job_map.entry("no-checks", no_checks_job());
    }
    root = root.entry("jobs", job_map).gap();

    let mut paragraphs = vec![
        "CI: lint, tests, security scans and the image build. Generated by Slipway from \
         slipway.yaml; change the design and export again rather than editing this file.",
        "Checks run on every pull request and push (PIPELINE-001); the image is built, scanned \
         and pushed only on pushes to the deploy branches, after every check passed \
         (PIPELINE-008).",
    ];
    if deploys(design) {
        paragraphs.push(
            "After the build on a deploy branch, the deploy job runs deploy.yml (a reusable \
             workflow) with the image this run pushed.",
        );
    } else if design.uses_railway() {
        paragraphs.push(
            "Railway builds and deploys from the repository itself; turn on its \"Wait for \
             CI\" option so it deploys only commits this workflow passed.",
        );
    }
    let header = super::header(&paragraphs);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header_refs, root)
}

/// `concurrency.cancel-in-progress`: the design's choice, except that a run that deploys is
/// never cancelled (A20), since the called deploy is part of this run.
fn cancel_in_progress(design: &Design, calls_deploy: bool) -> Node {
    if !calls_deploy || !design.pipeline.cancel_in_progress {
        return Node::Bool(design.pipeline.cancel_in_progress);
    }
    Node::Str(format!(
        "${{{{ !({}) }}}}",
        push_guard(&deploy::call_branches(design))
    ))
}

/// The job that calls deploy.yml: after `needs` (the build), on pushes to the branches the
/// deploy runs for, with the permissions its jobs need and the secrets they read, by name.
fn deploy_call_job(design: &Design, needs: Vec<String>, digests: Option<&str>) -> Map {
    let mut map = Map::new()
        .entry("name", "Deploy")
        .entry("needs", needs)
        .entry("if", push_guard(&deploy::call_branches(design)))
        .entry("permissions", deploy::call_permissions(design))
        .note("A called workflow's jobs get at most what this job grants.")
        .entry("uses", format!("./{}", deploy::PATH))
        .trailing(
            "zizmor: ignore[self-repository] ./ is GitHub's documented form for a workflow of \
             this repository",
        );
    if let Some(build) = digests {
        let mut with = Map::new();
        for index in super::deploy_order(design) {
            let key = super::digest_key(design, index);
            with.push(
                key.clone(),
                format!("${{{{ needs.{build}.outputs.{key} }}}}"),
            );
        }
        map = map.entry("with", with).note(
            "The digests this run pushed: the deploy runs those bytes, not a tag (PIPELINE-023).",
        );
    }
    let names = deploy::passed_secrets(design);
    if !names.is_empty() {
        let mut secrets = Map::new();
        for name in names {
            let value = format!("${{{{ secrets.{name} }}}}");
            secrets.push(name, value);
        }
        map = map.entry("secrets", secrets).note(
            "Only the secrets the deploy reads, by name; environment secrets (KUBECONFIG) \
             stay with their environment.",
        );
    }
    map
}

/// The workflow `env` that names each service's image repository.
pub(crate) fn image_env(design: &Design) -> Map {
    let mut env = Map::new();
    for (service, variable) in design.services.iter().zip(image_variables(design)) {
        env.push(variable, image_repository(design, service));
    }
    env
}

/// `on:` from the design's triggers. Branch lists are explicit (BRANCH-008); path filters
/// narrow both events (PIPELINE-018). Filters are static fields: Actions never evaluates
/// expressions in them, so design text is written as is (quoted by the YAML writer).
fn triggers(design: &Design) -> Map {
    let triggers = &design.pipeline.triggers;
    let paths: Vec<String> = design
        .pipeline
        .paths
        .iter()
        .map(|path| path.trim().to_owned())
        .filter(|path| !path.is_empty())
        .collect();
    let event = |branches: &[String]| {
        let branches: Vec<String> = branches
            .iter()
            .map(|branch| branch.trim().to_owned())
            .filter(|branch| !branch.is_empty())
            .collect();
        let mut map = Map::new().entry("branches", branches);
        if !paths.is_empty() {
            map = map.entry("paths", paths.clone());
        }
        map
    };
    let mut on = Map::new();
    if triggers.push_branches.iter().any(|b| !b.trim().is_empty()) {
        on = on.entry("push", event(&triggers.push_branches));
    }
    if triggers
        .pull_request_branches
        .iter()
        .any(|b| !b.trim().is_empty())
    {
        on = on
            .entry("pull_request", event(&triggers.pull_request_branches))
            .note("Every pull request into a protected branch is checked (PIPELINE-001).");
    }
    if triggers.manual || on.is_empty() {
        on = on.entry("workflow_dispatch", Map::new());
    }
    on
}

/// The `if:` that limits a job to pushes on the given branches.
pub(crate) fn push_guard(branches: &[String]) -> String {
    let refs: Vec<String> = branches
        .iter()
        .map(|branch| {
            let literal = super::expression_literal(branch);
            format!("github.ref == 'refs/heads/{}'", literal.trim_matches('\''))
        })
        .collect();
    let refs = match refs.len() {
        0 => "false".to_owned(),
        1 => refs[0].clone(),
        _ => format!("({})", refs.join(" || ")),
    };
    format!("github.event_name == 'push' && {refs}")
}

/// How a job of a several-service design follows the `changes` job.
#[derive(Clone, Copy)]
struct Skipping<'a> {
    services: &'a [ServiceFiles],
    /// The files of the service the job works on; `None` for a repository job.
    own: Option<&'a ServiceFiles>,
}

impl Skipping<'_> {
    /// Whether the job reads the `changes` job's outputs: a service's job, or a build
    /// that builds each service's image only when it changed.
    fn reads_changes(&self, design: &Design, index: usize, job: &Job) -> bool {
        self.own.is_some()
            || (job.kind == JobKind::Build && job_commands(design, index, job).is_empty())
    }
}

/// `a && b && c`, each part an expression that binds tighter than `&&` or is parenthesised.
fn all_of(parts: &[String]) -> String {
    parts
        .iter()
        .map(|part| {
            if parts.len() > 1 && part.contains("||") && !part.starts_with('(') {
                format!("({part})")
            } else {
                part.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" && ")
}

fn ci_job(
    design: &Design,
    index: usize,
    job: &Job,
    id: &str,
    mut needs: Vec<String>,
    skipping: Option<Skipping>,
) -> Map {
    let name = if job.name.trim().is_empty() {
        job.kind.label().to_owned()
    } else {
        crate::text::single_line(job.name.trim()).into_owned()
    };
    let mut map = Map::new().entry("name", inert(&name));
    let mut conditions: Vec<String> = Vec::new();
    if let Some(skipping) = skipping {
        // Without this, a job skipped because its service did not change would skip every
        // job that needs it.
        if !needs.is_empty() {
            conditions.push(changes::AFTER_SKIPPABLE_NEEDS.to_owned());
        }
        if skipping.reads_changes(design, index, job) {
            needs.insert(0, CHANGES_JOB.to_owned());
        }
        if let Some(own) = skipping.own {
            conditions.push(changes::touched(own));
        }
    }
    if !needs.is_empty() {
        map = map.entry("needs", needs);
    }
    if job.kind != JobKind::Build && !conditions.is_empty() {
        map = map.entry("if", all_of(&conditions)).note(
            "Runs when its service changed; skipped jobs count as passed, the ci-passed gate does not.",
        );
    }
    if job.kind == JobKind::Build {
        conditions.insert(0, push_guard(&image_branches(design)));
        map = map
            .entry("if", all_of(&conditions))
            .note(if pushes_image(design) {
                "Images are built and pushed only for pushes to deploy branches, never for pull \
                 requests: the registry holds only reviewed code."
            } else {
                "Nothing deploys this image (Railway builds its own from the same Dockerfile): \
                 the job builds and scans it on pushes to the default branch, so a critical CVE \
                 in the image turns the commit red."
            });
    }
    let os_axis = job
        .matrix
        .iter()
        .map(|axis| matrix_axis_name(&axis.name))
        .find(|name| name == "os");
    let runs_on = match os_axis {
        Some(axis) => format!("${{{{ matrix.{axis} }}}}"),
        None if job.runs_on.trim().is_empty() => "ubuntu-latest".to_owned(),
        None => inert(job.runs_on.trim()),
    };
    map = map
        .entry("runs-on", runs_on)
        .entry("timeout-minutes", job.timeout_minutes.max(1))
        .entry(
            "permissions",
            permissions(design, job, pushes_digests(design, index, job)),
        );
    if pushes_digests(design, index, job) {
        map = map
            .entry("outputs", digest_outputs(design))
            .note("The digest of each image pushed, which the deploy runs (PIPELINE-023).");
    }
    if let Some(matrix) = matrix(job) {
        map = map.entry("strategy", Map::new().entry("matrix", matrix)).note(
            "fail-fast stays on: one failing combination stops the others (PIPELINE-014, VALID-009).",
        );
    }
    if let Some(services) = services(job) {
        map = map.entry("services", services).note(
            "Health-checked service containers: steps start once they are ready (PIPELINE-016).",
        );
    }
    let mut extra: Vec<(&str, String)> = Vec::new();
    if job.kind != JobKind::Build {
        if let Some((name, value)) = toolchain_env(design, job) {
            extra.push((name, value.to_owned()));
        }
    }
    let env = design_env(job, &extra);
    if !env.is_empty() {
        map = map.entry("env", env);
    }
    if let Some(dir) = working_directory(job) {
        map = map.entry(
            "defaults",
            Map::new().entry("run", Map::new().entry("working-directory", dir)),
        );
    }
    let steps = match job.kind {
        JobKind::Build => build_steps(design, index, job, skipping.map(|s| s.services)),
        _ => check_steps(design, index, job, id),
    };
    map.entry("steps", steps)
}

/// Least privilege per job: read the code; the build also writes packages (the image) and
/// security events (its SARIF report, VALID-018), and a build that attests asks for the OIDC
/// token that signs the attestations and the right to store them.
fn permissions(design: &Design, job: &Job, attests: bool) -> Map {
    let mut permissions = Map::new().entry("contents", "read");
    let attests = attests && design.pipeline.attest_images;
    let keyless_push =
        job.kind == JobKind::Build && pushes_image(design) && cloud::keyless_registry(design);
    if attests || keyless_push {
        permissions = permissions.entry("id-token", "write").trailing(match (attests, keyless_push) {
            (true, true) => "GitHub's OIDC token signs the attestations and buys the image push role's credentials (PIPELINE-023, SECRETS-007)",
            (true, false) => "signs the attestations with GitHub's OIDC token (PIPELINE-023)",
            _ => "GitHub's OIDC token, for the image push role (SECRETS-007)",
        });
    }
    if attests {
        permissions = permissions
            .entry("attestations", "write")
            .trailing("stores the provenance and SBOM attestations");
    }
    if job.kind == JobKind::Build {
        if pushes_image(design) && super::registry_host(design) == "ghcr.io" {
            permissions = permissions
                .entry("packages", "write")
                .trailing("pushes the scanned image to ghcr.io");
        }
        permissions = permissions
            .entry("security-events", "write")
            .trailing("uploads the image scan's SARIF report (VALID-018)");
    }
    permissions
}

fn matrix(job: &Job) -> Option<Map> {
    let mut matrix = Map::new();
    for axis in &job.matrix {
        let values: Vec<String> = axis
            .values
            .iter()
            .map(|value| inert(value.trim()))
            .filter(|value| !value.is_empty())
            .collect();
        if values.is_empty() {
            continue;
        }
        matrix.push(matrix_axis_name(&axis.name), values);
    }
    (!matrix.is_empty()).then_some(matrix)
}

/// `--health-cmd` text that Docker's option parser reads as one argument.
fn health_option(command: &str) -> String {
    let safe = crate::text::keep(command.trim(), |c| {
        c.is_ascii_alphanumeric() || " ._-/:=,'(){}".contains(c)
    });
    if safe.contains(' ') {
        format!("\"{safe}\"")
    } else {
        safe
    }
}

/// The inline suppression beside a service container's image that is pinned by tag, with its
/// reason: zizmor reads `zizmor: ignore[...]` comments on the finding's line and ignores what
/// follows them. Writing `image@sha256:<digest>` in the design drops it.
pub(crate) const SERVICE_IMAGE_BY_TAG: &str = "zizmor: ignore[unpinned-images] a job-lifetime test container, pinned by tag; write image@sha256:… in the design to pin its digest";

fn services(job: &Job) -> Option<Map> {
    let mut services = Map::new();
    let mut taken: Vec<String> = Vec::new();
    for service in &job.services {
        let mut id = crate::text::identifier(&service.name, "service");
        if taken.contains(&id) {
            id = format!("{id}-{}", taken.len() + 1);
        }
        taken.push(id.clone());
        let image = inert(service.image.trim());
        let pinned = image.contains("@sha256:");
        let mut map = Map::new().entry("image", image);
        if !pinned {
            // zizmor's pedantic persona asks for a digest; a tag is kept on purpose for a
            // container that lives as long as the job, and the comment says so in the file.
            map = map.trailing(SERVICE_IMAGE_BY_TAG);
        }
        if !service.env.is_empty() {
            let mut env = Map::new();
            for variable in &service.env {
                env.push(
                    crate::text::env_name(variable.name.trim()),
                    super::env_value(&variable.value),
                );
            }
            map = map.entry("env", env).note(
                "Throwaway credentials of a database that lives only as long as this job (SECRETS-001 allows them here).",
            );
        }
        let ports: Vec<String> = service
            .ports
            .iter()
            .map(|port| inert(port.trim()))
            .filter(|port| !port.is_empty())
            .collect();
        if !ports.is_empty() {
            map = map.entry("ports", ports);
        }
        let health = health_option(&service.health_cmd);
        if !health.is_empty() {
            map = map.entry(
                "options",
                format!(
                    "--health-cmd {health} --health-interval 10s --health-timeout 5s --health-retries 5"
                ),
            );
        }
        services = services.entry(id, map);
    }
    (!services.is_empty()).then_some(services)
}

/// Step name for a default command, from the design field it comes from.
fn default_label(field: &str, command: &str) -> String {
    match field.rsplit('.').next() {
        Some("install") => "Install dependencies".to_owned(),
        Some("lint") => "Lint".to_owned(),
        Some("typecheck") => "Type-check".to_owned(),
        Some("test") => "Test with coverage".to_owned(),
        _ => command_label(command),
    }
}

/// Steps of a lint, test or security job: checkout, toolchain, cache, the design's commands,
/// then what the kind adds (coverage upload, dependency audit and Trivy scan).
fn check_steps(design: &Design, index: usize, job: &Job, id: &str) -> Vec<Node> {
    let mut steps: Vec<Node> = vec![checkout(design, None).into()];
    steps.extend(toolchain_steps(design, job));
    if let Some(cache) = cache_step(design, job) {
        steps.push(cache.into());
    }
    for command in job_commands(design, index, job) {
        let label = if job.commands.is_empty() {
            default_label(&command.field, &command.text)
        } else {
            command_label(&command.text)
        };
        steps.push(run(&label, &command.text).into());
    }
    match job.kind {
        JobKind::Test => {
            if let Some(upload) = coverage_upload(design, job, id) {
                steps.push(upload.into());
            }
        }
        JobKind::Security => {
            if job.commands.is_empty() {
                let manager = job_manager(design, job);
                steps.push(audit_step(manager).into());
            }
            steps.push(trivy_fs(design, job).into());
        }
        _ => {}
    }
    steps
}

/// Where a runtime's default test command writes its coverage report.
fn coverage_path(runtime: Runtime) -> Option<&'static str> {
    match runtime {
        Runtime::Node => Some("coverage/"),
        Runtime::Python => Some("coverage.xml"),
        Runtime::Go => Some("coverage.out"),
        Runtime::Java => Some("target/site/jacoco/"),
        Runtime::Rust => None,
    }
}

/// The coverage report as an artifact, kept a week (PIPELINE-003, CACHE-008).
fn coverage_upload(design: &Design, job: &Job, id: &str) -> Option<Map> {
    let path = coverage_path(job_runtime(design, job))?;
    let path = match working_directory(job) {
        Some(dir) => format!("{dir}/{path}"),
        None => path.to_owned(),
    };
    let name = if job.matrix.is_empty() {
        format!("coverage-{id}")
    } else {
        format!("coverage-{id}-${{{{ strategy.job-index }}}}")
    };
    Some(
        uses(design, "Upload coverage report", ActionRef::UploadArtifact).entry(
            "with",
            Map::new()
                .entry("name", name)
                .entry("path", path)
                .entry("retention-days", 7u32)
                .note("Reports are evidence for a review, not an archive (CACHE-008).")
                .entry("if-no-files-found", "warn"),
        ),
    )
}

/// Trivy's filesystem scan of the job's folder: vulnerable dependencies, committed secrets and
/// misconfigurations, failing on fixable HIGH and CRITICAL findings (PIPELINE-005).
fn trivy_fs(design: &Design, job: &Job) -> Map {
    let scan_ref = working_directory(job).unwrap_or_else(|| ".".to_owned());
    uses(design, "Scan the source with Trivy", ActionRef::Trivy).entry(
        "with",
        Map::new()
            .entry("scan-type", "fs")
            .entry("scan-ref", scan_ref)
            .entry("severity", "CRITICAL,HIGH")
            .entry("ignore-unfixed", true)
            .entry("exit-code", "1"),
    )
}

/// Steps of the build job: build once, scan the exact image, and push those bytes only when
/// the scan passed (PIPELINE-006, PIPELINE-012, PIPELINE-013). A design with several services
/// builds and scans each service's image, then pushes the images that deploy once every scan
/// passed.
fn build_steps(
    design: &Design,
    index: usize,
    job: &Job,
    services: Option<&[ServiceFiles]>,
) -> Vec<Node> {
    let push = pushes_image(design);
    let mut steps: Vec<Node> = vec![
        checkout(design, None).into(),
        uses(design, "Set up Docker Buildx", ActionRef::SetupBuildx).into(),
    ];
    let commands = job_commands(design, index, job);
    if !commands.is_empty() {
        if push {
            steps.extend(super::push_login(design));
        }
        for command in commands {
            steps.push(
                run(&command_label(&command.text), &command.text)
                    .entry("env", Map::new().entry("IMAGE_TAG", "${{ github.sha }}"))
                    .into(),
            );
        }
        return steps;
    }
    let several = design.services.len() > 1;
    let variables = image_variables(design);
    let mut pushes: Vec<Map> = Vec::new();
    for (position, service) in design.services.iter().enumerate() {
        let variable = &variables[position];
        let only_if = services
            .and_then(|services| services.iter().find(|files| files.service == position))
            .map(changes::touched);
        let step = |name: &str, action: ActionRef| {
            pinned(
                Map::new()
                    .entry("name", inert(name))
                    .optional("if", only_if.clone()),
                design,
                action,
            )
        };
        let name = chart_name(service);
        let label = |single: &str, multiple: &str| {
            if several {
                multiple.replace("@name@", &name)
            } else {
                single.to_owned()
            }
        };
        let image = format!("${{{{ env.{variable} }}}}:${{{{ github.sha }}}}");
        let context = service_folder(service).unwrap_or_else(|| ".".to_owned());
        let dockerfile = dockerfile_path(design, position);
        let default_file = if context == "." {
            "Dockerfile".to_owned()
        } else {
            format!("{context}/Dockerfile")
        };
        let mut build = Map::new().entry("context", context);
        if dockerfile != default_file {
            build = build.entry("file", dockerfile);
        }
        build = build
            .entry("load", true)
            .entry("push", false)
            .note("Loaded into the runner's Docker, not pushed: the scan below sees it first.")
            .entry("tags", image.as_str());
        // Each image keeps its own layer cache: one shared scope would let the last build
        // evict the others'.
        build = if several {
            build
                .entry("cache-from", format!("type=gha,scope={name}"))
                .entry("cache-to", format!("type=gha,scope={name},mode=max"))
        } else {
            build
                .entry("cache-from", "type=gha")
                .entry("cache-to", "type=gha,mode=max")
        }
        .note("Layers cached in the Actions cache: unchanged layers are not rebuilt.");
        steps.push(
            step(
                &label("Build the image", "Build the @name@ image"),
                ActionRef::BuildPush,
            )
            .entry("with", build)
            .into(),
        );
        let (report, category) = if several {
            (
                format!("trivy-image-{name}.sarif"),
                format!("trivy-image-{name}"),
            )
        } else {
            ("trivy-image.sarif".to_owned(), "trivy-image".to_owned())
        };
        steps.push(
            step(
                &label(
                    "Report image vulnerabilities",
                    "Report @name@ image vulnerabilities",
                ),
                ActionRef::Trivy,
            )
            .entry(
                "with",
                Map::new()
                    .entry("image-ref", image.as_str())
                    .entry("severity", "CRITICAL,HIGH")
                    .entry("format", "sarif")
                    .entry("output", report.as_str())
                    .entry("exit-code", "0"),
            )
            .into(),
        );
        steps.push(
            step(
                &label(
                    "Upload the report to code scanning",
                    "Upload the @name@ report to code scanning",
                ),
                ActionRef::UploadSarif,
            )
            .entry(
                "with",
                Map::new()
                    .entry("sarif_file", report.as_str())
                    .entry("category", category),
            )
            .into(),
        );
        steps.push(
            step(
                &label(
                    "Fail on critical vulnerabilities",
                    "Fail on critical vulnerabilities in @name@",
                ),
                ActionRef::Trivy,
            )
            .entry(
                "with",
                Map::new()
                    .entry("image-ref", image.as_str())
                    .entry("severity", "CRITICAL")
                    .entry("ignore-unfixed", true)
                    .entry("exit-code", "1")
                    .note("The gate: a fixable critical CVE stops the push (A15)."),
            )
            .into(),
        );
        if pushes_service_image(service) {
            let id = push_id(design, service);
            let digest = format!("${{{{ steps.{id}.outputs.digest }}}}");
            let mut group = vec![Map::new()
                .entry("name", inert(&label("Push the scanned image", "Push the scanned @name@ image")))
                .entry("id", id.as_str())
                .optional("if", only_if.clone())
                .entry("run", block(&format!(
                    "docker push \"${variable}:$GITHUB_SHA\"\ndigest=\"$(docker buildx imagetools inspect \"${variable}:$GITHUB_SHA\" --format '{{{{json .Manifest}}}}' | jq -r .digest)\"\nif [[ \"$digest\" != sha256:* ]]; then\n  echo \"::error::The registry gave no digest for the pushed image.\"\n  exit 1\nfi\necho \"digest=$digest\" >> \"$GITHUB_OUTPUT\""
                )))
                .note("The digest the registry gave these bytes: the attestations name it and the deploy runs it (PIPELINE-023).")];
            if design.pipeline.attest_images {
                let sbom = format!("sbom-{name}.spdx.json");
                group.push(step(&label("Attest the image's provenance", "Attest the @name@ image's provenance"), ActionRef::AttestProvenance).entry("with", Map::new()
                    .entry("subject-name", format!("${{{{ env.{variable} }}}}"))
                    .entry("subject-digest", digest.as_str())
                    .entry("push-to-registry", true))
                    .note("A signed SLSA provenance (workflow, commit, run) stored beside the image: `gh attestation verify` checks it."));
                group.push(
                    step(
                        &label(
                            "Generate the image's SBOM",
                            "Generate the @name@ image's SBOM",
                        ),
                        ActionRef::Sbom,
                    )
                    .entry(
                        "with",
                        Map::new()
                            .entry("image", format!("${{{{ env.{variable} }}}}@{digest}"))
                            .entry("format", "spdx-json")
                            .entry("output-file", sbom.as_str())
                            .entry("artifact-name", sbom.as_str()),
                    ),
                );
                group.push(step(&label("Attest the image's SBOM", "Attest the @name@ image's SBOM"), ActionRef::AttestSbom)
                    .entry("with", Map::new()
                        .entry("subject-name", format!("${{{{ env.{variable} }}}}"))
                        .entry("subject-digest", digest.as_str())
                        .entry("sbom-path", sbom.as_str())
                        .entry("push-to-registry", true)
                        .entry("create-storage-record", false)
                        .trailing("the provenance step above records where the image is stored"))
                    .note("The SBOM signed as an attestation of the same digest and pushed to the registry beside the image: `gh attestation verify --predicate-type https://spdx.dev/Document/v2.3` checks it."));
            }
            pushes.extend(group);
        }
    }
    if push && !pushes.is_empty() {
        steps.extend(super::push_login(design));
        steps.extend(pushes.into_iter().map(Node::from));
    }
    steps
}

/// The build job's outputs: the digest of each image it pushed, which deploy.yml deploys.
fn digest_outputs(design: &Design) -> Map {
    let mut outputs = Map::new();
    for (index, service) in design.services.iter().enumerate() {
        if pushes_service_image(service) {
            let id = push_id(design, service);
            outputs.push(
                super::digest_key(design, index),
                format!("${{{{ steps.{id}.outputs.digest }}}}"),
            );
        }
    }
    outputs
}

/// The id of the step that pushes `service`'s image and outputs its digest.
fn push_id(design: &Design, service: &crate::model::Service) -> String {
    match design.services.len() {
        1 => "push".to_owned(),
        _ => format!("push-{}", chart_name(service)),
    }
}
