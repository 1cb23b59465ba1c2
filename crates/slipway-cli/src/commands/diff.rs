//! `slipway diff`: what a change to a design does to every generated file, as a summary and
//! a unified diff.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use slipway_core::diff::{self, Line};
use slipway_core::{generate, Bundle};

use crate::input::{load, BadInput};
use crate::unified;

pub const MANUAL: &str = "\
Compare the bundles two designs generate

DESCRIPTION:
  Generates the bundle of each design and prints one line per file that differs (added,
  removed or changed, with its added and removed line counts), then a unified diff of
  those files with three lines of context. The diff applies with `git apply` to a folder
  exported from OLD.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway diff main.yaml branch.yaml
  git show main:slipway.yaml > /tmp/main.yaml && slipway diff /tmp/main.yaml slipway.yaml

EXIT STATUS:
  0  the bundles are identical
  1  the bundles differ
  2  bad input: a design file is missing or invalid, bad usage";

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

pub fn run(old: &Path, new: &Path) -> Result<ExitCode, BadInput> {
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
