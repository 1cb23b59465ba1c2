//! `slipway explain`: one rule's documentation.

use std::process::ExitCode;

use slipway_core::rules;

use crate::input::BadInput;

pub const MANUAL: &str = "\
Print a rule's documentation

DESCRIPTION:
  Prints what a rule checks, why it matters, an incorrect and a correct example, how to
  fix a finding, the rule's source and the other tools that check the same thing. The id
  is case-insensitive.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway explain DOCKER-001
  slipway explain pipeline-006

EXIT STATUS:
  0  printed
  2  unknown rule";

pub fn run(id: &str) -> Result<ExitCode, BadInput> {
    let rule = rules::find(id).ok_or_else(|| {
        BadInput(format!(
            "unknown rule `{id}`; `slipway rules` lists them all"
        ))
    })?;
    let doc = rule.doc();
    println!("{} · {} · {}\n", doc.id, doc.name, doc.severity.id());
    println!("{}\n", doc.title);
    println!("What: {}\n\nWhy: {}\n", doc.what, doc.why);
    println!("Incorrect:\n{}\n", indent(doc.incorrect));
    println!("Correct:\n{}\n", indent(doc.correct));
    println!("Fix: {}\n\nSource: {}", doc.fix, doc.source);
    if !doc.equivalents.is_empty() {
        println!("Also checked by: {}", doc.equivalents.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|line| format!("    {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
