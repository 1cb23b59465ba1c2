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

/// GitHub ranks security alerts by this score (critical ≥ 9, high ≥ 7, medium ≥ 4).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "7.5",
        Severity::Medium => "5.0",
        Severity::Low => "2.0",
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
                "properties": {
                    "tags": [doc.area.label(), "security"],
                    "security-severity": security_severity(doc.severity),
                    "precision": "high",
                },
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
            let line = line.unwrap_or(1);
            let mut result = json!({
                "ruleId": finding.rule,
                "level": level(finding.severity),
                "message": { "text": format!("{} ({})", finding.message, finding.field) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": report.path.replace('\\', "/") },
                        "region": { "startLine": line },
                    },
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
                    "informationUri": "https://github.com/slipway/slipway",
                    "rules": rule_descriptors(),
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
