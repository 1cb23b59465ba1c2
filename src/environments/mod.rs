//! Environments as cards: gate, branch, sizes and values of each deployment target.

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::{EnvVar, Environment, EnvironmentTier};
use slipway_core::Design;

use crate::fields::{CheckboxField, ChoiceField, LinesField, NumberField, TextField};
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

/// Reads one value of the environment at `index`; the default once it is gone.
fn read<T: Default + 'static>(
    index: usize,
    get: fn(&Environment) -> T,
) -> impl Fn(&Design) -> T + Copy + Send + Sync + 'static {
    move |design| design.environments.get(index).map(get).unwrap_or_default()
}

/// Writes one value of the environment at `index`, if it still exists.
fn write<T: 'static>(
    index: usize,
    set: fn(&mut Environment, T),
) -> impl Fn(&mut Design, T) + Copy + Send + Sync + 'static {
    move |design, value| {
        if let Some(environment) = design.environments.get_mut(index) {
            set(environment, value);
        }
    }
}

/// One environment; `index` is its position in the design.
#[component]
fn EnvironmentCard(index: usize) -> impl IntoView {
    let store = expect_context::<Store>();
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
                <TextField aria_label="Environment name" class=style::name undo="Rename environment" get=read(index, |e| e.name.clone()) set=write(index, |e, v| e.name = v) />
                <ChoiceField aria_label="Tier" undo="Change tier" get=read(index, |e| e.tier) set=write(index, |e, v| e.tier = v) />
            </header>
            <CheckboxField
                label="Deploys wait for approval"
                testid="requires-approval"
                undo="Toggle approval"
                class=style::check
                get=read(index, |e| e.requires_approval)
                set=write(index, |e, v| e.requires_approval = v)
            />
            <div class=style::grid>
                <TextField label="Branch" class=style::entry undo="Edit branch" get=read(index, |e| e.branch.clone()) set=write(index, |e, v| e.branch = v) />
                <TextField label="URL" class=style::entry undo="Edit URL" get=read(index, |e| e.url.clone()) set=write(index, |e, v| e.url = v) />
                <TextField label="Reviewers" class=style::entry undo="Edit reviewers" get=read(index, |e| e.reviewers.join(", ")) set=write(index, |e, v: String| e.reviewers = edits::split_commas(&v)) />
                <NumberField label="Replicas" class=style::entry min=1 undo="Edit replicas" get=read(index, |e| e.replicas) set=write(index, |e, v| e.replicas = v) />
                <NumberField label="Autoscale min" class=style::entry min=1 undo="Edit autoscale min" get=read(index, |e| e.hpa_min_replicas) set=write(index, |e, v| e.hpa_min_replicas = v) />
                <NumberField label="Autoscale max" class=style::entry min=1 undo="Edit autoscale max" get=read(index, |e| e.hpa_max_replicas) set=write(index, |e, v| e.hpa_max_replicas = v) />
                <TextField
                    label="Secret prefix"
                    class=style::entry
                    title="Every secret-store key this environment reads starts with this: prod → prod/app/database"
                    field=format!("environments[{index}].secret_prefix")
                    testid="secret-prefix"
                    undo="Edit secret prefix"
                    get=read(index, |e| e.secret_prefix.clone())
                    set=write(index, |e, v| e.secret_prefix = v)
                />
            </div>
            <LinesField
                label="Values (NAME=value per line; never secrets)"
                class=style::entry
                rows=3
                on_commit=true
                undo="Edit environment values"
                get=read(index, |e| EnvVar::format_lines(&e.values))
                set=write(index, |e, v: String| e.values = EnvVar::parse_lines(&v))
            />
            <button type="button" class=style::remove on:click=move |_| {
                store.edit("Remove environment", |d| { if index < d.environments.len() { d.environments.remove(index); } });
            }>"Remove"</button>
        </article>
    }
}
