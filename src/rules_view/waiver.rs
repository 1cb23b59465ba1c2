//! Waivers: accepting a rule's finding on purpose, always with a written reason. Waivers live
//! in the design, unblock the export, and are listed in the exported README.

use leptos::prelude::*;
use slipway_core::model::Waiver;
use slipway_core::rules;

use super::style;
use crate::state::Store;

/// The shortest reason accepted: a word or two is not a reason.
pub const MIN_REASON: usize = 12;

/// Why a reason is not good enough, if it is not.
pub fn reason_problem(reason: &str) -> Option<String> {
    let length = reason.trim().chars().count();
    (length < MIN_REASON).then(|| {
        format!("Say why in at least {MIN_REASON} characters: the reason is kept in the design and its README.")
    })
}

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
            design.waivers.retain(|waiver| waiver.rule != rule);
            design.waivers.push(Waiver {
                rule: rule.to_owned(),
                reason: text.trim().to_owned(),
            });
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
                                        design.waivers.retain(|waiver| waiver.rule != rule);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_must_say_something() {
        assert!(reason_problem("ok").is_some());
        assert!(reason_problem("            ").is_some());
        assert!(reason_problem("Internal tool, no user data; rolling is enough.").is_none());
    }
}
