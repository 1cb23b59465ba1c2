//! The import report: for each file read, what became which design field and every part
//! that did not, at `file:line`; and the files that were not read, with the reason.

use super::files::{FileKind, Skipped};
use crate::io::LoadError;

/// What happened to one part of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It became a design field.
    Mapped,
    /// The design has no place for it, or it was left out on purpose (the text says which).
    NotMapped,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: Option<usize>,
    pub outcome: Outcome,
    pub text: String,
}

/// What the import did with one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileReport {
    pub path: String,
    pub kind: FileKind,
    /// What the file is to the design, in a few words (`CI workflow`, `the image of api`).
    pub role: String,
    /// The file could not be read: nothing of it is in the design.
    pub error: Option<LoadError>,
    pub entries: Vec<Entry>,
}

impl FileReport {
    pub(super) fn new(path: &str, kind: FileKind) -> Self {
        FileReport {
            path: path.to_owned(),
            kind,
            role: kind.label().to_owned(),
            error: None,
            entries: Vec::new(),
        }
    }

    pub(super) fn mapped(&mut self, line: Option<usize>, text: impl Into<String>) {
        self.entries.push(Entry {
            line,
            outcome: Outcome::Mapped,
            text: text.into(),
        });
    }

    pub(super) fn not_mapped(&mut self, line: Option<usize>, text: impl Into<String>) {
        self.entries.push(Entry {
            line,
            outcome: Outcome::NotMapped,
            text: text.into(),
        });
    }

    /// Entries in line order, whole-file entries first.
    pub(super) fn sort(&mut self) {
        self.entries.sort_by_key(|entry| entry.line.unwrap_or(0));
    }

    pub fn count(&self, outcome: Outcome) -> usize {
        self.entries
            .iter()
            .filter(|entry| entry.outcome == outcome)
            .count()
    }
}

/// The whole report of an import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
    pub skipped: Vec<Skipped>,
}

impl ImportReport {
    /// `42 files read: 180 parts mapped, 35 not mapped, 1 unreadable; 3 files skipped`.
    pub fn summary(&self) -> String {
        let mapped: usize = self.files.iter().map(|f| f.count(Outcome::Mapped)).sum();
        let unmapped: usize = self.files.iter().map(|f| f.count(Outcome::NotMapped)).sum();
        let errors = self.files.iter().filter(|f| f.error.is_some()).count();
        let mut summary = format!(
            "{} file{} read: {mapped} part{} mapped, {unmapped} not mapped",
            self.files.len(),
            plural(self.files.len()),
            plural(mapped),
        );
        if errors > 0 {
            summary.push_str(&format!(", {errors} unreadable"));
        }
        if !self.skipped.is_empty() {
            summary.push_str(&format!(
                "; {} file{} skipped",
                self.skipped.len(),
                plural(self.skipped.len())
            ));
        }
        summary
    }

    /// The report as text, one `file:line: outcome: what` line per entry, like a compiler's
    /// messages, so editors and terminals link each line to its file.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for file in &self.files {
            out.push_str(&format!("{} ({})\n", file.path, file.role));
            if let Some(error) = &file.error {
                let at = error
                    .line
                    .map(|line| format!(":{line}"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "  {}{at}: unreadable: {}\n",
                    file.path, error.message
                ));
            }
            for entry in &file.entries {
                let at = entry
                    .line
                    .map(|line| format!(":{line}"))
                    .unwrap_or_default();
                let outcome = match entry.outcome {
                    Outcome::Mapped => "mapped",
                    Outcome::NotMapped => "not mapped",
                };
                out.push_str(&format!("  {}{at}: {outcome}: {}\n", file.path, entry.text));
            }
        }
        for skipped in &self.skipped {
            out.push_str(&format!("{}: skipped: {}\n", skipped.path, skipped.reason));
        }
        out.push_str(&self.summary());
        out.push('\n');
        out
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
