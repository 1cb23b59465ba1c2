//! Reading values out of the YAML tree: tags looked through, scalars as text.

use serde_norway::Value;

use crate::formats::outline::Segment;
use crate::model::EnvVar;

pub(super) fn untag(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

/// A scalar as text (`3` and `true` too); `None` for null, lists and mappings.
pub(super) fn scalar(value: &Value) -> Option<String> {
    match untag(value) {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A scalar or each scalar of a list.
pub(super) fn scalars(value: &Value) -> Vec<String> {
    match untag(value) {
        Value::Sequence(items) => items.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

/// `true`, `"true"`, or an expression that may be true; `false` for false, empty and null.
pub(super) fn truthy(value: &Value) -> bool {
    match untag(value) {
        Value::Bool(flag) => *flag,
        Value::String(text) => !matches!(text.trim(), "" | "false" | "0"),
        Value::Number(number) => number.as_u64() != Some(0),
        _ => false,
    }
}

pub(super) fn working_directory(node: &Value) -> String {
    node.get("defaults")
        .and_then(|defaults| defaults.get("run"))
        .and_then(|run| run.get("working-directory"))
        .and_then(scalar)
        .unwrap_or_default()
}

pub(super) fn path_of(parts: &[Segment], more: &[Segment]) -> Vec<Segment> {
    parts.iter().chain(more).cloned().collect()
}

pub(super) fn mapping_vars(node: Option<&Value>) -> Vec<EnvVar> {
    match node.map(untag) {
        Some(Value::Mapping(variables)) => variables
            .iter()
            .filter_map(|(name, value)| {
                Some(EnvVar {
                    name: scalar(name)?,
                    value: scalar(value).unwrap_or_default(),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}
