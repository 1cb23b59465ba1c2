//! `slipway lint`: design files checked, or existing artifacts audited, with the findings
//! printed for people, scripts or GitHub code scanning.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use slipway_core::audit::repository::audit_repository;
use slipway_core::audit::{self, ArtifactKind};
use slipway_core::rules::{Finding, Severity};

use crate::cli::{FailOn, OutputFormat};
use crate::input::{is_archive, located, parse, read, read_repository, BadInput};
use crate::sarif;

pub const MANUAL: &str = "\
Check design files, existing Dockerfiles, workflows, railway.json and Helm values, or a
whole repository

DESCRIPTION:
  Checks design files against every rule, or audits existing files (a Dockerfile, a
  workflow, a railway.json, a Helm values file) with the rules about them. Given a folder
  or a .zip of a repository, it audits every such file in it (a workflow by its role: CI,
  deploy, release, docs, ...), then judges the repository as a whole: whether any workflow
  lints, tests with coverage and scans dependencies, whether each image's build context
  keeps secrets out, whether the image, chart and Railway config agree on the health path
  and the user. It prints the findings with
  their lines: for people (human), for scripts (json), or for GitHub code scanning (sarif,
  SARIF 2.1.0 with the rule catalog and security severities).

  --fail-on sets the lowest severity that fails the run. The default, low, fails on any
  open finding, as lint always has; --fail-on high lets medium and low findings pass;
  --fail-on none reports without failing. Waived findings (a waiver with a reason in the
  design) are reported as waived, or as suppressed in SARIF, and never fail the run.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway lint slipway.yaml
  slipway lint --fail-on high slipway.yaml
  slipway lint --format sarif --fail-on none slipway.yaml > slipway.sarif
  slipway lint Dockerfile charts/api/values.yaml railway.json
  slipway lint .                                  # the whole repository
  slipway lint --format sarif shop-main.zip > shop.sarif

EXIT STATUS:
  0  no open finding at or above --fail-on (default low: no open finding at all)
  1  an open finding at or above --fail-on
  2  bad input: unreadable file (in a repository: after the other files' findings), invalid design (file:line: field: message), newer schema
     version, a file that is neither a design nor a known artifact, bad usage";

impl FailOn {
    /// Whether an open finding of this severity fails the run.
    fn fails(self, severity: Severity) -> bool {
        let threshold = match self {
            FailOn::Critical => Severity::Critical,
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
            FailOn::None => return false,
        };
        // Severities order from most to least severe.
        severity <= threshold
    }
}

/// One linted file: what it is, its findings with their lines, and the design's waivers.
struct Linted {
    path: String,
    kind: &'static str,
    findings: Vec<(Finding, Option<usize>)>,
    waivers: Vec<(String, String)>,
}

/// Lints a design file, or audits an existing artifact (Dockerfile, railway.json, Helm values).
fn lint_file(path: &Path) -> Result<Linted, BadInput> {
    let text = read(path)?;
    let name = path.to_string_lossy();
    let audited = audit::audit(&name, &text).map_err(|error| located(path, &error))?;
    let waivers = if audited.kind == ArtifactKind::Design {
        parse(path, &text)?
            .waivers
            .iter()
            .map(|waiver| (waiver.rule.clone(), waiver.reason.clone()))
            .collect()
    } else {
        Vec::new()
    };
    Ok(Linted {
        path: path.display().to_string(),
        kind: audited.kind.label(),
        findings: audited
            .findings
            .into_iter()
            .map(|finding| (finding.finding, finding.line))
            .collect(),
        waivers,
    })
}

/// Lints a repository (a folder or a `.zip`) as a whole: each file by the rules about its
/// kind, then the rules that need several files, at the file and line they are about.
/// Files that cannot be read are left out and returned as located errors.
fn lint_repository(path: &Path) -> Result<(Vec<Linted>, Vec<BadInput>), BadInput> {
    let (collector, name) = read_repository(path)?;
    let audited = audit_repository(&name, collector);
    let shown = |inside: &str| {
        if is_archive(path) {
            format!("{}!{inside}", path.display())
        } else {
            path.join(inside).display().to_string()
        }
    };
    let mut linted = Vec::new();
    let mut unreadable = Vec::new();
    for file in &audited.files {
        let findings = match &file.result {
            Ok(findings) => findings,
            Err(error) => {
                unreadable.push(located(Path::new(&shown(&file.path)), error));
                continue;
            }
        };
        linted.push(Linted {
            path: shown(&file.path),
            kind: file.kind.label(),
            findings: findings
                .iter()
                .map(|found| (found.finding.clone(), found.line))
                .collect(),
            waivers: Vec::new(),
        });
    }
    if !audited.whole.is_empty() {
        linted.push(Linted {
            path: path.display().to_string(),
            kind: "repository",
            findings: audited
                .whole
                .iter()
                .map(|found| (found.finding.clone(), found.line))
                .collect(),
            waivers: Vec::new(),
        });
    }
    Ok((linted, unreadable))
}

pub fn run(paths: &[PathBuf], format: OutputFormat, fail_on: FailOn) -> Result<ExitCode, BadInput> {
    let mut linted: Vec<Linted> = Vec::new();
    let mut unreadable: Vec<BadInput> = Vec::new();
    for path in paths {
        if path.is_dir() || is_archive(path) {
            let (files, errors) = lint_repository(path)?;
            linted.extend(files);
            unreadable.extend(errors);
        } else {
            linted.push(lint_file(path)?);
        }
    }
    let all = || {
        linted
            .iter()
            .flat_map(|file| file.findings.iter().map(|(finding, _)| finding))
    };
    let failing = all()
        .filter(|finding| !finding.waived && fail_on.fails(finding.severity))
        .count();
    let open = all().filter(|finding| !finding.waived).count();
    let mut stdout = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let json: Vec<_> = linted
                .iter()
                .map(|file| {
                    let findings: Vec<_> = file
                        .findings
                        .iter()
                        .map(|(finding, line)| {
                            let mut value = serde_json::to_value(finding).unwrap_or_default();
                            value["line"] = serde_json::json!(line);
                            value
                        })
                        .collect();
                    serde_json::json!({ "path": file.path, "kind": file.kind, "findings": findings })
                })
                .collect();
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        OutputFormat::Sarif => {
            let reports: Vec<sarif::Report> = linted
                .iter()
                .map(|file| sarif::Report {
                    path: &file.path,
                    findings: &file.findings,
                    waivers: file.waivers.clone(),
                })
                .collect();
            let log = sarif::log(&reports);
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string_pretty(&log).unwrap_or_default()
            );
        }
        OutputFormat::Human => {
            for file in &linted {
                for (finding, line) in &file.findings {
                    let waived = if finding.waived { " (waived)" } else { "" };
                    let line = line.map(|line| format!(":{line}")).unwrap_or_default();
                    let _ = writeln!(
                        stdout,
                        "{}{line}: {} {:<8} {}{waived}\n    at {}: {}",
                        file.path,
                        finding.rule,
                        finding.severity.id(),
                        finding.title,
                        finding.field,
                        finding.message
                    );
                }
            }
            let _ = writeln!(
                stdout,
                "{open} finding(s) in {} file(s); {failing} at or above --fail-on",
                linted.len()
            );
        }
    }
    // A repository's unreadable files do not hide the others' findings, but make the run
    // fail as bad input.
    if !unreadable.is_empty() {
        for BadInput(message) in &unreadable {
            eprintln!("slipway: {message}");
        }
        return Ok(ExitCode::from(2));
    }
    Ok(if failing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
