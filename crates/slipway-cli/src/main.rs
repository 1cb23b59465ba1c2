//! `slipway`: the core on the command line, for CI and developer portals.
//!
//! Exit status: 0 success (lint: nothing at or above `--fail-on`; diff: identical), 1 findings
//! or differences, 2 bad input or usage.
//!
//! `cli` declares the arguments, `commands/` holds one file per command (its manual page and
//! what it does), `input` reads designs and presets for them.

mod cli;
mod commands;
mod input;
mod sarif;
mod unified;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use commands::{
    completions, diff, explain, export, import, lint, new, presets, rules, simulate, upgrade,
};
use input::BadInput;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Presets => presets::run(),
        Command::New { preset, out, force } => new::run(&preset, &out, force),
        Command::Upgrade { paths, check } => upgrade::run(&paths, check),
        Command::Import { path, out, force } => import::run(&path, &out, force),
        Command::Export {
            design,
            preset,
            out,
            patch_against,
        } => export::run(
            design.as_deref(),
            preset.as_deref(),
            &out,
            patch_against.as_deref(),
        ),
        Command::Lint {
            paths,
            format,
            fail_on,
        } => lint::run(&paths, format, fail_on),
        Command::Diff { old, new } => diff::run(&old, &new),
        Command::Simulate {
            design,
            event,
            branch,
            changed,
            format,
        } => simulate::run(
            &design,
            &event,
            &branch,
            &changed,
            format == cli::SimulateFormat::Json,
        ),
        Command::Rules { json } => rules::run(json),
        Command::Explain { id } => explain::run(&id),
        Command::Completions { shell } => completions::run(shell),
    };
    result.unwrap_or_else(|BadInput(message)| {
        eprintln!("slipway: {message}");
        ExitCode::from(2)
    })
}
