//! The rollout designer: pick a strategy and its parameters; the timeline chart shows pod
//! counts and traffic share at each step, with warnings where settings would stall it; below
//! it, the service's database migrations phased across releases.

mod chart;
mod migrations;

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::IntOrPercent;
use slipway_core::model::{CanaryEngine, RolloutStrategy};
use slipway_core::{rollout_plan, Design};

use crate::fields::{CheckboxField, ChoiceField, NumberField, QuantityField};
use crate::services::ServiceSwitcher;
use crate::state::{service_of, service_of_mut, Store};

stylance::import_crate_style!(pub(crate) style, "src/rollout/rollout.module.css");

/// What each strategy does, under its name in the picker.
fn strategy_help(strategy: RolloutStrategy) -> &'static str {
    match strategy {
        RolloutStrategy::Rolling => "Replace pods a few at a time; no extra environment.",
        RolloutStrategy::BlueGreen => {
            "Run the new version beside the old, then switch all traffic at once."
        }
        RolloutStrategy::Canary => {
            "Send a growing share of traffic to the new version, pausing to watch."
        }
    }
}

#[component]
pub fn RolloutView() -> impl IntoView {
    let store = expect_context::<Store>();
    // The design too: the analysis takes its limits from the design's alerts.
    let plan = Memo::new(move |_| {
        let index = store.service.get();
        store
            .design
            .with(|design| rollout_plan::plan_in(design, service_of(design, index)))
    });
    // A memo: the strategy's fields are rebuilt when the strategy changes, not on every edit.
    let strategy = Memo::new(move |_| store.with_service(|s| s.kubernetes.rollout.strategy));

    view! {
        <div class=style::view>
            <div class=style::service>
                <ServiceSwitcher testid="view-service-switcher" />
            </div>
            <fieldset class=style::strategies>
                <legend>"Strategy"</legend>
                {RolloutStrategy::ALL
                    .into_iter()
                    .map(|value| {
                        let label = value.label();
                        view! {
                            <label class=style::strategy>
                                <input
                                    type="radio"
                                    name="strategy"
                                    data-testid=format!("strategy-{}", value.id())
                                    prop:checked=move || strategy.get() == value
                                    on:change=move |_| store.edit_service(&format!("Use {label}"), |s| s.kubernetes.rollout.strategy = value)
                                />
                                <span>
                                    <strong>{label}</strong>
                                    <small>{strategy_help(value)}</small>
                                </span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class=style::parameters>
                <ReplicaFields />
                {move || match strategy.get() {
                    RolloutStrategy::Rolling => view! { <RollingFields /> }.into_any(),
                    RolloutStrategy::BlueGreen => view! { <BlueGreenFields /> }.into_any(),
                    RolloutStrategy::Canary => view! { <CanaryFields /> }.into_any(),
                }}
            </div>
            <chart::TimelineChart plan />
            <migrations::ReleasePlan />
            <Show when=move || plan.with(|p| !p.warnings.is_empty())>
                <ul class=style::warnings role="status" data-testid="rollout-warnings">
                    <For each=move || plan.get().warnings key=|w| w.clone() let:warning>
                        <li>{warning}</li>
                    </For>
                </ul>
            </Show>
        </div>
    }
}

#[component]
fn ReplicaFields() -> impl IntoView {
    let store = expect_context::<Store>();
    let service = store.selected_service();
    let hint = Signal::derive(move || {
        store.with_service(|s| {
            if s.kubernetes.hpa.enabled {
                "The autoscaler's minimum."
            } else {
                "Fixed replica count."
            }
            .to_owned()
        })
    });
    view! {
        <NumberField
            label="Replicas"
            class=style::field
            testid="rollout-replicas"
            min=1
            max=1000
            get=service.get(edits::replicas)
            set=service.set(edits::set_replicas)
            hint
        />
    }
}

#[component]
fn RollingFields() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <QuantityField
            label="Max surge"
            testid="max-surge"
            get=service.get(|s| s.kubernetes.rollout.max_surge.to_string())
            set=service.set(|s, v: IntOrPercent| s.kubernetes.rollout.max_surge = v)
        />
        <QuantityField
            label="Max unavailable"
            testid="max-unavailable"
            get=service.get(|s| s.kubernetes.rollout.max_unavailable.to_string())
            set=service.set(|s, v: IntOrPercent| s.kubernetes.rollout.max_unavailable = v)
        />
    }
}

#[component]
fn BlueGreenFields() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <ChoiceField
            label="Live colour"
            class=style::field
            undo="Switch live colour"
            get=service.get(|s| s.kubernetes.rollout.active_color)
            set=service.set(|s, v| s.kubernetes.rollout.active_color = v)
        />
        <AnalysisField />
    }
}

/// Whether the release is judged by metrics (ROLLOUT-008): the Argo canary's AnalysisTemplate,
/// or blue-green's check of the idle colour in the deploy.
#[component]
fn AnalysisField() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <CheckboxField
            label="Judge by metrics (error rate, p95 latency)"
            field="kubernetes.rollout.analysis"
            testid="rollout-analysis"
            undo="Toggle rollout analysis"
            get=service.get(|s| s.kubernetes.rollout.analysis)
            set=service.set(|s, v| s.kubernetes.rollout.analysis = v)
        />
    }
}

#[component]
fn CanaryFields() -> impl IntoView {
    let store = expect_context::<Store>();
    let service = store.selected_service();
    // A memo: the rows are rebuilt when a step is added or removed, not on every edit.
    let count = Memo::new(move |_| store.with_service(|s| s.kubernetes.rollout.canary_steps.len()));
    view! {
        <ChoiceField
            label="Traffic engine"
            class=style::field
            testid="canary-engine"
            undo="Change canary engine"
            get=service.get(|s| s.kubernetes.rollout.canary_engine)
            set=service.set(|s, v| s.kubernetes.rollout.canary_engine = v)
        />
        // Only Argo Rollouts can abort a canary by itself.
        <Show when=move || store.with_service(|s| s.kubernetes.rollout.canary_engine == CanaryEngine::ArgoRollouts)>
            <AnalysisField />
        </Show>
        <div class=style::steps>
            <span class=style::steps_title>"Steps"</span>
            {move || {
                (0..count.get())
                    .map(|index| {
                        let step = move |d: &Design| service_of(d, service.index()).kubernetes.rollout.canary_steps.get(index).cloned().unwrap_or_default();
                        view! {
                            <div class=style::step data-testid="canary-step">
                                <NumberField
                                    label="Weight %"
                                    class=style::step_field
                                    min=1
                                    max=100
                                    undo="Edit canary weight"
                                    on_commit=true
                                    get=move |d: &Design| step(d).weight
                                    set=move |d: &mut Design, weight: u32| edits::set_canary_weight(service_of_mut(d, service.index_untracked()), index, weight)
                                />
                                <NumberField
                                    label="Pause (s)"
                                    class=style::step_field
                                    min=0
                                    undo="Edit canary pause"
                                    on_commit=true
                                    get=move |d: &Design| step(d).pause_seconds
                                    set=move |d: &mut Design, pause: u32| edits::set_canary_pause(service_of_mut(d, service.index_untracked()), index, pause)
                                />
                                <button type="button" aria-label=format!("Remove step {}", index + 1) on:click=move |_| {
                                    store.edit_service("Remove canary step", |s| edits::remove_canary_step(s, index));
                                }>"×"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" on:click=move |_| {
                store.edit_service("Add canary step", edits::add_canary_step);
            }>"Add step"</button>
            <small class=style::hint>"A pause of 0 waits for a manual promotion."</small>
        </div>
    }
}
