//! The presets gallery: real-world starting points with what each one is, plus a blank design.

use leptos::prelude::*;
use slipway_core::presets;

use super::style;
use crate::repository_import::OpenRepositoryImport;
use crate::state::Store;

#[component]
pub fn PresetGallery() -> impl IntoView {
    let store = expect_context::<Store>();
    let open_import = use_context::<OpenRepositoryImport>();
    let menu = NodeRef::<leptos::html::Details>::new();
    let close = move || {
        if let Some(menu) = menu.get() {
            menu.set_open(false);
        }
    };
    view! {
        <details class=style::gallery node_ref=menu>
            <summary data-testid="gallery">"Start from…"</summary>
            <div class=style::gallery_panel role="list" aria-label="Starting points">
                {presets::all()
                    .iter()
                    .map(|preset| {
                        view! {
                            <button
                                type="button"
                                role="listitem"
                                class=style::card
                                data-testid=format!("preset-{}", preset.id)
                                on:click=move |_| {
                                    store.load(&format!("Load preset {}", preset.name), (preset.build)());
                                    close();
                                }
                            >
                                <strong>{preset.name}</strong>
                                <span>{preset.description}</span>
                            </button>
                        }
                    })
                    .collect_view()}
                <button
                    type="button"
                    role="listitem"
                    class=style::card
                    data-testid="start-from-repository"
                    on:click=move |_| {
                        close();
                        if let Some(open) = open_import {
                            open.open();
                        }
                    }
                >
                    <strong>"Your repository"</strong>
                    <span>"Drop its folder or a .zip: its services, images and workflows become the design, with a report of each file."</span>
                </button>
                <button
                    type="button"
                    role="listitem"
                    class=style::card
                    data-testid="preset-blank"
                    on:click=move |_| {
                        store.load("Start a blank design", presets::blank());
                        close();
                    }
                >
                    <strong>"Blank design"</strong>
                    <span>"No jobs yet: add them from the palette and connect them on the canvas."</span>
                </button>
            </div>
        </details>
    }
}
