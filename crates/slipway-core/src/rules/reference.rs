//! `docs/rules.md`: the rules reference, generated from the registry so it never drifts
//! (a test compares the checked-in file with this output).

use std::fmt::Write;

use super::{registry, Area, RuleDoc};

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Fenced block that survives backticks in the example.
fn fenced(text: &str) -> String {
    let fence = if text.contains("```") { "````" } else { "```" };
    format!("{fence}\n{text}\n{fence}\n")
}

fn section(out: &mut String, doc: &RuleDoc) {
    let _ = writeln!(
        out,
        "### {} · `{}` · {}\n",
        doc.id,
        doc.name,
        doc.severity.id()
    );
    let _ = writeln!(out, "**{}**\n", doc.title);
    let _ = writeln!(out, "- **What:** {}", doc.what);
    let _ = writeln!(out, "- **Why:** {}", doc.why);
    let _ = writeln!(out, "- **Fix:** {}", doc.fix);
    let _ = writeln!(out, "- **Source:** {}", doc.source);
    if !doc.equivalents.is_empty() {
        let _ = writeln!(out, "- **Same as:** {}", doc.equivalents.join(", "));
    }
    let _ = writeln!(out, "\nIncorrect:\n\n{}", fenced(doc.incorrect));
    let _ = writeln!(out, "Correct:\n\n{}", fenced(doc.correct));
}

/// The whole reference: an index table, then one section per rule, grouped by area.
pub fn markdown() -> String {
    let docs: Vec<&RuleDoc> = registry().iter().map(|rule| rule.doc()).collect();
    let mut out = String::from(
        "# Rules reference\n\nGenerated from the rule registry (`UPDATE_RULES_DOC=1 cargo test -p slipway-core --test rules_reference`); \
         do not edit by hand (a test fails when this file and the registry disagree).\n\n\
         Severity: **critical** blocks the export unless waived with a reason, **high** is an \
         error, **medium** a warning, **low** a suggestion.\n\n",
    );
    let _ = writeln!(out, "{} rules.\n", docs.len());
    out.push_str("| id | severity | area | title |\n|---|---|---|---|\n");
    for doc in &docs {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} |",
            doc.id,
            anchor(doc),
            doc.severity.id(),
            doc.area.label(),
            cell(doc.title)
        );
    }
    let mut areas: Vec<Area> = Vec::new();
    for doc in &docs {
        if !areas.contains(&doc.area) {
            areas.push(doc.area);
        }
    }
    for area in areas {
        let _ = writeln!(out, "\n## {}\n", area.label());
        for doc in docs.iter().filter(|doc| doc.area == area) {
            section(&mut out, doc);
        }
    }
    out
}

/// GitHub's heading anchor for a rule's section.
fn anchor(doc: &RuleDoc) -> String {
    format!("{} · `{}` · {}", doc.id, doc.name, doc.severity.id())
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_reference_lists_every_rule_once() {
        let text = super::markdown();
        for rule in super::registry() {
            let heading = format!("### {} ·", rule.doc().id);
            assert_eq!(text.matches(&heading).count(), 1, "{}", rule.doc().id);
        }
    }
}
