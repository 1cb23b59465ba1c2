//! Editor sections for the repository, triggers, secrets and infrastructure.

use leptos::prelude::*;
use slipway_core::edits::{self, split_commas, split_lines};
use slipway_core::Design;

use super::Section;
use crate::fields::{CheckboxField, ChoiceField, LinesField, NumberField, Row, TextField};
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
                get=|d: &Design| lines(&d.pipeline.triggers.push_branches)
                set=|d: &mut Design, v: String| d.pipeline.triggers.push_branches = split_lines(&v)
            />
            <LinesField
                label="Pull request branches"
                field="pipeline.triggers.pull_request_branches"
                rows=2
                get=|d: &Design| lines(&d.pipeline.triggers.pull_request_branches)
                set=|d: &mut Design, v: String| d.pipeline.triggers.pull_request_branches = split_lines(&v)
            />
            <LinesField
                label="Path filters"
                field="pipeline.paths"
                rows=2
                get=|d: &Design| lines(&d.pipeline.paths)
                set=|d: &mut Design, v: String| d.pipeline.paths = split_lines(&v)
                hint="CI runs only when a changed file matches, e.g. backend/**. Empty: every change."
            />
            <CheckboxField
                label="Run only the changed services' jobs"
                field="pipeline.skip_unchanged_services"
                get=|d: &Design| d.pipeline.skip_unchanged_services
                set=|d: &mut Design, v: bool| d.pipeline.skip_unchanged_services = v
            />
            <TextField
                label="Security scan schedule (cron, UTC)"
                field="pipeline.triggers.security_schedule"
                get=|d: &Design| d.pipeline.triggers.security_schedule.clone()
                set=|d: &mut Design, v: String| d.pipeline.triggers.security_schedule = v
            />
            <CheckboxField
                label="Allow manual runs (workflow_dispatch)"
                field="pipeline.triggers.manual"
                get=|d: &Design| d.pipeline.triggers.manual
                set=|d: &mut Design, v: bool| d.pipeline.triggers.manual = v
            />
            <CheckboxField
                label="Cancel superseded CI runs"
                field="pipeline.cancel_in_progress"
                get=|d: &Design| d.pipeline.cancel_in_progress
                set=|d: &mut Design, v: bool| d.pipeline.cancel_in_progress = v
            />
            <CheckboxField
                label="Pin actions to commit SHAs"
                field="pipeline.pin_actions_to_sha"
                get=|d: &Design| d.pipeline.pin_actions_to_sha
                set=|d: &mut Design, v: bool| d.pipeline.pin_actions_to_sha = v
            />
            <ChoiceField
                label="Cloud access of deploys"
                field="pipeline.cloud_auth"
                get=|d: &Design| d.pipeline.cloud_auth
                set=|d: &mut Design, v| d.pipeline.cloud_auth = v
                hint="With OIDC, each deploy assumes its environment's role for one run: no cluster secret to leak (SECRETS-007)."
            />
            <TextField
                label="Container registry"
                field="pipeline.registry"
                get=|d: &Design| d.pipeline.registry.clone()
                set=|d: &mut Design, v: String| d.pipeline.registry = v
            />
        </Section>
    }
}

/// Argo CD's settings, shown once an environment is delivered by GitOps.
#[component]
pub fn GitopsSection() -> impl IntoView {
    let store = expect_context::<Store>();
    let gitops = Memo::new(move |_| {
        store
            .design
            .with(|d| d.environments.iter().any(|env| env.gitops()))
    });
    view! {
        <Show when=move || gitops.get()>
            <Section title="GitOps (Argo CD)">
                <TextField
                    label="Argo CD namespace"
                    field="pipeline.gitops.argocd_namespace"
                    get=|d: &Design| d.pipeline.gitops.argocd_namespace.clone()
                    set=|d: &mut Design, v: String| d.pipeline.gitops.argocd_namespace = v
                />
                <CheckboxField
                    label="Prune what the deploy branch no longer holds"
                    field="pipeline.gitops.prune"
                    get=|d: &Design| d.pipeline.gitops.prune
                    set=|d: &mut Design, v: bool| d.pipeline.gitops.prune = v
                />
                <CheckboxField
                    label="Self-heal: undo changes made by hand"
                    field="pipeline.gitops.self_heal"
                    get=|d: &Design| d.pipeline.gitops.self_heal
                    set=|d: &mut Design, v: bool| d.pipeline.gitops.self_heal = v
                />
                <NumberField
                    label="Sync retries"
                    field="pipeline.gitops.retry_limit"
                    min=0
                    max=20
                    get=|d: &Design| d.pipeline.gitops.retry_limit
                    set=|d: &mut Design, v: u32| d.pipeline.gitops.retry_limit = v
                    hint="A failed sync is retried with backoff from 5 s up to 3 min (HELM-005)."
                />
            </Section>
        </Show>
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
                get=|d: &Design| d.repository.slug.clone()
                set=|d: &mut Design, v: String| d.repository.slug = v
            />
            <TextField
                label="Default branch"
                field="repository.default_branch"
                get=|d: &Design| d.repository.default_branch.clone()
                set=|d: &mut Design, v: String| d.repository.default_branch = v
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
    let branch = Row::new(
        index,
        |d| &d.repository.branches,
        |d| &mut d.repository.branches,
    );
    let name = branch.get(|b| b.name.clone());
    view! {
        <fieldset class=style::group>
            <legend>{move || format!("Branch {}", store.design.with(name))}</legend>
            <TextField label="Name" class=style::inline_field field=field("name") undo="Rename branch" on_commit=true get=name set=branch.set(|b, v| b.name = v) />
            <NumberField
                label="Required approvals"
                class=style::inline_field
                field=field("protection.required_approvals")
                min=0
                max=6
                undo="Edit required approvals"
                on_commit=true
                get=branch.get(|b| u32::from(b.protection.required_approvals))
                set=branch.set(|b, v: u32| b.protection.required_approvals = u8::try_from(v).unwrap_or(6))
            />
            <TextField
                label="Required checks (comma-separated)"
                class=style::inline_field
                field=field("protection.required_checks")
                undo="Edit required checks"
                on_commit=true
                get=branch.get(|b| b.protection.required_checks.join(", "))
                set=branch.set(|b, v: String| b.protection.required_checks = split_commas(&v))
            />
            <CheckboxField label="Require a pull request" class=style::check field=field("protection.require_pull_request") undo="Toggle pull request requirement" get=branch.get(|b| b.protection.require_pull_request) set=branch.set(|b, v| b.protection.require_pull_request = v) />
            <CheckboxField label="Up to date before merging" class=style::check field=field("protection.require_up_to_date") undo="Toggle up-to-date requirement" get=branch.get(|b| b.protection.require_up_to_date) set=branch.set(|b, v| b.protection.require_up_to_date = v) />
            <CheckboxField label="Linear history" class=style::check field=field("protection.require_linear_history") undo="Toggle linear history" get=branch.get(|b| b.protection.require_linear_history) set=branch.set(|b, v| b.protection.require_linear_history = v) />
            <CheckboxField label="Allow force pushes" class=style::check field=field("protection.allow_force_push") undo="Toggle force pushes" get=branch.get(|b| b.protection.allow_force_push) set=branch.set(|b, v| b.protection.allow_force_push = v) />
            <CheckboxField label="Allow deletion" class=style::check field=field("protection.allow_deletion") undo="Toggle deletion" get=branch.get(|b| b.protection.allow_deletion) set=branch.set(|b, v| b.protection.allow_deletion = v) />
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

/// One secret's name, store and key, by index.
#[component]
fn SecretRow(index: usize) -> impl IntoView {
    let store = expect_context::<Store>();
    let secret = Row::new(index, |d| &d.secrets, |d| &mut d.secrets);
    view! {
        <div class=style::secret data-field=format!("secrets[{index}]")>
            <TextField aria_label="Secret name" undo="Rename secret" on_commit=true get=secret.get(|s| s.name.clone()) set=secret.set(|s, v| s.name = v) />
            <ChoiceField aria_label="Secret store" undo="Change secret store" get=secret.get(|s| s.source) set=secret.set(|s, v| s.source = v) />
            <TextField
                aria_label="Key in the store, without the environment"
                placeholder="app/database"
                field=format!("secrets[{index}].remote_key")
                undo="Edit secret key"
                on_commit=true
                get=secret.get(|s| s.remote_key.clone())
                set=secret.set(|s, v| s.remote_key = v)
            />
            <button type="button" aria-label="Remove secret" on:click=move |_| store.edit("Remove secret", |d| { if index < d.secrets.len() { d.secrets.remove(index); } })>"×"</button>
        </div>
    }
}

#[component]
pub fn InfrastructureSection() -> impl IntoView {
    view! {
        <Section title="Infrastructure (Terraform)">
            <CheckboxField label="Generate Terraform" field="infrastructure.enabled" get=|d: &Design| d.infrastructure.enabled set=|d: &mut Design, v: bool| d.infrastructure.enabled = v />
            <TextField label="AWS region" field="infrastructure.region" get=|d: &Design| d.infrastructure.region.clone() set=|d: &mut Design, v: String| d.infrastructure.region = v />
            <TextField label="Terraform version" field="infrastructure.terraform_version" get=|d: &Design| d.infrastructure.terraform_version.clone() set=|d: &mut Design, v: String| d.infrastructure.terraform_version = v />
            <TextField label="State bucket" field="infrastructure.state.bucket" get=|d: &Design| d.infrastructure.state.bucket.clone() set=|d: &mut Design, v: String| d.infrastructure.state.bucket = v />
            <CheckboxField label="S3 state locking (use_lockfile)" field="infrastructure.state.use_lockfile" get=|d: &Design| d.infrastructure.state.use_lockfile set=|d: &mut Design, v: bool| d.infrastructure.state.use_lockfile = v />
            <CheckboxField label="VPC" field="infrastructure.vpc.enabled" get=|d: &Design| d.infrastructure.vpc.enabled set=|d: &mut Design, v: bool| d.infrastructure.vpc.enabled = v />
            <TextField label="VPC CIDR" field="infrastructure.vpc.cidr" get=|d: &Design| d.infrastructure.vpc.cidr.clone() set=|d: &mut Design, v: String| d.infrastructure.vpc.cidr = v />
            <CheckboxField label="EKS cluster" field="infrastructure.eks.enabled" get=|d: &Design| d.infrastructure.eks.enabled set=|d: &mut Design, v: bool| d.infrastructure.eks.enabled = v />
            <CheckboxField label="PostgreSQL (RDS)" field="infrastructure.rds.enabled" get=|d: &Design| d.infrastructure.rds.enabled set=|d: &mut Design, v: bool| d.infrastructure.rds.enabled = v />
            <TextField label="RDS master username" field="infrastructure.rds.username" get=|d: &Design| d.infrastructure.rds.username.clone() set=|d: &mut Design, v: String| d.infrastructure.rds.username = v hint="Not `admin`: PostgreSQL on RDS reserves it." />
            <NumberField label="Backup retention (days)" field="infrastructure.rds.backup_retention_days" min=0 max=35 get=|d: &Design| d.infrastructure.rds.backup_retention_days set=|d: &mut Design, v: u32| d.infrastructure.rds.backup_retention_days = v />
            <CheckboxField label="Redis (ElastiCache)" field="infrastructure.redis.enabled" get=|d: &Design| d.infrastructure.redis.enabled set=|d: &mut Design, v: bool| d.infrastructure.redis.enabled = v />
            <NumberField label="Redis nodes" field="infrastructure.redis.nodes" min=1 max=6 get=|d: &Design| d.infrastructure.redis.nodes set=|d: &mut Design, v: u32| d.infrastructure.redis.nodes = v />
        </Section>
    }
}
