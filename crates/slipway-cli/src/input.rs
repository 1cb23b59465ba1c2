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
