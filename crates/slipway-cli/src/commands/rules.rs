//! `slipway rules`: the rule catalog, as a table or as JSON.

use std::process::ExitCode;

use slipway_core::rules;

use crate::input::BadInput;

pub const MANUAL: &str = "\
List every rule

DESCRIPTION:
  Prints every rule Slipway checks, in catalog order: id, severity, area and title. With
  --json, the full documentation of each rule (what, why, incorrect and correct examples,
  fix, source) as a JSON array.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway rules
  slipway rules --json | jq -r '.[] | select(.severity == \"critical\") | .id'

EXIT STATUS:
  0  always";

pub fn run(json: bool) -> Result<ExitCode, BadInput> {
    let docs: Vec<_> = rules::registry().iter().map(|rule| rule.doc()).collect();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&docs).unwrap_or_default()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for doc in docs {
        println!(
            "{:<11} {:<9} {:<18} {}",
            doc.id,
            doc.severity.id(),
            doc.area.label(),
            doc.title
        );
    }
    Ok(ExitCode::SUCCESS)
}
