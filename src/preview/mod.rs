//! The preview: one tab per generated file, always in step with the design.

use leptos::prelude::*;

use crate::state::Store;

stylance::import_crate_style!(style, "src/preview/preview.module.css");

#[component]
pub fn Preview() -> impl IntoView {
    let store = expect_context::<Store>();
    let (selected, set_selected) = signal(String::from("Dockerfile"));
    let paths = Memo::new(move |_| {
        store
            .bundle
            .with(|bundle| bundle.paths().map(str::to_owned).collect::<Vec<_>>())
    });
    // The shown file: the selected one, or the first when the selection no longer exists.
    let shown = Memo::new(move |_| {
        let wanted = selected.get();
        paths.with(|paths| {
            if paths.contains(&wanted) {
                wanted
            } else {
                paths.first().cloned().unwrap_or_default()
            }
        })
    });
    let contents = move || {
        store.bundle.with(|bundle| {
            bundle
                .file(&shown.get())
                .map(|file| file.contents.clone())
                .unwrap_or_default()
        })
    };

    view! {
        <div class=style::preview>
            <div class=style::tabs role="tablist" aria-label="Generated files">
                <For each=move || paths.get() key=|path| path.clone() let:path>
                    {
                        let for_click = path.clone();
                        let for_state = path.clone();
                        view! {
                            <button
                                type="button"
                                role="tab"
                                class=style::tab
                                data-testid="file-tab"
                                aria-selected=move || (shown.get() == for_state).to_string()
                                on:click=move |_| set_selected.set(for_click.clone())
                            >
                                {path}
                            </button>
                        }
                    }
                </For>
            </div>
            <pre class=style::code role="tabpanel" data-testid="file-contents" aria-label=move || shown.get()>
                <code>{contents}</code>
            </pre>
        </div>
    }
}
