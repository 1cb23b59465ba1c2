//! The command line's arguments (clap). Each command's manual page lives with the command, in
//! `commands/`; `--help` prints it, `-h` keeps the one-line summaries: DESCRIPTION comes in
//! each command's long_about, EXAMPLES and EXIT STATUS after the options.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::commands::{
    completions, diff, explain, export, import, lint, new, presets, rules, simulate, upgrade,
};

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

#[derive(Parser)]
#[command(
    name = "slipway",
    version,
    about = "Design, lint and export delivery pipelines",
    long_about = SLIPWAY_MANUAL,
    after_long_help = SLIPWAY_EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List the preset designs.
    #[command(long_about = presets::MANUAL, after_long_help = presets::EXAMPLES)]
    Presets,
    /// Write a new design file from a preset.
    #[command(long_about = new::MANUAL, after_long_help = new::EXAMPLES)]
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
    #[command(long_about = upgrade::MANUAL, after_long_help = upgrade::EXAMPLES)]
    Upgrade {
        /// Design files (YAML or JSON).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Only report files at an older version (exit 1), without writing.
        #[arg(long)]
        check: bool,
    },
    /// Read a repository (a folder or a .zip) into a design file, with a report on stderr.
    #[command(long_about = import::MANUAL, after_long_help = import::EXAMPLES)]
    Import {
        /// The repository: a folder, or a .zip archive of one.
        path: PathBuf,
        /// Where to write the design; `-` writes it to stdout.
        #[arg(long, default_value = "slipway.yaml")]
        out: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Write the generated bundle to a folder or a .zip file.
    #[command(long_about = export::MANUAL, after_long_help = export::EXAMPLES)]
    Export {
        /// Design file (slipway.yaml or JSON).
        design: Option<PathBuf>,
        /// Start from a preset instead of a design file.
        #[arg(long, conflicts_with = "design")]
        preset: Option<String>,
        /// Output folder, or a path ending in .zip for an archive; with --patch-against, the
        /// patch file (`-` for stdout).
        #[arg(long)]
        out: PathBuf,
        /// Write what the export would change in this repository folder, as a unified diff
        /// that `git apply` accepts, instead of the files.
        #[arg(long, value_name = "REPOSITORY")]
        patch_against: Option<PathBuf>,
    },
    /// Check design files, or existing Dockerfiles, railway.json and Helm values files.
    #[command(long_about = lint::MANUAL, after_long_help = lint::EXAMPLES)]
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
    #[command(long_about = diff::MANUAL, after_long_help = diff::EXAMPLES)]
    Diff {
        /// The design before the change.
        old: PathBuf,
        /// The design after the change.
        new: PathBuf,
    },
    /// Show which CI jobs an event runs.
    #[command(long_about = simulate::MANUAL, after_long_help = simulate::EXAMPLES)]
    Simulate {
        /// Design file (slipway.yaml or JSON).
        design: PathBuf,
        /// push, pull_request, schedule or workflow_dispatch.
        #[arg(long, default_value = "push")]
        event: String,
        /// The pushed branch, or the pull request's target branch.
        #[arg(long, default_value = "main")]
        branch: String,
        /// Paths the event changes, relative to the repository root.
        #[arg(long, num_args = 1..)]
        changed: Vec<String>,
        /// Output: human or json.
        #[arg(long, value_enum, default_value_t = SimulateFormat::Human)]
        format: SimulateFormat,
    },
    /// List every rule.
    #[command(long_about = rules::MANUAL, after_long_help = rules::EXAMPLES)]
    Rules {
        /// Print the rules as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a rule's documentation.
    #[command(long_about = explain::MANUAL, after_long_help = explain::EXAMPLES)]
    Explain {
        /// Rule id, e.g. DOCKER-001.
        id: String,
    },
    /// Print a shell completion script.
    #[command(long_about = completions::MANUAL, after_long_help = completions::EXAMPLES)]
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    None,
}
