//! The pipeline view: a palette of job kinds, the DAG canvas, the selected job's inspector and
//! the trigger simulator.

mod canvas;
mod geometry;
mod inspector;
mod minimap;
mod simulator;
mod viewport;
mod zoom;

use leptos::prelude::*;
use slipway_core::model::JobKind;
use slipway_core::pipeline_graph;
use slipway_core::simulate::Scenario;

use crate::navigation::Navigation;
use crate::notices::{Action, Notices, Tone};
use crate::state::Store;

stylance::import_crate_style!(pub(crate) style, "src/pipeline/pipeline.module.css");

/// View state of the pipeline editor (not part of the design).
#[derive(Clone, Copy)]
pub struct PipelineUi {
    /// The job shown in the inspector.
    pub selected: RwSignal<Option<String>>,
    /// The trigger scenario, when the simulator is on.
    pub scenario: RwSignal<Option<Scenario>>,
    /// Why the last connect was refused.
    pub refusal: RwSignal<Option<String>>,
    /// What the last drop on the canvas did, or why it did nothing.
    pub status: RwSignal<Option<String>>,
    /// Jobs chosen with Shift-, Ctrl- or Cmd-click besides [`PipelineUi::selected`], for
    /// acting on several at once (Delete); a plain click or Escape clears them.
    pub marked: RwSignal<Vec<String>>,
}

impl PipelineUi {
    /// Selects `id` alone (a plain click, a new job, a search result).
    pub fn select(self, id: String) {
        self.marked.set(Vec::new());
        self.selected.set(Some(id));
    }

    /// Adds `id` to the selection, or takes it out when it was in (a Shift-click).
    pub fn toggle(self, id: String) {
        let mut chosen = self.chosen_untracked();
        if let Some(at) = chosen.iter().position(|other| *other == id) {
            chosen.remove(at);
            self.selected.set(chosen.last().cloned());
        } else {
            chosen.push(id.clone());
            self.selected.set(Some(id));
        }
        self.marked.set(chosen);
    }

    /// Whether `id` is selected, alone or with others (tracked).
    pub fn is_chosen(self, id: &str) -> bool {
        self.selected
            .with(|selected| selected.as_deref() == Some(id))
            || self
                .marked
                .with(|marked| marked.iter().any(|other| other == id))
    }

    /// Every selected job, the inspector's first (untracked).
    pub fn chosen_untracked(self) -> Vec<String> {
        let mut chosen: Vec<String> = self.selected.get_untracked().into_iter().collect();
        for id in self.marked.get_untracked() {
            if !chosen.contains(&id) {
                chosen.push(id);
            }
        }
        chosen
    }

    /// Deletes every selected job as one undoable change, and says so with Undo.
    pub fn delete_chosen(self, store: Store) {
        let chosen = self.chosen_untracked();
        let label = match chosen.as_slice() {
            [] => return,
            [one] => format!("Delete job {one}"),
            many => format!("Delete {} jobs", many.len()),
        };
        store.edit(&label, |design| {
            for id in &chosen {
                pipeline_graph::remove_job(design, id);
            }
        });
        self.marked.set(Vec::new());
        self.selected.set(None);
        if chosen.len() > 1 {
            if let Some(notices) = use_context::<Notices>() {
                let undo_label = label.clone();
                notices.show(
                    Tone::Info,
                    "change",
                    format!("Deleted {} jobs: {}.", chosen.len(), chosen.join(", ")),
                    vec![Action {
                        label: "Undo",
                        run: std::sync::Arc::new(move || {
                            if store.undo_label().as_deref() == Some(undo_label.as_str()) {
                                store.undo();
                            }
                        }),
                    }],
                );
            }
        }
    }
}

/// The drag data type of a job kind dragged from the palette.
pub const JOB_KIND_DRAG: &str = "application/x-slipway-job";

/// Adds a job of `kind`, after the job `needed` when given: the palette's and the canvas's one
/// edit, one undo step. Selects the new job and moves keyboard focus onto it.
pub fn add_job(store: Store, ui: PipelineUi, kind: JobKind, needed: Option<&str>) -> String {
    let mut added = String::new();
    store.edit(&format!("Add {} job", kind.id()), |design| {
        added = pipeline_graph::add_job_after(design, kind, needed);
    });
    ui.select(added.clone());
    // Keyboard users continue on the new job, not on the palette.
    let focus = added.clone();
    request_animation_frame(move || canvas::focus_job(&focus));
    added
}

#[component]
pub fn PipelineView() -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = PipelineUi {
        selected: RwSignal::new(None),
        scenario: RwSignal::new(None),
        refusal: RwSignal::new(None),
        status: RwSignal::new(None),
        marked: RwSignal::new(Vec::new()),
    };
    provide_context(ui);
    // A selected job that an edit or an undo removed is no longer selected.
    Effect::new(move |_| {
        store.design.with(|design| {
            let exists = |id: &String| design.pipeline.jobs.iter().any(|job| job.id == *id);
            if ui
                .marked
                .with_untracked(|marked| !marked.iter().all(exists))
            {
                ui.marked.update(|marked| marked.retain(exists));
            }
        });
    });
    if let Some(navigation) = use_context::<crate::navigation::Navigation>() {
        Navigation::take(navigation.job, move |id| {
            ui.select(id.clone());
            request_animation_frame(move || canvas::focus_job(&id));
        });
    }

    let add = move |kind: JobKind| {
        add_job(store, ui, kind, None);
        ui.status.set(None);
    };

    view! {
        <div class=style::view>
            <div class=style::palette role="toolbar" aria-label="Add a job">
                <span class=style::palette_label>"Add job (click, or drag onto the canvas)"</span>
                {JobKind::ALL
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <button
                                type="button"
                                draggable=if store.read_only { "false" } else { "true" }
                                data-testid=format!("add-{}", kind.id())
                                on:click=move |_| add(kind)
                                on:dragstart=move |ev| {
                                    if let Some(data) = ev.data_transfer() {
                                        let _ = data.set_data(JOB_KIND_DRAG, kind.id());
                                        data.set_effect_allowed("copy");
                                    }
                                }
                                on:dragend=move |ev| {
                                    // Dropped where nothing takes a job (a drop on the canvas
                                    // reports itself).
                                    let missed = ev.data_transfer().is_some_and(|data| data.drop_effect() == "none");
                                    if missed {
                                        ui.status.set(Some("Dropped outside the canvas — drop on the canvas or a job".to_owned()));
                                    }
                                }
                            >
                                {kind.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <Show when=move || ui.refusal.get().is_some()>
                <p class=style::refusal role="alert" data-testid="connect-refused">
                    {move || ui.refusal.get()}
                </p>
            </Show>
            <canvas::Canvas />
            <Show when=move || ui.marked.with(|marked| marked.len() > 1)>
                <p class=style::selection data-testid="selection-bar">
                    <span>{move || format!("{} jobs selected", ui.marked.with(Vec::len))}</span>
                    <button type="button" class=style::danger data-testid="delete-selected" disabled=store.read_only on:click=move |_| ui.delete_chosen(store)>
                        {move || format!("Delete {} jobs", ui.marked.with(Vec::len))}
                    </button>
                    <button type="button" data-testid="clear-selection" on:click=move |_| ui.marked.set(Vec::new())>"Clear selection"</button>
                    <span class=style::selection_hint>"Shift-click a job to add or remove it; Delete removes them all, in one undo step."</span>
                </p>
            </Show>
            <p class=style::status role="status" data-testid="canvas-status">
                {move || ui.status.get()}
            </p>
            <div class=style::panels>
                <inspector::JobInspector />
                <simulator::Simulator />
            </div>
        </div>
    }
}
