//! Audit mode: findings for an existing file — a Dockerfile, a `.dockerignore`, a GitHub
//! Actions workflow, a `railway.json`, Helm values or a Slipway design — from the same rules
//! that check designs, located at the file's lines. `docs/audit.md` lists what each kind of
//! file is checked for.
//!
//! Each artifact is read into the part of a neutral design it describes, the rules run, and
//! only the rules about that part are kept (a lone Dockerfile says nothing about branch
//! protection). Malformed input gets a located parse error.

mod report;
mod values;
mod workflow;

pub use report::{ArtifactKind, Audit, AuditFinding};
pub use workflow::{CI_WORKFLOW, DEPLOY_WORKFLOW, EVERY_WORKFLOW, SCHEDULED_WORKFLOW};

use serde_json::Value;

use crate::formats::outline::{key, Outline};
use crate::io::{LoadError, MAX_DESIGN_BYTES};
use crate::model::{Design, RailwayBuilder, RestartPolicy};
use crate::rules::{self, Finding};
use report::{error, Located};

/// Rules that need more than one file to judge (a Dockerfile alone has no .dockerignore, and
/// says nothing about the CI test job that may gate its build; a railway.json says nothing
/// about the Kubernetes routes or the other services of the project).
const NEEDS_CONTEXT: &[&str] = &["DOCKER-003", "DOCKER-013", "RAILWAY-012", "RAILWAY-013"];

/// Which kind of file this is, from its name, then its content.
pub fn detect(file_name: &str, text: &str) -> Option<ArtifactKind> {
    let name = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file_name)
        .to_ascii_lowercase();
    if name == "dockerfile" || name.starts_with("dockerfile.") || name.ends_with(".dockerfile") {
        return Some(ArtifactKind::Dockerfile);
    }
    if name == ".dockerignore" || name.ends_with(".dockerignore") {
        return Some(ArtifactKind::Dockerignore);
    }
    let path = file_name.replace('\\', "/").to_ascii_lowercase();
    if path.contains(".github/workflows/") && (name.ends_with(".yml") || name.ends_with(".yaml")) {
        return Some(ArtifactKind::GithubWorkflow);
    }
    if name == "railway.json" {
        return Some(ArtifactKind::RailwayJson);
    }
    if name.starts_with("slipway")
        && (name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
    {
        return Some(ArtifactKind::Design);
    }
    if name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml")) {
        return Some(ArtifactKind::HelmValues);
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .unwrap_or("");
    let upper = first.to_ascii_uppercase();
    if upper.starts_with("FROM ") || upper.starts_with("ARG ") {
        return Some(ArtifactKind::Dockerfile);
    }
    if first.starts_with('{') && (text.contains("\"deploy\"") || text.contains("\"build\"")) {
        return Some(ArtifactKind::RailwayJson);
    }
    if is_workflow(text) {
        return Some(ArtifactKind::GithubWorkflow);
    }
    if text.lines().any(|line| line.starts_with("version:")) && text.contains("project:") {
        return Some(ArtifactKind::Design);
    }
    if ["replicaCount:", "image:", "resources:", "securityContext:"]
        .iter()
        .any(|key| text.lines().any(|line| line.starts_with(key)))
    {
        return Some(ArtifactKind::HelmValues);
    }
    // Any other YAML or JSON file is read as a design, whose parser says what is wrong.
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|extension| name.ends_with(extension))
        .then_some(ArtifactKind::Design)
}

/// Whether a YAML text has a workflow's top-level `on:` and `jobs:` keys.
fn is_workflow(text: &str) -> bool {
    let top_level = |key: &str| text.lines().any(|line| line.starts_with(key));
    top_level("jobs:")
        && ["on:", "\"on\":", "'on':", "true:"]
            .into_iter()
            .any(top_level)
}

/// Audits one file. Never panics; refuses files over the design size limit.
pub fn audit(file_name: &str, text: &str) -> Result<Audit, LoadError> {
    if text.len() > MAX_DESIGN_BYTES {
        return Err(error(
            None,
            format!(
                "the file is {:.1} MB; Slipway audits files up to {} MB",
                text.len() as f64 / (1024.0 * 1024.0),
                MAX_DESIGN_BYTES / (1024 * 1024)
            ),
        ));
    }
    let kind = detect(file_name, text).ok_or_else(|| {
        error(
            None,
            "not a file Slipway can audit: give a Dockerfile, a .dockerignore, a GitHub Actions workflow (.github/workflows/*.yml), a railway.json, Helm values (values.yaml) or a Slipway design (slipway.yaml)",
        )
    })?;
    let mut language_unknown = false;
    // Fields the file leaves to something it does not show (a chart template's probe handler).
    let mut unknown_fields: Vec<String> = Vec::new();
    let (design, locate): Located = match kind {
        ArtifactKind::Design => {
            let (design, version) = crate::io::parse_design_versioned(text)?;
            let outline = Outline::new(text);
            // A file of an older version has the layout of its version: look the field up
            // where that version keeps it.
            let locate = move |field: &str| match version {
                ..3 => outline.field_line(&crate::migrate::v2_field(field)),
                _ => outline.field_line(field),
            };
            (design, Box::new(locate))
        }
        ArtifactKind::Dockerfile => {
            let (located, unknown) = dockerfile(text)?;
            language_unknown = unknown;
            located
        }
        ArtifactKind::Dockerignore => return Ok(dockerignore(text)),
        ArtifactKind::GithubWorkflow => return workflow::audit(text),
        ArtifactKind::RailwayJson => railway(text)?,
        ArtifactKind::HelmValues => {
            let (located, unknown) = values::read(text)?;
            unknown_fields = unknown;
            located
        }
    };
    let areas = kind.areas();
    let findings = rules::check(&design)
        .into_iter()
        .map(|finding| {
            if kind == ArtifactKind::Design {
                finding
            } else {
                of_the_file(finding)
            }
        })
        .filter(|finding| {
            areas.is_empty()
                || areas.contains(&finding.area)
                || (kind == ArtifactKind::RailwayJson
                    && RAILWAY_EXTRA.contains(&finding.rule)
                    && finding.field.starts_with("railway."))
        })
        .filter(|finding| kind != ArtifactKind::HelmValues || helm_values_judge(finding))
        .filter(|finding| kind == ArtifactKind::Design || !NEEDS_CONTEXT.contains(&finding.rule))
        .filter(|finding| !(language_unknown && NEEDS_LANGUAGE.contains(&finding.rule)))
        .filter(|finding| !unknown_fields.contains(&finding.field))
        .map(|finding| {
            let line = locate(&finding.field);
            AuditFinding { finding, line }
        })
        .collect();
    Ok(Audit { kind, findings })
}

/// Whether a start command starts a server: it names the port, or runs a server or the
/// package's `start` script.
fn starts_a_server(command: &str) -> bool {
    let command = command.to_ascii_lowercase();
    [
        "port", "start", "serve", "uvicorn", "gunicorn", "listen", "http",
    ]
    .iter()
    .any(|word| command.contains(word))
}

/// A finding on the neutral design around one file, as a finding on the file: its field is
/// the path inside the design's one service (`container.stages[1]`), and it names no service.
fn of_the_file(mut finding: Finding) -> Finding {
    if let Some((_, inside)) = rules::split_service_field(&finding.field) {
        finding.field = inside.to_owned();
    }
    finding.service = None;
    finding
}

/// Rules about the stage layout a language needs (Node and Python ship installed
/// dependencies, compiled languages ship a binary): a Dockerfile whose images name no language
/// is not judged by them.
const NEEDS_LANGUAGE: &[&str] = &["DOCKER-009"];

/// Rules of a kind's areas that a values file cannot decide: the namespace quota is not in
/// it, the blue-green capacity is the cluster's, the canary's metrics and alerts live in the
/// monitoring setup; and the validity rules about other files.
const HELM_VALUES_SKIPPED: &[&str] = &[
    "K8S-015",
    "ROLLOUT-006",
    "ROLLOUT-008",
    "ROLLOUT-010",
    "CONSIST-001",
    "CONSIST-002",
    "CONSIST-003",
    "CONSIST-004",
    "PROFILE-001",
];

/// Rules of other areas that judge railway.json's own commands.
const RAILWAY_EXTRA: &[&str] = &["CACHE-006"];

/// Whether a finding on a design read from Helm values is about the values: the workload's
/// settings, not the pipeline or other files the neutral design made up.
fn helm_values_judge(finding: &Finding) -> bool {
    !HELM_VALUES_SKIPPED.contains(&finding.rule)
        && (finding.field.starts_with("kubernetes.") || finding.field.starts_with("environments["))
}

/// A `.dockerignore` alone: whether it keeps secrets and clutter out of the build context.
/// The finding is about entries that are missing, so it has no line.
fn dockerignore(text: &str) -> Audit {
    let mut design = Design::default();
    design.services[0].container.dockerignore = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let findings = rules::check(&design)
        .into_iter()
        .filter(|finding| finding.rule == "DOCKER-003")
        .map(|finding| AuditFinding {
            finding: of_the_file(finding),
            line: None,
        })
        .collect();
    Audit {
        kind: ArtifactKind::Dockerignore,
        findings,
    }
}

/// The language an image is for, from its name: `golang:1.22` → Go,
/// `gcr.io/distroless/python3-debian12` → Python; `None` for other images.
fn runtime_of_image(image: &str) -> Option<crate::model::Runtime> {
    use crate::model::Runtime;
    let image = image.trim().to_ascii_lowercase();
    let repository = image.split(['@', ':']).next().unwrap_or("");
    let name = repository.rsplit('/').next().unwrap_or("");
    let starts = |prefixes: &[&str]| prefixes.iter().any(|prefix| name.starts_with(prefix));
    if starts(&["golang"]) {
        Some(Runtime::Go)
    } else if starts(&["rust"]) {
        Some(Runtime::Rust)
    } else if starts(&["python", "pypy"]) {
        Some(Runtime::Python)
    } else if starts(&["node", "bun"]) {
        Some(Runtime::Node)
    } else if starts(&[
        "eclipse-temurin",
        "openjdk",
        "maven",
        "gradle",
        "amazoncorretto",
        "java",
    ]) {
        Some(Runtime::Java)
    } else {
        None
    }
}

/// A Dockerfile read as a design, and whether its images name no language.
fn dockerfile(text: &str) -> Result<(Located, bool), LoadError> {
    let stages = crate::import::dockerfile::parse(text)
        .map_err(|problem| error(Some(problem.line), problem.message.clone()))?;
    let mut design = Design::default();
    let mut unknown_language = false;
    design.services[0].container.stages =
        stages.iter().map(|parsed| parsed.stage.clone()).collect();
    // The language is the one the stages' images are for (`golang` builds Go). A Dockerfile
    // on images of no known language (a database image built on `debian`, an image named by a
    // build argument) is not judged by the rules about a language's stage layout.
    let runtime = design.services[0]
        .container
        .stages
        .iter()
        .find_map(|stage| runtime_of_image(&stage.image));
    match runtime {
        Some(runtime) => {
            let service = &mut design.services[0];
            service.runtime = runtime;
            service.runtime_version = runtime.default_version().to_owned();
            service.package_manager = runtime.default_package_manager();
            service.lockfile = service.package_manager.lockfile().to_owned();
        }
        None => unknown_language = true,
    }
    // A final stage that exposes no port serves no HTTP: judge it as a worker (no HTTP
    // healthcheck is expected of it).
    let serves_http = design.services[0]
        .container
        .stages
        .last()
        .is_some_and(|stage| {
            stage
                .instructions
                .iter()
                .any(|instruction| matches!(instruction, crate::model::Instruction::Expose { .. }))
        });
    let static_server = design.services[0]
        .container
        .stages
        .last()
        .is_some_and(|stage| {
            ["nginx", "caddy", "httpd"]
                .iter()
                .any(|server| stage.image.to_ascii_lowercase().contains(server))
        });
    if static_server {
        // A web server image serving built files: a static site (no dependencies stage).
        design.services[0].kind = crate::model::ServiceKind::StaticSite;
    } else if !serves_http {
        design.services[0].kind = crate::model::ServiceKind::Worker;
    }
    let lines: Vec<(usize, Vec<usize>)> = stages
        .iter()
        .map(|parsed| (parsed.line, parsed.instruction_lines.clone()))
        .collect();
    let locate = move |field: &str| {
        let rest = field.strip_prefix("container.stages[")?;
        let (stage, rest) = rest.split_once(']')?;
        let (stage_line, instruction_lines) = lines.get(stage.parse::<usize>().ok()?)?;
        match rest
            .strip_prefix(".instructions[")
            .and_then(|rest| rest.split_once(']'))
        {
            Some((index, _)) => index
                .parse::<usize>()
                .ok()
                .and_then(|index| instruction_lines.get(index).copied())
                .or(Some(*stage_line)),
            None => Some(*stage_line),
        }
    };
    Ok(((design, Box::new(locate)), unknown_language))
}

fn railway(text: &str) -> Result<Located, LoadError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|problem| error(Some(problem.line()), format!("not valid JSON: {problem}")))?;
    let build = &value["build"];
    let deploy = &value["deploy"];
    let string = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let number = |value: &Value, default: u32| {
        value
            .as_u64()
            .map_or(default, |n| n.min(u32::MAX as u64) as u32)
    };
    let mut design = Design::default();
    let railway = &mut design.services[0].railway;
    railway.enabled = true;
    railway.builder = match build["builder"]
        .as_str()
        .unwrap_or("")
        .to_ascii_uppercase()
        .as_str()
    {
        "NIXPACKS" => RailwayBuilder::Nixpacks,
        "RAILPACK" => RailwayBuilder::Railpack,
        _ => RailwayBuilder::Dockerfile,
    };
    railway.build_command = string(&build["buildCommand"]);
    railway.start_command = string(&deploy["startCommand"]);
    railway.pre_deploy_command = match &deploy["preDeployCommand"] {
        Value::Array(commands) => commands.iter().map(string).collect::<Vec<_>>().join(" && "),
        other => string(other),
    };
    railway.healthcheck_path = string(&deploy["healthcheckPath"]);
    railway.healthcheck_timeout_seconds = number(&deploy["healthcheckTimeout"], 0);
    railway.restart_policy = match deploy["restartPolicyType"].as_str().unwrap_or("") {
        "ALWAYS" => RestartPolicy::Always,
        "NEVER" => RestartPolicy::Never,
        _ => RestartPolicy::OnFailure,
    };
    railway.restart_max_retries = number(&deploy["restartPolicyMaxRetries"], 0);
    railway.replicas = number(&deploy["numReplicas"], 1);
    railway.cron_schedule = string(&deploy["cronSchedule"]);
    railway.overrides.clear();
    // A service on a cron schedule is a worker: no public domain, no HTTP health check. So is
    // one whose file shows no sign of serving HTTP: no health check, no timeout for one, and
    // no start command that starts a server (a railway.json does not say what the image does).
    let railway = &design.services[0].railway;
    let serves_http = !railway.healthcheck_path.trim().is_empty()
        || deploy.get("healthcheckTimeout").is_some()
        || starts_a_server(&railway.start_command);
    if !railway.cron_schedule.trim().is_empty() || !serves_http {
        design.services[0].kind = crate::model::ServiceKind::Worker;
    }
    let outline = Outline::json(text);
    let locate = move |field: &str| {
        let (section, name) = match field.strip_prefix("railway.")?.split(['.', '[']).next()? {
            "builder" => ("build", "builder"),
            "build_command" => ("build", "buildCommand"),
            "start_command" => ("deploy", "startCommand"),
            "pre_deploy_command" => ("deploy", "preDeployCommand"),
            "healthcheck_path" => ("deploy", "healthcheckPath"),
            "healthcheck_timeout_seconds" => ("deploy", "healthcheckTimeout"),
            "restart_policy" => ("deploy", "restartPolicyType"),
            "restart_max_retries" => ("deploy", "restartPolicyMaxRetries"),
            "replicas" => ("deploy", "numReplicas"),
            "cron_schedule" => ("deploy", "cronSchedule"),
            _ => ("deploy", ""),
        };
        outline
            .nearest(&[key(section), key(name)])
            .or_else(|| outline.line(&[key("deploy")]))
    };
    Ok((design, Box::new(locate)))
}

#[cfg(test)]
mod tests;
