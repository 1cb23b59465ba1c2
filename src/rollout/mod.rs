//! The rollout designer: pick a strategy and its parameters; the timeline chart shows pod
//! counts and traffic share at each step, with warnings where settings would stall it.

mod chart;

use leptos::prelude::*;
use slipway_core::model::{CanaryEngine, CanaryStep, Color, IntOrPercent, RolloutStrategy};
use slipway_core::rollout_plan;

use crate::state::Store;

stylance::import_crate_style!(pub(crate) style, "src/rollout/rollout.module.css");

/// Reads `25%` or `1`.
fn parse_quantity(text: &str) -> Option<IntOrPercent> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        let value: u32 = percent.trim().parse().ok()?;
        (value <= 100).then(|| IntOrPercent::percent(value))
    } else {
        text.parse().ok().map(IntOrPercent::Int)
    }
}

#[component]
pub fn RolloutView() -> impl IntoView {
    let store = expect_context::<Store>();
    let plan = Memo::new(move |_| store.design.with(rollout_plan::plan));
    // A memo: the strategy's fields are rebuilt when the strategy changes, not on every edit.
    let strategy = Memo::new(move |_| store.design.with(|d| d.kubernetes.rollout.strategy));

    let strategies = [
        (
            RolloutStrategy::Rolling,
            "Rolling update",
            "Replace pods a few at a time; no extra environment.",
        ),
        (
            RolloutStrategy::BlueGreen,
            "Blue-green",
            "Run the new version beside the old, then switch all traffic at once.",
        ),
        (
            RolloutStrategy::Canary,
            "Canary",
            "Send a growing share of traffic to the new version, pausing to watch.",
        ),
    ];

    view! {
        <div class=style::view>
            <fieldset class=style::strategies>
                <legend>"Strategy"</legend>
                {strategies
                    .into_iter()
                    .map(|(value, label, help)| {
                        view! {
                            <label class=style::strategy>
                                <input
                                    type="radio"
                                    name="strategy"
                                    data-testid=format!("strategy-{}", match value {
                                        RolloutStrategy::Rolling => "rolling",
                                        RolloutStrategy::BlueGreen => "blue-green",
                                        RolloutStrategy::Canary => "canary",
                                    })
                                    prop:checked=move || strategy.get() == value
                                    on:change=move |_| store.edit(&format!("Use {label}"), |d| d.kubernetes.rollout.strategy = value)
                                />
                                <span>
                                    <strong>{label}</strong>
                                    <small>{help}</small>
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
                prop:value=move || store.design.with(|d| if d.kubernetes.hpa.enabled { d.kubernetes.hpa.min_replicas } else { d.kubernetes.replicas }).to_string()
                on:input=move |ev| {
                    if let Ok(value) = event_target_value(&ev).trim().parse::<u32>() {
                        if (1..=1000).contains(&value) {
                            store.edit_typing("Edit replicas", |d| {
                                if d.kubernetes.hpa.enabled {
                                    d.kubernetes.hpa.min_replicas = value;
                                    d.kubernetes.hpa.max_replicas = d.kubernetes.hpa.max_replicas.max(value);
                                } else {
                                    d.kubernetes.replicas = value;
                                }
                            });
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
fn QuantityField(
    label: &'static str,
    testid: &'static str,
    get: fn(&slipway_core::Design) -> String,
    set: fn(&mut slipway_core::Design, IntOrPercent),
) -> impl IntoView {
    let store = expect_context::<Store>();
    let error = RwSignal::new(false);
    view! {
        <label class=style::field>
            <span>{label}</span>
            <input
                type="text"
                data-testid=testid
                aria-invalid=move || error.get().to_string()
                prop:value=move || store.design.with(get)
                on:input=move |ev| match parse_quantity(&event_target_value(&ev)) {
                    Some(value) => {
                        error.set(false);
                        store.edit_typing(&format!("Edit {label}"), |d| set(d, value));
                    }
                    None => error.set(true),
                }
                on:blur=move |_| store.end_typing()
            />
            <small>{move || if error.get() { "A count (1) or a percentage (25%)." } else { "" }}</small>
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
                let color = if event_target_value(&ev) == "green" { Color::Green } else { Color::Blue };
                store.edit("Switch live colour", |d| d.kubernetes.rollout.active_color = color);
            }>
                <option value="blue" selected=move || store.design.with(|d| d.kubernetes.rollout.active_color == Color::Blue)>"Blue"</option>
                <option value="green" selected=move || store.design.with(|d| d.kubernetes.rollout.active_color == Color::Green)>"Green"</option>
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
                let engine = if event_target_value(&ev) == "replica-ratio" { CanaryEngine::ReplicaRatio } else { CanaryEngine::ArgoRollouts };
                store.edit("Change canary engine", |d| d.kubernetes.rollout.canary_engine = engine);
            }>
                <option value="argo-rollouts" selected=move || store.design.with(|d| d.kubernetes.rollout.canary_engine == CanaryEngine::ArgoRollouts)>"Argo Rollouts (setWeight / pause)"</option>
                <option value="replica-ratio" selected=move || store.design.with(|d| d.kubernetes.rollout.canary_engine == CanaryEngine::ReplicaRatio)>"Replica ratio (two Deployments)"</option>
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
                                            store.edit("Edit canary weight", |d| {
                                                if let Some(step) = d.kubernetes.rollout.canary_steps.get_mut(index) {
                                                    step.weight = weight.clamp(1, 100);
                                                }
                                            });
                                        }
                                    } />
                                </label>
                                <label>
                                    "Pause (s)"
                                    <input type="number" min="0" prop:value=step.pause_seconds.to_string() on:change=move |ev| {
                                        if let Ok(pause) = event_target_value(&ev).trim().parse::<u32>() {
                                            store.edit("Edit canary pause", |d| {
                                                if let Some(step) = d.kubernetes.rollout.canary_steps.get_mut(index) {
                                                    step.pause_seconds = pause;
                                                }
                                            });
                                        }
                                    } />
                                </label>
                                <button type="button" aria-label=format!("Remove step {}", index + 1) on:click=move |_| {
                                    store.edit("Remove canary step", |d| {
                                        if index < d.kubernetes.rollout.canary_steps.len() {
                                            d.kubernetes.rollout.canary_steps.remove(index);
                                        }
                                    });
                                }>"×"</button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" on:click=move |_| {
                store.edit("Add canary step", |d| {
                    let last = d.kubernetes.rollout.canary_steps.last().map_or(0, |s| s.weight);
                    d.kubernetes.rollout.canary_steps.push(CanaryStep { weight: (last * 2).clamp(1, 100), pause_seconds: 300 });
                });
            }>"Add step"</button>
            <small class=style::hint>"A pause of 0 waits for a manual promotion."</small>
        </div>
    }
}
