//! The design's services: the Services panel (list, add from a kind template, rename,
//! duplicate, reorder, remove, each one undoable edit) and the service switcher that every
//! per-service view follows. Both choose the store's selected service.

mod edits;

use leptos::prelude::*;
use slipway_core::model::ServiceKind;
use slipway_core::Design;

use crate::fields::{Row, TextField};
use crate::state::{service_of, Store};

stylance::import_crate_style!(style, "src/services/services.module.css");

/// How a service is called in labels: its name, or its place when it has none yet.
pub fn called(name: &str, index: usize) -> String {
    if name.trim().is_empty() {
        format!("service {}", index + 1)
    } else {
        name.to_owned()
    }
}

/// How many colours the services cycle through (`--service-0` … in `style/main.css`).
const TONES: usize = 6;

/// The `data-tone` of the service at `index` (its colour, from the `--service-N` custom
/// properties), or of the repository as a whole for `None`. Colour is never the only cue:
/// every place that colours a service also names it.
pub fn tone(index: Option<usize>) -> &'static str {
    const NAMES: [&str; TONES] = ["0", "1", "2", "3", "4", "5"];
    index.map_or("repository", |index| NAMES[index % TONES])
}

/// Each service's name and kind, in order, rebuilt only when one of them changes.
pub fn summaries(store: Store) -> Memo<Vec<(String, ServiceKind)>> {
    Memo::new(move |_| {
        store.design.with(|design| {
            design
                .services
                .iter()
                .map(|service| (service.name.clone(), service.kind))
                .collect()
        })
    })
}

/// Chooses the service the per-service views show, by name and kind. A plain select: the
/// keyboard, screen readers and narrow columns all know it. Never disabled: choosing what to
/// read is not an edit.
#[component]
pub fn ServiceSwitcher(
    /// The select's `data-testid`.
    #[prop(default = "service-switcher")]
    testid: &'static str,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let services = summaries(store);
    view! {
        <label class=style::switcher>
            <span class=style::switcher_label>"Service"</span>
            <select
                data-testid=testid
                prop:value=move || store.selected.get().to_string()
                on:change=move |event| {
                    if let Ok(index) = event_target_value(&event).parse::<usize>() {
                        store.select_service(index);
                    }
                }
            >
                {move || {
                    services
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, (name, kind))| {
                            view! {
                                <option value=index.to_string() selected=move || store.selected.get() == index>
                                    {format!("{} · {}", called(&name, index), kind.label())}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// The Services panel, at the top of the design form.
#[component]
pub fn ServicesPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    // A memo: the rows are rebuilt when a service is added or removed, not on every edit.
    let count = Memo::new(move |_| store.design.with(|design| design.services.len()));
    let kind = RwSignal::new(ServiceKind::WebService);
    let add = move |_| {
        let (name, like) = store.design.with_untracked(|design| {
            (
                edits::new_service_name(design),
                service_of(design, store.service.get_untracked()).clone(),
            )
        });
        let before = count.get_untracked();
        let mut added = None;
        store.edit(&format!("Add service {name}"), |design| {
            added = Some(edits::add_service(
                design,
                kind.get_untracked(),
                Some(&like),
            ));
        });
        if let Some(index) = added.filter(|_| count.get_untracked() > before) {
            store.select_service(index);
        }
    };
    view! {
        <details class=style::panel open data-testid="services-panel">
            <summary>
                "Services " <span class=style::count data-testid="services-count">{count}</span>
            </summary>
            <ol class=style::list data-field="services" tabindex="-1" aria-label="Services">
                {move || (0..count.get()).map(|index| view! { <ServiceRow index count /> }).collect_view()}
            </ol>
            <Show when=move || count.get() <= 1>
                <p class=style::note id="last-service-note">
                    "The last service cannot be removed: a design has at least one."
                </p>
            </Show>
            <fieldset class=style::add disabled=store.read_only>
                <select
                    aria-label="Kind of the new service"
                    data-testid="new-service-kind"
                    on:change=move |event| {
                        if let Some(chosen) = ServiceKind::parse(&event_target_value(&event)) {
                            kind.set(chosen);
                        }
                    }
                >
                    {ServiceKind::ALL
                        .into_iter()
                        .map(|choice| view! {
                            <option value=choice.id() selected=move || kind.get() == choice>{choice.label()}</option>
                        })
                        .collect_view()}
                </select>
                <button type="button" data-testid="add-service" on:click=add>"Add service"</button>
            </fieldset>
        </details>
    }
}

/// One service of the panel, by index: select it, rename it, move, duplicate or remove it.
#[component]
fn ServiceRow(
    /// The service's place in the design.
    index: usize,
    /// How many services the design has.
    count: Memo<usize>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let row = Row::new(index, |d| &d.services, |d| &mut d.services);
    let name = Memo::new(move |_| store.design.with(row.get(|s| s.name.clone())));
    let detail = move || {
        store.design.with(|design| {
            design.services.get(index).map(|service| {
                let folder = service.directory.trim_end_matches('/');
                format!("{} · {}/", service.kind.label(), folder)
            })
        })
    };
    let shown = move || store.selected.get() == index;
    let label = move |what: &str| format!("{what} {}", called(&name.get(), index));

    let move_by = move |step: isize| {
        let word = if step < 0 { "up" } else { "down" };
        let service = called(&name.get_untracked(), index);
        let mut moved = None;
        store.edit(&format!("Move service {service} {word}"), |design| {
            moved = edits::move_service(design, index, step);
        });
        if let Some(to) = moved {
            let selected = store.selected.get_untracked();
            store.select_service(edits::selection_after_swap(selected, index, to));
        }
    };
    let duplicate = move |_| {
        let service = called(&name.get_untracked(), index);
        let before = count.get_untracked();
        let mut copy = None;
        store.edit(&format!("Duplicate service {service}"), |design| {
            copy = edits::duplicate_service(design, index);
        });
        if let Some(copy) = copy.filter(|_| count.get_untracked() > before) {
            store.select_service(copy);
        }
    };
    let remove = move |_| {
        let service = called(&name.get_untracked(), index);
        let selected = store.selected.get_untracked();
        let before = count.get_untracked();
        store.edit(&format!("Remove service {service}"), |design| {
            edits::remove_service(design, index);
        });
        let after = count.get_untracked();
        if after < before {
            store.select_service(edits::selection_after_remove(selected, index, after));
        }
    };
    let last = move || count.get() <= 1;

    view! {
        <li
            class=style::row
            data-testid="service-row"
            data-service=move || name.get()
            aria-current=move || shown().then_some("true")
        >
            <input
                type="radio"
                name="shown-service"
                class=style::pick
                data-testid="select-service"
                aria-label=move || label("Show")
                prop:checked=shown
                on:change=move |_| store.select_service(index)
            />
            <fieldset class=style::edit disabled=store.read_only>
                <TextField
                    aria_label=format!("Name of service {}", index + 1)
                    class=style::name
                    field=format!("services[{index}].name")
                    testid="service-name"
                    undo="Rename service"
                    on_commit=true
                    get=row.get(|s| s.name.clone())
                    set=move |design: &mut Design, value: String| edits::rename_service(design, index, &value)
                />
                <span class=style::detail>{detail}</span>
                <span class=style::actions>
                    <button
                        type="button"
                        aria-label=move || format!("Move service {} up", called(&name.get(), index))
                        disabled=index == 0
                        on:click=move |_| move_by(-1)
                    >"↑"</button>
                    <button
                        type="button"
                        aria-label=move || format!("Move service {} down", called(&name.get(), index))
                        disabled=move || { index + 1 >= count.get() }
                        on:click=move |_| move_by(1)
                    >"↓"</button>
                    <button
                        type="button"
                        data-testid="duplicate-service"
                        aria-label=move || label("Duplicate")
                        on:click=duplicate
                    >"Duplicate"</button>
                    <button
                        type="button"
                        data-testid="remove-service"
                        aria-label=move || label("Remove service")
                        aria-describedby=move || last().then_some("last-service-note")
                        title=move || if last() {
                            "The last service cannot be removed: a design has at least one.".to_owned()
                        } else {
                            label("Remove service")
                        }
                        disabled=last
                        on:click=remove
                    >"×"</button>
                </span>
            </fieldset>
        </li>
    }
}
