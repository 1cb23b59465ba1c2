//! `slipway`: the core on the command line, for CI and developer portals.
//!
//! Exit status: 0 success (lint: nothing at or above `--fail-on`; diff: identical), 1 findings
//! or differences, 2 bad input or usage.

mod sarif;
mod unified;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use slipway_core::audit::{self, ArtifactKind};
use slipway_core::diff::{self, Line};
use slipway_core::io::LoadError;
use slipway_core::model::SCHEMA_VERSION;
use slipway_core::rules::{self, Finding, Severity};
use slipway_core::{generate, io, presets, Bundle, Design};

// Manual pages for `--help` (`-h` keeps the one-line summaries): DESCRIPTION comes in each
// command's long_about, EXAMPLES and EXIT STATUS after the options.

const SLIPWAY_MANUAL: &str = "\
Design, lint and export delivery pipelines

DESCRIPTION:
  Slipway checks a delivery design (slipway.yaml) against documented best-practice rules
  and generates the files that implement it: GitHub Actions workflows, a Dockerfile, a Helm
  chart, Terraform, compose.yaml and Railway files, the same bundle the browser app
  downloads. Errors in a design name the file, line and field. `slipway COMMAND --help`
  prints each command's manual.";

const SLIPWAY_EXAMPLES: &str = "\
EXAMPLES:
  slipway new --preset node-api                 # start a design file
  slipway lint slipway.yaml                     # check it
  slipway lint --format sarif slipway.yaml > slipway.sarif
  slipway export slipway.yaml --out bundle.zip  # every generated file
  slipway diff old.yaml new.yaml                # what a change does to the files
  slipway completions bash > ~/.local/share/bash-completion/completions/slipway

EXIT STATUS:
  0  success
  1  lint: an open finding at or above --fail-on; diff: the bundles differ
  2  bad input: unreadable or invalid file, unknown preset or rule, bad usage";

const PRESETS_MANUAL: &str = "\
List the preset designs

DESCRIPTION:
  Prints the id and name of every preset: real-world starting designs (a Node API, FastAPI
  with React, Go, Rust, Spring, a cron worker, a static site). Use an id with
  `slipway new --preset` or `slipway export --preset`.";

const PRESETS_EXAMPLES: &str = "\
EXAMPLES:
  slipway presets
  slipway presets | awk '{ print $1 }'          # the ids only

EXIT STATUS:
  0  always";

const NEW_MANUAL: &str = "\
Write a new design file from a preset

DESCRIPTION:
  Writes the preset's design as YAML to --out (slipway.yaml by default), to edit by hand or
  open in the browser app. Missing folders are created. An existing file is never
  overwritten unless --force is given.";

const NEW_EXAMPLES: &str = "\
EXAMPLES:
  slipway new --preset fastapi-react
  slipway new --preset go-service --out deploy/slipway.yaml
  slipway new --preset node-api --force         # replace ./slipway.yaml

EXIT STATUS:
  0  written
  2  unknown preset (the message lists them), the file exists, or it cannot be written";

const UPGRADE_MANUAL: &str = "\
Rewrite design files from an older schema version as the current one

DESCRIPTION:
  Every command reads older design files and upgrades them in memory (docs/schema.md says
  what each version changed). `upgrade` writes the result back, so the repository holds the
  current version: YAML stays YAML (its leading comment lines are kept), JSON stays JSON.
  The old file is kept next to it as <file>.v<N>.bak, because comments inside the YAML are
  not carried over. Files already at the current version are left alone.";

const UPGRADE_EXAMPLES: &str = "\
EXAMPLES:
  slipway upgrade slipway.yaml
  slipway upgrade --check deploy/*.yaml          # in CI: fail while a file is outdated

EXIT STATUS:
  0  every file is at the current version (after writing, without --check)
  1  --check: some file is at an older version
  2  a file cannot be read, is not a design, is from a newer Slipway, or cannot be written";

const EXPORT_MANUAL: &str = "\
Write the generated bundle to a folder or a .zip file

DESCRIPTION:
  Generates every file of a design (GitHub Actions, Dockerfile, .dockerignore,
  compose.yaml, Helm chart, Terraform, railway.json, README.md and the design itself) into
  a folder, or into a zip archive when --out ends in .zip. The output is deterministic: the
  same design always gives byte-identical files. Existing files in the folder are
  overwritten.";

const EXPORT_EXAMPLES: &str = "\
EXAMPLES:
  slipway export slipway.yaml --out out/
  slipway export --preset node-api --out node-api.zip

EXIT STATUS:
  0  written
  2  bad design file (file:line: field: message), unknown preset, or cannot write";

const LINT_MANUAL: &str = "\
Check design files, or existing Dockerfiles, railway.json and Helm values files

DESCRIPTION:
  Checks design files against every rule, or audits existing files (a Dockerfile, a
  railway.json, a Helm values file) with the rules about them, and prints the findings with
  their lines: for people (human), for scripts (json), or for GitHub code scanning (sarif,
  SARIF 2.1.0 with the rule catalog and security severities).

  --fail-on sets the lowest severity that fails the run. The default, low, fails on any
  open finding, as lint always has; --fail-on high lets medium and low findings pass;
  --fail-on none reports without failing. Waived findings (a waiver with a reason in the
  design) are reported as waived, or as suppressed in SARIF, and never fail the run.";

const LINT_EXAMPLES: &str = "\
EXAMPLES:
  slipway lint slipway.yaml
  slipway lint --fail-on high slipway.yaml
  slipway lint --format sarif --fail-on none slipway.yaml > slipway.sarif
  slipway lint Dockerfile charts/api/values.yaml railway.json

EXIT STATUS:
  0  no open finding at or above --fail-on (default low: no open finding at all)
  1  an open finding at or above --fail-on
  2  bad input: unreadable file, invalid design (file:line: field: message), newer schema
     version, a file that is neither a design nor a known artifact, bad usage";

const DIFF_MANUAL: &str = "\
Compare the bundles two designs generate

DESCRIPTION:
  Generates the bundle of each design and prints one line per file that differs (added,
  removed or changed, with its added and removed line counts), then a unified diff of
  those files with three lines of context. The diff applies with `git apply` to a folder
  exported from OLD.";

const DIFF_EXAMPLES: &str = "\
EXAMPLES:
  slipway diff main.yaml branch.yaml
  git show main:slipway.yaml > /tmp/main.yaml && slipway diff /tmp/main.yaml slipway.yaml

EXIT STATUS:
  0  the bundles are identical
  1  the bundles differ
  2  bad input: a design file is missing or invalid, bad usage";

const RULES_MANUAL: &str = "\
List every rule

DESCRIPTION:
  Prints every rule Slipway checks, in catalog order: id, severity, area and title. With
  --json, the full documentation of each rule (what, why, incorrect and correct examples,
  fix, source) as a JSON array.";

const RULES_EXAMPLES: &str = "\
EXAMPLES:
  slipway rules
  slipway rules --json | jq -r '.[] | select(.severity == \"critical\") | .id'

EXIT STATUS:
  0  always";

const EXPLAIN_MANUAL: &str = "\
Print a rule's documentation

DESCRIPTION:
  Prints what a rule checks, why it matters, an incorrect and a correct example, how to
  fix a finding, the rule's source and the other tools that check the same thing. The id
  is case-insensitive.";

const EXPLAIN_EXAMPLES: &str = "\
EXAMPLES:
  slipway explain DOCKER-001
  slipway explain pipeline-006

EXIT STATUS:
  0  printed
  2  unknown rule";

const COMPLETIONS_MANUAL: &str = "\
Print a shell completion script

DESCRIPTION:
  Prints a completion script for bash, zsh, fish, PowerShell or Elvish on standard output,
  completing commands, options and their values (formats, severities, shells).";

const COMPLETIONS_EXAMPLES: &str = "\
EXAMPLES:
  slipway completions bash > ~/.local/share/bash-completion/completions/slipway
  slipway completions zsh > \"${fpath[1]}/_slipway\"
  slipway completions fish > ~/.config/fish/completions/slipway.fish
  slipway completions powershell >> $PROFILE
  eval (slipway completions elvish | slurp)

EXIT STATUS:
  0  printed
  2  unknown shell";

#[derive(Parser)]
#[command(
    name = "slipway",
    version,
    about = "Design, lint and export delivery pipelines",
    long_about = SLIPWAY_MANUAL,
    after_long_help = SLIPWAY_EXAMPLES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the preset designs.
    #[command(long_about = PRESETS_MANUAL, after_long_help = PRESETS_EXAMPLES)]
    Presets,
    /// Write a new design file from a preset.
    #[command(long_about = NEW_MANUAL, after_long_help = NEW_EXAMPLES)]
    New {
        /// Preset to start from (`slipway presets` lists them).
        #[arg(long)]
        preset: String,
        /// Where to write the design.
        #[arg(long, default_value = "slipway.yaml")]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Rewrite design files from an older schema version as the current one.
    #[command(long_about = UPGRADE_MANUAL, after_long_help = UPGRADE_EXAMPLES)]
    Upgrade {
        /// Design files (YAML or JSON).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Only report files at an older version (exit 1), without writing.
        #[arg(long)]
        check: bool,
    },
    /// Write the generated bundle to a folder or a .zip file.
    #[command(long_about = EXPORT_MANUAL, after_long_help = EXPORT_EXAMPLES)]
    Export {
        /// Design file (slipway.yaml or JSON).
        design: Option<PathBuf>,
        /// Start from a preset instead of a design file.
        #[arg(long, conflicts_with = "design")]
        preset: Option<String>,
        /// Output folder, or a path ending in .zip for an archive.
        #[arg(long)]
        out: PathBuf,
    },
    /// Check design files, or existing Dockerfiles, railway.json and Helm values files.
    #[command(long_about = LINT_MANUAL, after_long_help = LINT_EXAMPLES)]
    Lint {
        /// Design files or artifacts to check (the kind is read from the name and content).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output: human (file:line per finding), json, or sarif (GitHub code scanning).
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Lowest severity that fails the run (exit 1): low (default) fails on any open finding,
        /// none never fails.
        #[arg(long, value_enum, default_value_t = FailOn::Low)]
        fail_on: FailOn,
    },
    /// Compare the bundles two designs generate.
    #[command(long_about = DIFF_MANUAL, after_long_help = DIFF_EXAMPLES)]
    Diff {
        /// The design before the change.
        old: PathBuf,
        /// The design after the change.
        new: PathBuf,
    },
    /// List every rule.
    #[command(long_about = RULES_MANUAL, after_long_help = RULES_EXAMPLES)]
    Rules {
        /// Print the rules as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a rule's documentation.
    #[command(long_about = EXPLAIN_MANUAL, after_long_help = EXPLAIN_EXAMPLES)]
    Explain {
        /// Rule id, e.g. DOCKER-001.
        id: String,
    },
    /// Print a shell completion script.
    #[command(long_about = COMPLETIONS_MANUAL, after_long_help = COMPLETIONS_EXAMPLES)]
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    None,
}

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

/// A failure the user caused (bad file, unknown preset): exit status 2.
struct BadInput(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Presets => {
            for preset in presets::all() {
                println!("{:<16} {}", preset.id, preset.name);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::New { preset, out, force } => new(&preset, &out, force),
        Command::Upgrade { paths, check } => upgrade(&paths, check),
        Command::Export {
            design,
            preset,
            out,
        } => export(design.as_deref(), preset.as_deref(), &out),
        Command::Lint {
            paths,
            format,
            fail_on,
        } => lint(&paths, format, fail_on),
        Command::Diff { old, new } => diff_designs(&old, &new),
        Command::Rules { json } => {
            list_rules(json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { id } => explain(&id),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "slipway",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
    };
    result.unwrap_or_else(|BadInput(message)| {
        eprintln!("slipway: {message}");
        ExitCode::from(2)
    })
}

fn read(path: &Path) -> Result<String, BadInput> {
    std::fs::read_to_string(path).map_err(|error| BadInput(format!("{}: {error}", path.display())))
}

/// A load error as `file:line:column: field: message`, with the parts the parser knows.
fn located(path: &Path, error: &LoadError) -> BadInput {
    let position = match (error.line, error.column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    };
    let field = error
        .field
        .as_deref()
        .map(|field| format!(" {field}:"))
        .unwrap_or_default();
    BadInput(format!(
        "{}{position}:{field} {}",
        path.display(),
        error.message
    ))
}

fn parse(path: &Path, text: &str) -> Result<Design, BadInput> {
    io::parse_design(text).map_err(|error| located(path, &error))
}

fn load(path: &Path) -> Result<Design, BadInput> {
    parse(path, &read(path)?)
}

fn preset_design(id: &str) -> Result<Design, BadInput> {
    let preset = presets::find(id).ok_or_else(|| {
        let names: Vec<&str> = presets::all().iter().map(|p| p.id).collect();
        BadInput(format!(
            "unknown preset `{id}`; choose one of: {}",
            names.join(", ")
        ))
    })?;
    Ok((preset.build)())
}

fn new(preset: &str, out: &Path, force: bool) -> Result<ExitCode, BadInput> {
    let design = preset_design(preset)?;
    if out.exists() && !force {
        return Err(BadInput(format!(
            "{} exists; pass --force to overwrite it",
            out.display()
        )));
    }
    let text = format!(
        "# Slipway design, from the `{preset}` preset. Check it with `slipway lint {}`.\n{}",
        out.display(),
        io::to_yaml(&design)
    );
    if let Some(parent) = out.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|error| BadInput(format!("cannot create {}: {error}", parent.display())))?;
    }
    std::fs::write(out, text)
        .map_err(|error| BadInput(format!("cannot write {}: {error}", out.display())))?;
    eprintln!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn upgrade(paths: &[PathBuf], check: bool) -> Result<ExitCode, BadInput> {
    let mut outdated = false;
    for path in paths {
        let text = read(path)?;
        let (design, version) =
            io::parse_design_versioned(&text).map_err(|error| located(path, &error))?;
        if version == SCHEMA_VERSION {
            eprintln!("{}: already version {SCHEMA_VERSION}", path.display());
            continue;
        }
        outdated = true;
        if check {
            eprintln!(
                "{}: version {version}; `slipway upgrade` rewrites it as version {SCHEMA_VERSION}",
                path.display()
            );
            continue;
        }
        let upgraded = if text.trim_start().starts_with('{') {
            serde_json::to_string_pretty(&design).unwrap_or_else(|_| io::to_json(&design)) + "\n"
        } else {
            let header: String = text
                .lines()
                .take_while(|line| line.starts_with('#'))
                .map(|line| format!("{line}\n"))
                .collect();
            header + &io::to_yaml(&design)
        };
        let mut backup = path.clone().into_os_string();
        backup.push(format!(".v{version}.bak"));
        let write = |target: &Path, contents: &str| {
            std::fs::write(target, contents)
                .map_err(|error| BadInput(format!("cannot write {}: {error}", target.display())))
        };
        write(Path::new(&backup), &text)?;
        write(path, &upgraded)?;
        eprintln!(
            "{}: version {version} → {SCHEMA_VERSION} (the old file is {})",
            path.display(),
            Path::new(&backup).display()
        );
    }
    Ok(if check && outdated {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn export(design: Option<&Path>, preset: Option<&str>, out: &Path) -> Result<ExitCode, BadInput> {
    let design = match (design, preset) {
        (Some(path), None) => load(path)?,
        (None, Some(id)) => preset_design(id)?,
        _ => return Err(BadInput("give a design file or --preset NAME".to_owned())),
    };
    let bundle = generate(&design);
    let write_error = |path: &Path, error: std::io::Error| {
        BadInput(format!("cannot write {}: {error}", path.display()))
    };
    if out.extension().is_some_and(|ext| ext == "zip") {
        std::fs::write(out, bundle.to_zip()).map_err(|e| write_error(out, e))?;
    } else {
        for file in &bundle.files {
            let path = out.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
            }
            std::fs::write(&path, &file.contents).map_err(|e| write_error(&path, e))?;
        }
    }
    eprintln!("wrote {} files to {}", bundle.files.len(), out.display());
    Ok(ExitCode::SUCCESS)
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

fn lint(paths: &[PathBuf], format: OutputFormat, fail_on: FailOn) -> Result<ExitCode, BadInput> {
    let linted: Vec<Linted> = paths
        .iter()
        .map(|path| lint_file(path))
        .collect::<Result<_, _>>()?;
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
    Ok(if failing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// How one file of the bundle changed between two designs.
struct FileChange<'a> {
    path: &'a str,
    status: &'static str,
    old: &'a str,
    new: &'a str,
}

/// The files that differ between two bundles: removed ones first, then added and changed ones
/// in the new bundle's order.
fn file_changes<'a>(old: &'a Bundle, new: &'a Bundle) -> Vec<FileChange<'a>> {
    let removed = old
        .files
        .iter()
        .filter(|file| new.file(&file.path).is_none())
        .map(|file| FileChange {
            path: &file.path,
            status: "removed",
            old: &file.contents,
            new: "",
        });
    let added_or_changed = new
        .files
        .iter()
        .filter_map(|file| match old.file(&file.path) {
            None => Some(FileChange {
                path: &file.path,
                status: "added",
                old: "",
                new: &file.contents,
            }),
            Some(previous) if previous.contents != file.contents => Some(FileChange {
                path: &file.path,
                status: "changed",
                old: &previous.contents,
                new: &file.contents,
            }),
            Some(_) => None,
        });
    removed.chain(added_or_changed).collect()
}

/// Prints a summary line per differing file (status, path, lines added and removed), then a
/// unified diff of every one of them that `git apply` accepts.
fn print_bundle_diff(out: &mut impl Write, changes: &[FileChange]) {
    let diffs: Vec<Vec<Line>> = changes
        .iter()
        .map(|change| diff::lines(change.old, change.new))
        .collect();
    for (change, lines) in changes.iter().zip(&diffs) {
        let (added, removed) = diff::summary(lines);
        let _ = writeln!(
            out,
            "{:<7} {} (+{added} -{removed})",
            change.status, change.path
        );
    }
    for (change, lines) in changes.iter().zip(&diffs) {
        let (from, to) = match change.status {
            "added" => ("/dev/null".to_owned(), format!("b/{}", change.path)),
            "removed" => (format!("a/{}", change.path), "/dev/null".to_owned()),
            _ => (format!("a/{}", change.path), format!("b/{}", change.path)),
        };
        let _ = write!(out, "\n--- {from}\n+++ {to}\n{}", unified::hunks(lines));
    }
}

fn diff_designs(old: &Path, new: &Path) -> Result<ExitCode, BadInput> {
    let old_bundle = generate(&load(old)?);
    let new_bundle = generate(&load(new)?);
    let changes = file_changes(&old_bundle, &new_bundle);
    let mut stdout = std::io::stdout().lock();
    if changes.is_empty() {
        let _ = writeln!(stdout, "the designs generate identical bundles");
        return Ok(ExitCode::SUCCESS);
    }
    print_bundle_diff(&mut stdout, &changes);
    Ok(ExitCode::from(1))
}

fn list_rules(json: bool) {
    let docs: Vec<_> = rules::registry().iter().map(|rule| rule.doc()).collect();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&docs).unwrap_or_default()
        );
        return;
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
}

fn explain(id: &str) -> Result<ExitCode, BadInput> {
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
