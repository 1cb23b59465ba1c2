//! The trigger simulator: pick an event, a branch and changed paths; the canvas shows which
//! jobs run, and this table says which service each belongs to, why it runs or is skipped
//! (a service whose files the change does not touch is skipped), and which cache key it uses.

use leptos::prelude::*;
use slipway_core::simulate::{self, Event, Scenario};

use super::PipelineUi;
use crate::state::Store;

use super::style;

fn event_label(event: Event) -> &'static str {
    match event {
        Event::Push => "Push",
        Event::PullRequest => "Pull request",
        Event::Schedule => "Schedule",
        Event::Dispatch => "Manual run",
    }
}

#[component]
pub fn Simulator() -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = expect_context::<PipelineUi>();
    let event = RwSignal::new(Event::PullRequest);
    let branch = RwSignal::new(String::from("main"));
    let paths = RwSignal::new(String::from("src/main.ts"));
    let enabled = RwSignal::new(false);
    Effect::new(move |_| {
        let scenario = enabled.get().then(|| Scenario {
            event: event.get(),
            branch: branch.get(),
            changed_paths: paths
                .get()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
        });
        ui.scenario.set(scenario);
    });
    let outcomes = Memo::new(move |_| {
        ui.scenario
            .get()
            .map(|scenario| {
                store
                    .design
                    .with(|design| simulate::simulate(design, &scenario))
            })
            .unwrap_or_default()
    });

    view! {
        <section class=style::simulator aria-label="Trigger simulator" data-testid="simulator">
            <label class=style::check>
                <input type="checkbox" data-testid="simulate" prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                <span>"Simulate a trigger"</span>
            </label>
            <div class=style::simulator_inputs>
                <label class=style::field>
                    <span>"Event"</span>
                    <select data-testid="sim-event" on:change=move |ev| {
                        if let Some(chosen) = Event::from_id(&event_target_value(&ev)) {
                            event.set(chosen);
                        }
                    }>
                        {Event::ALL
                            .into_iter()
                            .map(|e| view! { <option value=e.id() selected=e == Event::PullRequest>{event_label(e)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class=style::field>
                    <span>"Branch"</span>
                    <input type="text" data-testid="sim-branch" prop:value=move || branch.get() on:input=move |ev| branch.set(event_target_value(&ev)) />
                </label>
                <label class=style::field>
                    <span>"Changed paths (one per line)"</span>
                    <textarea rows="2" data-testid="sim-paths" prop:value=move || paths.get() on:input=move |ev| paths.set(event_target_value(&ev))></textarea>
                </label>
            </div>
            <Show when=move || enabled.get()>
                <table class=style::outcomes data-testid="sim-outcomes">
                    <thead>
                        <tr><th>"Job"</th><th>"Service"</th><th>"Runs?"</th><th>"Why"</th><th>"Cache key"</th></tr>
                    </thead>
                    <tbody>
                        <For each=move || outcomes.get() key=|o| (o.job.clone(), o.service.clone(), o.runs, o.reason.clone(), o.cache_key.clone()) let:outcome>
                            <tr data-testid="sim-row" data-job=outcome.job.clone() data-runs=outcome.runs.to_string()>
                                <td><code>{outcome.job.clone()}</code></td>
                                <td>{outcome.service.clone().unwrap_or_else(|| "repository".to_owned())}</td>
                                <td>{if outcome.runs { "runs" } else { "skipped" }}</td>
                                <td>{outcome.reason.clone()}</td>
                                <td><code>{outcome.cache_key.clone().unwrap_or_else(|| "—".to_owned())}</code></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}
