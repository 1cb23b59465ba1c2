//! Search everything (Ctrl+K, or the Search button): the design's jobs and services, the
//! settings of the design form, every rule and every generated file. Enter goes there.

use leptos::prelude::*;
use slipway_core::rules;
use wasm_bindgen::JsCast;

use crate::navigation::Navigation;
use crate::state::Store;

stylance::import_crate_style!(style, "src/search/search.module.css");

/// Results shown at most; a longer list is narrowed by typing more.
const LIMIT: usize = 40;

/// What a result leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Job(String),
    Service(usize),
    /// A setting of the design form, by its path.
    Field(String),
    Rule(&'static str),
    File(String),
}

/// One thing that can be found.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// What kind of thing it is, shown before it ("Job", "Rule", …).
    pub kind: &'static str,
    pub label: String,
    pub detail: String,
    pub target: Target,
}

/// The entries that contain every word of `query` (case-insensitive, in their kind, label or
/// detail), best first: labels that start with the query, then labels that contain it, then
/// the rest, each in the order given; at most `limit`. An empty query keeps the first
/// `limit`.
pub fn matching<'a>(entries: &'a [Entry], query: &str, limit: usize) -> Vec<&'a Entry> {
    let query = query.trim().to_lowercase();
    let words: Vec<&str> = query.split_whitespace().collect();
    let mut ranked: Vec<(u8, usize, &Entry)> = entries
        .iter()
        .enumerate()
        .filter_map(|(position, entry)| {
            let label = entry.label.to_lowercase();
            let all = format!("{} {label} {}", entry.kind, entry.detail).to_lowercase();
            if !words.iter().all(|word| all.contains(word)) {
                return None;
            }
            let rank = if label.starts_with(&query) {
                0
            } else if label.contains(&query) {
                1
            } else {
                2
            };
            Some((rank, position, entry))
        })
        .collect();
    ranked.sort_by_key(|(rank, position, _)| (*rank, *position));
    ranked
        .into_iter()
        .take(limit)
        .map(|(_, _, entry)| entry)
        .collect()
}

/// Everything searchable now: the design's jobs and services, the form's settings (read
/// from the page: the form shows each setting with its label), every rule and every file.
fn entries(store: Store) -> Vec<Entry> {
    let mut entries = Vec::new();
    store.design.with_untracked(|design| {
        for job in &design.pipeline.jobs {
            entries.push(Entry {
                kind: "Job",
                label: job.id.clone(),
                detail: job.kind.label().to_owned(),
                target: Target::Job(job.id.clone()),
            });
        }
        for (index, service) in design.services.iter().enumerate() {
            entries.push(Entry {
                kind: "Service",
                label: service.name.clone(),
                detail: format!("{} in {}/", service.kind.label(), service.directory),
                target: Target::Service(index),
            });
        }
    });
    entries.extend(settings());
    for rule in rules::registry() {
        let doc = rule.doc();
        entries.push(Entry {
            kind: "Rule",
            label: doc.id.to_owned(),
            detail: doc.title.to_owned(),
            target: Target::Rule(doc.id),
        });
    }
    store.settle();
    store.bundle.with_untracked(|bundle| {
        for path in bundle.paths() {
            entries.push(Entry {
                kind: "File",
                label: path.to_owned(),
                detail: "Generated file".to_owned(),
                target: Target::File(path.to_owned()),
            });
        }
    });
    entries
}

/// The settings of the design form, with the text of their labels.
fn settings() -> Vec<Entry> {
    let Some(form) = document().get_element_by_id("design-form") else {
        return Vec::new();
    };
    let Ok(fields) = form.query_selector_all("[data-field]") else {
        return Vec::new();
    };
    let mut found: Vec<Entry> = Vec::new();
    for index in 0..fields.length() {
        let Some(field) = fields
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some(path) = field.get_attribute("data-field") else {
            continue;
        };
        let label = field
            .get_attribute("aria-label")
            .or_else(|| {
                field
                    .closest("label")
                    .ok()
                    .flatten()
                    .and_then(|label| label_text(&label))
            })
            .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|text| !text.is_empty())
            .unwrap_or_else(|| path.clone());
        if found
            .iter()
            .any(|entry| entry.target == Target::Field(path.clone()))
        {
            continue;
        }
        found.push(Entry {
            kind: "Setting",
            label,
            detail: path.clone(),
            target: Target::Field(path),
        });
    }
    found
}

/// A label's own words: its text without the help under it and without the control's
/// (a select's options, a text area's value).
fn label_text(label: &web_sys::Element) -> Option<String> {
    let copy = label
        .clone_node_with_deep(true)
        .ok()?
        .dyn_into::<web_sys::Element>()
        .ok()?;
    if let Ok(parts) = copy.query_selector_all("small, select, textarea, input") {
        for index in 0..parts.length() {
            if let Some(part) = parts
                .item(index)
                .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
            {
                part.remove();
            }
        }
    }
    copy.text_content()
}

/// The search dialog; `open` shows it (the Search button sets it, and so does Ctrl+K).
#[component]
pub fn SearchDialog(
    /// Whether the dialog is shown.
    open: RwSignal<bool>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigation = expect_context::<Navigation>();
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let input = NodeRef::<leptos::html::Input>::new();
    let query = RwSignal::new(String::new());
    let all = RwSignal::new(Vec::<Entry>::new());
    let active = RwSignal::new(0usize);
    let results = Memo::new(move |_| {
        query.with(|query| {
            all.with(|all| {
                matching(all, query, LIMIT)
                    .into_iter()
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });

    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        let modifier = event.ctrl_key() || event.meta_key();
        if modifier && event.key().eq_ignore_ascii_case("k") {
            event.prevent_default();
            open.set(true);
        }
    });
    on_cleanup(move || keys.remove());

    Effect::new(move |_| {
        let Some(element) = dialog.get() else {
            return;
        };
        if open.get() {
            all.set(entries(store));
            query.set(String::new());
            active.set(0);
            if !element.open() {
                let _ = element.show_modal();
            }
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
            }
        } else if element.open() {
            element.close();
        }
    });

    let go = move |entry: Entry| {
        open.set(false);
        match entry.target {
            Target::Job(id) => navigation.show_job(id),
            Target::Service(index) => {
                store.select_service(index);
                navigation.show_field(rules::service_field(index, "name"));
            }
            Target::Field(path) => navigation.show_field(path),
            Target::Rule(id) => navigation.show_rule(id),
            Target::File(path) => navigation.show_file(path),
        }
    };

    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = results.with(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                active.update(|active| *active = (*active + 1) % count);
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                active.update(|active| *active = (*active + count - 1) % count);
            }
            // A search field's own Escape only clears it: one press closes the search.
            "Escape" => {
                event.prevent_default();
                open.set(false);
            }
            "Enter" => {
                event.prevent_default();
                if let Some(entry) = results.with(|results| results.get(active.get()).cloned()) {
                    go(entry);
                }
            }
            _ => {}
        }
    };

    // Keep the active result in view while arrowing through a long list.
    Effect::new(move |_| {
        let id = format!("search-result-{}", active.get());
        if let Some(element) = document().get_element_by_id(&id) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });

    view! {
        <dialog
            node_ref=dialog
            class=style::dialog
            aria-label="Search"
            data-testid="search-dialog"
            on:close=move |_| open.set(false)
            // A click on the backdrop (the dialog element itself, outside its box) closes it.
            on:click=move |event| {
                let on_backdrop = event
                    .target()
                    .zip(dialog.get_untracked())
                    .is_some_and(|(target, dialog)| dialog.is_same_node(target.dyn_ref::<web_sys::Node>()));
                if on_backdrop {
                    open.set(false);
                }
            }
        >
            <div class=style::body>
                <input
                    node_ref=input
                    class=style::input
                    type="search"
                    role="combobox"
                    aria-expanded="true"
                    aria-controls="search-results"
                    aria-autocomplete="list"
                    aria-label="Search jobs, services, settings, rules and files"
                    aria-activedescendant=move || (!results.with(Vec::is_empty)).then(|| format!("search-result-{}", active.get()))
                    placeholder="Jobs, services, settings, rules, files…"
                    autocomplete="off"
                    spellcheck="false"
                    data-testid="search-input"
                    prop:value=move || query.get()
                    on:input=move |event| {
                        query.set(event_target_value(&event));
                        active.set(0);
                    }
                    on:keydown=on_keydown
                />
                <ul class=style::results id="search-results" role="listbox" aria-label="Results" data-testid="search-results">
                    {move || {
                        results
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(index, entry)| {
                                let chosen = entry.clone();
                                view! {
                                    <li
                                        role="option"
                                        id=format!("search-result-{index}")
                                        class=style::result
                                        data-testid="search-result"
                                        data-kind=entry.kind
                                        aria-selected=move || (active.get() == index).to_string()
                                        on:mousemove=move |_| active.set(index)
                                        on:click=move |_| go(chosen.clone())
                                    >
                                        <span class=style::kind>{entry.kind}</span>
                                        <span class=style::label>{entry.label}</span>
                                        <span class=style::detail>{entry.detail}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                <Show when=move || results.with(Vec::is_empty)>
                    <p class=style::empty data-testid="search-empty">"Nothing matches. Try fewer or other words."</p>
                </Show>
                <p class=style::hint>"↑ ↓ choose · Enter go · Esc close"</p>
            </div>
        </dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &'static str, label: &str, detail: &str) -> Entry {
        Entry {
            kind,
            label: label.to_owned(),
            detail: detail.to_owned(),
            target: Target::File(label.to_owned()),
        }
    }

    fn labels(found: Vec<&Entry>) -> Vec<&str> {
        found
            .into_iter()
            .map(|entry| entry.label.as_str())
            .collect()
    }

    #[test]
    fn every_word_must_match_somewhere_and_starts_come_first() {
        let entries = [
            entry("File", "charts/api/values.yaml", "Generated file"),
            entry("Job", "deploy-api", "Deploy"),
            entry("Job", "api-test", "Test"),
            entry("Rule", "DOCKER-001", "Run as a non-root user"),
        ];
        assert_eq!(
            labels(matching(&entries, "api", 10)),
            ["api-test", "charts/api/values.yaml", "deploy-api"]
        );
        assert_eq!(labels(matching(&entries, "job deploy", 10)), ["deploy-api"]);
        assert_eq!(labels(matching(&entries, "ROOT user", 10)), ["DOCKER-001"]);
        assert!(matching(&entries, "kafka", 10).is_empty());
    }

    #[test]
    fn an_empty_query_keeps_the_first_entries_up_to_the_limit() {
        let entries = [
            entry("Job", "a", ""),
            entry("Job", "b", ""),
            entry("Job", "c", ""),
        ];
        assert_eq!(labels(matching(&entries, "  ", 2)), ["a", "b"]);
    }
}
