//! `slipway new`: a preset's design written as a YAML file.

use std::path::Path;
use std::process::ExitCode;

use slipway_core::io;

use crate::input::{preset_design, BadInput};

pub const MANUAL: &str = "\
Write a new design file from a preset

DESCRIPTION:
  Writes the preset's design as YAML to --out (slipway.yaml by default), to edit by hand or
  open in the browser app. Missing folders are created. An existing file is never
  overwritten unless --force is given.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway new --preset fastapi-react
  slipway new --preset go-service --out deploy/slipway.yaml
  slipway new --preset node-api --force         # replace ./slipway.yaml

EXIT STATUS:
  0  written
  2  unknown preset (the message lists them), the file exists, or it cannot be written";

pub fn run(preset: &str, out: &Path, force: bool) -> Result<ExitCode, BadInput> {
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
