//! The selected job's settings: typed fields, its `needs` (the keyboard way to connect jobs),
//! order and removal.

use leptos::prelude::*;
use slipway_core::edits::move_job;
use slipway_core::model::{Design, Job, JobKind};
use slipway_core::pipeline_graph;

use super::PipelineUi;
use crate::fields::{CheckboxField, ChoiceField, LinesField, SelectField, TextField};
use crate::state::Store;

use super::style;

/// Reads one value of the job with id `key`; the default once it is gone.
fn job_get<T: Default + 'static>(
    key: StoredValue<String>,
    get: fn(&Job) -> T,
) -> impl Fn(&Design) -> T + Copy + Send + Sync + 'static {
    move |design| {
        key.with_value(|id| {
            design
                .pipeline
                .jobs
                .iter()
                .find(|job| &job.id == id)
                .map(get)
                .unwrap_or_default()
        })
    }
}

/// Writes one value of the job with id `key`, if it still exists.
fn job_set<T: 'static>(
    key: StoredValue<String>,
    set: fn(&mut Job, T),
) -> impl Fn(&mut Design, T) + Copy + Send + Sync + 'static {
    move |design, value| {
        key.with_value(|id| {
            if let Some(job) = design.pipeline.jobs.iter_mut().find(|job| &job.id == id) {
                set(job, value);
            }
        })
    }
}

#[component]
pub fn JobInspector() -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = expect_context::<PipelineUi>();
    // What the fields' layout depends on: typing into a field changes none of it, so the
    // fields are not built again on every keystroke.
    let job = Memo::new(move |_| {
        let id = ui.selected.get()?;
        store.design.with(|design| {
            design
                .pipeline
                .jobs
                .iter()
                .find(|job| job.id == id)
                .map(JobShape::of)
        })
    });

    view! {
        <section class=style::inspector aria-label="Selected job" data-testid="job-inspector">
            <Show
                when=move || job.with(Option::is_some)
                fallback=|| view! { <p class=style::hint>"Select a job on the canvas to edit it. Drag from a job's right-hand dot onto another job to make it wait for the first; click an arrow to remove it or drag its end to another job."</p> }
            >
                {move || job.get().map(|job| view! { <JobFields job /> })}
            </Show>
        </section>
    }
}

/// The parts of a job that decide which fields the inspector shows.
#[derive(Clone, PartialEq)]
struct JobShape {
    id: String,
    needs: Vec<String>,
    kind: JobKind,
}

impl JobShape {
    fn of(job: &Job) -> Self {
        JobShape {
            id: job.id.clone(),
            needs: job.needs.clone(),
            kind: job.kind,
        }
    }
}

/// The fields of one job. Re-rendered when the selection, its needs or its kind change; values
/// stay live.
#[component]
fn JobFields(
    /// The selected job's id, needs and kind.
    job: JobShape,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = expect_context::<PipelineUi>();
    let id = job.id.clone();
    let rename_error = RwSignal::new(None::<String>);
    let need_choice = NodeRef::<leptos::html::Select>::new();
    let others = Memo::new({
        let id = id.clone();
        move |_| {
            store.design.with(|design| {
                design
                    .pipeline
                    .jobs
                    .iter()
                    .filter(|job| job.id != id)
                    .map(|job| job.id.clone())
                    .collect::<Vec<_>>()
            })
        }
    });
    let environments = Signal::derive(move || {
        store.design.with(|design| {
            let none = (String::new(), "(none)".to_owned());
            std::iter::once(none)
                .chain(
                    design
                        .environments
                        .iter()
                        .map(|env| (env.name.clone(), env.name.clone())),
                )
                .collect::<Vec<_>>()
        })
    });
    let key = StoredValue::new(id.clone());
    let needs = job.needs.clone();
    let is_deploy = matches!(
        job.kind,
        JobKind::Deploy | JobKind::Migrate | JobKind::Smoke
    );

    view! {
        <h3 class=style::inspector_title>"Job " <code>{id.clone()}</code></h3>
        <label class=style::field>
            <span>"Id"</span>
            <input
                type="text"
                data-field="pipeline.jobs.id"
                prop:value=id.clone()
                on:change={
                    let id = id.clone();
                    move |ev| {
                        let new_id = event_target_value(&ev);
                        let mut result = Ok(());
                        store.edit(&format!("Rename job {id}"), |design| {
                            result = pipeline_graph::rename_job(design, &id, &new_id);
                        });
                        match result {
                            Ok(()) => {
                                rename_error.set(None);
                                ui.selected.set(Some(new_id.trim().to_owned()));
                            }
                            Err(problem) => rename_error.set(Some(problem)),
                        }
                    }
                }
            />
            <Show when=move || rename_error.get().is_some()>
                <span class=style::invalid role="alert">{move || rename_error.get()}</span>
            </Show>
        </label>
        <TextField
            label="Name"
            class=style::field
            field="pipeline.jobs.name"
            undo="Edit job name"
            get=job_get(key, |job| job.name.clone())
            set=job_set(key, |job, name| job.name = name)
        />
        <ChoiceField
            label="Kind"
            class=style::field
            undo="Change job kind"
            get=job_get(key, |job| job.kind)
            set=job_set(key, |job, kind| job.kind = kind)
        />
        {is_deploy.then(|| view! {
            <SelectField
                label="Environment"
                class=style::field
                undo="Change job environment"
                options=environments
                get=job_get(key, |job| job.environment.clone())
                set=job_set(key, |job, environment| job.environment = environment)
            />
        })}
        <div class=style::field>
            <span>"Needs"</span>
            <ul class=style::chips aria-label="Jobs this job waits for">
                {needs
                    .iter()
                    .map(|need| {
                        let need = need.clone();
                        let id = id.clone();
                        view! {
                            <li>
                                <code>{need.clone()}</code>
                                <button
                                    type="button"
                                    aria-label=format!("Stop waiting for {need}")
                                    on:click=move |_| {
                                        store.edit(&format!("Disconnect {need} → {id}"), |design| {
                                            pipeline_graph::disconnect(design, &need, &id)
                                        });
                                    }
                                >"×"</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            // Choosing a job only selects it; the button connects. A closed select changes its
            // value on the arrow keys, so connecting on change added a dependency per keypress.
            <div class=style::add_need>
                <select
                    aria-label="A job this job should wait for"
                    data-testid="add-need"
                    node_ref=need_choice
                >
                    <option value="" selected>"Wait for…"</option>
                    {move || {
                        others
                            .get()
                            .into_iter()
                            .map(|other| view! { <option value=other.clone()>{other.clone()}</option> })
                            .collect_view()
                    }}
                </select>
                <button
                    type="button"
                    data-testid="connect-need"
                    on:click={
                        let id = id.clone();
                        move |_| {
                            let Some(choice) = need_choice.get() else { return };
                            let needed = choice.value();
                            if needed.is_empty() {
                                return;
                            }
                            let mut refusal = None;
                            store.edit(&format!("Connect {needed} → {id}"), |design| {
                                refusal = pipeline_graph::connect(design, &needed, &id).err();
                            });
                            ui.refusal.set(refusal);
                            choice.set_value("");
                        }
                    }
                >
                    "Wait"
                </button>
            </div>
        </div>
        <LinesField
            label="Commands (one per line; empty uses the service's)"
            class=style::field
            undo="Edit job commands"
            get=job_get(key, |job| job.commands.join("\n"))
            set=job_set(key, |job, text: String| {
                job.commands = text.lines().map(str::to_owned).filter(|l| !l.trim().is_empty()).collect();
            })
        />
        <CheckboxField
            label="Cache dependencies (keyed on the lockfile)"
            class=style::check
            undo="Toggle job cache"
            get=job_get(key, |job| job.cache.enabled)
            set=job_set(key, |job, enabled| job.cache.enabled = enabled)
        />
        <div class=style::buttons>
            <button type="button" on:click={
                let id = id.clone();
                move |_| store.edit("Move job earlier", |design| move_job(design, &id, -1))
            }>"Move up"</button>
            <button type="button" on:click={
                let id = id.clone();
                move |_| store.edit("Move job later", |design| move_job(design, &id, 1))
            }>"Move down"</button>
            <button type="button" class=style::danger data-testid="delete-job" on:click={
                let id = id.clone();
                move |_| {
                    store.edit(&format!("Delete job {id}"), |design| pipeline_graph::remove_job(design, &id));
                    ui.selected.set(None);
                }
            }>"Delete job"</button>
        </div>
    }
}
