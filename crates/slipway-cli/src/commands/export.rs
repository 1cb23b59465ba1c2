//! `slipway export`: the generated bundle written to a folder or a zip archive.

use std::path::Path;
use std::process::ExitCode;

use slipway_core::import::repository::{self, Limits};
use slipway_core::patch::{self, FileChange};
use slipway_core::{generate, Bundle};

use crate::input::{load, preset_design, BadInput};

pub const MANUAL: &str = "\
Write the generated bundle to a folder or a .zip file

DESCRIPTION:
  Generates every file of a design (GitHub Actions, Dockerfile, .dockerignore,
  compose.yaml, Helm chart, Terraform, railway.json, README.md and the design itself) into
  a folder, or into a zip archive when --out ends in .zip. The output is deterministic: the
  same design always gives byte-identical files. Existing files in the folder are
  overwritten.

  With --patch-against REPOSITORY (a folder, usually a git checkout), nothing is written
  but the patch: what the export would change there, as a unified diff that `git apply`
  accepts, to --out (`-` for stdout). Each generated file is new, changed or unchanged; a
  file of a kind Slipway writes (a workflow, a Dockerfile, railway.json, a chart) that the
  design no longer generates is listed on stderr and never deleted. A README.md of the
  repository's own is kept: the bundle's goes to docs/slipway/README.md instead.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway export slipway.yaml --out out/
  slipway export --preset node-api --out node-api.zip
  slipway export slipway.yaml --patch-against . --out slipway.patch && git apply slipway.patch

EXIT STATUS:
  0  written
  2  bad design file (file:line: field: message), unknown preset, an unreadable
     repository folder, or cannot write";

pub fn run(
    design: Option<&Path>,
    preset: Option<&str>,
    out: &Path,
    patch_against: Option<&Path>,
) -> Result<ExitCode, BadInput> {
    let design = match (design, preset) {
        (Some(path), None) => load(path)?,
        (None, Some(id)) => preset_design(id)?,
        _ => return Err(BadInput("give a design file or --preset NAME".to_owned())),
    };
    let bundle = generate(&design);
    if let Some(repository) = patch_against {
        return write_patch(&bundle, repository, out);
    }
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

/// The repository's files that the patch compares: those of the kinds Slipway generates
/// (found by the importer's walk, with its limits) and those at the bundle's own paths.
fn repository_files(bundle: &Bundle, root: &Path) -> Result<Vec<(String, String)>, BadInput> {
    let (collector, _) = repository::from_folder(root, Limits::default())
        .map_err(|error| BadInput(error.message))?;
    let mut files: Vec<(String, String)> = collector
        .files
        .into_iter()
        .map(|file| (file.path, file.text))
        .collect();
    for path in bundle.paths() {
        if files.iter().any(|(known, _)| known == path) {
            continue;
        }
        let full = root.join(path);
        // A symbolic link is not followed: the patch would write through it.
        let Ok(metadata) = std::fs::symlink_metadata(&full) else {
            continue;
        };
        if !metadata.is_file() {
            return Err(BadInput(format!(
                "{} is not a regular file in the repository; the export would write a file there",
                full.display()
            )));
        }
        let bytes = std::fs::read(&full)
            .map_err(|error| BadInput(format!("cannot read {}: {error}", full.display())))?;
        let text = repository::decode(&bytes)
            .map_err(|reason| BadInput(format!("{}: {reason}", full.display())))?;
        files.push((path.to_owned(), text));
    }
    Ok(files)
}

fn write_patch(bundle: &Bundle, repository: &Path, out: &Path) -> Result<ExitCode, BadInput> {
    let existing = repository_files(bundle, repository)?;
    let patch = patch::against(bundle, &existing);
    for file in &patch.files {
        let what = match &file.change {
            FileChange::New => format!("new (+{})", file.added),
            FileChange::Changed => format!("changed (+{} -{})", file.added, file.removed),
            FileChange::Unchanged => continue,
            FileChange::NoLongerGenerated => {
                "no longer generated (kept; delete it yourself if it is unused)".to_owned()
            }
            FileChange::Refused(reason) => format!("refused: {reason}"),
        };
        eprintln!("{}: {what}", file.path);
    }
    eprintln!("{}", patch.summary());
    let text = patch.unified();
    if out == Path::new("-") {
        print!("{text}");
    } else {
        std::fs::write(out, &text)
            .map_err(|error| BadInput(format!("cannot write {}: {error}", out.display())))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}
