//! `slipway export`: the generated bundle written to a folder or a zip archive.

use std::path::Path;
use std::process::ExitCode;

use slipway_core::generate;

use crate::input::{load, preset_design, BadInput};

pub const MANUAL: &str = "\
Write the generated bundle to a folder or a .zip file

DESCRIPTION:
  Generates every file of a design (GitHub Actions, Dockerfile, .dockerignore,
  compose.yaml, Helm chart, Terraform, railway.json, README.md and the design itself) into
  a folder, or into a zip archive when --out ends in .zip. The output is deterministic: the
  same design always gives byte-identical files. Existing files in the folder are
  overwritten.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway export slipway.yaml --out out/
  slipway export --preset node-api --out node-api.zip

EXIT STATUS:
  0  written
  2  bad design file (file:line: field: message), unknown preset, or cannot write";

pub fn run(design: Option<&Path>, preset: Option<&str>, out: &Path) -> Result<ExitCode, BadInput> {
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
