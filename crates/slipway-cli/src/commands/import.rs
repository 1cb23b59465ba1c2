//! `slipway import`: a repository (a folder or a .zip of one) read into a design file, with a
//! report of what each file became.

use std::path::Path;
use std::process::ExitCode;

use slipway_core::import::repository;
use slipway_core::io;

use crate::input::{read_repository, BadInput};

pub const MANUAL: &str = "\
Read a repository into a design file

DESCRIPTION:
  Reads a repository checked out in a folder, or a .zip of one (GitHub's 'Download ZIP'
  works: its top folder is the repository's name), and writes the design its files
  describe: a service per Dockerfile, compose build, Railway config or Helm chart, with its
  language, package manager and commands from the manifests; the pipeline from the CI and
  deploy workflows; the environments deploy jobs name.

  Only the files that describe delivery are read: .github/workflows/*, Dockerfiles and
  .dockerignore, compose files, Chart.yaml and values*.yaml, railway.json/.toml,
  nixpacks.toml, Terraform, package manifests and lockfiles. node_modules, vendor, target
  and similar folders are not entered; symbolic links are never followed. Up to 2,000
  files of up to 1 MB each and 32 MB together are read; the rest are reported as skipped.

  The report goes to stderr: for each file read, what became which design field and every
  part that did not, as file:line lines that editors link to. The design goes to --out
  (slipway.yaml by default), or to stdout with --out -.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway import .                               # this repository into ./slipway.yaml
  slipway import ~/src/shop --out shop.yaml
  slipway import shop-main.zip --out - > shop.yaml
  slipway import . --force && slipway lint slipway.yaml

EXIT STATUS:
  0  written (the report may list files that could not be read)
  2  the path is neither a folder nor a readable .zip, or --out exists or cannot be written";

pub fn run(path: &Path, out: &Path, force: bool) -> Result<ExitCode, BadInput> {
    let (collector, name) = read_repository(path)?;
    let imported = repository::import(&name, collector);
    let text = format!(
        "# Slipway design, imported from {}. Check it with `slipway lint`.\n{}",
        path.display(),
        io::to_yaml(&imported.design)
    );
    eprint!("{}", imported.report.render());
    if out == Path::new("-") {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    if out.exists() && !force {
        return Err(BadInput(format!(
            "{} exists; pass --force to overwrite it",
            out.display()
        )));
    }
    if let Some(parent) = out.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|error| BadInput(format!("cannot create {}: {error}", parent.display())))?;
    }
    std::fs::write(out, text)
        .map_err(|error| BadInput(format!("cannot write {}: {error}", out.display())))?;
    eprintln!(
        "wrote {} ({} service{})",
        out.display(),
        imported.design.services.len(),
        if imported.design.services.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    Ok(ExitCode::SUCCESS)
}
