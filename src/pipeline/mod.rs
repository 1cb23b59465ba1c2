//! The pipeline view: a palette of job kinds, the DAG canvas, the selected job's inspector and
//! the trigger simulator.

mod canvas;
mod inspector;
mod simulator;

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
}

#[component]
pub fn PipelineView() -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = PipelineUi {
        selected: RwSignal::new(None),
        scenario: RwSignal::new(None),
        refusal: RwSignal::new(None),
    };
    provide_context(ui);
    if let Some(navigation) = use_context::<crate::navigation::Navigation>() {
        Navigation::take(navigation.job, move |id| {
            ui.selected.set(Some(id.clone()));
            request_animation_frame(move || canvas::focus_job(&id));
        });
    }

    let add = move |kind: JobKind| {
        let mut added = String::new();
        store.edit(&format!("Add {} job", kind.id()), |design| {
            added = pipeline_graph::add_job(design, kind);
        });
        ui.selected.set(Some(added.clone()));
        // Keyboard users continue on the new job, not on the palette.
        request_animation_frame(move || canvas::focus_job(&added));
    };

    view! {
        <div class=style::view>
            <div class=style::palette role="toolbar" aria-label="Add a job">
                <span class=style::palette_label>"Add job"</span>
                {JobKind::ALL
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <button type="button" data-testid=format!("add-{}", kind.id()) on:click=move |_| add(kind)>
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
            <div class=style::panels>
                <inspector::JobInspector />
                <simulator::Simulator />
            </div>
        </div>
    }
}
