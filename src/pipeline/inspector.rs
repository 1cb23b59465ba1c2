//! The selected job's settings: typed fields, its `needs` (the keyboard way to connect jobs),
//! order and removal.

use leptos::prelude::*;
use slipway_core::edits::move_job;
use slipway_core::model::{Design, Job, JobKind};
use slipway_core::pipeline_graph;

use super::PipelineUi;
use crate::state::Store;

use super::style;

fn job_mut<'a>(design: &'a mut Design, id: &str) -> Option<&'a mut Job> {
    design.pipeline.jobs.iter_mut().find(|job| job.id == id)
}

#[component]
pub fn JobInspector() -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = expect_context::<PipelineUi>();
    let job = Memo::new(move |_| {
        let id = ui.selected.get()?;
        store.design.with(|design| {
            design
                .pipeline
                .jobs
                .iter()
                .find(|job| job.id == id)
                .cloned()
        })
    });

    view! {
        <section class=style::inspector aria-label="Selected job" data-testid="job-inspector">
            <Show
                when=move || job.with(Option::is_some)
                fallback=|| view! { <p class=style::hint>"Select a job on the canvas to edit it. Drag from a job's right-hand dot onto another job to make it wait for the first."</p> }
            >
                {move || job.get().map(|job| view! { <JobFields job /> })}
            </Show>
        </section>
    }
}

/// The fields of one job. Re-rendered when the selection changes; values stay live.
#[component]
fn JobFields(job: Job) -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = expect_context::<PipelineUi>();
    let id = job.id.clone();
    let rename_error = RwSignal::new(None::<String>);
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
    let environments = Memo::new(move |_| {
        store.design.with(|design| {
            design
                .environments
                .iter()
                .map(|env| env.name.clone())
                .collect::<Vec<_>>()
        })
    });
    let edit = {
        let id = id.clone();
        move |label: &str, change: Box<dyn FnOnce(&mut Job)>| {
            let id = id.clone();
            store.edit_typing(label, move |design| {
                if let Some(job) = job_mut(design, &id) {
                    change(job);
                }
            });
        }
    };
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
        <label class=style::field>
            <span>"Name"</span>
            <input
                type="text"
                prop:value=job.name.clone()
                on:input={
                    let edit = edit.clone();
                    move |ev| {
                        let value = event_target_value(&ev);
                        edit("Edit job name", Box::new(move |job| job.name = value));
                    }
                }
                on:blur=move |_| store.end_typing()
            />
        </label>
        <label class=style::field>
            <span>"Kind"</span>
            <select on:change={
                let edit = edit.clone();
                move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(kind) = JobKind::parse(&value) {
                        edit("Change job kind", Box::new(move |job| job.kind = kind));
                        store.end_typing();
                    }
                }
            }>
                {JobKind::ALL
                    .into_iter()
                    .map(|kind| view! { <option value=kind.id() selected=kind == job.kind>{kind.label()}</option> })
                    .collect_view()}
            </select>
        </label>
        {is_deploy.then(|| {
            let edit = edit.clone();
            let current = job.environment.clone();
            view! {
                <label class=style::field>
                    <span>"Environment"</span>
                    <select on:change=move |ev| {
                        let value = event_target_value(&ev);
                        edit("Change job environment", Box::new(move |job| job.environment = value));
                        store.end_typing();
                    }>
                        <option value="" selected=current.is_empty()>"(none)"</option>
                        {environments
                            .get_untracked()
                            .into_iter()
                            .map(|name| {
                                let selected = name == current;
                                view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
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
            <select
                aria-label="Add a job this job waits for"
                data-testid="add-need"
                on:change={
                    let id = id.clone();
                    move |ev| {
                        let needed = event_target_value(&ev);
                        if needed.is_empty() {
                            return;
                        }
                        let mut refusal = None;
                        store.edit(&format!("Connect {needed} → {id}"), |design| {
                            refusal = pipeline_graph::connect(design, &needed, &id).err();
                        });
                        ui.refusal.set(refusal);
                    }
                }
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
        </div>
        <label class=style::field>
            <span>"Commands (one per line; empty uses the project's)"</span>
            <textarea
                rows="4"
                spellcheck="false"
                prop:value=job.commands.join("\n")
                on:input={
                    let edit = edit.clone();
                    move |ev| {
                        let value = event_target_value(&ev);
                        edit("Edit job commands", Box::new(move |job| {
                            job.commands = value.lines().map(str::to_owned).filter(|l| !l.trim().is_empty()).collect();
                        }));
                    }
                }
                on:blur=move |_| store.end_typing()
            ></textarea>
        </label>
        <label class=style::check>
            <input
                type="checkbox"
                prop:checked=job.cache.enabled
                on:change={
                    let edit = edit.clone();
                    move |ev| {
                        let checked = event_target_checked(&ev);
                        edit("Toggle job cache", Box::new(move |job| job.cache.enabled = checked));
                        store.end_typing();
                    }
                }
            />
            <span>"Cache dependencies (keyed on the lockfile)"</span>
        </label>
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
