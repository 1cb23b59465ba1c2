//! Waivers: accepting a rule's finding on purpose, always with a written reason. Waivers live
//! in the design, unblock the export, and are listed in the exported README.

use leptos::prelude::*;
use slipway_core::edits::{self, reason_problem};
use slipway_core::rules;

use super::style;
use crate::state::Store;

/// Waives a rule with a reason, as one undoable edit.
#[component]
pub fn WaiveForm(
    /// The rule to waive.
    rule: &'static str,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = reason.get_untracked();
        if let Some(message) = reason_problem(&text) {
            problem.set(Some(message));
            return;
        }
        problem.set(None);
        store.edit(&format!("Waive {rule}"), |design| {
            edits::waive(design, rule, &text)
        });
        reason.set(String::new());
    };
    view! {
        <form class=style::waive on:submit=submit data-testid="waive-form">
            <label>
                <span>{format!("Waive {rule} for this design, because…")}</span>
                <textarea
                    rows="2"
                    data-testid="waive-reason"
                    prop:value=move || reason.get()
                    on:input=move |event| reason.set(event_target_value(&event))
                ></textarea>
            </label>
            <Show when=move || problem.get().is_some()>
                <p class=style::problem role="alert">{move || problem.get()}</p>
            </Show>
            <button type="submit" data-testid="waive">"Waive with this reason"</button>
        </form>
    }
}

/// The design's waivers, each with its reason and a way to take it back.
#[component]
pub fn WaiverList() -> impl IntoView {
    let store = expect_context::<Store>();
    let waivers = Memo::new(move |_| store.design.with(|design| design.waivers.clone()));
    view! {
        <Show when=move || !waivers.with(Vec::is_empty)>
            <section class=style::waivers aria-label="Waived rules" data-testid="waivers">
                <h3>"Waived in this design"</h3>
                <ul>
                    <For each=move || waivers.get() key=|waiver| waiver.rule.clone() let:waiver>
                        {
                            let rule = waiver.rule.clone();
                            let remove = {
                                let rule = rule.clone();
                                move |_| {
                                    let rule = rule.clone();
                                    store.edit(&format!("Remove the waiver of {rule}"), move |design| {
                                        edits::remove_waiver(design, &rule);
                                    });
                                }
                            };
                            let title = rules::find(&rule).map_or("unknown rule", |rule| rule.doc().title);
                            view! {
                                <li data-testid="waiver" data-rule=rule.clone()>
                                    <strong>{rule.clone()}</strong>" "{title}
                                    <q>{waiver.reason.clone()}</q>
                                    <button
                                        type="button"
                                        data-testid="unwaive"
                                        on:click=remove
                                    >
                                        "Remove waiver"
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
