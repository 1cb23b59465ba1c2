//! Environments as cards: gate, branch, sizes and values of each deployment target.

use leptos::prelude::*;
use slipway_core::edits::{self, PodCount};
use slipway_core::model::{EnvVar, EnvironmentTier};

use crate::fields::{CheckboxField, ChoiceField, LinesField, NumberField, Row, TextField};
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
    let environment = Row::new(index, |d| &d.environments, |d| &mut d.environments);
    let is_production = move || {
        store
            .design
            .with(environment.get(|e| e.tier == EnvironmentTier::Production))
    };

    view! {
        <article class=move || if is_production() { format!("{} {}", style::card, style::production) } else { style::card.to_owned() } data-testid="environment-card">
            <header class=style::card_header>
                <TextField aria_label="Environment name" class=style::name undo="Rename environment" get=environment.get(|e| e.name.clone()) set=environment.set(|e, v| e.name = v) />
                <ChoiceField aria_label="Tier" undo="Change tier" get=environment.get(|e| e.tier) set=environment.set(|e, v| e.tier = v) />
            </header>
            <CheckboxField
                label="Deploys wait for approval"
                testid="requires-approval"
                undo="Toggle approval"
                class=style::check
                get=environment.get(|e| e.requires_approval)
                set=environment.set(|e, v| e.requires_approval = v)
            />
            <div class=style::grid>
                <ChoiceField
                    label="Delivery"
                    class=style::entry
                    field=format!("environments[{index}].delivery")
                    testid="delivery"
                    undo="Change delivery"
                    get=environment.get(|e| e.delivery)
                    set=environment.set(|e, v| e.delivery = v)
                />
                <Show when=move || store.design.with(environment.get(|e| e.gitops()))>
                    <ChoiceField
                        label="Argo CD sync"
                        class=style::entry
                        field=format!("environments[{index}].sync")
                        testid="sync"
                        undo="Change sync"
                        get=environment.get(|e| e.sync)
                        set=environment.set(|e, v| e.sync = v)
                    />
                </Show>
                <TextField label="Branch" class=style::entry undo="Edit branch" get=environment.get(|e| e.branch.clone()) set=environment.set(|e, v| e.branch = v) />
                <TextField label="URL" class=style::entry undo="Edit URL" get=environment.get(|e| e.url.clone()) set=environment.set(|e, v| e.url = v) />
                <TextField label="Reviewers" class=style::entry undo="Edit reviewers" get=environment.get(|e| e.reviewers.join(", ")) set=environment.set(|e, v: String| e.reviewers = edits::split_commas(&v)) />
                <NumberField label="Replicas" class=style::entry min=1 undo="Edit replicas" get=environment.get(|e| e.replicas) set=environment.set(|e, v| e.replicas = v) />
                <NumberField label="Autoscale min" class=style::entry min=1 undo="Edit autoscale min" get=environment.get(|e| e.hpa_min_replicas) set=environment.set(|e, v| e.hpa_min_replicas = v) />
                <NumberField label="Autoscale max" class=style::entry min=1 undo="Edit autoscale max" get=environment.get(|e| e.hpa_max_replicas) set=environment.set(|e, v| e.hpa_max_replicas = v) />
                <TextField
                    label="Secret prefix"
                    class=style::entry
                    title="Every secret-store key this environment reads starts with this: prod → prod/app/database"
                    field=format!("environments[{index}].secret_prefix")
                    testid="secret-prefix"
                    undo="Edit secret prefix"
                    get=environment.get(|e| e.secret_prefix.clone())
                    set=environment.set(|e, v| e.secret_prefix = v)
                />
            </div>
            <Show when=move || store.design.with(|d| d.services.len() > 1)>
                <ServicePods index />
            </Show>
            <LinesField
                label="Values (NAME=value per line; never secrets)"
                class=style::entry
                rows=3
                on_commit=true
                undo="Edit environment values"
                get=environment.get(|e| EnvVar::format_lines(&e.values))
                set=environment.set(|e, v: String| e.values = EnvVar::parse_lines(&v))
            />
            <button type="button" class=style::remove on:click=move |_| {
                store.edit("Remove environment", |d| { if index < d.environments.len() { d.environments.remove(index); } });
            }>"Remove"</button>
        </article>
    }
}

/// The selected service's own pod counts in the environment at `index` (0 keeps the
/// environment's), for a design of several services.
#[component]
fn ServicePods(index: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let selected = store.selected_service();
    let name = move || store.with_service(|service| service.name.clone());
    let get = move |count: PodCount| {
        move |design: &slipway_core::model::Design| {
            let service = crate::state::service_of(design, selected.index());
            design
                .environments
                .get(index)
                .map_or(0, |env| edits::service_pod_count(env, &service.name, count))
        }
    };
    let set = move |count: PodCount| {
        move |design: &mut slipway_core::model::Design, value: u32| {
            let service = crate::state::service_of(design, selected.index_untracked())
                .name
                .clone();
            if let Some(env) = design.environments.get_mut(index) {
                edits::set_service_pod_count(env, &service, count, value);
            }
        }
    };
    view! {
        <fieldset class=style::service_pods data-testid="service-pods">
            <legend>{move || format!("Pods of {} here (0: the environment's)", name())}</legend>
            <div class=style::grid>
                <NumberField label="Replicas" class=style::entry min=0 undo="Edit service replicas" get=get(PodCount::Replicas) set=set(PodCount::Replicas) />
                <NumberField label="Autoscale min" class=style::entry min=0 undo="Edit service autoscale min" get=get(PodCount::AutoscaleMin) set=set(PodCount::AutoscaleMin) />
                <NumberField label="Autoscale max" class=style::entry min=0 undo="Edit service autoscale max" get=get(PodCount::AutoscaleMax) set=set(PodCount::AutoscaleMax) />
            </div>
        </fieldset>
    }
}
