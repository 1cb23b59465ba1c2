//! Environments as cards: gate, branch, sizes and values of each deployment target.

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::{EnvVar, Environment, EnvironmentTier};

use crate::state::Store;

stylance::import_crate_style!(style, "src/environments/environments.module.css");

#[component]
pub fn EnvironmentsView() -> impl IntoView {
    let store = expect_context::<Store>();
    // A memo: the cards are rebuilt when an environment is added or removed, not on every edit.
    let count = Memo::new(move |_| store.design.with(|d| d.environments.len()));
    view! {
        <div class=style::view>
            <div class=style::cards>
                {move || (0..count.get()).map(|index| view! { <EnvironmentCard index /> }).collect_view()}
            </div>
            <button type="button" data-testid="add-environment" on:click=move |_| {
                store.edit("Add environment", edits::add_environment);
            }>"Add environment"</button>
        </div>
    }
}

/// One environment; `index` is its position in the design.
#[component]
fn EnvironmentCard(index: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let read = move |get: fn(&Environment) -> String| {
        move || {
            store
                .design
                .with(|d| d.environments.get(index).map(get).unwrap_or_default())
        }
    };
    let write = move |label: &'static str, set: fn(&mut Environment, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            store.edit_typing(label, |d| {
                if let Some(env) = d.environments.get_mut(index) {
                    set(env, value);
                }
            });
        }
    };
    let number = move |label: &'static str, set: fn(&mut Environment, u32)| {
        move |ev: leptos::ev::Event| {
            if let Ok(value) = event_target_value(&ev).trim().parse::<u32>() {
                store.edit_typing(label, |d| {
                    if let Some(env) = d.environments.get_mut(index) {
                        set(env, value);
                    }
                });
            }
        }
    };
    let end = move |_| store.end_typing();
    let is_production = move || {
        store.design.with(|d| {
            d.environments
                .get(index)
                .is_some_and(|e| e.tier == EnvironmentTier::Production)
        })
    };

    view! {
        <article class=move || if is_production() { format!("{} {}", style::card, style::production) } else { style::card.to_owned() } data-testid="environment-card">
            <header class=style::card_header>
                <input type="text" aria-label="Environment name" class=style::name prop:value=read(|e| e.name.clone()) on:input=write("Rename environment", |e, v| e.name = v) on:blur=end />
                <select aria-label="Tier" on:change=move |ev| {
                    let tier = EnvironmentTier::parse(&event_target_value(&ev)).unwrap_or_default();
                    store.edit("Change tier", |d| if let Some(env) = d.environments.get_mut(index) { env.tier = tier; });
                }>
                    {EnvironmentTier::ALL
                        .into_iter()
                        .map(|tier| view! {
                            <option value=tier.id() selected=move || store.design.with(|d| d.environments.get(index).is_some_and(|e| e.tier == tier))>{tier.label()}</option>
                        })
                        .collect_view()}
                </select>
            </header>
            <label class=style::check>
                <input type="checkbox" data-testid="requires-approval" prop:checked=move || store.design.with(|d| d.environments.get(index).is_some_and(|e| e.requires_approval)) on:change=move |ev| {
                    let checked = event_target_checked(&ev);
                    store.edit("Toggle approval", |d| if let Some(env) = d.environments.get_mut(index) { env.requires_approval = checked; });
                } />
                <span>"Deploys wait for approval"</span>
            </label>
            <div class=style::grid>
                <label>"Branch"<input type="text" prop:value=read(|e| e.branch.clone()) on:input=write("Edit branch", |e, v| e.branch = v) on:blur=end /></label>
                <label>"URL"<input type="text" prop:value=read(|e| e.url.clone()) on:input=write("Edit URL", |e, v| e.url = v) on:blur=end /></label>
                <label>"Reviewers"<input type="text" prop:value=read(|e| e.reviewers.join(", ")) on:input=write("Edit reviewers", |e, v| {
                    e.reviewers = edits::split_commas(&v);
                }) on:blur=end /></label>
                <label>"Replicas"<input type="number" min="1" prop:value=read(|e| e.replicas.to_string()) on:input=number("Edit replicas", |e, v| e.replicas = v.max(1)) on:blur=end /></label>
                <label>"Autoscale min"<input type="number" min="1" prop:value=read(|e| e.hpa_min_replicas.to_string()) on:input=number("Edit autoscale min", |e, v| e.hpa_min_replicas = v.max(1)) on:blur=end /></label>
                <label>"Autoscale max"<input type="number" min="1" prop:value=read(|e| e.hpa_max_replicas.to_string()) on:input=number("Edit autoscale max", |e, v| e.hpa_max_replicas = v.max(1)) on:blur=end /></label>
                <label title="Every secret-store key this environment reads starts with this: prod → prod/app/database">"Secret prefix"<input type="text" data-field=format!("environments[{index}].secret_prefix") data-testid="secret-prefix" prop:value=read(|e| e.secret_prefix.clone()) on:input=write("Edit secret prefix", |e, v| e.secret_prefix = v) on:blur=end /></label>
            </div>
            <label class=style::values>
                "Values (NAME=value per line; never secrets)"
                <textarea rows="3" prop:value=read(|e| EnvVar::format_lines(&e.values)) on:change=move |ev| {
                    let text = event_target_value(&ev);
                    store.edit("Edit environment values", |d| if let Some(env) = d.environments.get_mut(index) { env.values = EnvVar::parse_lines(&text); });
                }></textarea>
            </label>
            <button type="button" class=style::remove on:click=move |_| {
                store.edit("Remove environment", |d| { if index < d.environments.len() { d.environments.remove(index); } });
            }>"Remove"</button>
        </article>
    }
}
