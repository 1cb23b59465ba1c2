//! `slipway upgrade`: design files from an older schema version rewritten as the current one,
//! the old file kept as a backup.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use slipway_core::io;
use slipway_core::model::SCHEMA_VERSION;

use crate::input::{located, read, BadInput};

pub const MANUAL: &str = "\
Rewrite design files from an older schema version as the current one

DESCRIPTION:
  Every command reads older design files and upgrades them in memory (docs/schema.md says
  what each version changed). `upgrade` writes the result back, so the repository holds the
  current version: YAML stays YAML (its leading comment lines are kept), JSON stays JSON.
  The old file is kept next to it as <file>.v<N>.bak, because comments inside the YAML are
  not carried over. Files already at the current version are left alone.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway upgrade slipway.yaml
  slipway upgrade --check deploy/*.yaml          # in CI: fail while a file is outdated

EXIT STATUS:
  0  every file is at the current version (after writing, without --check)
  1  --check: some file is at an older version
  2  a file cannot be read, is not a design, is from a newer Slipway, or cannot be written";

pub fn run(paths: &[PathBuf], check: bool) -> Result<ExitCode, BadInput> {
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
