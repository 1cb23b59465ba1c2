//! Audit mode: findings for an existing file — a Dockerfile, a `.dockerignore`, a GitHub
//! Actions workflow, a `railway.json`, Helm values or a Slipway design — from the same rules
//! that check designs, located at the file's lines. `docs/audit.md` lists what each kind of
//! file is checked for.
//!
//! Each artifact is read into the part of a neutral design it describes, the rules run, and
//! only the rules about that part are kept (a lone Dockerfile says nothing about branch
//! protection). Malformed input gets a located parse error.

mod report;
pub mod repository;
mod workflow;

pub use report::{ArtifactKind, Audit, AuditFinding};
pub use workflow::{CI_WORKFLOW, DEPLOY_WORKFLOW, EVERY_WORKFLOW, SCHEDULED_WORKFLOW};

use crate::formats::outline::Outline;
use crate::io::{LoadError, MAX_DESIGN_BYTES};
use crate::model::Design;
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
            let (located, unknown) = crate::import::dockerfile::design_of(text)?;
            language_unknown = unknown;
            located
        }
        ArtifactKind::Dockerignore => return Ok(dockerignore(text)),
        ArtifactKind::GithubWorkflow => return workflow::audit(text),
        ArtifactKind::RailwayJson => crate::import::railway::read(text)?,
        ArtifactKind::HelmValues => {
            let (located, unknown) = crate::import::values::read(text)?;
            unknown_fields = unknown;
            located
        }
    };
    let areas = kind.areas();
    let judges = |doc: &rules::RuleDoc| {
        areas.is_empty() || areas.contains(&doc.area) || RAILWAY_EXTRA.contains(&doc.id)
    };
    let findings = rules::check_only(&design, &judges)
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
    let findings = rules::check_only(&design, &|doc| doc.id == "DOCKER-003")
        .into_iter()
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

#[cfg(test)]
mod tests;
