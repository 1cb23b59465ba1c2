//! The production-readiness checklist: what no design can show, answered by the team, with an
//! owner and a done date per item, stored in the design and scored.

use leptos::prelude::*;
use slipway_core::checklist::{self, Item, Phase, ITEMS};
use slipway_core::model::ChecklistAnswer;
use slipway_core::Design;

use crate::fields::{CheckboxField, ChoiceField, TextField};
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
    let id = item.id;
    let read = move |pick: fn(&ChecklistAnswer) -> String| {
        move |design: &Design| checklist::answer(design, id).map(pick).unwrap_or_default()
    };
    let write = move |put: fn(&mut ChecklistAnswer, String)| {
        move |design: &mut Design, value: String| put(checklist::answer_mut(design, id), value)
    };
    view! {
        <li class=style::item data-testid="checklist-item" data-item=id>
            <CheckboxField
                class=style::check
                field=format!("checklist.{id}.done")
                undo=format!("Check {id}")
                get=move |design: &Design| checklist::answer(design, id).is_some_and(|answer| answer.done)
                set=move |design: &mut Design, done: bool| checklist::answer_mut(design, id).done = done
            >
                <span>
                    <span class=style::id>{id}</span>" "{item.text}
                    {(!item.related.is_empty())
                        .then(|| view! { <span class=style::related>{format!("Partly checked by {}", item.related.join(", "))}</span> })}
                </span>
            </CheckboxField>
            <div class=style::details>
                <TextField
                    aria_label=format!("Owner of {id}")
                    placeholder="Owner"
                    field=format!("checklist.{id}.owner")
                    undo=format!("Owner of {id}")
                    get=read(|answer| answer.owner.clone())
                    set=write(|answer, owner| answer.owner = owner)
                />
                <TextField
                    kind="date"
                    aria_label=format!("Date {id} was done")
                    field=format!("checklist.{id}.done_on")
                    undo=format!("Date of {id}")
                    on_commit=true
                    get=read(|answer| answer.done_on.clone())
                    set=write(|answer, done_on| answer.done_on = done_on)
                />
                // Deploying is not releasing: the flag service the README's release steps name.
                {(id == "CHK-016").then(|| view! {
                    <ChoiceField
                        aria_label="Feature-flag service"
                        field="readiness.feature_flags"
                        testid="feature-flags"
                        undo="Change the feature-flag service"
                        get=|design: &Design| design.readiness.feature_flags
                        set=|design: &mut Design, provider| design.readiness.feature_flags = provider
                    />
                })}
            </div>
        </li>
    }
}
