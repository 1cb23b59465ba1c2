//! Going to something shown elsewhere in the app: a generated file, a job, a rule or a
//! setting. A request names what to show; the app switches to the view that shows it (and
//! unfolds the design form for a setting), and that view takes the request and clears it.
//! The search (Ctrl+K) and a fix's announcement go through here.

use leptos::prelude::*;
use slipway_core::rules;
use wasm_bindgen::JsCast;

use crate::state::Store;

/// Where the user asked to go, waiting for the view that shows it.
#[derive(Clone, Copy)]
pub struct Navigation {
    /// A generated file's path, for the Files view.
    pub file: RwSignal<Option<String>>,
    /// A job id, for the Pipeline view.
    pub job: RwSignal<Option<String>>,
    /// A rule id, for the Rules view.
    pub rule: RwSignal<Option<String>>,
    /// A setting's path (`services[1].container.port`), for the design form.
    pub field: RwSignal<Option<String>>,
}

impl Navigation {
    pub fn new() -> Self {
        Navigation {
            file: RwSignal::new(None),
            job: RwSignal::new(None),
            rule: RwSignal::new(None),
            field: RwSignal::new(None),
        }
    }

    pub fn show_file(&self, path: impl Into<String>) {
        self.file.set(Some(path.into()));
    }

    pub fn show_job(&self, id: impl Into<String>) {
        self.job.set(Some(id.into()));
    }

    pub fn show_rule(&self, id: impl Into<String>) {
        self.rule.set(Some(id.into()));
    }

    pub fn show_field(&self, path: impl Into<String>) {
        self.field.set(Some(path.into()));
    }

    /// Runs `show` with each request `request` receives while the calling view is mounted,
    /// then clears it (tracked: call it once, in the view's body).
    pub fn take(request: RwSignal<Option<String>>, show: impl Fn(String) + 'static) {
        Effect::new(move |_| {
            if let Some(wanted) = request.get() {
                request.set(None);
                show(wanted);
            }
        });
    }
}

/// Moves focus to the field whose `data-field` is `path`, or, unless `exact`, its closest
/// enclosing field (`container.build_args[0].value` falls back to `container.build_args`).
/// Returns whether a field took focus.
pub fn focus_field(path: &str, exact: bool) -> bool {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return false;
    };
    let mut path = path.to_owned();
    loop {
        let selector = format!("[data-field=\"{}\"]", path.replace('"', "\\\""));
        if let Ok(Some(element)) = document.query_selector(&selector) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                if let Some(details) = element.closest("details").ok().flatten() {
                    let _ = details.set_attribute("open", "");
                }
                element.scroll_into_view();
                let _ = element.focus();
            }
            return true;
        }
        match path.rfind(['.', '[']).filter(|_| !exact) {
            Some(cut) => path.truncate(cut),
            None => return false,
        }
    }
}

/// Shows the field at `field`. A service's field (`services[1].container.port`) first
/// selects that service, whose fields the per-service views show under their path inside it
/// (`container.port`); a field of the Services panel itself is taken as it is.
pub fn locate(store: Store, field: &str) {
    let Some((index, inside)) = rules::split_service_field(field) else {
        focus_field(field, false);
        return;
    };
    store.select_service(index);
    let inside = if inside.is_empty() { "name" } else { inside };
    let _ = focus_field(field, true) || focus_field(inside, false) || focus_field(field, false);
}
