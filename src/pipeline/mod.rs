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

use crate::state::Store;

use crate::navigation::Navigation;

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
    ui.selected.set(Some(added.clone()));
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
    };
    provide_context(ui);
    if let Some(navigation) = use_context::<crate::navigation::Navigation>() {
        Navigation::take(navigation.job, move |id| {
            ui.selected.set(Some(id.clone()));
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
