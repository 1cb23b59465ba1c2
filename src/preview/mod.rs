//! The preview: the generated files as a folder tree per service (then the repository's),
//! searchable by path, beside the shown file, highlighted, with copy and the changes since the
//! last download. Always in step with the design.

mod changes;
mod groups;
mod highlight;
mod html;
mod tree;

use std::collections::{BTreeMap, HashSet};

use highlight::Token;
use leptos::prelude::*;
use leptos::task::spawn_local;
use slipway_core::diff;
use slipway_core::Bundle;
use tree::Row;
use wasm_bindgen::JsCast;

pub use changes::OpenRepositoryChanges;

use crate::divider::{Divider, PaneWidth};
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
    // The folders and groups the user closed, by key (a folder's path, `#group-<n>`).
    let closed = RwSignal::new(HashSet::<String>::new());
    // Each group as shown: its header row (level 1; its `position` holds how many files match)
    // and, when it is open, its folders' and files' rows.
    let tree = Memo::new(move |_| {
        let filtering = filter.with(|filter| !filter.trim().is_empty());
        groups.with(|groups| {
            paths.with(|paths| {
                closed.with(|closed| {
                    let open = |key: &str| tree::is_open(key, filtering, closed);
                    groups
                        .iter()
                        .enumerate()
                        .map(|(index, group)| {
                            let files: Vec<usize> = filter.with(|filter| {
                                group
                                    .files
                                    .iter()
                                    .copied()
                                    .filter(|&p| {
                                        paths.get(p).is_some_and(|path| path_matches(path, filter))
                                    })
                                    .collect()
                            });
                            let key = format!("#group-{index}");
                            let is_open = open(&key);
                            let rows = if is_open {
                                tree::rows(paths, &files, 2, &open)
                            } else {
                                Vec::new()
                            };
                            let header = Row {
                                level: 1,
                                key,
                                label: String::new(),
                                open: Some(is_open),
                                position: files.len(),
                            };
                            (header, rows)
                        })
                        .collect::<Vec<_>>()
                })
            })
        })
    });
    // Every row on screen, in order, for the arrow keys.
    let visible = move || {
        tree.with(|groups| {
            groups
                .iter()
                .filter(|(header, _)| header.position > 0)
                .flat_map(|(header, rows)| std::iter::once(header).chain(rows))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    // The row that holds the tree's one Tab stop: the last focused, else the shown file, else
    // the first row.
    let cursor = RwSignal::new(None::<String>);
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
    let tab_stop = Memo::new(move |_| {
        let rows = visible();
        let on_screen = |key: &String| rows.iter().any(|row| row.key == *key);
        cursor
            .get()
            .filter(on_screen)
            .or_else(|| Some(shown.get()).filter(on_screen))
            .or_else(|| rows.first().map(|row| row.key.clone()))
    });
    // Showing a file (a click, a search, a finding's Go to) opens its group and folders; an
    // edit that leaves the shown file in place leaves them as the user set them.
    Effect::new(move |_| {
        let path = shown.get();
        let group = paths.with_untracked(|paths| {
            let position = paths.iter().position(|p| *p == path)?;
            groups.with_untracked(|groups| groups.iter().position(|g| g.files.contains(&position)))
        });
        closed.update(|closed| {
            tree::reveal(closed, &path);
            if let Some(group) = group {
                closed.remove(&format!("#group-{group}"));
            }
        });
    });
    let focus_row = move |key: &str| {
        cursor.set(Some(key.to_owned()));
        // Keys are generated paths: no quote or backslash to escape.
        if let Some(element) = document()
            .query_selector(&format!("[role=tree] [data-key=\"{key}\"]"))
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    };
    // Opening or closing a folder replaces its row: focus follows to the new one.
    let toggle = move |key: &str| {
        closed.update(|closed| {
            if !closed.remove(key) {
                closed.insert(key.to_owned());
            }
        });
        let key = key.to_owned();
        request_animation_frame(move || focus_row(&key));
    };
    let activate = move |row: &Row| match row.open {
        Some(_) => toggle(&row.key),
        None => set_selected.set((row.key.clone(), row.position)),
    };
    // The WAI-ARIA tree view's keys: Up and Down move, Right opens or enters, Left closes or
    // goes to the parent, Home and End go to the ends, Enter and Space show a file.
    let on_tree_keydown = move |event: leptos::ev::KeyboardEvent| {
        let Some(key) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.get_attribute("data-key"))
        else {
            return;
        };
        let rows = visible();
        let Some(at) = rows.iter().position(|row| row.key == key) else {
            return;
        };
        let row = &rows[at];
        let go = |index: usize| {
            if let Some(row) = rows.get(index) {
                focus_row(&row.key);
            }
        };
        match event.key().as_str() {
            "ArrowDown" => go(at + 1),
            "ArrowUp" => go(at.saturating_sub(1)),
            "Home" => go(0),
            "End" => go(rows.len().saturating_sub(1)),
            "ArrowRight" => match row.open {
                Some(false) => toggle(&row.key),
                Some(true) => go(at + 1),
                None => {}
            },
            "ArrowLeft" => match row.open {
                Some(true) => toggle(&row.key),
                _ => {
                    if let Some(parent) = rows[..at].iter().rposition(|r| r.level < row.level) {
                        go(parent);
                    }
                }
            },
            "Enter" | " " => activate(row),
            _ => return,
        }
        event.prevent_default();
    };
    let list_width = PaneWidth::remembered("slipway.files-width", 240.0, 170.0, 560.0);

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
        <div
            class=style::preview
            style:grid-template-columns=move || format!("min({:.0}px, 45%) auto minmax(0, 1fr)", list_width.width.get())
        >
            <nav class=style::tabs id="file-list" aria-label="File list">
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
                <div
                    role="tree"
                    aria-label="Generated files"
                    data-testid="file-tree"
                    on:keydown=on_tree_keydown
                    on:focusin=move |event| {
                        let key = event
                            .target()
                            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                            .and_then(|element| element.get_attribute("data-key"));
                        if key.is_some() {
                            cursor.set(key);
                        }
                    }
                >
                // Keyed by place: a rename relabels the groups instead of replacing them.
                <For each=move || 0..groups.with(Vec::len) key=|group| *group let:group>
                    {
                        let service = move || groups.with(|groups| groups.get(group).and_then(|g| g.service));
                        let name = move || match service() {
                            Some(index) => store.design.with(|design| {
                                called(&design.services.get(index).map(|s| s.name.clone()).unwrap_or_default(), index)
                            }),
                            None => "Repository".to_owned(),
                        };
                        let header = move || tree.with(|tree| tree.get(group).map(|(header, _)| header.clone()));
                        let count = move || header().map_or(0, |header| header.position);
                        let open = move || header().and_then(|header| header.open).unwrap_or(true);
                        let key = format!("#group-{group}");
                        let rows = Memo::new(move |_| tree.with(|tree| tree.get(group).map(|(_, rows)| rows.clone()).unwrap_or_default()));
                        // `aria-level` has no typed attribute in Leptos: it is set as a custom one.
                        let head = view! {
                        <div
                            role="treeitem"
                            class=style::group_head
                            data-key=key.clone()
                            aria-expanded=move || open().to_string()
                            tabindex={
                                let key = key.clone();
                                move || if tab_stop.with(|stop| stop.as_deref() == Some(key.as_str())) { "0" } else { "-1" }
                            }
                            data-testid="file-group-head"
                            on:click={
                                let key = key.clone();
                                move |_| toggle(&key)
                            }
                        >
                            <span class=style::swatch aria-hidden="true"></span>
                            <span class=style::group_name>{name}</span>
                            <span class=style::group_count>{count}</span>
                        </div>
                        }
                        .attr("aria-level", "1");
                        view! {
                            <div role="group" class=style::group hidden=move || count() == 0 data-tone=move || tone(service()) data-testid="file-group" data-group=name>
                                {head}
                                // Rebuilt when the group's rows change (a filter, a folder opened or
                                // closed, a rename), never on a selection or a focus move.
                                {move || rows.get().into_iter().map(|row| {
                                    let key = row.key.clone();
                                    let is_stop = {
                                        let key = key.clone();
                                        move || tab_stop.with(|stop| stop.as_deref() == Some(key.as_str()))
                                    };
                                    let is_shown = {
                                        let key = key.clone();
                                        move || shown.with(|shown| *shown == key)
                                    };
                                    let file = row.open.is_none();
                                    let clicked = row.clone();
                                    view! {
                                        <div
                                            role="treeitem"
                                            class=style::tab
                                            data-key=key.clone()
                                            data-path=file.then(|| key.clone())
                                            data-testid=if file { "file-tab" } else { "file-folder" }
                                            title=key.clone()
                                            aria-expanded=row.open.map(|open| open.to_string())
                                            aria-selected=move || file.then(|| is_shown().to_string())
                                            tabindex=move || if is_stop() { "0" } else { "-1" }
                                            style:padding-left=format!("{:.2}rem", 0.45 + 0.85 * (row.level - 1) as f64)
                                            on:click=move |_| activate(&clicked)
                                        >
                                            <span class=style::name>{row.label.clone()}</span>
                                        </div>
                                    }
                                    .attr("aria-level", row.level.to_string())
                                }).collect_view()}
                            </div>
                        }
                    }
                </For>
                </div>
            </nav>
            <Divider pane=list_width pane_left=true label="Resize the file list" controls="file-list" testid="files-divider" />
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
            <pre class=style::code role="region" tabindex="0" data-testid="file-contents" aria-label=move || shown.get()>
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
