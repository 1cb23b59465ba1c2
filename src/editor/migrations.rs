//! The service's database migrations: the command that runs them before each deploy and the
//! operations of each release, each in its expand, migrate or contract phase (the Rollout view
//! shows them as a plan across releases).

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::{MigrationOperation, OperationKind};
use slipway_core::Design;

use super::{style, Section};
use crate::fields::{CheckboxField, ChoiceField, NumberField, TextField};
use crate::state::{service_of, service_of_mut, Store};

#[component]
pub fn MigrationsSection() -> impl IntoView {
    let store = expect_context::<Store>();
    let service = store.selected_service();
    // A memo: the rows are rebuilt when an operation is added or removed, not on every edit.
    let count = Memo::new(move |_| store.with_service(|s| s.migrations.operations.len()));
    view! {
        <Section title="Database migrations">
            <TextField
                label="Migration command (empty: Railway's pre-deploy command)"
                field="migrations.command"
                testid="migrations-command"
                get=service.get(|s| s.migrations.command.clone())
                set=service.set(|s, v: String| s.migrations.command = v)
                hint="Runs before each deploy serves: a Helm pre-upgrade hook Job, Railway's pre-deploy command."
            />
            <div class=style::row>
                <NumberField label="Timeout (s)" field="migrations.timeout_seconds" min=1 max=86400 get=service.get(|s| s.migrations.timeout_seconds) set=service.set(|s, v: u32| s.migrations.timeout_seconds = v) />
                <NumberField label="Retries" field="migrations.backoff_limit" min=0 max=10 get=service.get(|s| s.migrations.backoff_limit) set=service.set(|s, v: u32| s.migrations.backoff_limit = v) />
            </div>
            {move || {
                (0..count.get())
                    .map(|index| view! { <OperationFields index /> })
                    .collect_view()
            }}
            <button type="button" data-testid="add-migration-operation" on:click=move |_| {
                store.edit_service("Add migration operation", edits::add_migration_operation);
            }>"Add operation"</button>
        </Section>
    }
}

/// One operation of the selected service's list, by position.
#[component]
fn OperationFields(
    /// The operation's position in the list.
    index: usize,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let service = store.selected_service();
    let read = move |d: &Design| {
        service_of(d, service.index())
            .migrations
            .operations
            .get(index)
            .cloned()
            .unwrap_or_default()
    };
    let write = move |d: &mut Design, change: &dyn Fn(&mut MigrationOperation)| {
        edits::edit_migration_operation(service_of_mut(d, service.index_untracked()), index, |o| {
            change(o)
        });
    };
    let kind = Memo::new(move |_| store.design.with(|d| read(d).kind));
    let path = move |leaf: &str| format!("migrations.operations[{index}].{leaf}");
    let number = index + 1;
    view! {
        <fieldset class=style::group data-testid="migration-operation" data-field=format!("migrations.operations[{index}]")>
            <legend>{format!("Operation {number}")}</legend>
            <div class=style::row>
                <ChoiceField
                    label="Kind"
                    field=path("kind")
                    undo="Change operation kind"
                    get=move |d: &Design| read(d).kind
                    set=move |d: &mut Design, v: OperationKind| write(d, &|o| o.kind = v)
                />
                <ChoiceField
                    label="Phase"
                    field=path("phase")
                    undo="Change operation phase"
                    get=move |d: &Design| read(d).phase
                    set=move |d: &mut Design, v| write(d, &|o| o.phase = v)
                />
            </div>
            <div class=style::row>
                <TextField label="Table" field=path("table") get=move |d: &Design| read(d).table set=move |d: &mut Design, v: String| write(d, &|o| o.table = v.clone()) />
                <TextField label="Column" field=path("column") get=move |d: &Design| read(d).column set=move |d: &mut Design, v: String| write(d, &|o| o.column = v.clone()) />
            </div>
            <div class=style::row>
                <NumberField label="Release" field=path("release") min=1 max=1000 undo="Move operation" get=move |d: &Design| read(d).release set=move |d: &mut Design, v: u32| write(d, &|o| o.release = v) />
                {move || match kind.get() {
                    OperationKind::DropColumn | OperationKind::ChangeType => view! {
                        <NumberField label="Readers moved in release" field=path("readers_moved_in") min=0 max=1000 get=move |d: &Design| read(d).readers_moved_in set=move |d: &mut Design, v: u32| write(d, &|o| o.readers_moved_in = v) />
                    }.into_any(),
                    OperationKind::RenameColumn => view! {
                        <TextField label="New name" field=path("new_name") get=move |d: &Design| read(d).new_name set=move |d: &mut Design, v: String| write(d, &|o| o.new_name = v.clone()) />
                    }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            {move || match kind.get() {
                OperationKind::AddColumn => view! {
                    <div class=style::row>
                        <CheckboxField label="NOT NULL" field=path("not_null") get=move |d: &Design| read(d).not_null set=move |d: &mut Design, v: bool| write(d, &|o| o.not_null = v) />
                        <CheckboxField label="With a default" field=path("with_default") get=move |d: &Design| read(d).with_default set=move |d: &mut Design, v: bool| write(d, &|o| o.with_default = v) />
                    </div>
                }.into_any(),
                OperationKind::RenameColumn => view! {
                    <CheckboxField label="A view keeps the old name" field=path("alias_view") get=move |d: &Design| read(d).alias_view set=move |d: &mut Design, v: bool| write(d, &|o| o.alias_view = v) />
                }.into_any(),
                OperationKind::Backfill => view! {
                    <CheckboxField label="Verified (no row left NULL)" field=path("verified") get=move |d: &Design| read(d).verified set=move |d: &mut Design, v: bool| write(d, &|o| o.verified = v) />
                }.into_any(),
                _ => ().into_any(),
            }}
            <button type="button" aria-label=format!("Remove operation {number}") on:click=move |_| {
                store.edit_service("Remove migration operation", |s| edits::remove_migration_operation(s, index));
            }>"Remove"</button>
        </fieldset>
    }
}
