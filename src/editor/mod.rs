//! The design editor: typed fields for the main settings, grouped by area.

mod sections;

use leptos::prelude::*;
use sections::{InfrastructureSection, RepositorySection, SecretsSection, TriggersSection};
use slipway_core::edits;
use slipway_core::model::EnvVar;
use slipway_core::Design;

use crate::fields::{CheckboxField, ChoiceField, LinesField, NumberField, TextField};
use crate::state::Store;

stylance::import_crate_style!(pub(crate) style, "src/editor/editor.module.css");

#[component]
pub fn Editor() -> impl IntoView {
    view! {
        <div class=style::editor>
            <ProjectSection />
            <ContainerSection />
            <PipelineSection />
            <TriggersSection />
            <RepositorySection />
            <KubernetesSection />
            <RailwaySection />
            <SecretsSection />
            <InfrastructureSection />
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

#[component]
fn ProjectSection() -> impl IntoView {
    view! {
        <Section title="Project">
            <TextField
                label="Name"
                field="project.name"
                get=|d: &Design| d.project.name.clone()
                set=|d: &mut Design, v: String| d.project.name = v
                hint="Names the image, chart and cloud resources."
            />
            <ChoiceField
                label="Runtime"
                field="project.runtime"
                get=|d: &Design| d.project.runtime
                set=edits::set_runtime
            />
            <div class=style::row>
                <TextField
                    label="Version"
                    field="project.runtime_version"
                    get=|d: &Design| d.project.runtime_version.clone()
                    set=|d: &mut Design, v: String| edits::set_runtime_version(d, &v)
                />
                <ChoiceField
                    label="Package manager"
                    field="project.package_manager"
                    get=|d: &Design| d.project.package_manager
                    set=edits::set_package_manager
                />
            </div>
            <div class=style::row>
                <TextField
                    label="Lockfile"
                    field="project.lockfile"
                    get=|d: &Design| d.project.lockfile.clone()
                    set=|d: &mut Design, v: String| d.project.lockfile = v
                />
                <TextField
                    label="Directory"
                    field="project.directory"
                    get=|d: &Design| d.project.directory.clone()
                    set=|d: &mut Design, v: String| d.project.directory = v
                />
            </div>
        </Section>
    }
}

#[component]
fn ContainerSection() -> impl IntoView {
    view! {
        <Section title="Container image">
            <TextField
                label="Build image"
                field="container.build_image"
                get=|d: &Design| d.container.build_image.clone()
                set=|d: &mut Design, v: String| d.container.build_image = v
                hint="Base of the deps and builder stages."
            />
            <TextField
                label="Runtime image"
                field="container.runtime_image"
                get=|d: &Design| d.container.runtime_image.clone()
                set=|d: &mut Design, v: String| d.container.runtime_image = v
                hint="Base of the final stage, the one that ships."
            />
            <div class=style::row>
                <NumberField
                    label="Port"
                    field="container.port"
                    min=1
                    max=65535
                    get=|d: &Design| u32::from(d.container.port)
                    set=|d: &mut Design, v: u32| d.container.port = u16::try_from(v).unwrap_or(d.container.port)
                />
                <NumberField
                    label="User id"
                    field="container.user.uid"
                    min=0
                    max=2_147_483_647
                    get=|d: &Design| d.container.user.uid
                    set=|d: &mut Design, v: u32| d.container.user.uid = v
                    hint="0 is root."
                />
            </div>
            <CheckboxField
                label="Docker HEALTHCHECK"
                field="container.healthcheck.enabled"
                get=|d: &Design| d.container.healthcheck.enabled
                set=|d: &mut Design, v: bool| d.container.healthcheck.enabled = v
            />
            <TextField
                label="Health path"
                field="container.healthcheck.path"
                get=|d: &Design| d.container.healthcheck.path.clone()
                set=|d: &mut Design, v: String| d.container.healthcheck.path = v
            />
            <CheckboxField
                label="Run tests in the builder stage"
                field="container.run_tests_in_builder"
                get=|d: &Design| d.container.run_tests_in_builder
                set=|d: &mut Design, v: bool| d.container.run_tests_in_builder = v
            />
            <LinesField
                label=".dockerignore"
                field="container.dockerignore"
                rows=6
                get=|d: &Design| d.container.dockerignore.join("\n")
                set=|d: &mut Design, v: String| d.container.dockerignore = edits::split_lines(&v)
                hint="One pattern per line."
            />
            <LinesField
                label="Build arguments"
                field="container.build_args"
                rows=2
                get=|d: &Design| EnvVar::format_lines(&d.container.build_args)
                set=|d: &mut Design, v: String| d.container.build_args = EnvVar::parse_lines(&v)
                hint="NAME=default, one per line. Never secrets."
            />
            <LinesField
                label="Runtime environment"
                field="container.env"
                rows=2
                get=|d: &Design| EnvVar::format_lines(&d.container.env)
                set=|d: &mut Design, v: String| d.container.env = EnvVar::parse_lines(&v)
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
    view! {
        <Section title="Kubernetes">
            <CheckboxField
                label="Deploy to Kubernetes (Helm)"
                field="kubernetes.enabled"
                get=|d: &Design| d.kubernetes.enabled
                set=|d: &mut Design, v: bool| d.kubernetes.enabled = v
            />
            <ChoiceField
                label="Rollout strategy"
                field="kubernetes.rollout.strategy"
                get=|d: &Design| d.kubernetes.rollout.strategy
                set=|d: &mut Design, v| d.kubernetes.rollout.strategy = v
            />
            <div class=style::row>
                <NumberField
                    label="Replicas"
                    field="kubernetes.replicas"
                    min=1
                    max=1000
                    get=|d: &Design| d.kubernetes.replicas
                    set=|d: &mut Design, v: u32| d.kubernetes.replicas = v
                />
                <NumberField
                    label="Run as user"
                    field="kubernetes.security_context.run_as_user"
                    min=0
                    max=2_147_483_647
                    get=|d: &Design| d.kubernetes.security_context.run_as_user
                    set=|d: &mut Design, v: u32| d.kubernetes.security_context.run_as_user = v
                />
            </div>
            <CheckboxField
                label="Horizontal pod autoscaler"
                field="kubernetes.hpa.enabled"
                get=|d: &Design| d.kubernetes.hpa.enabled
                set=|d: &mut Design, v: bool| d.kubernetes.hpa.enabled = v
            />
            <div class=style::row>
                <NumberField label="Autoscale min" field="kubernetes.hpa.min_replicas" min=1 max=1000 get=|d: &Design| d.kubernetes.hpa.min_replicas set=|d: &mut Design, v: u32| d.kubernetes.hpa.min_replicas = v />
                <NumberField label="Autoscale max" field="kubernetes.hpa.max_replicas" min=1 max=1000 get=|d: &Design| d.kubernetes.hpa.max_replicas set=|d: &mut Design, v: u32| d.kubernetes.hpa.max_replicas = v />
            </div>
            <TextField label="Namespace" field="kubernetes.namespace" get=|d: &Design| d.kubernetes.namespace.clone() set=|d: &mut Design, v: String| d.kubernetes.namespace = v />
            <div class=style::row>
                <TextField label="CPU request" field="kubernetes.resources.requests_cpu" get=|d: &Design| d.kubernetes.resources.requests_cpu.clone() set=|d: &mut Design, v: String| d.kubernetes.resources.requests_cpu = v />
                <TextField label="CPU limit" field="kubernetes.resources.limits_cpu" get=|d: &Design| d.kubernetes.resources.limits_cpu.clone() set=|d: &mut Design, v: String| d.kubernetes.resources.limits_cpu = v />
            </div>
            <div class=style::row>
                <TextField label="Memory request" field="kubernetes.resources.requests_memory" get=|d: &Design| d.kubernetes.resources.requests_memory.clone() set=|d: &mut Design, v: String| d.kubernetes.resources.requests_memory = v />
                <TextField label="Memory limit" field="kubernetes.resources.limits_memory" get=|d: &Design| d.kubernetes.resources.limits_memory.clone() set=|d: &mut Design, v: String| d.kubernetes.resources.limits_memory = v />
            </div>
            <TextField label="Startup probe path" field="kubernetes.probes.startup.path" get=|d: &Design| d.kubernetes.probes.startup.path.clone() set=|d: &mut Design, v: String| d.kubernetes.probes.startup.path = v />
            <TextField label="Liveness probe path" field="kubernetes.probes.liveness.path" get=|d: &Design| d.kubernetes.probes.liveness.path.clone() set=|d: &mut Design, v: String| d.kubernetes.probes.liveness.path = v />
            <TextField label="Readiness probe path" field="kubernetes.probes.readiness.path" get=|d: &Design| d.kubernetes.probes.readiness.path.clone() set=|d: &mut Design, v: String| d.kubernetes.probes.readiness.path = v />
            <CheckboxField label="Read-only root filesystem" field="kubernetes.security_context.read_only_root_filesystem" get=|d: &Design| d.kubernetes.security_context.read_only_root_filesystem set=|d: &mut Design, v: bool| d.kubernetes.security_context.read_only_root_filesystem = v />
            <CheckboxField label="Ingress" field="kubernetes.ingress.enabled" get=|d: &Design| d.kubernetes.ingress.enabled set=|d: &mut Design, v: bool| d.kubernetes.ingress.enabled = v />
            <TextField label="Ingress host" field="kubernetes.ingress.host" get=|d: &Design| d.kubernetes.ingress.host.clone() set=|d: &mut Design, v: String| d.kubernetes.ingress.host = v />
            <CheckboxField label="TLS (cert-manager)" field="kubernetes.ingress.tls" get=|d: &Design| d.kubernetes.ingress.tls set=|d: &mut Design, v: bool| d.kubernetes.ingress.tls = v />
            <CheckboxField label="Pod disruption budget" field="kubernetes.pdb.enabled" get=|d: &Design| d.kubernetes.pdb.enabled set=|d: &mut Design, v: bool| d.kubernetes.pdb.enabled = v />
        </Section>
    }
}

#[component]
fn RailwaySection() -> impl IntoView {
    view! {
        <Section title="Railway">
            <CheckboxField
                label="Deploy to Railway"
                field="railway.enabled"
                get=|d: &Design| d.railway.enabled
                set=|d: &mut Design, v: bool| d.railway.enabled = v
            />
            <ChoiceField
                label="Builder"
                field="railway.builder"
                get=|d: &Design| d.railway.builder
                set=|d: &mut Design, v| d.railway.builder = v
            />
            <TextField label="Start command (empty: the project's)" field="railway.start_command" get=|d: &Design| d.railway.start_command.clone() set=|d: &mut Design, v: String| d.railway.start_command = v />
            <TextField label="Pre-deploy command (migrations)" field="railway.pre_deploy_command" get=|d: &Design| d.railway.pre_deploy_command.clone() set=|d: &mut Design, v: String| d.railway.pre_deploy_command = v />
            <TextField label="Health check path" field="railway.healthcheck_path" get=|d: &Design| d.railway.healthcheck_path.clone() set=|d: &mut Design, v: String| d.railway.healthcheck_path = v />
            <div class=style::row>
                <NumberField label="Health check timeout (s)" field="railway.healthcheck_timeout_seconds" min=1 max=3600 get=|d: &Design| d.railway.healthcheck_timeout_seconds set=|d: &mut Design, v: u32| d.railway.healthcheck_timeout_seconds = v />
                <NumberField label="Replicas" field="railway.replicas" min=1 max=50 get=|d: &Design| d.railway.replicas set=|d: &mut Design, v: u32| d.railway.replicas = v />
            </div>
            <ChoiceField
                label="Restart policy"
                field="railway.restart_policy"
                get=|d: &Design| d.railway.restart_policy
                set=|d: &mut Design, v| d.railway.restart_policy = v
            />
            <NumberField label="Restart retries" field="railway.restart_max_retries" min=0 max=100 get=|d: &Design| d.railway.restart_max_retries set=|d: &mut Design, v: u32| d.railway.restart_max_retries = v />
            <TextField label="Cron schedule (cron services)" field="railway.cron_schedule" get=|d: &Design| d.railway.cron_schedule.clone() set=|d: &mut Design, v: String| d.railway.cron_schedule = v />
        </Section>
    }
}
