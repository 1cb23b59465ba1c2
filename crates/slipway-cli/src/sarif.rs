//! SARIF 2.1.0 output for GitHub code scanning: one run, the rule registry as the tool's rules,
//! one result per finding, located at the design file's line where the field can be found.

use serde_json::{json, Value};
use slipway_core::rules::{self, Finding, Severity};

/// SARIF's level for a severity: errors block, warnings and notes inform.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub ranks security alerts by this score (critical above 9.0, high from 7.0). Only
/// critical and high rules carry one: medium and low findings stay quality notes, not alerts.
fn security_severity(severity: Severity) -> Option<&'static str> {
    match severity {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("7.5"),
        Severity::Medium | Severity::Low => None,
    }
}

/// The rule's property bag. GitHub reads `security-severity` only from rules tagged `security`.
fn rule_properties(severity: Severity, area: &str) -> Value {
    match security_severity(severity) {
        Some(score) => json!({
            "tags": [area, "security"],
            "security-severity": score,
            "precision": "high",
        }),
        None => json!({ "tags": [area], "precision": "high" }),
    }
}

fn rule_descriptors() -> Vec<Value> {
    rules::registry()
        .iter()
        .map(|rule| {
            let doc = rule.doc();
            json!({
                "id": doc.id,
                "name": doc.name,
                "shortDescription": { "text": doc.title },
                "fullDescription": { "text": doc.what },
                "help": {
                    "text": format!("{}\n\nWhy: {}\n\nFix: {}", doc.what, doc.why, doc.fix),
                    "markdown": format!(
                        "**{}**\n\n{}\n\n**Why:** {}\n\n**Fix:** {}\n\nIncorrect:\n```\n{}\n```\nCorrect:\n```\n{}\n```",
                        doc.title, doc.what, doc.why, doc.fix, doc.incorrect, doc.correct
                    ),
                },
                "defaultConfiguration": { "level": level(doc.severity) },
                "properties": rule_properties(doc.severity, doc.area.label()),
            })
        })
        .collect()
}

/// One linted file: its path (as given) and its findings with their lines.
pub struct Report<'a> {
    pub path: &'a str,
    pub findings: &'a [(Finding, Option<usize>)],
    /// The design's waivers, as (rule, reason).
    pub waivers: Vec<(String, String)>,
}

/// The SARIF log for every linted file.
pub fn log(reports: &[Report]) -> Value {
    let index_of = |id: &str| {
        rules::registry()
            .iter()
            .position(|rule| rule.doc().id == id)
    };
    let mut results = Vec::new();
    for report in reports {
        for (finding, line) in report.findings {
            let mut physical = json!({
                "artifactLocation": { "uri": report.path.replace('\\', "/") },
            });
            // Without a known line the result is about the whole file: no region is claimed
            // (GitHub code scanning treats a result without a region as a file-level alert).
            if let Some(line) = line {
                physical["region"] = json!({ "startLine": line });
            }
            let mut result = json!({
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": { "text": format!("{} ({})", finding.message, finding.field) },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{ "fullyQualifiedName": finding.field, "kind": "member" }],
                }],
                "partialFingerprints": {
                    "slipwayField/v1": format!("{}:{}", finding.rule, finding.field),
                },
            });
            if let Some(index) = index_of(finding.rule) {
                result["ruleIndex"] = json!(index);
            }
            if finding.waived {
                let reason = report
                    .waivers
                    .iter()
                    .find(|(rule, _)| rule == finding.rule)
                    .map_or("", |(_, reason)| reason.as_str());
                result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "slipway",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rule_descriptors(),
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
