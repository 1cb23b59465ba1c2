//! The designs menu: named designs in this browser, import and export of the design file, and
//! share links.

use leptos::prelude::*;
use leptos::task::spawn_local;
use slipway_core::{io, share, text};
use wasm_bindgen::JsCast;

use crate::download;
use crate::notices::{Notices, Tone};
use crate::persistence::{self, browser};
use crate::state::Store;

stylance::import_crate_style!(style, "src/designs/designs.module.css");

#[component]
pub fn DesignsMenu() -> impl IntoView {
    let store = expect_context::<Store>();
    let notices = expect_context::<Notices>();
    let names = RwSignal::new(persistence::library().into_keys().collect::<Vec<_>>());
    let refresh = move || names.set(persistence::library().into_keys().collect());
    let new_name = RwSignal::new(String::new());
    let paste = NodeRef::<leptos::html::Textarea>::new();
    let share_link = RwSignal::new(None::<String>);

    let report = move |result: Result<(), String>, topic: &'static str| match result {
        Ok(()) => notices.dismiss_topic(topic),
        Err(problem) => notices.show(Tone::Error, topic, problem, Vec::new()),
    };

    let save_as = move |_| {
        let name = new_name.get_untracked();
        report(
            store
                .design
                .with_untracked(|d| persistence::save_named(&name, d)),
            "library",
        );
        new_name.set(String::new());
        refresh();
    };

    // `read` is the text, or why it could not be read (too large).
    let import_text = move |read: Result<String, String>, source: String| match read
        .and_then(|text| io::parse_design(&text).map_err(|error| error.to_string()))
    {
        Ok(design) => {
            store.load(&format!("Import {source}"), design);
            notices.show(
                Tone::Info,
                "import",
                format!("Imported {source}."),
                Vec::new(),
            );
        }
        Err(error) => notices.show(
            Tone::Error,
            "import",
            format!("{source} was not imported, your design is unchanged: {error}"),
            Vec::new(),
        ),
    };

    let import_file = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let name = file.name();
        spawn_local(async move {
            match browser::read_file(file, io::MAX_DESIGN_BYTES).await {
                Ok(text) => import_text(Ok(text), name),
                Err(problem) => notices.show(
                    Tone::Error,
                    "import",
                    format!("Not imported, your design is unchanged: {problem}."),
                    Vec::new(),
                ),
            }
        });
    };

    let export_file = move |_| {
        let (name, yaml) = store
            .design
            .with_untracked(|d| (text::identifier(&d.project.name, "slipway"), io::to_yaml(d)));
        if let Err(error) = download::save(
            &format!("{name}.slipway.yaml"),
            "application/yaml",
            yaml.as_bytes(),
        ) {
            notices.show(
                Tone::Error,
                "export",
                format!("Download failed: {error:?}"),
                Vec::new(),
            );
        }
    };

    let copy_share_link = move |_| {
        let link = format!(
            "{}#{}{}",
            browser::page_url(),
            share::FRAGMENT_KEY,
            store.design.with_untracked(share::encode)
        );
        share_link.set(Some(link.clone()));
        spawn_local(async move {
            match browser::copy_text(&link).await {
                Ok(()) => notices.show(Tone::Info, "share", "Share link copied. The design travels inside the link and never reaches a server.", Vec::new()),
                Err(problem) => notices.show(Tone::Warning, "share", format!("Copy the link from the Designs menu: {problem}."), Vec::new()),
            }
        });
    };

    view! {
        <details class=style::menu>
            <summary data-testid="designs-menu">"Designs"</summary>
            <div class=style::panel>
                <section>
                    <h3>"Save in this browser"</h3>
                    <div class=style::inline>
                        <input
                            type="text"
                            aria-label="Design name"
                            placeholder="Name"
                            data-testid="save-as-name"
                            prop:value=move || new_name.get()
                            on:input=move |ev| new_name.set(event_target_value(&ev))
                        />
                        <button type="button" data-testid="save-as" on:click=save_as>"Save as"</button>
                    </div>
                    <ul class=style::list>
                        <For each=move || names.get() key=|name| name.clone() let:name>
                            {
                                let open = name.clone();
                                let delete = name.clone();
                                view! {
                                    <li data-testid="saved-design">
                                        <span>{name.clone()}</span>
                                        <button type="button" on:click=move |_| {
                                            match persistence::open_named(&open) {
                                                Ok(design) => store.load(&format!("Open {open}"), design),
                                                Err(problem) => notices.show(Tone::Error, "library", problem, Vec::new()),
                                            }
                                        }>"Open"</button>
                                        <button type="button" on:click=move |_| {
                                            report(persistence::delete_named(&delete), "library");
                                            refresh();
                                        }>"Delete"</button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </section>
                <section>
                    <h3>"Design file"</h3>
                    <div class=style::inline>
                        <label class=style::file>
                            "Import…"
                            <input type="file" accept=".yaml,.yml,.json" data-testid="import-file" on:change=import_file />
                        </label>
                        <button type="button" data-testid="export-design" on:click=export_file>"Export slipway.yaml"</button>
                    </div>
                    <textarea
                        rows="3"
                        aria-label="Paste a design"
                        placeholder="…or paste a design (YAML or JSON)"
                        data-testid="paste-design"
                        node_ref=paste
                    ></textarea>
                    <button type="button" data-testid="load-pasted" on:click=move |_| {
                        let Some(element) = paste.get_untracked() else { return };
                        import_text(
                            browser::textarea_text(&element, io::MAX_DESIGN_BYTES),
                            "the pasted design".to_owned(),
                        );
                    }>"Load pasted design"</button>
                </section>
                <section>
                    <h3>"Share"</h3>
                    <button type="button" data-testid="copy-share-link" on:click=copy_share_link>"Copy share link"</button>
                    <Show when=move || share_link.get().is_some()>
                        <input type="text" readonly aria-label="Share link" data-testid="share-link" prop:value=move || share_link.get().unwrap_or_default() />
                    </Show>
                </section>
            </div>
        </details>
    }
}
