//! Reading what the commands work on: design files, with errors located as
//! `file:line:column: field: message`, and presets.

use std::path::Path;

use slipway_core::io::LoadError;
use slipway_core::{io, presets, Design};

/// A failure the user caused (bad file, unknown preset): exit status 2.
pub struct BadInput(pub String);

pub fn read(path: &Path) -> Result<String, BadInput> {
    std::fs::read_to_string(path).map_err(|error| BadInput(format!("{}: {error}", path.display())))
}

/// A load error as `file:line:column: field: message`, with the parts the parser knows.
pub fn located(path: &Path, error: &LoadError) -> BadInput {
    let position = match (error.line, error.column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    };
    let field = error
        .field
        .as_deref()
        .map(|field| format!(" {field}:"))
        .unwrap_or_default();
    BadInput(format!(
        "{}{position}:{field} {}",
        path.display(),
        error.message
    ))
}

pub fn parse(path: &Path, text: &str) -> Result<Design, BadInput> {
    io::parse_design(text).map_err(|error| located(path, &error))
}

pub fn load(path: &Path) -> Result<Design, BadInput> {
    parse(path, &read(path)?)
}

pub fn preset_design(id: &str) -> Result<Design, BadInput> {
    let preset = presets::find(id).ok_or_else(|| {
        let names: Vec<&str> = presets::all().iter().map(|p| p.id).collect();
        BadInput(format!(
            "unknown preset `{id}`; choose one of: {}",
            names.join(", ")
        ))
    })?;
    Ok((preset.build)())
}

/// A repository's files, from a folder or a `.zip` of one, with the repository's name.
pub fn read_repository(
    path: &Path,
) -> Result<(slipway_core::import::repository::Collector, String), BadInput> {
    use slipway_core::import::repository::{self, Limits};
    let limits = Limits::default();
    if !is_archive(path) {
        return repository::from_folder(path, limits).map_err(|error| BadInput(error.message));
    }
    let metadata = std::fs::metadata(path)
        .map_err(|error| BadInput(format!("cannot read {}: {error}", path.display())))?;
    // The archive itself is read whole: bound it like the files it may hold.
    let most = limits.max_total_bytes as u64 * 4;
    if metadata.len() > most {
        return Err(BadInput(format!(
            "{} is {:.0} MB; Slipway reads archives up to {} MB",
            path.display(),
            metadata.len() as f64 / (1024.0 * 1024.0),
            most / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path)
        .map_err(|error| BadInput(format!("cannot read {}: {error}", path.display())))?;
    let (collector, name) = repository::from_zip(&bytes, limits)
        .map_err(|error| BadInput(format!("{}: {}", path.display(), error.message)))?;
    let fallback = path
        .file_stem()
        .map(|stem| repository::files::repository_name(&stem.to_string_lossy()))
        .unwrap_or_else(|| "app".to_owned());
    Ok((collector, name.unwrap_or(fallback)))
}

/// Whether `path` names a `.zip` archive.
pub fn is_archive(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("zip"))
}
