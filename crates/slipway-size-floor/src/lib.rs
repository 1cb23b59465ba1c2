//! The size floor of the browser build: everything the engine does for the app (read a design,
//! check it, fix it, share it, export the zip, audit existing files, document the rules),
//! exported to JavaScript with no user interface at all. `bash scripts/size-floor` builds it
//! like the app's release build and prints its brotli size, the least any Slipway page with
//! today's features can weigh (docs/performance.md).

#![allow(unused_imports, dead_code)] // Each export can be left out (see Cargo.toml's features).

use slipway_core::{audit, generate, io, presets, rules, share};
use wasm_bindgen::prelude::*;

/// Checks a design (YAML or JSON): one line per finding, or the load error.
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn check(text: &str) -> String {
    match io::parse_design(text) {
        Ok(design) => lines(
            rules::check(&design)
                .iter()
                .map(|finding| format!("{} {}", finding.rule, finding.message)),
        ),
        Err(error) => error.to_string(),
    }
}

/// Applies the fix of `rule`; returns the design as JSON, then as a share link.
#[cfg(feature = "fix")]
#[wasm_bindgen]
pub fn fix(text: &str, rule: &str) -> String {
    match io::parse_design(text) {
        Ok(mut design) => {
            rules::apply_fix(&mut design, rule);
            format!("{}\n{}", io::to_json(&design), share::encode(&design))
        }
        Err(error) => error.to_string(),
    }
}

/// Opens a share link as YAML.
#[cfg(feature = "share")]
#[wasm_bindgen]
pub fn open_link(fragment: &str) -> String {
    share::decode(fragment)
        .map(|design| io::to_yaml(&design))
        .unwrap_or_else(|error| error.to_string())
}

/// The zip of every generated file of a design, or of a preset when `text` names one.
#[cfg(feature = "export")]
#[wasm_bindgen]
pub fn export(text: &str) -> Vec<u8> {
    let design = presets::all()
        .iter()
        .find(|preset| preset.id == text)
        .map(|preset| (preset.build)())
        .or_else(|| io::parse_design(text).ok());
    design
        .map(|design| generate(&design).to_zip())
        .unwrap_or_default()
}

/// Audits an existing file (workflow, Dockerfile, values, railway.json, .dockerignore).
#[cfg(feature = "audit")]
#[wasm_bindgen]
pub fn audit_file(name: &str, text: &str) -> String {
    match audit::audit(name, text) {
        Ok(audit) => lines(audit.findings.iter().map(|found| {
            format!(
                "{:?} {} {}",
                found.line, found.finding.rule, found.finding.message
            )
        })),
        Err(error) => error.to_string(),
    }
}

/// Every rule's documentation, as the Rules view shows it.
#[cfg(feature = "docs")]
#[wasm_bindgen]
pub fn docs() -> String {
    lines(rules::registry().iter().map(|rule| {
        let doc = rule.doc();
        [
            doc.id,
            doc.name,
            doc.title,
            doc.what,
            doc.why,
            doc.incorrect,
            doc.correct,
            doc.fix,
            doc.source,
        ]
        .join("\n")
    }))
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(all(
        feature = "check",
        feature = "fix",
        feature = "export",
        feature = "audit",
        feature = "docs"
    ))]
    fn every_export_works_on_a_preset() {
        let design = io::to_yaml(&(presets::all()[0].build)());
        assert!(!check(&design).is_empty());
        assert!(fix(&design, "DOCKER-003").contains("\"version\""));
        assert!(export(presets::all()[0].id).starts_with(b"PK"));
        assert!(docs().contains("DOCKER-001"));
        assert!(check("version: [").contains("line"));
        assert!(!audit_file("Dockerfile", "FROM node\nRUN npm install\n").is_empty());
    }
}
