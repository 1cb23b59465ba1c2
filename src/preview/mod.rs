//! The preview: one tab per generated file, grouped by the service it belongs to, highlighted,
//! with copy and the changes since the last download. Always in step with the design.

mod changes;
mod groups;
mod highlight;
mod html;

use std::collections::BTreeMap;

use highlight::Token;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slipway_core::diff;
use slipway_core::Bundle;

pub use changes::OpenRepositoryChanges;

use crate::navigation::Navigation;
use crate::persistence::browser;
use crate::services::{called, tone};
use crate::state::Store;

stylance::import_crate_style!(style, "src/preview/preview.module.css");

const LAST_EXPORT_KEY: &str = "slipway.last-export";

/// The files of the last downloaded zip, to show what changed since.
#[derive(Clone, Copy)]
pub struct LastExport(RwSignal<Option<BTreeMap<String, String>>>);

impl LastExport {
    pub fn load() -> Self {
        let saved =
            browser::read(LAST_EXPORT_KEY).and_then(|text| serde_json::from_str(&text).ok());
        LastExport(RwSignal::new(saved))
    }

    /// Remembers what was just downloaded.
    pub fn record(&self, bundle: &Bundle) {
        let files: BTreeMap<String, String> = bundle
            .files
            .iter()
            .map(|file| (file.path.clone(), file.contents.clone()))
            .collect();
        // Best effort: a full quota only costs the diff, never the design.
        let _ = browser::write(
            LAST_EXPORT_KEY,
            &serde_json::to_string(&files).unwrap_or_default(),
        );
        self.0.set(Some(files));
    }
}

const CLASSES: html::Classes = html::Classes {
    token: |token| match token {
        Token::Plain => "",
        Token::Comment => style::comment,
        Token::Key => style::key,
        Token::Keyword => style::keyword,
        Token::Text => style::string,
        Token::Number => style::number,
        Token::Punctuation => style::punctuation,
    },
    chunk: style::chunk,
    line: style::line,
    added: style::added,
    removed: style::removed,
};

/// Renders every file of `bundle` to the preview's HTML and drops it: the app's warm-up
/// ([`crate::state::warm_up`]) runs this so highlighting is optimised before the first edit.
pub fn warm_up(bundle: &Bundle) {
    for file in &bundle.files {
        std::hint::black_box(html::highlighted(&CLASSES, file.syntax, &file.contents));
    }
}

/// Whether `path` contains every word of `filter` (case-insensitive); an empty filter keeps
/// every path.
pub fn path_matches(path: &str, filter: &str) -> bool {
    let path = path.to_lowercase();
    filter
        .to_lowercase()
        .split_whitespace()
        .all(|word| path.contains(word))
}

#[component]
pub fn Preview() -> impl IntoView {
    let store = expect_context::<Store>();
    let last_export = expect_context::<LastExport>();
    // The chosen file by path, and its place in the list for when a rename moves the path
    // (`charts/<name>/values.yaml` while the project name is typed).
    let (selected, set_selected) = signal((String::from("Dockerfile"), 0usize));
    if let Some(navigation) = use_context::<Navigation>() {
        Navigation::take(navigation.file, move |path| set_selected.set((path, 0)));
    }
    let filter = RwSignal::new(String::new());
    let show_changes = RwSignal::new(false);
    let copied = RwSignal::new(None::<String>);
    let paths = Memo::new(move |_| {
        store
            .bundle
            .with(|bundle| bundle.paths().map(str::to_owned).collect::<Vec<_>>())
    });
    let nothing_matches = move || {
        filter.with(|filter| {
            !filter.trim().is_empty()
                && paths.with(|paths| !paths.iter().any(|path| path_matches(path, filter)))
        })
    };
    let groups = Memo::new(move |_| {
        store
            .design
            .with(|design| paths.with(|paths| groups::groups(design, paths)))
    });
    // The shown file: the selected one, the one at its place when a rename moved its path, or
    // the first.
    let shown = Memo::new(move |_| {
        let (wanted, position) = selected.get();
        paths.with(|paths| {
            if paths.contains(&wanted) {
                wanted
            } else {
                paths
                    .get(position)
                    .or_else(|| paths.first())
                    .cloned()
                    .unwrap_or_default()
            }
        })
    });
    // Generated on its own at every edit; the rest of the bundle follows when typing pauses.
    let file = Memo::new(move |_| store.file(&shown.get()));
    let previous = move || {
        last_export.0.with(|files| {
            files
                .as_ref()
                .map(|files| files.get(&shown.get()).cloned().unwrap_or_default())
        })
    };
    let change_summary = move || {
        let previous = previous()?;
        let current = file.get()?.contents;
        let (added, removed) = diff::summary(&diff::lines(&previous, &current));
        Some(format!("+{added} −{removed} since the last download"))
    };

    let code = NodeRef::<leptos::html::Code>::new();
    let shown_lines = StoredValue::new(html::Shown::default());
    Effect::new(move |_| {
        let changes = show_changes.get().then(previous).flatten();
        file.with(|file| {
            let (edit, highlighted) = shown_lines.with_value(|shown| match (file, &changes) {
                (None, _) => (shown.replace(Vec::new()), None),
                (Some(file), Some(previous)) => (
                    shown.replace(html::diff(&CLASSES, &diff::lines(previous, &file.contents))),
                    None,
                ),
                (Some(file), None) => (
                    shown.highlight(&CLASSES, file.syntax, &file.contents),
                    Some((file.syntax, file.contents.as_str())),
                ),
            });
            let code = code.get();
            let code: Option<&web_sys::Element> = code.as_deref();
            shown_lines.update_value(|shown| shown.apply(code, &CLASSES, edit, highlighted));
        });
    });

    let copy = move |_| {
        let Some(file) = file.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let message = match browser::copy_text(&file.contents).await {
                Ok(()) => format!("Copied {}", file.path),
                Err(problem) => format!("Not copied: {problem}"),
            };
            copied.set(Some(message));
        });
    };

    view! {
        <div class=style::layout>
        <changes::RepositoryChanges />
        <div class=style::preview>
            <nav class=style::tabs aria-label="Generated files">
                <input
                    type="search"
                    class=style::filter
                    aria-label="Filter files by path"
                    placeholder="Filter files"
                    data-testid="file-filter"
                    prop:value=move || filter.get()
                    on:input=move |event| filter.set(event_target_value(&event))
                />
                <Show when=nothing_matches>
                    <p class=style::no_match data-testid="file-filter-empty">"No file path matches."</p>
                </Show>
                // Keyed by place: a rename relabels the groups and tabs instead of replacing them.
                <For each=move || 0..groups.with(Vec::len) key=|group| *group let:group>
                    {
                        let service = move || groups.with(|groups| groups.get(group).and_then(|g| g.service));
                        let name = move || match service() {
                            Some(index) => store.design.with(|design| {
                                called(&design.services.get(index).map(|s| s.name.clone()).unwrap_or_default(), index)
                            }),
                            None => "Repository".to_owned(),
                        };
                        let files = move || {
                            let positions = groups.with(|groups| groups.get(group).map(|g| g.files.clone()).unwrap_or_default());
                            filter.with(|filter| {
                                paths.with(|paths| {
                                    positions
                                        .into_iter()
                                        .filter(|position| paths.get(*position).is_some_and(|path| path_matches(path, filter)))
                                        .collect::<Vec<_>>()
                                })
                            })
                        };
                        view! {
                            <details class=style::group open hidden=move || files().is_empty() data-tone=move || tone(service()) data-testid="file-group" data-group=name>
                                <summary>
                                    <span class=style::swatch aria-hidden="true"></span>
                                    <span class=style::group_name>{name}</span>
                                    <span class=style::group_count>{move || files().len()}</span>
                                </summary>
                                // Rebuilt only when the group's files change, not on a rename.
                                <div role="tablist" aria-orientation="vertical" aria-label=move || format!("{} files", name())>
                                {move || {
                                    files()
                                        .into_iter()
                                        .map(|position| {
                                            let path = move || paths.with(|paths| paths.get(position).cloned().unwrap_or_default());
                                            view! {
                                                <button
                                                    type="button"
                                                    role="tab"
                                                    class=style::tab
                                                    data-testid="file-tab"
                                                    aria-selected=move || (shown.with(|shown| *shown == path())).to_string()
                                                    on:click=move |_| set_selected.set((path(), position))
                                                    // Long paths break after a slash, never inside a name.
                                                    inner_html=move || html::breakable_path(&path())
                                                ></button>
                                            }
                                        })
                                        .collect_view()
                                }}
                                </div>
                            </details>
                        }
                    }
                </For>
            </nav>
            <div class=style::viewer>
            <div class=style::toolbar>
                <button type="button" data-testid="copy-file" on:click=copy>"Copy"</button>
                <label class=style::toggle>
                    <input
                        type="checkbox"
                        data-testid="show-changes"
                        disabled=move || last_export.0.with(Option::is_none)
                        prop:checked=move || show_changes.get()
                        on:change=move |ev| show_changes.set(event_target_checked(&ev))
                    />
                    <span>"Changes since the last download"</span>
                </label>
                <span class=style::summary data-testid="change-summary">
                    {move || {
                        if last_export.0.with(Option::is_none) {
                            "Download once to track changes".to_owned()
                        } else {
                            change_summary().unwrap_or_default()
                        }
                    }}
                </span>
                <span class=style::summary role="status">{move || copied.get()}</span>
            </div>
            <pre class=style::code role="tabpanel" tabindex="0" data-testid="file-contents" aria-label=move || shown.get()>
                // One escaped HTML string per line (html.rs); an edit replaces the lines it changed.
                <code node_ref=code></code>
            </pre>
            </div>
        </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn a_filter_keeps_paths_with_every_word() {
        assert!(path_matches("charts/api/values.yaml", ""));
        assert!(path_matches("charts/api/values.yaml", "API values"));
        assert!(!path_matches("charts/api/values.yaml", "api worker"));
        assert!(path_matches(".github/workflows/ci.yml", "workflows ci"));
    }
}
