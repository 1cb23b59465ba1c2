//! The top bar: project name, preset picker, undo/redo and the zip download.

use leptos::prelude::*;
use slipway_core::{presets, rules, text};

use crate::designs::DesignsMenu;
use crate::download;
use crate::embed::LaunchOptions;
use crate::preview::LastExport;
use crate::state::Store;
use crate::theme::ThemeToggle;
use crate::workshop::Workshop;

mod gallery;

stylance::import_crate_style!(pub(crate) style, "src/header/header.module.css");

#[component]
pub fn Header() -> impl IntoView {
    let store = expect_context::<Store>();
    let project_name = move || store.design.with(|design| design.project.name.clone());
    let blocking = Memo::new(move |_| store.findings.with(|f| rules::blocking(f).count()));
    let (download_error, set_download_error) = signal(None::<String>);
    let workshop = expect_context::<Workshop>();
    let launch_theme = use_context::<LaunchOptions>().and_then(|options| options.theme);

    let pick_preset = move |event: leptos::ev::Event| {
        let id = event_target_value(&event);
        if let Some(preset) = presets::find(&id) {
            store.load(&format!("Load preset {}", preset.name), (preset.build)());
        }
    };

    let last_export = expect_context::<LastExport>();
    let download_zip = move |_| {
        let name = store
            .design
            .with(|design| text::identifier(&design.project.name, "slipway"));
        store.settle();
        let bytes = store.bundle.with_untracked(|bundle| bundle.to_zip());
        let result = download::save(&format!("{name}.zip"), "application/zip", &bytes);
        if result.is_ok() {
            store
                .bundle
                .with_untracked(|bundle| last_export.record(bundle));
        }
        set_download_error.set(
            result
                .err()
                .map(|error| format!("Download failed: {error:?}")),
        );
    };

    let download_title = move || match blocking.get() {
        0 => "Download every generated file as a zip".to_owned(),
        n => format!("{n} critical finding(s) block the export: fix them first"),
    };

    view! {
        <header class=style::header>
            <div class=style::brand>
                <svg class=style::logo viewBox="0 0 32 32" aria-hidden="true">
                    <path d="M16 3v20H6z" fill="currentColor" />
                    <path d="M18 8l8 15h-8z" fill="currentColor" opacity="0.6" />
                    <path d="M4 25h24l-3 4H7z" fill="currentColor" />
                </svg>
                <span class=style::product>"Slipway"</span>
                <span class=style::project data-testid="project-name">{project_name}</span>
            </div>
            {(!store.read_only).then(|| view! {
                <gallery::PresetGallery />
                <label class=style::preset>
                    <span class=style::visually_hidden>"Preset"</span>
                    <select data-testid="preset-picker" on:change=pick_preset>
                        <option value="" selected>"Preset…"</option>
                        {presets::all()
                            .iter()
                            .map(|preset| {
                                view! {
                                    <option value=preset.id title=preset.description>
                                        {preset.name}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            })}
            {store.read_only.then(|| view! {
                <span class=style::read_only data-testid="read-only" title="This view is read-only: designs can be read, checked and downloaded, not changed">
                    "Read-only"
                </span>
            })}
            <div class=style::actions>
                <ThemeToggle initial=launch_theme />
                {(!store.read_only).then(|| view! {
                    <button
                        type="button"
                        data-testid="workshop-toggle"
                        aria-pressed=move || workshop.open.get().to_string()
                        title="Guided exercises for workshops"
                        on:click=move |_| workshop.open.update(|open| *open = !*open)
                    >
                        "Exercises"
                    </button>
                    <DesignsMenu />
                    <button
                        type="button"
                        data-testid="undo"
                        title=move || store.undo_label().map_or("Nothing to undo".to_owned(), |l| format!("Undo: {l} (Ctrl+Z)"))
                        disabled=move || store.undo_label().is_none()
                        on:click=move |_| store.undo()
                    >
                        "Undo"
                    </button>
                    <button
                        type="button"
                        data-testid="redo"
                        title=move || store.redo_label().map_or("Nothing to redo".to_owned(), |l| format!("Redo: {l} (Ctrl+Shift+Z)"))
                        disabled=move || store.redo_label().is_none()
                        on:click=move |_| store.redo()
                    >
                        "Redo"
                    </button>
                })}
                <button
                    type="button"
                    class=style::download
                    data-testid="download-zip"
                    disabled=move || { blocking.get() > 0 }
                    title=download_title
                    on:click=download_zip
                >
                    "Download zip"
                </button>
            </div>
            <Show when=move || download_error.get().is_some()>
                <p class=style::error role="alert">{move || download_error.get()}</p>
            </Show>
        </header>
    }
}
