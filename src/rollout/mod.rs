//! The rollout designer: pick a strategy and its parameters; the timeline chart shows pod
//! counts and traffic share at each step, with warnings where settings would stall it.

mod chart;

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::{CanaryEngine, Color, RolloutStrategy};
use slipway_core::rollout_plan;

use crate::fields::QuantityField;
use crate::state::Store;

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
    let plan = Memo::new(move |_| store.design.with(rollout_plan::plan));
    // A memo: the strategy's fields are rebuilt when the strategy changes, not on every edit.
    let strategy = Memo::new(move |_| store.design.with(|d| d.kubernetes.rollout.strategy));

    view! {
        <div class=style::view>
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
                                    on:change=move |_| store.edit(&format!("Use {label}"), |d| d.kubernetes.rollout.strategy = value)
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
    view! {
        <label class=style::field>
            <span>"Replicas"</span>
            <input
                type="number"
                min="1"
                max="1000"
                data-testid="rollout-replicas"
                prop:value=move || store.design.with(edits::replicas).to_string()
                on:input=move |ev| {
                    if let Ok(value) = event_target_value(&ev).trim().parse::<u32>() {
                        if (1..=1000).contains(&value) {
                            store.edit_typing("Edit replicas", |d| edits::set_replicas(d, value));
                        }
                    }
                }
                on:blur=move |_| store.end_typing()
            />
            <small>{move || store.design.with(|d| if d.kubernetes.hpa.enabled { "The autoscaler's minimum." } else { "Fixed replica count." })}</small>
        </label>
    }
}

#[component]
fn RollingFields() -> impl IntoView {
    view! {
        <QuantityField
            label="Max surge"
            testid="max-surge"
            get=|d| d.kubernetes.rollout.max_surge.to_string()
            set=|d, v| d.kubernetes.rollout.max_surge = v
        />
        <QuantityField
            label="Max unavailable"
            testid="max-unavailable"
            get=|d| d.kubernetes.rollout.max_unavailable.to_string()
            set=|d, v| d.kubernetes.rollout.max_unavailable = v
        />
    }
}

#[component]
fn BlueGreenFields() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <label class=style::field>
            <span>"Live colour"</span>
            <select on:change=move |ev| {
                let color = Color::parse(&event_target_value(&ev)).unwrap_or_default();
                store.edit("Switch live colour", |d| d.kubernetes.rollout.active_color = color);
            }>
                {Color::ALL
                    .into_iter()
                    .map(|color| view! {
                        <option value=color.id() selected=move || store.design.with(|d| d.kubernetes.rollout.active_color == color)>{color.label()}</option>
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
fn CanaryFields() -> impl IntoView {
    let store = expect_context::<Store>();
    let steps = Memo::new(move |_| {
        store
            .design
            .with(|d| d.kubernetes.rollout.canary_steps.clone())
    });
    view! {
        <label class=style::field>
            <span>"Traffic engine"</span>
            <select data-testid="canary-engine" on:change=move |ev| {
                let engine = CanaryEngine::parse(&event_target_value(&ev)).unwrap_or_default();
                store.edit("Change canary engine", |d| d.kubernetes.rollout.canary_engine = engine);
            }>
                {CanaryEngine::ALL
                    .into_iter()
                    .map(|engine| view! {
                        <option value=engine.id() selected=move || store.design.with(|d| d.kubernetes.rollout.canary_engine == engine)>{engine.label()}</option>
                    })
                    .collect_view()}
            </select>
        </label>
        <div class=style::steps>
            <span class=style::steps_title>"Steps"</span>
            {move || {
                steps
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, step)| {
                        view! {
                            <div class=style::step data-testid="canary-step">
                                <label>
                                    "Weight %"
                                    <input type="number" min="1" max="100" prop:value=step.weight.to_string() on:change=move |ev| {
                                        if let Ok(weight) = event_target_value(&ev).trim().parse::<u32>() {
                                            store.edit("Edit canary weight", |d| edits::set_canary_weight(d, index, weight));
                                        }
                                    } />
                                </label>
                                <label>
                                    "Pause (s)"
                                    <input type="number" min="0" prop:value=step.pause_seconds.to_string() on:change=move |ev| {
                                        if let Ok(pause) = event_target_value(&ev).trim().parse::<u32>() {
                                            store.edit("Edit canary pause", |d| edits::set_canary_pause(d, index, pause));
                                        }
                                    } />
                                </label>
                                <button type="button" aria-label=format!("Remove step {}", index + 1) on:click=move |_| {
                                    store.edit("Remove canary step", |d| edits::remove_canary_step(d, index));
                                }>"×"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" on:click=move |_| {
                store.edit("Add canary step", edits::add_canary_step);
            }>"Add step"</button>
            <small class=style::hint>"A pause of 0 waits for a manual promotion."</small>
        </div>
    }
}
