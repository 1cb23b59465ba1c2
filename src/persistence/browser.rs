//! Thin wrappers over the browser APIs the app persists and shares with: local storage, the
//! URL fragment, the clipboard and picked files. Every failure becomes a message, never a panic.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn window() -> Result<web_sys::Window, String> {
    web_sys::window().ok_or_else(|| "no browser window".to_owned())
}

fn storage() -> Result<web_sys::Storage, String> {
    window()?
        .local_storage()
        .ok()
        .flatten()
        .ok_or_else(|| "this browser does not allow local storage here".to_owned())
}

pub fn read(key: &str) -> Option<String> {
    storage().ok()?.get_item(key).ok().flatten()
}

/// Writes a value; a full quota or disabled storage comes back as a message for the user.
pub fn write(key: &str, value: &str) -> Result<(), String> {
    storage()?.set_item(key, value).map_err(|error| {
        let name = error
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()))
            .unwrap_or_default();
        if name.contains("Quota") {
            "the browser's storage for this site is full".to_owned()
        } else {
            format!("the browser refused to save ({})", describe(&error))
        }
    })
}

/// The URL fragment without the leading `#`.
pub fn fragment() -> String {
    window()
        .ok()
        .and_then(|w| w.location().hash().ok())
        .map(|hash| hash.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar without reloading, so a reload shows the
/// autosaved design rather than the shared one.
pub fn clear_fragment() {
    let Ok(window) = window() else { return };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// This page's address without search and fragment, for share links.
pub fn page_url() -> String {
    window()
        .ok()
        .map(|w| {
            let location = w.location();
            format!(
                "{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = window()?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|error| format!("the clipboard is not available ({})", describe(&error)))
}

/// Reads a picked file as text, refusing files larger than `limit` bytes before reading.
pub async fn read_file(file: web_sys::File, limit: usize) -> Result<String, String> {
    let size = file.size();
    if size > limit as f64 {
        return Err(format!(
            "{} is {:.1} MB; Slipway reads files up to {} MB",
            file.name(),
            size / (1024.0 * 1024.0),
            limit / (1024 * 1024)
        ));
    }
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| format!("{} could not be read as text", file.name()))
}

/// The text of a textarea, refusing more than `limit` bytes without copying it out of the page
/// (a UTF-16 code unit is at least one UTF-8 byte, so the length check is safe).
pub fn textarea_text(
    element: &web_sys::HtmlTextAreaElement,
    limit: usize,
) -> Result<String, String> {
    let units = usize::try_from(element.text_length()).unwrap_or(0);
    if units > limit {
        return Err(format!(
            "the pasted text is {:.1} MB; Slipway reads up to {} MB",
            units as f64 / (1024.0 * 1024.0),
            limit / (1024 * 1024)
        ));
    }
    Ok(element.value())
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
