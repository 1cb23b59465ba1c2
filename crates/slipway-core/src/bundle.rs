//! The set of generated files, and its deterministic zip archive.

use std::io::{Cursor, Write};

use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The syntax of a generated file, for highlighting and validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    Dockerfile,
    Yaml,
    Json,
    Hcl,
    Toml,
    Markdown,
    Text,
}

/// One generated file: its path in the bundle and its contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedFile {
    pub path: String,
    pub syntax: Syntax,
    pub contents: String,
}

impl GeneratedFile {
    pub fn new(path: impl Into<String>, syntax: Syntax, contents: impl Into<String>) -> Self {
        GeneratedFile {
            path: path.into(),
            syntax,
            contents: contents.into(),
        }
    }
}

/// Everything Slipway exports for a design.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Bundle {
    pub files: Vec<GeneratedFile>,
}

impl Bundle {
    pub fn file(&self, path: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|file| file.path == path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|file| file.path.as_str())
    }

    /// The bundle as a zip archive. Byte-identical for identical bundles: files keep their
    /// order and every entry carries the same fixed timestamp (1980-01-01, the zip epoch).
    pub fn to_zip(&self) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644);
        for file in &self.files {
            // Writing to an in-memory buffer cannot fail for I/O reasons; paths are unique by
            // construction (see the generator registry test).
            writer
                .start_file(file.path.as_str(), options)
                .and_then(|()| {
                    writer
                        .write_all(file.contents.as_bytes())
                        .map_err(Into::into)
                })
                .unwrap_or_else(|error| unreachable!("zip entry {}: {error}", file.path));
        }
        writer
            .finish()
            .unwrap_or_else(|error| unreachable!("zip finish: {error}"))
            .into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_are_deterministic_and_readable() {
        let bundle = Bundle {
            files: vec![
                GeneratedFile::new("Dockerfile", Syntax::Dockerfile, "FROM scratch\n"),
                GeneratedFile::new("a/b.yaml", Syntax::Yaml, "x: 1\n"),
            ],
        };
        let first = bundle.to_zip();
        assert_eq!(first, bundle.to_zip());
        let mut archive = zip::ZipArchive::new(Cursor::new(first)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut contents = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("a/b.yaml").unwrap(), &mut contents)
            .unwrap();
        assert_eq!(contents, "x: 1\n");
    }
}
