//! Editor sections for the repository, triggers, secrets and infrastructure.

use leptos::prelude::*;
use slipway_core::edits::{self, split_commas, split_lines};
use slipway_core::model::{Branch, Secret, SecretSource};

use super::Section;
use crate::fields::{CheckboxField, LinesField, NumberField, TextField};
use crate::state::Store;

use super::style;

fn lines(items: &[String]) -> String {
    items.join("\n")
}

#[component]
pub fn TriggersSection() -> impl IntoView {
    view! {
        <Section title="Triggers">
            <LinesField
                label="Push branches"
                field="pipeline.triggers.push_branches"
                rows=2
                get=|d| lines(&d.pipeline.triggers.push_branches)
                set=|d, v| d.pipeline.triggers.push_branches = split_lines(&v)
            />
            <LinesField
                label="Pull request branches"
                field="pipeline.triggers.pull_request_branches"
                rows=2
                get=|d| lines(&d.pipeline.triggers.pull_request_branches)
                set=|d, v| d.pipeline.triggers.pull_request_branches = split_lines(&v)
            />
            <LinesField
                label="Path filters"
                field="pipeline.paths"
                rows=2
                get=|d| lines(&d.pipeline.paths)
                set=|d, v| d.pipeline.paths = split_lines(&v)
                hint="CI runs only when a changed file matches, e.g. backend/**. Empty: every change."
            />
            <TextField
                label="Security scan schedule (cron, UTC)"
                field="pipeline.triggers.security_schedule"
                get=|d| d.pipeline.triggers.security_schedule.clone()
                set=|d, v| d.pipeline.triggers.security_schedule = v
            />
            <CheckboxField
                label="Allow manual runs (workflow_dispatch)"
                field="pipeline.triggers.manual"
                get=|d| d.pipeline.triggers.manual
                set=|d, v| d.pipeline.triggers.manual = v
            />
            <CheckboxField
                label="Cancel superseded CI runs"
                field="pipeline.cancel_in_progress"
                get=|d| d.pipeline.cancel_in_progress
                set=|d, v| d.pipeline.cancel_in_progress = v
            />
            <CheckboxField
                label="Pin actions to commit SHAs"
                field="pipeline.pin_actions_to_sha"
                get=|d| d.pipeline.pin_actions_to_sha
                set=|d, v| d.pipeline.pin_actions_to_sha = v
            />
            <TextField
                label="Container registry"
                field="pipeline.registry"
                get=|d| d.pipeline.registry.clone()
                set=|d, v| d.pipeline.registry = v
            />
        </Section>
    }
}

#[component]
pub fn RepositorySection() -> impl IntoView {
    let store = expect_context::<Store>();
    // A memo: the rows are rebuilt when a branch is added or removed, not on every edit.
    let count = Memo::new(move |_| store.design.with(|d| d.repository.branches.len()));
    view! {
        <Section title="Repository & branch protection">
            <TextField
                label="Repository (owner/name)"
                field="repository.slug"
                get=|d| d.repository.slug.clone()
                set=|d, v| d.repository.slug = v
            />
            <TextField
                label="Default branch"
                field="repository.default_branch"
                get=|d| d.repository.default_branch.clone()
                set=|d, v| d.repository.default_branch = v
            />
            {move || (0..count.get()).map(|index| view! { <BranchRules index /> }).collect_view()}
            <button type="button" on:click=move |_| {
                store.edit("Add protected branch", edits::add_protected_branch);
            }>"Add protected branch"</button>
        </Section>
    }
}

/// The protection rules of one branch, by index.
#[component]
fn BranchRules(index: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let field = move |name: &str| format!("repository.branches[{index}].{name}");
    let get = move |read: fn(&Branch) -> String| {
        move || {
            store.design.with(|d| {
                d.repository
                    .branches
                    .get(index)
                    .map(read)
                    .unwrap_or_default()
            })
        }
    };
    let flag = move |read: fn(&Branch) -> bool| {
        move || {
            store
                .design
                .with(|d| d.repository.branches.get(index).is_some_and(read))
        }
    };
    let set_flag = move |label: &'static str, write: fn(&mut Branch, bool)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_checked(&ev);
            store.edit(label, |d| {
                if let Some(branch) = d.repository.branches.get_mut(index) {
                    write(branch, value);
                }
            });
        }
    };
    view! {
        <fieldset class=style::group>
            <legend>{move || format!("Branch {}", get(|b| b.name.clone())())}</legend>
            <label class=style::inline_field>
                "Name"
                <input type="text" data-field=field("name") prop:value=get(|b| b.name.clone()) on:change=move |ev| {
                    let value = event_target_value(&ev);
                    store.edit("Rename branch", |d| if let Some(b) = d.repository.branches.get_mut(index) { b.name = value; });
                } />
            </label>
            <label class=style::inline_field>
                "Required approvals"
                <input type="number" min="0" max="6" data-field=field("protection.required_approvals") prop:value=get(|b| b.protection.required_approvals.to_string()) on:change=move |ev| {
                    if let Ok(value) = event_target_value(&ev).trim().parse::<u8>() {
                        store.edit("Edit required approvals", |d| if let Some(b) = d.repository.branches.get_mut(index) { b.protection.required_approvals = value.min(6); });
                    }
                } />
            </label>
            <label class=style::inline_field>
                "Required checks (comma-separated)"
                <input type="text" data-field=field("protection.required_checks") prop:value=get(|b| b.protection.required_checks.join(", ")) on:change=move |ev| {
                    let value = event_target_value(&ev);
                    store.edit("Edit required checks", |d| if let Some(b) = d.repository.branches.get_mut(index) {
                        b.protection.required_checks = split_commas(&value);
                    });
                } />
            </label>
            <label class=style::check><input type="checkbox" prop:checked=flag(|b| b.protection.require_pull_request) on:change=set_flag("Toggle pull request requirement", |b, v| b.protection.require_pull_request = v) />"Require a pull request"</label>
            <label class=style::check><input type="checkbox" prop:checked=flag(|b| b.protection.require_up_to_date) on:change=set_flag("Toggle up-to-date requirement", |b, v| b.protection.require_up_to_date = v) />"Up to date before merging"</label>
            <label class=style::check><input type="checkbox" prop:checked=flag(|b| b.protection.require_linear_history) on:change=set_flag("Toggle linear history", |b, v| b.protection.require_linear_history = v) />"Linear history"</label>
            <label class=style::check><input type="checkbox" prop:checked=flag(|b| b.protection.allow_force_push) on:change=set_flag("Toggle force pushes", |b, v| b.protection.allow_force_push = v) />"Allow force pushes"</label>
            <label class=style::check><input type="checkbox" prop:checked=flag(|b| b.protection.allow_deletion) on:change=set_flag("Toggle deletion", |b, v| b.protection.allow_deletion = v) />"Allow deletion"</label>
            <button type="button" on:click=move |_| store.edit("Remove branch rules", |d| { if index < d.repository.branches.len() { d.repository.branches.remove(index); } })>"Remove"</button>
        </fieldset>
    }
}

#[component]
pub fn SecretsSection() -> impl IntoView {
    let store = expect_context::<Store>();
    // A memo: the rows are rebuilt when a secret is added or removed, not on every edit.
    let count = Memo::new(move |_| store.design.with(|d| d.secrets.len()));
    view! {
        <Section title="Secrets">
            <p class=style::note>"Names and where they live. Values never enter the design."</p>
            {move || (0..count.get()).map(|index| view! { <SecretRow index /> }).collect_view()}
            <button type="button" data-testid="add-secret" on:click=move |_| {
                store.edit("Add secret", edits::add_secret);
            }>"Add secret"</button>
        </Section>
    }
}

#[component]
fn SecretRow(index: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let read = move |get: fn(&Secret) -> String| {
        move || {
            store
                .design
                .with(|d| d.secrets.get(index).map(get).unwrap_or_default())
        }
    };
    view! {
        <div class=style::secret data-field=format!("secrets[{index}]")>
            <input type="text" aria-label="Secret name" prop:value=read(|s| s.name.clone()) on:change=move |ev| {
                let value = event_target_value(&ev);
                store.edit("Rename secret", |d| if let Some(s) = d.secrets.get_mut(index) { s.name = value; });
            } />
            <select aria-label="Secret store" on:change=move |ev| {
                let source = SecretSource::parse(&event_target_value(&ev)).unwrap_or_default();
                store.edit("Change secret store", |d| if let Some(s) = d.secrets.get_mut(index) { s.source = source; });
            }>
                {SecretSource::ALL
                    .into_iter()
                    .map(|source| view! {
                        <option value=source.id() selected=move || store.design.with(|d| d.secrets.get(index).is_some_and(|s| s.source == source))>{source.label()}</option>
                    })
                    .collect_view()}
            </select>
            <input type="text" aria-label="Key in the store, without the environment" placeholder="app/database" data-field=format!("secrets[{index}].remote_key") prop:value=read(|s| s.remote_key.clone()) on:change=move |ev| {
                let value = event_target_value(&ev);
                store.edit("Edit secret key", |d| if let Some(s) = d.secrets.get_mut(index) { s.remote_key = value; });
            } />
            <button type="button" aria-label="Remove secret" on:click=move |_| store.edit("Remove secret", |d| { if index < d.secrets.len() { d.secrets.remove(index); } })>"×"</button>
        </div>
    }
}

#[component]
pub fn InfrastructureSection() -> impl IntoView {
    view! {
        <Section title="Infrastructure (Terraform)">
            <CheckboxField label="Generate Terraform" field="infrastructure.enabled" get=|d| d.infrastructure.enabled set=|d, v| d.infrastructure.enabled = v />
            <TextField label="AWS region" field="infrastructure.region" get=|d| d.infrastructure.region.clone() set=|d, v| d.infrastructure.region = v />
            <TextField label="Terraform version" field="infrastructure.terraform_version" get=|d| d.infrastructure.terraform_version.clone() set=|d, v| d.infrastructure.terraform_version = v />
            <TextField label="State bucket" field="infrastructure.state.bucket" get=|d| d.infrastructure.state.bucket.clone() set=|d, v| d.infrastructure.state.bucket = v />
            <CheckboxField label="S3 state locking (use_lockfile)" field="infrastructure.state.use_lockfile" get=|d| d.infrastructure.state.use_lockfile set=|d, v| d.infrastructure.state.use_lockfile = v />
            <CheckboxField label="VPC" field="infrastructure.vpc.enabled" get=|d| d.infrastructure.vpc.enabled set=|d, v| d.infrastructure.vpc.enabled = v />
            <TextField label="VPC CIDR" field="infrastructure.vpc.cidr" get=|d| d.infrastructure.vpc.cidr.clone() set=|d, v| d.infrastructure.vpc.cidr = v />
            <CheckboxField label="EKS cluster" field="infrastructure.eks.enabled" get=|d| d.infrastructure.eks.enabled set=|d, v| d.infrastructure.eks.enabled = v />
            <CheckboxField label="PostgreSQL (RDS)" field="infrastructure.rds.enabled" get=|d| d.infrastructure.rds.enabled set=|d, v| d.infrastructure.rds.enabled = v />
            <TextField label="RDS master username" field="infrastructure.rds.username" get=|d| d.infrastructure.rds.username.clone() set=|d, v| d.infrastructure.rds.username = v hint="Not `admin`: PostgreSQL on RDS reserves it." />
            <NumberField label="Backup retention (days)" field="infrastructure.rds.backup_retention_days" min=0 max=35 get=|d| d.infrastructure.rds.backup_retention_days set=|d, v| d.infrastructure.rds.backup_retention_days = v />
            <CheckboxField label="Redis (ElastiCache)" field="infrastructure.redis.enabled" get=|d| d.infrastructure.redis.enabled set=|d, v| d.infrastructure.redis.enabled = v />
            <NumberField label="Redis nodes" field="infrastructure.redis.nodes" min=1 max=6 get=|d| d.infrastructure.redis.nodes set=|d, v| d.infrastructure.redis.nodes = v />
        </Section>
    }
}
