//! The selected service's migrations as a plan across releases: one column per release, one
//! row per phase (expand, migrate, contract), each cell the operations that ship there. An
//! operation the version still running could not live with is marked (MIGRATION-001..007).

use leptos::prelude::*;
use slipway_core::edits::release_plan;
use slipway_core::facts::migrations::{describe, problems};

use super::style;
use crate::state::Store;

/// One operation as the plan shows it: its words and whether it is unsafe where it is.
#[derive(Clone, PartialEq)]
struct Shown {
    text: String,
    unsafe_here: bool,
}

#[component]
pub fn ReleasePlan() -> impl IntoView {
    let store = expect_context::<Store>();
    // (release, [expand, migrate, contract]) with each operation described.
    let plan = Memo::new(move |_| {
        store.with_service(|service| {
            let operations = &service.migrations.operations;
            release_plan(service)
                .into_iter()
                .map(|(release, phases)| {
                    let cells = phases.map(|indices| {
                        indices
                            .into_iter()
                            .map(|index| Shown {
                                text: describe(&operations[index]),
                                unsafe_here: !problems(operations, index).is_empty(),
                            })
                            .collect::<Vec<_>>()
                    });
                    (release, cells)
                })
                .collect::<Vec<_>>()
        })
    });
    let phases = ["Expand", "Migrate", "Contract"];
    view! {
        <Show when=move || plan.with(|plan| !plan.is_empty())>
            <div class=style::plan_scroll>
                <table class=style::plan data-testid="release-plan">
                    <caption>"Database migrations across releases"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Phase"</th>
                            {move || {
                                plan.get()
                                    .into_iter()
                                    .map(|(release, _)| view! { <th scope="col">{format!("Release {release}")}</th> })
                                    .collect_view()
                            }}
                        </tr>
                    </thead>
                    <tbody>
                        {phases
                            .into_iter()
                            .enumerate()
                            .map(|(row, phase)| {
                                view! {
                                    <tr>
                                        <th scope="row">{phase}</th>
                                        {move || {
                                            plan.get()
                                                .into_iter()
                                                .map(|(_, cells)| {
                                                    let shown = cells[row].clone();
                                                    view! {
                                                        <td>
                                                            {shown
                                                                .into_iter()
                                                                .map(|op| {
                                                                    let class = if op.unsafe_here { style::unsafe_op } else { "" };
                                                                    let mark = if op.unsafe_here { "⚠ " } else { "" };
                                                                    view! { <span class=class>{format!("{mark}{}", op.text)}</span> }
                                                                })
                                                                .collect_view()}
                                                        </td>
                                                    }
                                                })
                                                .collect_view()
                                        }}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </Show>
    }
}
