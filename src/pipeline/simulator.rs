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

    // What decides which files matter, said once above the table.
    let filters_note = move || {
        store.design.with(|design| {
            let mut note = if design.pipeline.paths.is_empty() {
                "The workflows have no path filters: every push and pull request runs them, whatever changed.".to_owned()
            } else {
                format!(
                    "The workflows run only when a changed path matches: {}.",
                    design.pipeline.paths.join(", ")
                )
            };
            if slipway_core::facts::changes::per_service_runs(design).is_some() {
                note.push_str(" Within a run, a service's jobs are skipped when none of its files changed.");
            }
            note
        })
    };

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
                <p class=style::sim_note data-testid="sim-note">{filters_note}</p>
                <table class=style::outcomes data-testid="sim-outcomes">
                    <thead>
                        <tr><th>"Job"</th><th>"Service"</th><th>"Runs?"</th><th>"Why"</th><th>"Cache key"</th></tr>
                    </thead>
                    <tbody>
                        <For each=move || outcomes.get() key=|o| (o.job.clone(), o.service.clone(), o.runs, o.reason.clone(), o.cache_key.clone()) let:outcome>
                            <tr data-testid="sim-row" data-job=outcome.job.clone() data-runs=outcome.runs.to_string()>
                                <td><code class=style::job_id>{outcome.job.clone()}</code></td>
                                <td>{outcome.service.clone().unwrap_or_else(|| "repository".to_owned())}</td>
                                <td>{if outcome.runs { "runs" } else { "skipped" }}</td>
                                <td>{outcome.reason.clone()}</td>
                                <td><code class=style::cache_key title=outcome.cache_key.clone()>{outcome.cache_key.as_deref().map_or_else(|| "—".to_owned(), readable_key)}</code></td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// A cache key as a reader would say it: `Linux-npm-<hash of apps/api/package-lock.json>`
/// instead of the workflow's `${{ runner.os }}-npm-${{ hashFiles('apps/api/package-lock.json') }}`.
fn readable_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut rest = key;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let expression = rest[start + 3..start + end].trim();
        match expression {
            "runner.os" => out.push_str("Linux"),
            _ => match expression
                .strip_prefix("hashFiles(")
                .and_then(|inner| inner.strip_suffix(')'))
            {
                Some(files) => {
                    let files: Vec<&str> = files
                        .split(',')
                        .map(|file| file.trim().trim_matches(['\'', '"']))
                        .collect();
                    out.push_str(&format!("<hash of {}>", files.join(", ")));
                }
                None => out.push_str(&rest[start..start + end + 2]),
            },
        }
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::readable_key;

    #[test]
    fn cache_keys_read_as_words() {
        assert_eq!(
            readable_key("${{ runner.os }}-npm-${{ hashFiles('apps/api/package-lock.json') }}"),
            "Linux-npm-<hash of apps/api/package-lock.json>"
        );
        assert_eq!(
            readable_key("plain-${{ matrix.node }}"),
            "plain-${{ matrix.node }}"
        );
        assert_eq!(readable_key("broken-${{ x"), "broken-${{ x");
    }
}
