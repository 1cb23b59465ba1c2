//! Reading and writing design files (`slipway.yaml` or JSON), with errors that say where.

use std::fmt;

use serde::Deserialize;

use crate::model::{Design, SCHEMA_VERSION};

/// Design files larger than this are refused before parsing.
pub const MAX_DESIGN_BYTES: usize = 2 * 1024 * 1024;

/// Why a design file could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// 1-based line, when the parser knows it.
    pub line: Option<usize>,
    /// 1-based column, when the parser knows it.
    pub column: Option<usize>,
    /// Dotted path of the offending field, e.g. `pipeline.jobs[2].kind`.
    pub field: Option<String>,
    pub message: String,
}

impl LoadError {
    fn whole_file(message: impl Into<String>) -> Self {
        LoadError {
            line: None,
            column: None,
            field: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// Parses a design from YAML or JSON (detected from the text).
///
/// Refuses oversized input, files from a newer schema and unknown fields, naming the line,
/// column and field at fault. Never panics on any input.
pub fn parse_design(text: &str) -> Result<Design, LoadError> {
    parse_design_versioned(text).map(|(design, _)| design)
}

/// [`parse_design`], also returning the schema version the file was written with (the
/// design itself is always upgraded to the current one).
pub fn parse_design_versioned(text: &str) -> Result<(Design, u32), LoadError> {
    if text.len() > MAX_DESIGN_BYTES {
        return Err(LoadError::whole_file(format!(
            "the design is {:.1} MB; Slipway reads design files up to {} MB",
            text.len() as f64 / (1024.0 * 1024.0),
            MAX_DESIGN_BYTES / (1024 * 1024)
        )));
    }
    if text.trim().is_empty() {
        return Err(LoadError::whole_file("the design file is empty"));
    }
    // JSON is read by the YAML parser too (every JSON design is valid YAML): one
    // deserializer for the whole model keeps the WebAssembly build small.
    let version = check_version(text)?;
    let mut design: Design = if version < 3 {
        let old: crate::migrate::DesignV2 =
            serde_norway::from_str(text).map_err(|error| yaml_error(&error))?;
        crate::migrate::v2_to_v3(old)
    } else {
        serde_norway::from_str(text).map_err(|error| yaml_error(&error))?
    };
    crate::migrate::upgrade(&mut design, version);
    if design.services.is_empty() {
        return Err(LoadError {
            line: outline(text).field_line("services"),
            column: None,
            field: Some("services".to_owned()),
            message: "a design needs at least one service".to_owned(),
        });
    }
    check_names(text, &design, version)?;
    Ok((design, version))
}

/// The first name over the limit of the system it ends up in ([`crate::facts::limits`]),
/// located: such a name would be exported as broken YAML or be refused by the platform.
fn check_names(text: &str, design: &Design, version: u32) -> Result<(), LoadError> {
    let Some(mut problem) = crate::facts::limits::check_names(design).into_iter().next() else {
        return Ok(());
    };
    if version < 3 {
        problem.field = crate::migrate::v2_field(&problem.field);
    }
    Err(LoadError {
        line: outline(text).field_line(&problem.field),
        column: None,
        field: Some(problem.field),
        message: problem.message,
    })
}

/// The outline that locates fields in a design file, YAML or JSON.
fn outline(text: &str) -> crate::formats::outline::Outline {
    if text.trim_start().starts_with('{') {
        crate::formats::outline::Outline::json(text)
    } else {
        crate::formats::outline::Outline::new(text)
    }
}

/// A parser error with its location, and the field path the YAML parser puts in front of
/// the message (`pipeline.jobs[2].kind: unknown variant …`).
fn yaml_error(error: &serde_norway::Error) -> LoadError {
    let location = error.location();
    let message = strip_position(&error.to_string());
    let (field, message) = match message.split_once(": ") {
        Some((path, rest)) if is_field_path(path) => (Some(path.to_owned()), rest.to_owned()),
        _ => (None, message),
    };
    LoadError {
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        field,
        message,
    }
}

fn is_field_path(text: &str) -> bool {
    !text.is_empty()
        && !text.contains(' ')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || "._-[]".contains(c))
}

/// Only the `version` field, read before the full parse so a newer file gets a clear message
/// instead of a list of unknown fields.
#[derive(Deserialize)]
struct VersionProbe {
    version: Option<serde_json::Value>,
}

/// The file's schema version, when this build reads it.
fn check_version(text: &str) -> Result<u32, LoadError> {
    let probe: Result<VersionProbe, LoadError> =
        serde_norway::from_str(text).map_err(|error| LoadError {
            field: None,
            ..yaml_error(&error)
        });
    let version = probe?.version.ok_or_else(|| LoadError {
        field: Some("version".to_owned()),
        ..LoadError::whole_file(format!(
            "not a Slipway design: the `version` field is missing (this build writes version {SCHEMA_VERSION})"
        ))
    })?;
    match version.as_u64() {
        Some(v) if (u64::from(crate::migrate::OLDEST_VERSION)..=u64::from(SCHEMA_VERSION)).contains(&v) => {
            Ok(u32::try_from(v).unwrap_or(SCHEMA_VERSION))
        }
        Some(v) if v > u64::from(SCHEMA_VERSION) => Err(LoadError {
            field: Some("version".to_owned()),
            ..LoadError::whole_file(format!(
                "this design was saved by a newer Slipway (schema version {v}); this build reads version {SCHEMA_VERSION}. Nothing was changed."
            ))
        }),
        _ => Err(LoadError {
            field: Some("version".to_owned()),
            ..LoadError::whole_file(format!(
                "unsupported schema version {version}; this build reads versions {} to {SCHEMA_VERSION}",
                crate::migrate::OLDEST_VERSION
            ))
        }),
    }
}

/// Parser messages end with " at line X column Y"; the location is reported separately.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// The design as YAML, the format of `slipway.yaml`.
///
/// Written by the generators' own YAML writer (one set of quoting rules for every YAML file
/// Slipway writes, and no second YAML emitter in the wasm build).
pub fn to_yaml(design: &Design) -> String {
    crate::formats::yaml::document(&[], design_node(design))
}

/// The design as compact JSON (autosave, share links, the embedding API).
///
/// Written from the same tree as [`to_yaml`], so the model's serialisation code exists once in
/// the wasm build rather than once per format.
pub fn to_json(design: &Design) -> String {
    design_node(design).to_json()
}

pub(crate) fn design_node(design: &Design) -> crate::formats::yaml::Node {
    crate::formats::yaml::to_node(design).unwrap_or_else(|error| {
        // Every model type serialises; reaching this means a model bug, not bad input.
        unreachable!("design serialisation failed: {error}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    #[test]
    fn every_preset_round_trips_through_yaml_and_json() {
        for preset in presets::all() {
            let design = (preset.build)();
            assert_eq!(
                parse_design(&to_yaml(&design)).unwrap(),
                design,
                "{}",
                preset.id
            );
            assert_eq!(
                parse_design(&to_json(&design)).unwrap(),
                design,
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn the_json_is_what_serde_json_writes() {
        for preset in presets::all() {
            let design = (preset.build)();
            assert_eq!(
                to_json(&design),
                serde_json::to_string(&design).unwrap(),
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn a_partial_design_gets_the_documented_defaults() {
        let design = parse_design("version: 1\nproject:\n  name: api\n").unwrap();
        assert_eq!(design.services[0].name, "api");
        assert_eq!(design.services[0].container.user.uid, 1001);
        assert_eq!(design.services[0].kubernetes.hpa.min_replicas, 3);
    }

    #[test]
    fn a_name_over_its_limit_is_refused_with_its_line() {
        let long = "a".repeat(2000);
        let text = format!(
            "version: 1\npipeline:\n  jobs:\n  - id: lint\n  - id: {long}\n    kind: test\n"
        );
        let error = parse_design(&text).unwrap_err();
        assert_eq!(error.line, Some(5), "{error}");
        assert_eq!(error.field.as_deref(), Some("pipeline.jobs[1].id"));
        assert!(error.message.contains("2000 characters"), "{error}");

        let text = "{\"version\": 1,\n \"container\": {\"env\": [\n  {\"name\": \"A\\nB\", \"value\": \"x\"}]}}";
        let error = parse_design(text).unwrap_err();
        assert_eq!(error.line, Some(3), "{error}");
        assert_eq!(error.field.as_deref(), Some("container.env[0].name"));
        assert!(error.message.contains("line break"), "{error}");
    }

    #[test]
    fn a_wrong_type_is_reported_with_line_and_field() {
        let error = parse_design("version: 1\ncontainer:\n  port: eighty\n").unwrap_err();
        assert_eq!(error.line, Some(3));
        assert_eq!(error.field.as_deref(), Some("container.port"));
    }

    #[test]
    fn an_unknown_field_is_reported_by_name() {
        let error = parse_design("{\"version\": 1, \"projekt\": {}}").unwrap_err();
        assert!(error.message.contains("projekt"), "{error}");
        assert_eq!(error.line, Some(1));
    }

    #[test]
    fn json_errors_are_located_too() {
        let text = "{\n  \"version\": 1,\n  \"container\": {\"port\": \"http\"}\n}";
        let error = parse_design(text).unwrap_err();
        assert_eq!(error.line, Some(3), "{error}");
        assert_eq!(error.field.as_deref(), Some("container.port"), "{error}");
        let error = parse_design("{\"version\": 1, \"project\": {\"name\": }").unwrap_err();
        assert!(error.line.is_some(), "{error}");
    }

    #[test]
    fn json_escapes_read_as_in_json() {
        let design =
            parse_design(r#"{"version": 1, "project": {"name": "caf\u00e9 \"a\\b\" \/ x"}}"#)
                .unwrap();
        assert_eq!(design.services[0].name, "café \"a\\b\" / x");
    }

    #[test]
    fn malformed_yaml_is_located() {
        let error = parse_design("version: 1\nproject: [unclosed\n").unwrap_err();
        assert!(error.line.is_some(), "{error}");
    }

    #[test]
    fn a_newer_schema_is_refused_with_a_clear_message() {
        let error = parse_design(&format!("version: {}\n", SCHEMA_VERSION + 1)).unwrap_err();
        assert!(error.message.contains("newer Slipway"), "{error}");
    }

    #[test]
    fn a_file_without_version_is_not_a_design() {
        let error = parse_design("name: hello\n").unwrap_err();
        assert_eq!(error.field.as_deref(), Some("version"));
    }

    #[test]
    fn oversized_and_empty_input_are_refused() {
        let huge = "#".repeat(MAX_DESIGN_BYTES + 1);
        assert!(parse_design(&huge).unwrap_err().message.contains("MB"));
        assert!(parse_design("  \n").is_err());
    }
}
