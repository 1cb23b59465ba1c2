//! Offline support: registers the service worker that release builds ship (`sw.js`, written by
//! `scripts/postbuild.mjs`), which precaches the build so Slipway works without a network.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Registers `sw.js` next to `index.html`, so the app works under any base path. Development
/// builds skip it: a cached build would hide the change being made.
pub fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    let navigator = leptos::prelude::window().navigator();
    let supported =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    if !supported {
        return;
    }
    let registration = navigator.service_worker().register("sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = JsFuture::from(registration).await {
            // Offline use is an extra; the designer works the same without it.
            let message = error
                .dyn_ref::<js_sys::Error>()
                .map(|error| String::from(error.message()))
                .unwrap_or_default();
            leptos::logging::warn!("offline support unavailable: {message}");
        }
    });
}
