//! Audits every file of the real-file corpus (`tests/corpus/`, origins in
//! `tests/corpus/SOURCES.md`) in one process: no file may panic the audit or be refused (each is
//! a file its own tool accepts), and the number of findings per rule and kind of file must match
//! `tests/corpus/findings.txt`, so a change in a rule's precision shows in review.
//! Regenerate the counts with `UPDATE_CORPUS=1 cargo test -p slipway-core --test corpus`;
//! `-- --nocapture` prints the table; `CORPUS_SHOW=DOCKER-005` (a rule, or several separated by
//! commas, or `all`) also prints each of those findings with its file, line and message.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use slipway_core::audit;

/// The kinds of file, as the corpus folders name them.
const KINDS: [&str; 4] = ["workflows", "dockerfiles", "helm-values", "railway"];

/// One corpus file: its folder, its name there and its path in its repository.
struct Source {
    kind: String,
    file: String,
    path: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

/// The rows of the table in SOURCES.md: `| kind | file | repository | path | commit | licence |`.
fn sources(dir: &Path) -> Vec<Source> {
    let text = std::fs::read_to_string(dir.join("SOURCES.md")).expect("tests/corpus/SOURCES.md");
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            (cells.len() == 6 && KINDS.contains(&cells[0])).then(|| Source {
                kind: cells[0].to_owned(),
                file: cells[1].to_owned(),
                path: cells[3].to_owned(),
            })
        })
        .collect()
}

/// Findings per rule: the rule's severity, then per kind the number of findings and of files.
type Counts = BTreeMap<&'static str, (&'static str, BTreeMap<String, (usize, usize)>)>;

fn table(
    files: &BTreeMap<String, usize>,
    counts: &Counts,
    clean: &BTreeMap<String, usize>,
) -> String {
    let mut out = String::new();
    out.push_str(
        "# Findings per rule when auditing every file of tests/corpus (origins in SOURCES.md).\n",
    );
    out.push_str("# Regenerate: UPDATE_CORPUS=1 cargo test -p slipway-core --test corpus\n");
    out.push_str("# Each cell: findings/files that have one.\n#\n");
    let header: Vec<String> = KINDS
        .iter()
        .map(|kind| format!("{kind} {}", files.get(*kind).copied().unwrap_or(0)))
        .collect();
    let _ = writeln!(
        out,
        "{:<14} {:<9} {:>14} {:>14} {:>14} {:>14}",
        "files", "", header[0], header[1], header[2], header[3]
    );
    let cells: Vec<String> = KINDS
        .iter()
        .map(|kind| clean.get(*kind).copied().unwrap_or(0).to_string())
        .collect();
    let _ = writeln!(
        out,
        "{:<14} {:<9} {:>14} {:>14} {:>14} {:>14}",
        "no finding", "", cells[0], cells[1], cells[2], cells[3]
    );
    let mut totals = [0usize; 4];
    for (rule, (severity, per_kind)) in counts {
        let cells: Vec<String> = KINDS
            .iter()
            .enumerate()
            .map(|(index, kind)| match per_kind.get(*kind) {
                Some((findings, files)) => {
                    totals[index] += findings;
                    format!("{findings}/{files}")
                }
                None => "-".to_owned(),
            })
            .collect();
        let _ = writeln!(
            out,
            "{rule:<14} {severity:<9} {:>14} {:>14} {:>14} {:>14}",
            cells[0], cells[1], cells[2], cells[3]
        );
    }
    let _ = writeln!(
        out,
        "{:<14} {:<9} {:>14} {:>14} {:>14} {:>14}",
        "total", "", totals[0], totals[1], totals[2], totals[3]
    );
    out
}

#[test]
fn corpus_findings_per_rule_match_the_committed_counts() {
    let dir = corpus_dir();
    let sources = sources(&dir);
    assert!(!sources.is_empty(), "tests/corpus/SOURCES.md lists no file");
    let mut problems = Vec::new();
    let mut files = BTreeMap::<String, usize>::new();
    let mut clean = BTreeMap::<String, usize>::new();
    let mut counts = Counts::new();
    let show = std::env::var("CORPUS_SHOW").unwrap_or_default();
    for source in &sources {
        let location = dir.join(&source.kind).join(&source.file);
        let text = match std::fs::read(&location) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(problem) => {
                problems.push(format!("{}: {problem}", location.display()));
                continue;
            }
        };
        *files.entry(source.kind.clone()).or_default() += 1;
        let result = std::panic::catch_unwind(|| audit::audit(&source.path, &text));
        let audit = match result {
            Ok(Ok(audit)) => audit,
            Ok(Err(error)) => {
                problems.push(format!(
                    "{}/{}: refused: {} (line {:?})",
                    source.kind, source.file, error.message, error.line
                ));
                continue;
            }
            Err(_) => {
                problems.push(format!(
                    "{}/{}: the audit panicked",
                    source.kind, source.file
                ));
                continue;
            }
        };
        if audit.findings.is_empty() {
            *clean.entry(source.kind.clone()).or_default() += 1;
        }
        let mut per_rule = BTreeMap::<&'static str, (&'static str, usize)>::new();
        for item in &audit.findings {
            if shown(&show, item.finding.rule) {
                println!(
                    "{} {}/{}:{} {}",
                    item.finding.rule,
                    source.kind,
                    source.file,
                    item.line.map_or("-".to_owned(), |line| line.to_string()),
                    item.finding.message
                );
            }
            // The rule's declared severity (a finding may be downgraded, e.g. in a build stage).
            let severity = slipway_core::rules::find(item.finding.rule)
                .map_or(item.finding.severity, |rule| rule.doc().severity);
            let entry = per_rule
                .entry(item.finding.rule)
                .or_insert((severity.id(), 0));
            entry.1 += 1;
        }
        for (rule, (severity, n)) in per_rule {
            let (_, per_kind) = counts.entry(rule).or_insert((severity, BTreeMap::new()));
            let cell = per_kind.entry(source.kind.clone()).or_default();
            cell.0 += n;
            cell.1 += 1;
        }
    }
    assert!(
        problems.is_empty(),
        "the audit failed on corpus files that their own tools accept:\n{}",
        problems.join("\n")
    );
    let generated = table(&files, &counts, &clean);
    println!("{generated}");
    let path = dir.join("findings.txt");
    if std::env::var_os("UPDATE_CORPUS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let changed: Vec<String> = diff(&committed, &generated);
        panic!(
            "the findings on the corpus changed (tests/corpus/findings.txt):\n{}\n\
             If the change is intended (a rule got more precise, a file was added), run \
             `UPDATE_CORPUS=1 cargo test -p slipway-core --test corpus` and commit the new counts.",
            changed.join("\n")
        );
    }
}

/// Whether `CORPUS_SHOW` asks for a rule's findings.
fn shown(show: &str, rule: &str) -> bool {
    show == "all" || show.split(',').any(|wanted| wanted.trim() == rule)
}

/// The lines that differ between the committed table and the new one, by row name.
fn diff(committed: &str, generated: &str) -> Vec<String> {
    let rows = |text: &str| -> BTreeMap<String, String> {
        text.lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| {
                let name = line.split("  ").next().unwrap_or(line).trim().to_owned();
                (name, line.to_owned())
            })
            .collect()
    };
    let (old, new) = (rows(committed), rows(generated));
    let mut out = Vec::new();
    for (name, line) in &old {
        match new.get(name) {
            Some(other) if other == line => {}
            Some(other) => out.push(format!("  was: {line}\n  now: {other}")),
            None => out.push(format!("  gone: {line}")),
        }
    }
    for (name, line) in &new {
        if !old.contains_key(name) {
            out.push(format!("  new:  {line}"));
        }
    }
    out
}
