//! The design editor: typed fields for the main settings, grouped by area.

mod migrations;
mod sections;

use leptos::prelude::*;
use migrations::MigrationsSection;
use sections::{
    GitopsSection, InfrastructureSection, RepositorySection, SecretsSection, TriggersSection,
};
use slipway_core::edits;
use slipway_core::model::EnvVar;
use slipway_core::Design;

use crate::fields::{CheckboxField, ChoiceField, LinesField, NumberField, TextField};
use crate::services::{ServiceSwitcher, ServicesPanel};
use crate::state::Store;

stylance::import_crate_style!(pub(crate) style, "src/editor/editor.module.css");

#[component]
pub fn Editor() -> impl IntoView {
    let store = expect_context::<Store>();
    // The switcher stays outside the disabled fieldsets: choosing which service to read is
    // not an edit, so a read-only view may do it too.
    view! {
        <div class=style::editor>
            <ServicesPanel />
            <fieldset class=style::form disabled=store.read_only>
                <ProjectSection />
            </fieldset>
            <div class=style::service_group>
                <div class=style::switcher>
                    <ServiceSwitcher />
                </div>
                <fieldset class=style::form disabled=store.read_only>
                    <ServiceSection />
                    <ContainerSection />
                    <KubernetesSection />
                    <RailwaySection />
                    <MigrationsSection />
                </fieldset>
            </div>
            <fieldset class=style::form disabled=store.read_only>
                <PipelineSection />
                <TriggersSection />
                <GitopsSection />
                <RepositorySection />
                <SecretsSection />
                <InfrastructureSection />
            </fieldset>
        </div>
    }
}

/// A collapsible group of fields.
#[component]
fn Section(
    /// The group's heading.
    title: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <details class=style::section open>
            <summary>{title}</summary>
            <div class=style::body>{children()}</div>
        </details>
    }
}

/// The system as a whole: its name names the repository-wide files (Terraform, the bundle).
#[component]
fn ProjectSection() -> impl IntoView {
    view! {
        <Section title="Project">
            <TextField
                label="System name"
                field="project.name"
                get=|d: &Design| d.project.name.clone()
                set=|d: &mut Design, v: String| d.project.name = v
                hint="Names the whole system: the zip, Terraform and shared resources."
            />
            <TextField
                label="Description"
                field="project.description"
                get=|d: &Design| d.project.description.clone()
                set=|d: &mut Design, v: String| d.project.description = v
            />
        </Section>
    }
}

/// The selected service's name, kind, language and folder.
#[component]
fn ServiceSection() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <Section title="Service">
            <TextField
                label="Service name"
                field="name"
                undo="Rename service"
                get=service.get(|s| s.name.clone())
                set=service.set(|s, v| s.name = v)
                hint="Names its image, chart, release and compose entry."
            />
            <div class=style::row>
                <ChoiceField
                    label="Kind"
                    field="kind"
                    get=service.get(|s| s.kind)
                    set=service.set(edits::set_service_kind)
                />
                <ChoiceField
                    label="Runtime"
                    field="runtime"
                    get=service.get(|s| s.runtime)
                    set=service.set(edits::set_runtime)
                />
            </div>
            <div class=style::row>
                <TextField
                    label="Version"
                    field="runtime_version"
                    get=service.get(|s| s.runtime_version.clone())
                    set=service.set(|s, v: String| edits::set_runtime_version(s, &v))
                />
                <ChoiceField
                    label="Package manager"
                    field="package_manager"
                    get=service.get(|s| s.package_manager)
                    set=service.set(edits::set_package_manager)
                />
            </div>
            // Full width: a lockfile's name (package-lock.json, gradle.lockfile) was cut off
            // in half a row.
            <TextField
                label="Lockfile"
                field="lockfile"
                get=service.get(|s| s.lockfile.clone())
                set=service.set(|s, v| s.lockfile = v)
            />
            <TextField
                label="Directory"
                field="directory"
                get=service.get(|s| s.directory.clone())
                set=service.set(|s, v| s.directory = v)
            />
            <TextField
                label="Talks to (comma-separated)"
                field="talks_to"
                undo="Edit talks to"
                on_commit=true
                get=service.get(|s| s.talks_to.join(", "))
                set=service.set(|s, v: String| s.talks_to = edits::split_commas(&v))
                hint="The services this one calls: started first in compose."
            />
        </Section>
    }
}

#[component]
fn ContainerSection() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <Section title="Container image">
            <TextField
                label="Build image"
                field="container.build_image"
                get=service.get(|s| s.container.build_image.clone())
                set=service.set(|s, v| s.container.build_image = v)
                hint="Base of the deps and builder stages."
            />
            <TextField
                label="Runtime image"
                field="container.runtime_image"
                get=service.get(|s| s.container.runtime_image.clone())
                set=service.set(|s, v| s.container.runtime_image = v)
                hint="Base of the final stage, the one that ships."
            />
            <div class=style::row>
                <NumberField
                    label="Port"
                    field="container.port"
                    min=1
                    max=65535
                    get=service.get(|s| u32::from(s.container.port))
                    set=service.set(|s, v: u32| s.container.port = u16::try_from(v).unwrap_or(s.container.port))
                />
                <NumberField
                    label="User id"
                    field="container.user.uid"
                    min=0
                    max=2_147_483_647
                    get=service.get(|s| s.container.user.uid)
                    set=service.set(|s, v| s.container.user.uid = v)
                    hint="0 is root."
                />
            </div>
            <CheckboxField
                label="Docker HEALTHCHECK"
                field="container.healthcheck.enabled"
                get=service.get(|s| s.container.healthcheck.enabled)
                set=service.set(|s, v| s.container.healthcheck.enabled = v)
            />
            <TextField
                label="Health path"
                field="container.healthcheck.path"
                get=service.get(|s| s.container.healthcheck.path.clone())
                set=service.set(|s, v| s.container.healthcheck.path = v)
            />
            <CheckboxField
                label="Run tests in the builder stage"
                field="container.run_tests_in_builder"
                get=service.get(|s| s.container.run_tests_in_builder)
                set=service.set(|s, v| s.container.run_tests_in_builder = v)
            />
            <LinesField
                label=".dockerignore"
                field="container.dockerignore"
                rows=6
                get=service.get(|s| s.container.dockerignore.join("\n"))
                set=service.set(|s, v: String| s.container.dockerignore = edits::split_lines(&v))
                hint="One pattern per line."
            />
            <LinesField
                label="Build arguments"
                field="container.build_args"
                rows=2
                get=service.get(|s| EnvVar::format_lines(&s.container.build_args))
                set=service.set(|s, v: String| s.container.build_args = EnvVar::parse_lines(&v))
                hint="NAME=default, one per line. Never secrets."
            />
            <LinesField
                label="Runtime environment"
                field="container.env"
                rows=2
                get=service.get(|s| EnvVar::format_lines(&s.container.env))
                set=service.set(|s, v: String| s.container.env = EnvVar::parse_lines(&v))
                hint="NAME=value, one per line. Secrets belong in the secret store."
            />
        </Section>
    }
}

#[component]
fn PipelineSection() -> impl IntoView {
    let store = expect_context::<Store>();
    // A memo: the list is rebuilt when a job's id, kind or needs change, not on every edit.
    let jobs = Memo::new(move |_| {
        store.design.with(|design| {
            design
                .pipeline
                .jobs
                .iter()
                .map(|job| (job.id.clone(), job.kind.label(), job.needs.join(", ")))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Section title="Pipeline">
            <ol class=style::jobs data-field="pipeline.jobs">
                {move || {
                    jobs.get()
                        .into_iter()
                        .map(|(id, kind, needs)| {
                            view! {
                                <li>
                                    <code>{id}</code>
                                    <span class=style::kind>{kind}</span>
                                    {(!needs.is_empty())
                                        .then(|| view! { <span class=style::needs>"needs " {needs}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </Section>
    }
}

#[component]
fn KubernetesSection() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <Section title="Kubernetes">
            <CheckboxField
                label="Deploy to Kubernetes (Helm)"
                field="kubernetes.enabled"
                get=service.get(|s| s.kubernetes.enabled)
                set=service.set(|s, v: bool| s.kubernetes.enabled = v)
            />
            <ChoiceField
                label="Rollout strategy"
                field="kubernetes.rollout.strategy"
                get=service.get(|s| s.kubernetes.rollout.strategy)
                set=service.set(|s, v| s.kubernetes.rollout.strategy = v)
            />
            <div class=style::row>
                <NumberField
                    label="Replicas"
                    field="kubernetes.replicas"
                    min=1
                    max=1000
                    get=service.get(|s| s.kubernetes.replicas)
                    set=service.set(|s, v: u32| s.kubernetes.replicas = v)
                />
                <NumberField
                    label="Run as user"
                    field="kubernetes.security_context.run_as_user"
                    min=0
                    max=2_147_483_647
                    get=service.get(|s| s.kubernetes.security_context.run_as_user)
                    set=service.set(|s, v: u32| s.kubernetes.security_context.run_as_user = v)
                />
            </div>
            <CheckboxField
                label="Horizontal pod autoscaler"
                field="kubernetes.hpa.enabled"
                get=service.get(|s| s.kubernetes.hpa.enabled)
                set=service.set(|s, v: bool| s.kubernetes.hpa.enabled = v)
            />
            <div class=style::row>
                <NumberField label="Autoscale min" field="kubernetes.hpa.min_replicas" min=1 max=1000 get=service.get(|s| s.kubernetes.hpa.min_replicas) set=service.set(|s, v: u32| s.kubernetes.hpa.min_replicas = v) />
                <NumberField label="Autoscale max" field="kubernetes.hpa.max_replicas" min=1 max=1000 get=service.get(|s| s.kubernetes.hpa.max_replicas) set=service.set(|s, v: u32| s.kubernetes.hpa.max_replicas = v) />
            </div>
            <TextField label="Namespace" field="kubernetes.namespace" get=service.get(|s| s.kubernetes.namespace.clone()) set=service.set(|s, v: String| s.kubernetes.namespace = v) />
            <div class=style::row>
                <TextField label="CPU request" field="kubernetes.resources.requests_cpu" get=service.get(|s| s.kubernetes.resources.requests_cpu.clone()) set=service.set(|s, v: String| s.kubernetes.resources.requests_cpu = v) />
                <TextField label="CPU limit" field="kubernetes.resources.limits_cpu" get=service.get(|s| s.kubernetes.resources.limits_cpu.clone()) set=service.set(|s, v: String| s.kubernetes.resources.limits_cpu = v) />
            </div>
            <div class=style::row>
                <TextField label="Memory request" field="kubernetes.resources.requests_memory" get=service.get(|s| s.kubernetes.resources.requests_memory.clone()) set=service.set(|s, v: String| s.kubernetes.resources.requests_memory = v) />
                <TextField label="Memory limit" field="kubernetes.resources.limits_memory" get=service.get(|s| s.kubernetes.resources.limits_memory.clone()) set=service.set(|s, v: String| s.kubernetes.resources.limits_memory = v) />
            </div>
            <TextField label="Startup probe path" field="kubernetes.probes.startup.path" get=service.get(|s| s.kubernetes.probes.startup.path.clone()) set=service.set(|s, v: String| s.kubernetes.probes.startup.path = v) />
            <TextField label="Liveness probe path" field="kubernetes.probes.liveness.path" get=service.get(|s| s.kubernetes.probes.liveness.path.clone()) set=service.set(|s, v: String| s.kubernetes.probes.liveness.path = v) />
            <TextField label="Readiness probe path" field="kubernetes.probes.readiness.path" get=service.get(|s| s.kubernetes.probes.readiness.path.clone()) set=service.set(|s, v: String| s.kubernetes.probes.readiness.path = v) />
            <CheckboxField label="Read-only root filesystem" field="kubernetes.security_context.read_only_root_filesystem" get=service.get(|s| s.kubernetes.security_context.read_only_root_filesystem) set=service.set(|s, v: bool| s.kubernetes.security_context.read_only_root_filesystem = v) />
            <CheckboxField label="Ingress" field="kubernetes.ingress.enabled" get=service.get(|s| s.kubernetes.ingress.enabled) set=service.set(|s, v: bool| s.kubernetes.ingress.enabled = v) />
            <TextField label="Ingress host" field="kubernetes.ingress.host" get=service.get(|s| s.kubernetes.ingress.host.clone()) set=service.set(|s, v: String| s.kubernetes.ingress.host = v) />
            <TextField label="Ingress path" field="kubernetes.ingress.path" get=service.get(|s| s.kubernetes.ingress.path.clone()) set=service.set(|s, v: String| s.kubernetes.ingress.path = v) />
            <CheckboxField label="TLS (cert-manager)" field="kubernetes.ingress.tls" get=service.get(|s| s.kubernetes.ingress.tls) set=service.set(|s, v: bool| s.kubernetes.ingress.tls = v) />
            <CheckboxField label="Pod disruption budget" field="kubernetes.pdb.enabled" get=service.get(|s| s.kubernetes.pdb.enabled) set=service.set(|s, v: bool| s.kubernetes.pdb.enabled = v) />
        </Section>
    }
}

#[component]
fn RailwaySection() -> impl IntoView {
    let service = expect_context::<Store>().selected_service();
    view! {
        <Section title="Railway">
            <CheckboxField
                label="Deploy to Railway"
                field="railway.enabled"
                get=service.get(|s| s.railway.enabled)
                set=service.set(|s, v: bool| s.railway.enabled = v)
            />
            <ChoiceField
                label="Builder"
                field="railway.builder"
                get=service.get(|s| s.railway.builder)
                set=service.set(|s, v| s.railway.builder = v)
            />
            <TextField label="Start command (empty: the service's)" field="railway.start_command" get=service.get(|s| s.railway.start_command.clone()) set=service.set(|s, v: String| s.railway.start_command = v) />
            <TextField label="Pre-deploy command (migrations)" field="railway.pre_deploy_command" get=service.get(|s| s.railway.pre_deploy_command.clone()) set=service.set(|s, v: String| s.railway.pre_deploy_command = v) />
            <TextField label="Health check path" field="railway.healthcheck_path" get=service.get(|s| s.railway.healthcheck_path.clone()) set=service.set(|s, v: String| s.railway.healthcheck_path = v) />
            <div class=style::row>
                <NumberField label="Health check timeout (s)" field="railway.healthcheck_timeout_seconds" min=1 max=3600 get=service.get(|s| s.railway.healthcheck_timeout_seconds) set=service.set(|s, v: u32| s.railway.healthcheck_timeout_seconds = v) />
                <NumberField label="Replicas" field="railway.replicas" min=1 max=50 get=service.get(|s| s.railway.replicas) set=service.set(|s, v: u32| s.railway.replicas = v) />
            </div>
            <ChoiceField
                label="Restart policy"
                field="railway.restart_policy"
                get=service.get(|s| s.railway.restart_policy)
                set=service.set(|s, v| s.railway.restart_policy = v)
            />
            <NumberField label="Restart retries" field="railway.restart_max_retries" min=0 max=100 get=service.get(|s| s.railway.restart_max_retries) set=service.set(|s, v: u32| s.railway.restart_max_retries = v) />
            <TextField label="Cron schedule (cron services)" field="railway.cron_schedule" get=service.get(|s| s.railway.cron_schedule.clone()) set=service.set(|s, v: String| s.railway.cron_schedule = v) />
        </Section>
    }
}
