//! How far the workflow rules agree with zizmor on the corpus's 298 real workflows. Ignored by
//! default (it needs zizmor on `PATH`, or `ZIZMOR=path`); `scripts/test` runs it:
//! `cargo test -p slipway-core --test zizmor_agreement -- --ignored --nocapture`.
//!
//! zizmor runs once over every file (`--offline --format json`, default persona) and Slipway
//! audits each file in this process. Per zizmor audit named in a rule's `equivalents`: both
//! counts, and recall and precision over (file, audit) pairs, then over occurrences (a Slipway
//! finding whose line lies in the span zizmor reports).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// zizmor's findings of one audit: the file and the line spans of the finding's locations.
type Spans = Vec<(String, Vec<(usize, usize)>)>;

fn percent(part: usize, whole: usize) -> String {
    match whole {
        0 => "—".to_owned(),
        _ => format!("{:.0} %", 100.0 * part as f64 / whole as f64),
    }
}

#[test]
#[ignore = "needs zizmor; scripts/test runs it"]
fn zizmor_agreement_on_the_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/corpus/workflows")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    let zizmor = std::env::var("ZIZMOR").unwrap_or_else(|_| "zizmor".to_owned());
    let version = Command::new(&zizmor)
        .arg("--version")
        .output()
        .expect("zizmor on PATH or ZIZMOR");
    let output = Command::new(&zizmor)
        .args([
            "--offline",
            "--no-progress",
            "--format",
            "json",
            "--no-exit-codes",
        ])
        .args(&files)
        .output()
        .expect("zizmor runs");
    let reported: Vec<Value> = serde_json::from_slice(&output.stdout).expect("zizmor's JSON");

    // zizmor audit → Slipway rule, from the rules' equivalents.
    let audits: BTreeMap<String, &str> = slipway_core::rules::registry()
        .iter()
        .flat_map(|rule| {
            let doc = rule.doc();
            doc.equivalents
                .iter()
                .filter_map(|name| name.strip_prefix("zizmor "))
                .filter(|name| !name.contains(' '))
                .map(move |name| (name.to_owned(), doc.id))
        })
        .collect();
    let name = |path: &str| {
        Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    let mut theirs: BTreeMap<&str, Spans> = BTreeMap::new();
    for finding in &reported {
        let Some(rule) = audits.get(finding["ident"].as_str().unwrap_or("")) else {
            continue;
        };
        // The finding's every location (the trigger, the step, the job), as line spans.
        let locations = finding["locations"].as_array().cloned().unwrap_or_default();
        let Some(first) = locations.first() else {
            continue;
        };
        let file = name(
            first["symbolic"]["key"]["Local"]["verbatim_path"]
                .as_str()
                .unwrap_or(""),
        );
        let spans = locations
            .iter()
            .map(|location| {
                let span = &location["concrete"]["location"];
                let row = |point: &str| span[point]["row"].as_u64().unwrap_or(0) as usize + 1;
                (row("start_point"), row("end_point"))
            })
            .collect();
        theirs.entry(rule).or_default().push((file, spans));
    }
    let mut ours: BTreeMap<&str, Vec<(String, Option<usize>)>> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("readable");
        let Ok(audit) = slipway_core::audit::audit(&path.to_string_lossy(), &text) else {
            continue;
        };
        for item in audit.findings {
            if audits.values().any(|rule| *rule == item.finding.rule) {
                ours.entry(item.finding.rule)
                    .or_default()
                    .push((name(&path.to_string_lossy()), item.line));
            }
        }
    }
    println!(
        "{}, {} workflows",
        String::from_utf8_lossy(&version.stdout).trim(),
        files.len()
    );
    println!("| zizmor audit | rule | zizmor | Slipway | files: zizmor / Slipway / both | file recall | file precision | occurrence recall | occurrence precision |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (audit, rule) in &audits {
        let zz = theirs.get(rule).cloned().unwrap_or_default();
        let us = ours.get(rule).cloned().unwrap_or_default();
        let zz_files: BTreeSet<&str> = zz.iter().map(|(file, _)| file.as_str()).collect();
        let us_files: BTreeSet<&str> = us.iter().map(|(file, _)| file.as_str()).collect();
        let both = zz_files.intersection(&us_files).count();
        let within = |(file, line): &(String, Option<usize>),
                      (their, spans): &(String, Vec<(usize, usize)>)| {
            file == their
                && line.is_some_and(|line| {
                    spans
                        .iter()
                        .any(|(start, end)| (*start..=*end).contains(&line))
                })
        };
        let found = zz
            .iter()
            .filter(|span| us.iter().any(|item| within(item, span)))
            .count();
        let confirmed = us
            .iter()
            .filter(|item| zz.iter().any(|span| within(item, span)))
            .count();
        println!(
            "| `{audit}` | {rule} | {} | {} | {} / {} / {both} | {} | {} | {} | {} |",
            zz.len(),
            us.len(),
            zz_files.len(),
            us_files.len(),
            percent(both, zz_files.len()),
            percent(both, us_files.len()),
            percent(found, zz.len()),
            percent(confirmed, us.len()),
        );
    }
}
