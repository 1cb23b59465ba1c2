//! `slipway presets`: the id and name of every preset.

use std::process::ExitCode;

use slipway_core::presets;

use crate::input::BadInput;

pub const MANUAL: &str = "\
List the preset designs

DESCRIPTION:
  Prints the id and name of every preset: real-world starting designs (a Node API, FastAPI
  with React, Go, Rust, Spring, a cron worker, a static site). Use an id with
  `slipway new --preset` or `slipway export --preset`.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway presets
  slipway presets | awk '{ print $1 }'          # the ids only

EXIT STATUS:
  0  always";

pub fn run() -> Result<ExitCode, BadInput> {
    for preset in presets::all() {
        println!("{:<16} {}", preset.id, preset.name);
    }
    Ok(ExitCode::SUCCESS)
}
