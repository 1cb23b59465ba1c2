//! Importers of existing files into the design model, with located errors.

pub mod dockerfile;
pub mod workflow;

/// A problem in an imported file, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ImportError {}

/// Imported files larger than this are refused.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
