//! The production-readiness checklist: what no design can show, answered by the team, with an
//! owner and a done date per item, stored in the design and scored.

use leptos::prelude::*;
use slipway_core::checklist::{self, Item, Phase, ITEMS};

use crate::state::Store;

stylance::import_crate_style!(style, "src/checklist/checklist.module.css");

#[component]
pub fn ChecklistView() -> impl IntoView {
    let store = expect_context::<Store>();
    let score = Memo::new(move |_| store.design.with(checklist::score));
    view! {
        <div class=style::checklist>
            <header class=style::heading>
                <h2>"Production readiness"</h2>
                <p data-testid="checklist-score">
                    {move || {
                        let (done, total) = score.get();
                        format!("{done} of {total} done ({}%)", done * 100 / total.max(1))
                    }}
                </p>
                <progress max=move || score.get().1 value=move || score.get().0 aria-label="Checklist score"></progress>
                <p class=style::intro>
                    "Facts about the team and the running system that no design can show. Answers are saved in the design and exported with it."
                </p>
            </header>
            {Phase::ALL
                .into_iter()
                .map(|phase| {
                    view! {
                        <section class=style::phase aria-label=phase.label()>
                            <h3>{phase.label()}</h3>
                            <ul>
                                {ITEMS
                                    .iter()
                                    .filter(|item| item.phase == phase)
                                    .map(|item| view! { <ChecklistRow item /> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// One item: done, owner and date, each change one undoable edit.
#[component]
fn ChecklistRow(
    /// The checklist item shown.
    item: &'static Item,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let id = item.id;
    let read = move |pick: fn(&slipway_core::model::ChecklistAnswer) -> String| {
        store
            .design
            .with(|design| checklist::answer(design, id).map(pick).unwrap_or_default())
    };
    let done = move || {
        store
            .design
            .with(|design| checklist::answer(design, id).is_some_and(|answer| answer.done))
    };
    view! {
        <li class=style::item data-testid="checklist-item" data-item=id>
            <label class=style::check>
                <input
                    type="checkbox"
                    data-field=format!("checklist.{id}.done")
                    prop:checked=done
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        store.edit(&format!("Check {id}"), |design| checklist::answer_mut(design, id).done = checked);
                    }
                />
                <span>
                    <span class=style::id>{id}</span>" "{item.text}
                    {(!item.related.is_empty())
                        .then(|| view! { <span class=style::related>{format!("Partly checked by {}", item.related.join(", "))}</span> })}
                </span>
            </label>
            <div class=style::details>
                <input
                    type="text"
                    aria-label=format!("Owner of {id}")
                    placeholder="Owner"
                    data-field=format!("checklist.{id}.owner")
                    prop:value=move || read(|answer| answer.owner.clone())
                    on:input=move |event| {
                        let value = event_target_value(&event);
                        store.edit_typing(&format!("Owner of {id}"), |design| checklist::answer_mut(design, id).owner = value);
                    }
                    on:blur=move |_| store.end_typing()
                />
                <input
                    type="date"
                    aria-label=format!("Date {id} was done")
                    data-field=format!("checklist.{id}.done_on")
                    prop:value=move || read(|answer| answer.done_on.clone())
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        store.edit(&format!("Date of {id}"), |design| checklist::answer_mut(design, id).done_on = value);
                    }
                />
            </div>
        </li>
    }
}
