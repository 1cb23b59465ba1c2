//! Importers of existing files into the design model, with located errors.

pub mod dockerfile;
pub mod railway;
pub mod repository;
pub mod values;
pub mod workflow;

use crate::io::LoadError;
use crate::model::Design;

/// A design read from one file, and how to find a design field's line in that file.
pub type Located = (Design, Box<dyn Fn(&str) -> Option<usize>>);

/// An error of a whole file or at a line of it.
pub(crate) fn located_error(line: Option<usize>, message: impl Into<String>) -> LoadError {
    LoadError {
        line,
        column: None,
        field: None,
        message: message.into(),
    }
}

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
