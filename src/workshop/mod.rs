//! Workshop mode: guided exercises, each a broken design with a goal. Progress follows the
//! design live, and each rule's explanation appears as the rule is met.

use leptos::prelude::*;
use slipway_core::workshop::{self, EXERCISES};

use crate::state::Store;

stylance::import_crate_style!(style, "src/workshop/workshop.module.css");

/// Whether the exercises panel shows, and which exercise is under way.
#[derive(Clone, Copy)]
pub struct Workshop {
    pub open: RwSignal<bool>,
    pub active: RwSignal<Option<&'static str>>,
}

impl Workshop {
    pub fn new(open: bool) -> Self {
        Workshop {
            open: RwSignal::new(open),
            active: RwSignal::new(None),
        }
    }
}

/// The exercise list, or the exercise under way with its goal and progress.
#[component]
pub fn WorkshopPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let workshop = expect_context::<Workshop>();
    let start = move |id: &'static str| {
        if let Some(exercise) = workshop::find(id) {
            store.load(
                &format!("Start exercise: {}", exercise.title),
                (exercise.build)(),
            );
            workshop.active.set(Some(id));
        }
    };
    view! {
        <Show when=move || workshop.open.get()>
            <section class=style::panel aria-label="Workshop" data-testid="workshop">
                <header class=style::heading>
                    <h2>"Workshop"</h2>
                    <button type="button" class=style::close aria-label="Close the workshop" on:click=move |_| workshop.open.set(false)>
                        "×"
                    </button>
                </header>
                {move || match workshop.active.get().and_then(workshop::find) {
                    None => view! {
                        <p class=style::intro>"Each exercise opens a design that breaks a few rules. Fix it in the designer; progress updates as you go."</p>
                        <ol class=style::exercises>
                            {EXERCISES
                                .iter()
                                .map(|exercise| {
                                    let id = exercise.id;
                                    view! {
                                        <li>
                                            <button type="button" class=style::exercise data-testid="exercise" data-exercise=id on:click=move |_| start(id)>
                                                <strong>{exercise.title}</strong>
                                                <span>{format!("{} rule(s)", exercise.rules.len())}</span>
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                    .into_any(),
                    Some(exercise) => {
                        let steps = Memo::new(move |_| {
                            store.design.with(|design| {
                                workshop::progress(exercise, design)
                                    .into_iter()
                                    .map(|step| (step.doc.id, step.doc.title, step.doc.why, step.met))
                                    .collect::<Vec<_>>()
                            })
                        });
                        let met = move || steps.with(|steps| steps.iter().filter(|step| step.3).count());
                        let total = exercise.rules.len();
                        view! {
                            <article class=style::active data-testid="exercise-active" data-exercise=exercise.id>
                                <h3>{exercise.title}</h3>
                                <p class=style::goal>{exercise.goal}</p>
                                <progress class=style::bar max=total value=met aria-label="Progress"></progress>
                                <p class=style::count data-testid="exercise-progress">{move || format!("{} of {total} rules pass", met())}</p>
                                <Show when=move || met() == total>
                                    <p class=style::done role="status" data-testid="exercise-done">"Done: every rule of this exercise passes."</p>
                                </Show>
                                <ul class=style::steps>
                                    <For each=move || steps.get() key=|step| (step.0, step.3) let:step>
                                        <li class=if step.3 { style::met } else { style::open } data-rule=step.0 data-met=step.3.to_string()>
                                            <span class=style::mark aria-hidden="true">{if step.3 { "✓" } else { "○" }}</span>
                                            <span>
                                                <strong>{step.0}</strong>" "{step.1}
                                                {step.3.then(|| view! { <span class=style::why>{step.2}</span> })}
                                            </span>
                                        </li>
                                    </For>
                                </ul>
                                <div class=style::actions>
                                    <button type="button" on:click=move |_| start(exercise.id)>"Start over"</button>
                                    <button type="button" data-testid="exercise-list" on:click=move |_| workshop.active.set(None)>"All exercises"</button>
                                </div>
                            </article>
                        }
                        .into_any()
                    }
                }}
            </section>
        </Show>
    }
}
