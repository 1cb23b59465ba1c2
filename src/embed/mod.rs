//! Embedding in developer portals: launch options from the address, and a `postMessage` API
//! for host pages on an origin allowlist. The protocol is documented in `docs/embedding.md`.

pub mod options;

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};
use slipway_core::{io, Design};
use wasm_bindgen::{JsCast, JsValue};

pub use options::{LaunchOptions, Panels};

use crate::state::Store;

/// Requests a host page may send. Every request may carry an `id`, echoed in the reply.
#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    /// Replace the design (YAML or JSON text, or a design object). Undoable in the frame.
    #[serde(rename = "slipway:load")]
    Load {
        #[serde(default)]
        id: Value,
        design: Value,
    },
    #[serde(rename = "slipway:get-design")]
    GetDesign {
        #[serde(default)]
        id: Value,
    },
    /// Every generated file, plus the zip the Download button would save.
    #[serde(rename = "slipway:get-bundle")]
    GetBundle {
        #[serde(default)]
        id: Value,
    },
    #[serde(rename = "slipway:get-findings")]
    GetFindings {
        #[serde(default)]
        id: Value,
    },
    /// `light`, `dark` or `system`, and CSS custom properties (`--accent`, …) to match the host.
    #[serde(rename = "slipway:set-theme")]
    SetTheme {
        #[serde(default)]
        id: Value,
        #[serde(default)]
        theme: Option<String>,
        #[serde(default)]
        properties: BTreeMap<String, String>,
    },
}

/// The custom properties a host may set; the rest of the stylesheet derives from them.
pub const THEMABLE: &[&str] = &[
    "--accent",
    "--on-accent",
    "--bg",
    "--surface",
    "--surface-raised",
    "--text",
    "--muted",
    "--border",
    "--code-bg",
    "--font",
    "--mono",
];

/// Whether a host-supplied value is a plain colour, length or font list: no `;`, braces,
/// quotes, `url(` or other ways out of the declaration.
pub fn safe_property_value(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 120
        && !value.to_ascii_lowercase().contains("url(")
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%-_".contains(c))
}

/// Parses a request from the JSON text of a message's data.
pub fn parse_request(text: &str) -> Result<Request, String> {
    serde_json::from_str(text).map_err(|error| format!("not a Slipway request: {error}"))
}

/// Reads the design a host sent: YAML or JSON text, or an object.
pub fn design_from(value: &Value) -> Result<Design, Value> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Object(_) => value.to_string(),
        _ => {
            return Err(json!({ "message": "`design` must be YAML or JSON text, or an object" }));
        }
    };
    io::parse_design(&text).map_err(|error| {
        json!({
            "message": error.message,
            "line": error.line,
            "column": error.column,
            "field": error.field,
        })
    })
}

fn design_json(design: &Design) -> Value {
    serde_json::from_str(&io::to_json(design)).unwrap_or(Value::Null)
}

fn findings_json(store: Store) -> Value {
    store.findings.with(|findings| {
        findings
            .iter()
            .map(|finding| {
                json!({
                    "rule": finding.rule,
                    "severity": finding.severity.id(),
                    "title": finding.title,
                    "message": finding.message,
                    "field": finding.field,
                    "waived": finding.waived,
                })
            })
            .collect()
    })
}

fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

fn post(message: &JsValue, origin: &str) {
    if let Ok(Some(parent)) = window().parent() {
        let _ = parent.post_message(message, origin);
    }
}

fn apply_theme(theme: Option<&str>, properties: &BTreeMap<String, String>) -> Result<(), String> {
    for (name, value) in properties {
        if !THEMABLE.contains(&name.as_str()) {
            return Err(format!(
                "`{name}` is not a themable property ({})",
                THEMABLE.join(", ")
            ));
        }
        if !safe_property_value(value) {
            return Err(format!(
                "the value of `{name}` is not a plain colour, length or font list"
            ));
        }
    }
    if let Some(theme) = theme {
        if !matches!(theme, "light" | "dark" | "system") {
            return Err(format!(
                "unknown theme `{theme}`: use light, dark or system"
            ));
        }
        crate::theme::apply(theme);
    }
    let root = document()
        .document_element()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(root) = root {
        for (name, value) in properties {
            let _ = root.style().set_property(name, value);
        }
    }
    Ok(())
}

/// Carries out one request and returns the reply.
fn answer(store: Store, request: Request) -> Value {
    match request {
        Request::Load { id, design } => match design_from(&design) {
            Ok(design) => {
                store.load("Load from the host page", design);
                json!({ "type": "slipway:loaded", "id": id })
            }
            Err(error) => json!({ "type": "slipway:error", "id": id, "error": error }),
        },
        Request::GetDesign { id } => json!({
            "type": "slipway:design",
            "id": id,
            "design": store.design.with(design_json),
            "yaml": store.design.with(io::to_yaml),
        }),
        Request::GetBundle { id } => {
            store.settle();
            let files: Vec<Value> = store.bundle.with_untracked(|bundle| {
                bundle
                    .files
                    .iter()
                    .map(|file| json!({ "path": file.path, "syntax": file.syntax, "contents": file.contents }))
                    .collect()
            });
            json!({ "type": "slipway:bundle", "id": id, "files": files })
        }
        Request::GetFindings { id } => {
            json!({ "type": "slipway:findings", "id": id, "findings": findings_json(store) })
        }
        Request::SetTheme {
            id,
            theme,
            properties,
        } => match apply_theme(theme.as_deref(), &properties) {
            Ok(()) => json!({ "type": "slipway:theme-set", "id": id }),
            Err(message) => {
                json!({ "type": "slipway:error", "id": id, "error": { "message": message } })
            }
        },
    }
}

/// Listens for host requests from `origins` and tells them about changes. Messages from any
/// other origin are ignored; replies and events are addressed to allowed origins only.
pub fn start_bridge(store: Store, origins: Vec<String>) {
    let allowed = StoredValue::new(origins);
    let handle = window_event_listener_untyped("message", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        let origin = event.origin();
        if !allowed.with_value(|allowed| allowed.contains(&origin)) {
            return;
        }
        let text = js_sys::JSON::stringify(&event.data())
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default();
        let reply = match parse_request(&text) {
            Ok(request) => {
                let wants_zip = matches!(request, Request::GetBundle { .. });
                let reply = to_js(&answer(store, request));
                if wants_zip {
                    let zip = store.bundle.with_untracked(|bundle| bundle.to_zip());
                    let bytes = js_sys::Uint8Array::from(zip.as_slice());
                    let _ = js_sys::Reflect::set(&reply, &JsValue::from_str("zip"), &bytes);
                }
                reply
            }
            Err(message) => {
                to_js(&json!({ "type": "slipway:error", "error": { "message": message } }))
            }
        };
        post(&reply, &origin);
    });
    on_cleanup(move || handle.remove());

    let broadcast = move |message: Value| {
        let message = to_js(&message);
        allowed.with_value(|allowed| allowed.iter().for_each(|origin| post(&message, origin)));
    };
    Effect::new(move |previous: Option<()>| {
        let design = store.design.with(design_json);
        if previous.is_some() {
            broadcast(json!({ "type": "slipway:changed", "design": design }));
        }
    });
    Effect::new(move |_| {
        broadcast(
            json!({ "type": "slipway:findings", "id": null, "findings": findings_json(store) }),
        );
    });
    broadcast(json!({ "type": "slipway:ready", "version": env!("CARGO_PKG_VERSION") }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_parsed_by_type() {
        assert!(matches!(
            parse_request(r#"{"type":"slipway:get-design","id":7}"#),
            Ok(Request::GetDesign { .. })
        ));
        assert!(matches!(
            parse_request(r#"{"type":"slipway:load","design":"version: 1\n"}"#),
            Ok(Request::Load { .. })
        ));
        assert!(parse_request(r#"{"type":"slipway:format-disk"}"#).is_err());
        assert!(parse_request("null").is_err());
    }

    #[test]
    fn a_bad_design_gets_a_located_error() {
        let error = design_from(&json!("version: 1\ncontainer:\n  port: http\n")).unwrap_err();
        assert_eq!(error["line"], 3);
        assert_eq!(error["field"], "container.port");
        assert!(design_from(&json!(42)).is_err());
        let design =
            design_from(&json!({ "version": 1, "project": { "name": "portal" } })).unwrap();
        assert_eq!(design.project.name, "portal");
    }

    #[test]
    fn only_plain_values_are_themable() {
        assert!(safe_property_value("#0a7f5a"));
        assert!(safe_property_value("rgb(10, 127, 90)"));
        assert!(safe_property_value("Inter, system-ui, sans-serif"));
        for bad in [
            "red; background: url(x)",
            "url(https://evil)",
            "x}body{",
            "\"a\"",
            "",
        ] {
            assert!(!safe_property_value(bad), "{bad}");
        }
    }
}
