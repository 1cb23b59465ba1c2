//! `slipway`: the core on the command line, for CI and developer portals.
//!
//! Exit status: 0 success (lint: no findings), 1 findings, 2 bad input or usage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use slipway_core::rules::{self, Finding};
use slipway_core::{generate, io, presets, Design};

#[derive(Parser)]
#[command(
    name = "slipway",
    version,
    about = "Design, lint and export delivery pipelines",
    long_about = "Slipway checks a delivery design (slipway.yaml) against documented best-practice \
                  rules and exports GitHub Actions, Dockerfile, Helm, Terraform and Railway files.\n\n\
                  Exit status: 0 success, 1 findings (lint), 2 bad input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the preset designs.
    Presets,
    /// Write the generated bundle to a folder or a .zip file.
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
    /// Check design files against every rule.
    Lint {
        /// Design files to check.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// List every rule.
    Rules {
        /// Print the rules as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule id, e.g. DOCKER-001.
        id: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
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
        Command::Export {
            design,
            preset,
            out,
        } => export(design.as_deref(), preset.as_deref(), &out),
        Command::Lint { paths, format } => lint(&paths, format),
        Command::Rules { json } => {
            list_rules(json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { id } => explain(&id),
    };
    result.unwrap_or_else(|BadInput(message)| {
        eprintln!("slipway: {message}");
        ExitCode::from(2)
    })
}

fn load(path: &Path) -> Result<Design, BadInput> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| BadInput(format!("{}: {error}", path.display())))?;
    io::parse_design(&text).map_err(|error| {
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
    })
}

fn export(design: Option<&Path>, preset: Option<&str>, out: &Path) -> Result<ExitCode, BadInput> {
    let design = match (design, preset) {
        (Some(path), None) => load(path)?,
        (None, Some(id)) => {
            let preset = presets::find(id).ok_or_else(|| {
                let names: Vec<&str> = presets::all().iter().map(|p| p.id).collect();
                BadInput(format!(
                    "unknown preset `{id}`; choose one of: {}",
                    names.join(", ")
                ))
            })?;
            (preset.build)()
        }
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

fn lint(paths: &[PathBuf], format: OutputFormat) -> Result<ExitCode, BadInput> {
    let mut reports: Vec<(String, Vec<Finding>)> = Vec::new();
    for path in paths {
        let design = load(path)?;
        reports.push((path.display().to_string(), rules::check(&design)));
    }
    let open = |findings: &[Finding]| findings.iter().filter(|f| !f.waived).count();
    let total: usize = reports.iter().map(|(_, findings)| open(findings)).sum();
    match format {
        OutputFormat::Json => {
            let json: Vec<_> = reports
                .iter()
                .map(|(path, findings)| serde_json::json!({ "path": path, "findings": findings }))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        OutputFormat::Human => {
            for (path, findings) in &reports {
                for finding in findings {
                    let waived = if finding.waived { " (waived)" } else { "" };
                    println!(
                        "{path}: {} {:<8} {}{waived}\n    at {}: {}",
                        finding.rule,
                        finding.severity.id(),
                        finding.title,
                        finding.field,
                        finding.message
                    );
                }
            }
            println!("{total} finding(s) in {} file(s)", reports.len());
        }
    }
    Ok(if total == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
