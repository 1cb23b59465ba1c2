//! How far the workflow rules agree with zizmor on the corpus's 335 real workflows. Ignored by
//! default (it needs zizmor on `PATH`, or `ZIZMOR=path`); `scripts/test` runs it:
//! `cargo test -p slipway-core --test zizmor_agreement -- --ignored --nocapture`.
//!
//! zizmor runs once over every file (`--offline --format json`, default persona) and Slipway
//! audits each file in this process. Per zizmor audit named in a rule's `equivalents`: both
//! counts, and recall and precision over (file, audit) pairs, then over occurrences (a Slipway
//! finding whose line lies in the span zizmor reports).
//!
//! zizmor runs with `--no-ignores --no-config`: the audits are compared, not the waivers a
//! repository wrote for one of them (`# zizmor: ignore[…]`), which Slipway does not read.
//! `template-injection` gets a row per zizmor severity too: most of its findings are
//! "informational" ones about expressions whose origin it cannot bound. A last row keeps only
//! the findings whose expression reads an outsider's text (`facts::expressions::outsiders_text`,
//! the class WORKFLOW-001 judges): zizmor also rates `github.event.action`, logins, URLs, refs
//! and `workflow_dispatch` inputs "high", values no outsider can fill with shell syntax.
//!
//! Ten of the corpus's scripts expand an outsider's text (pull request and issue titles, issue
//! and comment bodies, head branches), so a second workflow written here probes the whole
//! class: one `run:` step per context of `facts::expressions::OUTSIDERS_TEXT`, and how many of
//! those steps each side reports.
//!
//! `ZIZMOR_SHOW=WORKFLOW-002` (rules separated by commas, or `all`) also prints the files only
//! one side reports and the occurrences the other side does not confirm.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use slipway_core::facts::expressions::outsiders_text;

/// zizmor's findings of one audit: the file and the line spans of the finding's locations.
type Spans = Vec<(String, Vec<(usize, usize)>)>;

/// zizmor's findings of one audit, each with its severity (an index of `SEVERITIES`), the
/// file, the line spans and whether the expression it is about reads an outsider's text.
type Rated = Vec<(usize, String, Vec<(usize, usize)>, bool)>;

/// zizmor's severities, least first.
const SEVERITIES: [&str; 4] = ["informational", "low", "medium", "high"];

/// An expression that names a context (`github.event.commits[0].message`) as the context path
/// `facts::expressions::outsiders_text` reads (`github.event.commits.*.message`).
fn context_path(expression: &str) -> String {
    let mut path = String::new();
    let mut rest = expression.trim();
    while let Some(open) = rest.find('[') {
        path.push_str(&rest[..open]);
        let close = rest[open..]
            .find(']')
            .map_or(rest.len(), |at| open + at + 1);
        path.push_str(".*");
        rest = &rest[close.min(rest.len())..];
    }
    path.push_str(rest);
    path.to_ascii_lowercase()
}

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
            "--no-ignores",
            "--no-config",
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
    let rank = |severity: &str| {
        SEVERITIES
            .iter()
            .position(|known| known.eq_ignore_ascii_case(severity))
            .unwrap_or(0)
    };
    // A row: the zizmor audit, the least severity of zizmor's findings it counts, whether it
    // counts only those about an outsider's text, the rule.
    let mut rows: Vec<(&str, usize, bool, &str)> = Vec::new();
    for (audit, rule) in &audits {
        rows.push((audit, 0, false, rule));
        if audit == "template-injection" {
            rows.extend([
                (audit.as_str(), rank("medium"), false, *rule),
                (audit, rank("high"), false, rule),
                (audit, 0, true, rule),
            ]);
        }
    }
    let mut theirs: BTreeMap<&str, Rated> = BTreeMap::new();
    for finding in &reported {
        let Some(rule) = audits.get(finding["ident"].as_str().unwrap_or("")) else {
            continue;
        };
        let severity = rank(finding["determinations"]["severity"].as_str().unwrap_or(""));
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
        // The expression of the finding's primary location (`github.event.commits[0].message`),
        // read as a context path (`github.event.commits.*.message`).
        let outsider = locations
            .iter()
            .filter(|location| location["symbolic"]["kind"] == "Primary")
            .filter_map(|location| {
                location["symbolic"]["feature_kind"]["Subfeature"]["fragment"]["Raw"].as_str()
            })
            .any(|fragment| outsiders_text(&context_path(fragment)));
        theirs
            .entry(rule)
            .or_default()
            .push((severity, file, spans, outsider));
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
    let show = std::env::var("ZIZMOR_SHOW").unwrap_or_default();
    let shown = |rule: &str| show == "all" || show.split(',').any(|name| name.trim() == rule);
    let mut details = Vec::new();
    for &(audit, least, only_outsiders, rule) in &rows {
        let zz: Spans = theirs
            .get(rule)
            .into_iter()
            .flatten()
            .filter(|(severity, _, _, outsider)| {
                *severity >= least && (*outsider || !only_outsiders)
            })
            .map(|(_, file, spans, _)| (file.clone(), spans.clone()))
            .collect();
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
        if shown(rule) && least == 0 && !only_outsiders {
            for file in zz_files.symmetric_difference(&us_files) {
                let side = if zz_files.contains(file) {
                    "zizmor"
                } else {
                    "Slipway"
                };
                details.push(format!("{rule}: only {side} reports {file}"));
            }
            for (file, spans) in zz
                .iter()
                .filter(|span| !us.iter().any(|item| within(item, span)))
            {
                details.push(format!(
                    "{rule}: zizmor's {file}:{spans:?} has no Slipway finding"
                ));
            }
            for (file, line) in us
                .iter()
                .filter(|item| !zz.iter().any(|span| within(item, span)))
            {
                details.push(format!(
                    "{rule}: Slipway's {file}:{} is not in a zizmor finding",
                    line.unwrap_or(0)
                ));
            }
        }
        let label = match (least, only_outsiders) {
            (_, true) => format!("`{audit}`, outsiders' text"),
            (0, false) => format!("`{audit}`"),
            _ => format!("`{audit}` ≥ {}", SEVERITIES[least]),
        };
        println!(
            "| {label} | {rule} | {} | {} | {} / {} / {both} | {} | {} | {} | {} |",
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
    for line in details {
        println!("{line}");
    }
    outsiders_text_probe(&zizmor);
}

/// One `run:` step per context WORKFLOW-001 takes for an outsider's text, on a
/// `pull_request_target` workflow: the steps zizmor reports, by severity, and those Slipway does.
fn outsiders_text_probe(zizmor: &str) {
    let contexts = slipway_core::facts::expressions::OUTSIDERS_TEXT;
    let mut workflow = String::from(
        "on: pull_request_target\npermissions: {}\njobs:\n  probe:\n    runs-on: ubuntu-latest\n    steps:\n",
    );
    for context in contexts {
        let context = context.replace(".*.", "[0].");
        workflow.push_str(&format!("      - run: echo \"${{{{ {context} }}}}\"\n"));
    }
    let path = std::env::temp_dir().join(format!("outsiders-text-{}.yml", std::process::id()));
    std::fs::write(&path, &workflow).expect("temporary workflow");
    let output = Command::new(zizmor)
        .args([
            "--offline",
            "--no-progress",
            "--format",
            "json",
            "--no-exit-codes",
            "--no-config",
        ])
        .arg(&path)
        .output()
        .expect("zizmor runs");
    std::fs::remove_file(&path).ok();
    let reported: Vec<Value> = serde_json::from_slice(&output.stdout).expect("zizmor's JSON");
    // The step (line) of each template-injection finding, with its severity.
    let mut theirs: BTreeMap<usize, String> = BTreeMap::new();
    for finding in reported
        .iter()
        .filter(|finding| finding["ident"] == "template-injection")
    {
        for location in finding["locations"].as_array().into_iter().flatten() {
            if location["symbolic"]["kind"] == "Primary" {
                let row = location["concrete"]["location"]["start_point"]["row"]
                    .as_u64()
                    .unwrap_or(0) as usize
                    + 1;
                let severity = finding["determinations"]["severity"].as_str().unwrap_or("");
                theirs.insert(row, severity.to_ascii_lowercase());
            }
        }
    }
    let ours = slipway_core::audit::audit(".github/workflows/probe.yml", &workflow)
        .expect("the probe audits")
        .findings
        .into_iter()
        .filter(|item| item.finding.rule == "WORKFLOW-001")
        .count();
    let at_least = |least: &str| {
        theirs
            .values()
            .filter(|severity| {
                SEVERITIES.iter().position(|known| known == severity)
                    >= SEVERITIES.iter().position(|known| *known == least)
            })
            .count()
    };
    println!(
        "Outsiders' text, one script per context WORKFLOW-001 takes for one ({}): zizmor reports {} (≥ medium {}, high {}), Slipway {ours}",
        contexts.len(),
        theirs.len(),
        at_least("medium"),
        at_least("high"),
    );
}
