//! Never losing work: autosave after every edit, restore on reload, named designs, share links,
//! and a warning when another tab edits the same design.

pub mod browser;

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use slipway_core::{io, presets, share, Design};
use wasm_bindgen::JsCast;

use crate::notices::{Action, Notices, Tone};
use crate::state::Store;

/// The design being edited, saved after every edit.
pub const CURRENT_KEY: &str = "slipway.design";
/// Named designs: a JSON object from name to design.
pub const LIBRARY_KEY: &str = "slipway.library";
/// A copy of a saved design that could not be read, kept so nothing is lost.
pub const UNREADABLE_KEY: &str = "slipway.design.unreadable";

/// The preset a first visit starts from.
pub const DEFAULT_PRESET: &str = "fastapi-react";

/// The design the app starts with (the autosave, else the default preset) and, when the
/// address carries a share link, the shared design to open on top of it, so the user's own
/// design stays one undo away. Problems are reported as notices and never discard a design.
pub fn initial_designs(notices: Notices) -> (Design, Option<Design>) {
    let base = saved_or_default(notices);
    let fragment = browser::fragment();
    if !fragment.starts_with(share::FRAGMENT_KEY) {
        return (base, None);
    }
    browser::clear_fragment();
    match share::decode(&fragment) {
        Ok(shared) => {
            notices.show(
                Tone::Info,
                "share",
                "Opened the design from the share link. Your previous design is one undo away.",
                Vec::new(),
            );
            (base, Some(shared))
        }
        Err(error) => {
            notices.show(
                Tone::Error,
                "share",
                format!("The share link could not be opened: {error}. Your saved design is shown instead."),
                Vec::new(),
            );
            (base, None)
        }
    }
}

fn saved_or_default(notices: Notices) -> Design {
    if let Some(saved) = browser::read(CURRENT_KEY) {
        match io::parse_design(&saved) {
            Ok(design) => return design,
            Err(error) => {
                let _ = browser::write(UNREADABLE_KEY, &saved);
                notices.show(
                    Tone::Error,
                    "restore",
                    format!("The autosaved design could not be read ({error}). A copy is kept in this browser under `{UNREADABLE_KEY}`; starting from a preset."),
                    Vec::new(),
                );
            }
        }
    }
    default_design()
}

/// The design of a first visit.
pub fn default_design() -> Design {
    presets::find(DEFAULT_PRESET)
        .map(|preset| (preset.build)())
        .unwrap_or_default()
}

/// Saves the design after every change and watches other tabs for conflicting edits.
///
/// A click's change is saved at once. While the user types, the save waits until typing pauses
/// ([`crate::state::SETTLE_AFTER`], as the rest of the bundle does), so a keystroke does not
/// serialise and store the whole design; leaving or hiding the page saves what is pending.
pub fn start_autosave(store: Store, notices: Notices) {
    let last_written = StoredValue::new(String::new());
    let save = move || {
        let json = store.design.with_untracked(io::to_json);
        if json == last_written.get_value() {
            return;
        }
        match browser::write(CURRENT_KEY, &json) {
            Ok(()) => {
                last_written.set_value(json);
                notices.dismiss_topic("storage");
            }
            Err(problem) => notices.show(
                Tone::Error,
                "storage",
                format!("Your latest changes are not saved: {problem}. Export the design file to keep them, or delete saved designs you no longer need."),
                Vec::new(),
            ),
        }
    };
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let flush = move || {
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
            save();
        }
    };
    Effect::new(move |_| {
        store.design.track();
        if let Some(handle) = pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if !store.is_typing() {
            save();
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                pending.set_value(None);
                save();
            },
            crate::state::SETTLE_AFTER,
        )
        .ok();
        pending.set_value(handle);
    });
    let on_hide = window_event_listener_untyped("pagehide", move |_| flush());
    let on_hidden = window_event_listener_untyped("visibilitychange", move |_| {
        if document().hidden() {
            flush();
        }
    });
    on_cleanup(move || {
        on_hide.remove();
        on_hidden.remove();
    });

    let handle = window_event_listener_untyped("storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        if event.key().as_deref() != Some(CURRENT_KEY) {
            return;
        }
        let Some(theirs) = event.new_value() else {
            return;
        };
        if theirs == last_written.get_value() {
            return;
        }
        let load_theirs = {
            let theirs = theirs.clone();
            Arc::new(move || {
                if let Ok(design) = io::parse_design(&theirs) {
                    store.load("Load the other tab's design", design);
                }
            })
        };
        let keep_mine = Arc::new(move || {
            let _ = browser::write(CURRENT_KEY, &last_written.get_value());
        });
        notices.show(
            Tone::Warning,
            "conflict",
            "This design was changed in another tab. Nothing was overwritten: choose which version to keep.",
            vec![
                Action {
                    label: "Load the other tab's version",
                    run: load_theirs,
                },
                Action {
                    label: "Keep mine",
                    run: keep_mine,
                },
            ],
        );
    });
    on_cleanup(move || handle.remove());
}

/// Named designs saved in this browser.
pub fn library() -> BTreeMap<String, String> {
    browser::read(LIBRARY_KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

pub fn save_named(name: &str, design: &Design) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("give the design a name".to_owned());
    }
    let mut designs = library();
    designs.insert(name.to_owned(), io::to_json(design));
    browser::write(
        LIBRARY_KEY,
        &serde_json::to_string(&designs).unwrap_or_default(),
    )
}

pub fn open_named(name: &str) -> Result<Design, String> {
    let designs = library();
    let text = designs
        .get(name)
        .ok_or_else(|| format!("no saved design called {name}"))?;
    io::parse_design(text).map_err(|error| format!("{name} could not be read: {error}"))
}

pub fn delete_named(name: &str) -> Result<(), String> {
    let mut designs = library();
    designs.remove(name);
    browser::write(
        LIBRARY_KEY,
        &serde_json::to_string(&designs).unwrap_or_default(),
    )
}
