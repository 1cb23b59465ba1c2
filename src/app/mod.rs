//! The application shell: header, editor, preview and findings around one store.

use leptos::prelude::*;
use slipway_core::presets;

use crate::editor::Editor;
use crate::findings::FindingsPanel;
use crate::header::Header;
use crate::preview::Preview;
use crate::state::Store;

stylance::import_crate_style!(style, "src/app/app.module.css");

/// The preset a first visit starts from.
const DEFAULT_PRESET: &str = "fastapi-react";

#[component]
pub fn App() -> impl IntoView {
    let initial = presets::find(DEFAULT_PRESET)
        .map(|preset| (preset.build)())
        .unwrap_or_default();
    let store = Store::new(initial);
    provide_context(store);

    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let modifier = event.ctrl_key() || event.meta_key();
        if !modifier || !event.key().eq_ignore_ascii_case("z") {
            return;
        }
        event.prevent_default();
        if event.shift_key() {
            store.redo();
        } else {
            store.undo();
        }
    };

    view! {
        <div class=style::shell on:keydown=on_keydown>
            <Header />
            <main class=style::workspace>
                <section class=style::editor aria-label="Design">
                    <Editor />
                </section>
                <section class=style::preview aria-label="Generated files">
                    <Preview />
                </section>
                <section class=style::findings aria-label="Findings">
                    <FindingsPanel />
                </section>
            </main>
        </div>
    }
}
