//! `.github/workflows/security.yml`: the weekly scan that catches vulnerabilities published
//! after the code last changed (PIPELINE-007).

use std::borrow::Cow;

use super::{
    audit_needs_install, audit_step, cache_step, checkout, image_repository, image_variables,
    own_service, pinned, pushes_image, pushes_service_image, registry_credentials, run,
    toolchain_env, toolchain_steps, uses, working_directory, ActionRef, Teach,
};
use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::jobs::{job_manager, job_runtime};
use crate::facts::naming::{chart_name, service_folder};
use crate::formats::yaml::{document, Map, Node};
use crate::model::{Design, Job, JobKind, PackageManager, Service};

/// Path of the generated workflow.
pub const PATH: &str = ".github/workflows/security.yml";

/// Sunday 00:00 UTC (docs/defaults.md#ci-cd).
const DEFAULT_SCHEDULE: &str = "0 0 * * 0";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    vec![GeneratedFile::new(PATH, Syntax::Yaml, render(design))]
}

/// The README's steps for `security.yml` (Markdown).
pub fn how_to_apply(design: &Design) -> Option<String> {
    let java = audit_targets(design).iter().any(|target| {
        matches!(
            job_manager(design, &target.job),
            PackageManager::Maven | PackageManager::Gradle
        )
    });
    Some(format!(
        "Commit `.github/workflows/security.yml`; it runs weekly and on demand (*Run workflow*). Findings appear under Security → Code scanning.{}",
        if java {
            " Create the repository secret `NVD_API_KEY` (free from nvd.nist.gov): OWASP dependency-check downloads the vulnerability database with it."
        } else {
            ""
        }
    ))
}

/// The design's cron schedule when it is five fields of cron characters, else the default.
fn schedule(design: &Design) -> (String, bool) {
    let text = design.pipeline.triggers.security_schedule.trim();
    let fields: Vec<&str> = text.split_whitespace().collect();
    let valid = fields.len() == 5
        && fields.iter().all(|field| {
            field
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '/' | ',' | '-'))
        });
    if valid {
        (fields.join(" "), true)
    } else {
        (DEFAULT_SCHEDULE.to_owned(), false)
    }
}

/// One dependency audit: a job of the design that installs dependencies, or a service no such
/// job covers.
struct AuditTarget<'a> {
    job: Cow<'a, Job>,
    /// The service the audit was added for, when no job of the design covers it.
    service: Option<&'a Service>,
}

/// One audit per language and folder the pipeline installs dependencies for (the design's
/// lint, test and security jobs), then one for each service's lockfile those miss, with the
/// service's own package manager; deduplicated by package manager and folder.
fn audit_targets(design: &Design) -> Vec<AuditTarget<'_>> {
    let mut seen: Vec<(PackageManager, Option<String>)> = Vec::new();
    let mut targets = Vec::new();
    for job in &design.pipeline.jobs {
        if !job.kind.installs_dependencies() {
            continue;
        }
        let key = (job_manager(design, job), working_directory(job));
        if !seen.contains(&key) {
            seen.push(key);
            targets.push(AuditTarget {
                job: Cow::Borrowed(job),
                service: None,
            });
        }
    }
    for service in &design.services {
        let folder = service_folder(service);
        let key = (service.package_manager, folder.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut job = Job::new("audit", JobKind::Security, &[]);
        job.runtime = Some(service.runtime);
        job.working_directory = folder.unwrap_or_else(|| ".".to_owned());
        targets.push(AuditTarget {
            job: Cow::Owned(job),
            service: Some(service),
        });
    }
    targets
}

fn render(design: &Design) -> String {
    let (cron, valid) = schedule(design);
    let mut schedule_entry = Map::new().entry("cron", cron);
    if !valid {
        schedule_entry = schedule_entry.note(
            "pipeline.triggers.security_schedule is not a five-field cron; using the weekly default.",
        );
    }
    let on = Map::new()
        .entry("schedule", vec![Node::from(schedule_entry)])
        .note("Weekly, in UTC: new CVEs are published against code that has not changed.")
        .entry("workflow_dispatch", Map::new());
    let mut jobs = Map::new();
    let mut taken: Vec<String> = Vec::new();
    for target in audit_targets(design) {
        let job = target.job.as_ref();
        let mut id = match target.service {
            Some(service) => format!("audit-{}", chart_name(service)),
            None => format!("audit-{}", job_runtime(design, job).id()),
        };
        if taken.contains(&id) {
            id = format!("{id}-{}", taken.len() + 1);
        }
        taken.push(id.clone());
        jobs = jobs.entry(id, audit_job(design, job, target.service)).gap();
    }
    jobs = jobs.entry("trivy-fs", trivy_fs_job(design)).gap();
    if pushes_image(design) && has_build(design) {
        jobs = jobs.entry("trivy-image", trivy_image_job(design)).gap();
    }
    let mut root = Map::new()
        .entry("name", "Security scan")
        .entry("on", on)
        .gap()
        .entry("permissions", Map::new())
        .note("No token permissions by default; each job asks for the least it needs.")
        .gap()
        .entry(
            "concurrency",
            Map::new()
                .entry("group", "${{ github.workflow }}")
                .entry("cancel-in-progress", true),
        )
        .gap()
        .entry(
            "defaults",
            Map::new().entry("run", Map::new().entry("shell", "bash")),
        )
        .gap();
    if pushes_image(design) && has_build(design) {
        let mut env = Map::new();
        for ((service, variable), _) in pushed_images(design) {
            env.push(variable, image_repository(design, service));
        }
        root = root.entry("env", env).gap();
    }
    root = root.entry("jobs", jobs).gap();
    let header = super::header(&[
        "Security scan: dependency audits and Trivy, weekly and on demand. Generated by Slipway \
         from slipway.yaml; change the design and export again rather than editing this file.",
        "Findings land in the repository's code scanning alerts (Security tab) as SARIF \
         (PIPELINE-007).",
    ]);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header_refs, root)
}

/// The services whose images CI pushes, with the env variable of each image repository and
/// whether the design has several services (the step names then say which image).
fn pushed_images(design: &Design) -> Vec<((&Service, String), bool)> {
    let several = design.services.len() > 1;
    design
        .services
        .iter()
        .zip(image_variables(design))
        .filter(|(service, _)| pushes_service_image(service))
        .map(|pair| (pair, several))
        .collect()
}

fn has_build(design: &Design) -> bool {
    design
        .pipeline
        .jobs
        .iter()
        .any(|job| job.kind == JobKind::Build)
}

fn audit_job(design: &Design, job: &Job, service: Option<&Service>) -> Map {
    let manager = job_manager(design, job);
    let label = job_runtime(design, job).label();
    let name = match service {
        Some(service) if design.services.len() > 1 => {
            format!("Audit {label} dependencies of {}", chart_name(service))
        }
        _ => format!("Audit {label} dependencies"),
    };
    let mut map = Map::new()
        .entry("name", name)
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 20u32)
        .entry("permissions", Map::new().entry("contents", "read"));
    if let Some((name, value)) = toolchain_env(design, job) {
        map = map.entry("env", Map::new().entry(name, value));
    }
    if let Some(dir) = working_directory(job) {
        map = map.entry(
            "defaults",
            Map::new().entry("run", Map::new().entry("working-directory", dir)),
        );
    }
    let mut steps: Vec<Node> = vec![checkout(design, None).into()];
    let mut plain = job.clone();
    plain.matrix.clear();
    steps.extend(toolchain_steps(design, &plain));
    if audit_needs_install(manager) {
        if let Some(cache) = cache_step(design, &plain) {
            steps.push(cache.into());
        }
        let install = match own_service(design, job) {
            Some(service) => service.commands.install.clone(),
            None => crate::model::Commands::for_runtime(job_runtime(design, job), manager).install,
        };
        if !install.trim().is_empty() {
            steps.push(run("Install dependencies", &install).into());
        }
    }
    steps.push(audit_step(manager).into());
    map.entry("steps", steps)
}

/// Trivy over the whole repository, reported to code scanning. The upload runs even when the
/// scan found something (that is when it matters) but not when the run was cancelled.
/// Why a job may write security events: only the jobs that upload SARIF do (VALID-018). Each
/// permission beyond reading the code carries its reason on its line.
const SARIF_WRITE: &str = "uploads the SARIF report to code scanning (VALID-018)";

/// Why a SARIF upload reads the workflow run.
const SARIF_READ_RUN: &str = "upload-sarif reads the run's metadata in private repositories";

fn trivy_fs_job(design: &Design) -> Map {
    Map::new()
        .entry("name", "Trivy filesystem scan")
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 20u32)
        .entry(
            "permissions",
            Map::new()
                .entry("contents", "read")
                .entry("security-events", "write")
                .trailing(SARIF_WRITE)
                .entry("actions", "read")
                .trailing(SARIF_READ_RUN),
        )
        .entry(
            "steps",
            vec![
                Node::from(checkout(design, None)),
                Node::from(
                    uses(design, "Scan the repository with Trivy", ActionRef::Trivy).entry(
                        "with",
                        Map::new()
                            .entry("scan-type", "fs")
                            .entry("scan-ref", ".")
                            .entry("severity", "CRITICAL,HIGH")
                            .entry("format", "sarif")
                            .entry("output", "trivy-fs.sarif")
                            .entry("exit-code", "1"),
                    ),
                ),
                Node::from(sarif_upload(design, "trivy-fs.sarif", "trivy-fs")),
            ],
        )
}

fn sarif_upload(design: &Design, file: &str, category: &str) -> Map {
    let step = Map::new()
        .entry("name", "Upload the report to code scanning")
        .entry("if", "${{ !cancelled() }}")
        .note("Also after findings (that is when the report matters), not after a cancel.");
    pinned(step, design, ActionRef::UploadSarif).entry(
        "with",
        Map::new()
            .entry("sarif_file", file)
            .entry("category", category),
    )
}

/// The image the default branch runs, rescanned with this week's vulnerability data. It is
/// tagged with the branch head's SHA by CI; a missing image means CI did not push that commit.
fn trivy_image_job(design: &Design) -> Map {
    let (username, password) = registry_credentials(design);
    let keyless = crate::facts::cloud::keyless_registry(design);
    let mut permissions = Map::new().entry("contents", "read");
    if keyless {
        permissions = permissions.entry("id-token", "write").trailing(
            "GitHub's OIDC token, for the image push role that reads the images (SECRETS-007)",
        );
    }
    if super::registry_host(design) == "ghcr.io" {
        permissions = permissions
            .entry("packages", "read")
            .trailing("pulls the image CI pushed to ghcr.io");
    }
    permissions = permissions
        .entry("security-events", "write")
        .trailing(SARIF_WRITE)
        .entry("actions", "read")
        .trailing(SARIF_READ_RUN);
    let mut steps: Vec<Node> = vec![Node::from(checkout(design, None))];
    if keyless {
        // Trivy reads the Docker login amazon-ecr-login writes.
        steps.extend(super::push_login(design));
    }
    for (position, ((service, variable), several)) in pushed_images(design).into_iter().enumerate()
    {
        let name = chart_name(service);
        let (label, report, category) = if several {
            (
                format!("Scan the deployed {name} image with Trivy"),
                format!("trivy-image-{name}.sarif"),
                format!("trivy-image-{name}"),
            )
        } else {
            (
                "Scan the deployed image with Trivy".to_owned(),
                "trivy-image.sarif".to_owned(),
                "trivy-image".to_owned(),
            )
        };
        let scan = if position == 0 {
            uses(design, &label, ActionRef::Trivy)
        } else {
            let step = Map::new()
                .entry("name", label.as_str())
                .entry("if", "${{ !cancelled() }}")
                .note("Every image is scanned, also after findings in an earlier one.");
            pinned(step, design, ActionRef::Trivy)
        };
        let scan = scan.entry(
            "with",
            Map::new()
                .entry(
                    "image-ref",
                    format!("${{{{ env.{variable} }}}}:${{{{ github.sha }}}}"),
                )
                .entry("severity", "CRITICAL,HIGH")
                .entry("format", "sarif")
                .entry("output", report.as_str())
                .entry("exit-code", "1"),
        );
        steps.push(Node::from(if keyless {
            scan
        } else {
            scan.entry(
                "env",
                Map::new()
                    .entry("TRIVY_USERNAME", username.as_str())
                    .entry("TRIVY_PASSWORD", password.as_str())
                    .note("Registry credentials, read by Trivy from the environment."),
            )
        }));
        steps.push(Node::from(sarif_upload(design, &report, &category)));
    }
    Map::new()
        .entry("name", "Trivy image scan")
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 20u32)
        .entry("permissions", permissions)
        .entry("steps", steps)
}
