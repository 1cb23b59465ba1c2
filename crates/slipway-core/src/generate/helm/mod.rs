//! The Helm charts, one per service that runs on Kubernetes, at `charts/<name>/`: `Chart.yaml`,
//! a commented `values.yaml`, one `values/<env>.yaml` per environment, and the templates the
//! service's shape needs (web service or worker; rolling, blue-green or canary).
//!
//! The deploy workflow runs
//! `helm upgrade --install <name> charts/<name> -f charts/<name>/values/<env>.yaml --set image.tag=<sha>`,
//! so the layout and the `image.repository` / `image.tag` keys are part of a contract.
//!
//! Values files go through the YAML writer, so every user string is quoted for YAML; templates
//! are fixed text (see `templates`) that reads those values and emits strings with `| quote`.

mod analysis;
mod chart;
mod environment_values;
mod monitoring;
mod notes;
mod policy;
pub(crate) mod secrets;
mod templates;
mod values;

#[cfg(test)]
mod tests;

use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::gitops::smoke_tested_after_sync;
use crate::facts::secrets::any_operator_synced;
use crate::formats::yaml::{document, Map};
use crate::model::{Design, Service};
use chart::Shape;
use environment_values::environment_values_yaml;
use notes::notes;
use policy::policy_annotations;
use templates::*;
use values::values_yaml;

use crate::facts::naming::{chart_name, values_file_name};
pub use chart::image_repository;
pub use notes::how_to_apply;
pub use policy::{
    workload_skips, PolicySkip, LOW_UID_SKIP, NAMESPACE_SKIP, SECRETS_AS_ENV_SKIP,
    SMOKE_TEST_IMAGE_SKIP, WORKER_SKIPS, WORKLOAD_SKIPS,
};

/// Chart version; bumped by Slipway when the templates change shape.
pub const CHART_VERSION: &str = "0.1.0";

/// The image tag a render falls back to when `image.tag` is not set. Deploys always set it to
/// the commit SHA CI built (PIPELINE-013).
pub const APP_VERSION: &str = "0.1.0";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    (0..design.services.len())
        .flat_map(|index| generate_service(design, index))
        .collect()
}

/// The chart of the service at `index`, when it runs on Kubernetes.
pub fn generate_service(design: &Design, index: usize) -> Vec<GeneratedFile> {
    let service = &design.services[index];
    if service.kubernetes.enabled {
        chart(design, service)
    } else {
        Vec::new()
    }
}

/// The chart of one service, from that service's settings.
fn chart(design: &Design, service: &Service) -> Vec<GeneratedFile> {
    let name = chart_name(service);
    let base = format!("charts/{name}");
    let shape = Shape::of(service);
    let web = service.kind.is_web();
    let chart = |text: &str| text.replace(CHART_TOKEN, &name);
    let yaml =
        |path: &str, text: String| GeneratedFile::new(format!("{base}/{path}"), Syntax::Yaml, text);
    // Go templates are not YAML until rendered: they are shipped as text.
    let template = |path: &str, text: String| {
        GeneratedFile::new(
            format!("{base}/templates/{path}"),
            Syntax::Text,
            chart(&text),
        )
    };

    let mut files = vec![
        yaml("Chart.yaml", chart_yaml(design, &name)),
        GeneratedFile::new(format!("{base}/.helmignore"), Syntax::Text, HELMIGNORE),
        yaml("values.yaml", values_yaml(design, service, shape)),
    ];
    let mut seen = Vec::new();
    for environment in &design.environments {
        let file = values_file_name(environment);
        if seen.contains(&file) {
            continue;
        }
        files.push(yaml(
            &format!("values/{file}.yaml"),
            environment_values_yaml(design, service, environment, shape),
        ));
        seen.push(file);
    }

    files.push(template("_helpers.tpl", helpers(design, service, shape)));
    files.push(template("NOTES.txt", notes(service, shape)));
    files.push(template("serviceaccount.yaml", SERVICE_ACCOUNT.to_owned()));
    files.push(template("configmap.yaml", CONFIG_MAP.to_owned()));
    if any_operator_synced(design) {
        files.push(template("externalsecret.yaml", EXTERNAL_SECRET.to_owned()));
    }
    let with_replicas = |text: &str| text.replace("@replicas@", REPLICAS);
    match shape {
        Shape::Rolling => {
            files.push(template(
                "deployment.yaml",
                with_replicas(DEPLOYMENT_ROLLING),
            ));
        }
        Shape::BlueGreen => files.push(template(
            "deployment.yaml",
            with_replicas(DEPLOYMENT_BLUE_GREEN),
        )),
        Shape::CanaryRatio => files.push(template(
            "deployment.yaml",
            with_replicas(DEPLOYMENT_CANARY_RATIO),
        )),
        Shape::CanaryArgo => files.push(template(
            "rollout.yaml",
            with_replicas(ROLLOUT_ARGO).replace("@analysis@", analysis::ROLLOUT_ANALYSIS),
        )),
        Shape::Cron => files.push(template("cronjob.yaml", CRON_JOB.to_owned())),
    }
    if web {
        let service = match shape {
            Shape::BlueGreen => SERVICE_BLUE_GREEN,
            _ => SERVICE,
        };
        files.push(template("service.yaml", service.to_owned()));
        if shape == Shape::CanaryArgo {
            files.push(template(
                "service-canary.yaml",
                SERVICE_ARGO_CANARY.to_owned(),
            ));
        }
        files.push(template("ingress.yaml", INGRESS.to_owned()));
    }
    if smoke_tested_after_sync(design, service) {
        // Renders only in the environments Argo CD delivers (smokeTest.enabled in their values).
        files.push(template("smoke-test.yaml", SMOKE_TEST.to_owned()));
    }
    let network_ingress = if web {
        "ingress:\n    - ports:\n        - port: http\n          protocol: TCP"
    } else {
        "ingress: []"
    };
    files.push(template(
        "networkpolicy.yaml",
        NETWORK_POLICY.replace("@ingress@", network_ingress),
    ));
    if web {
        files.push(template(
            "servicemonitor.yaml",
            monitoring::SERVICE_MONITOR.to_owned(),
        ));
    }
    files.push(template(
        "prometheusrule.yaml",
        monitoring::prometheus_rule(web),
    ));
    if shape == Shape::CanaryArgo && web {
        files.push(template(
            "analysistemplate.yaml",
            analysis::ANALYSIS_TEMPLATE.to_owned(),
        ));
    }
    if crate::facts::migrations::command(service).is_some() {
        // The Job's own copy of the ExternalSecrets, when the app's pods have them.
        let external_secrets = if any_operator_synced(design) {
            MIGRATION_EXTERNAL_SECRETS
        } else {
            ""
        };
        files.push(template(
            "migrations.yaml",
            MIGRATION_JOB.replace("@external-secrets@", external_secrets),
        ));
    }
    if shape != Shape::Cron {
        files.push(template("hpa.yaml", HPA.to_owned()));
        files.push(template("pdb.yaml", PDB.to_owned()));
    }
    files
}

/// The API groups and kinds a service's chart can render (the group is empty for the core
/// API), so that an Argo CD project allows exactly these and nothing cluster-wide.
pub fn resource_kinds(design: &Design, service: &Service) -> Vec<(&'static str, &'static str)> {
    let shape = Shape::of(service);
    let web = service.kind.is_web();
    let mut kinds = vec![
        ("", "ServiceAccount"),
        ("", "ConfigMap"),
        ("networking.k8s.io", "NetworkPolicy"),
        ("monitoring.coreos.com", "PrometheusRule"),
    ];
    if any_operator_synced(design) {
        kinds.push(("external-secrets.io", "ExternalSecret"));
    }
    kinds.push(match shape {
        Shape::CanaryArgo => ("argoproj.io", "Rollout"),
        Shape::Cron => ("batch", "CronJob"),
        _ => ("apps", "Deployment"),
    });
    if web {
        kinds.push(("", "Service"));
        kinds.push(("networking.k8s.io", "Ingress"));
        kinds.push(("monitoring.coreos.com", "ServiceMonitor"));
        if shape == Shape::CanaryArgo {
            kinds.push(("argoproj.io", "AnalysisTemplate"));
        }
    }
    // The migration hook, and the smoke-test hook of the environments Argo CD delivers.
    if crate::facts::migrations::command(service).is_some()
        || smoke_tested_after_sync(design, service)
    {
        kinds.push(("batch", "Job"));
    }
    if shape != Shape::Cron {
        kinds.push(("autoscaling", "HorizontalPodAutoscaler"));
        kinds.push(("policy", "PodDisruptionBudget"));
    }
    kinds
}

/// `Chart.yaml`. The design's description describes the system: a one-service design's chart
/// takes it, the charts of several services say which service of the system they deploy.
fn chart_yaml(design: &Design, name: &str) -> String {
    let description = design.project.description.trim();
    let description = if design.services.len() > 1 {
        format!(
            "Kubernetes deployment of {name}, a service of {}",
            crate::text::identifier(&design.project.name, "app")
        )
    } else if description.is_empty() {
        format!("Kubernetes deployment of {name}")
    } else {
        crate::text::single_line(description).into_owned()
    };
    document(
        &[
            "Helm chart generated by Slipway from slipway.yaml. Install or upgrade it with",
            "helm upgrade --install (see README.md); templates live in templates/ (VALID-008).",
        ],
        Map::new()
            .entry("apiVersion", "v2")
            .comment("Helm 3 chart format.")
            .entry("name", name)
            .entry("description", description)
            .entry("type", "application")
            .entry("version", CHART_VERSION)
            .comment("The chart's own version; bump it when the templates change.")
            .entry("appVersion", APP_VERSION)
            .comment(
                "Fallback image tag only: every deploy sets image.tag to the commit SHA CI built.",
            )
            .entry("kubeVersion", ">=1.25.0-0")
            .comment("autoscaling/v2 and policy/v1 are served from Kubernetes 1.23 and 1.21 on."),
    )
}

fn helpers(design: &Design, service: &Service, shape: Shape) -> String {
    let mut out = HELPERS.to_owned();
    out.push_str(&policy_annotations(design, service));
    let migrates = crate::facts::migrations::command(service).is_some();
    if migrates {
        // The migration Job shares the pod (image, security context), with its own labels,
        // command, account, configuration and secrets and without the app's ports and probes.
        out.push_str(
            &POD_TEMPLATE_HEAD
                .replace(MIGRATION_POD_LABELS_FROM, MIGRATION_POD_LABELS_TO)
                .replace(MIGRATION_ACCOUNT_FROM, MIGRATION_ACCOUNT_TO),
        );
        out.push_str(MIGRATION_COMMAND);
    } else {
        out.push_str(POD_TEMPLATE_HEAD);
    }
    if service.kind.is_web() {
        if migrates {
            out.push_str("      {{- if not .command }}\n");
            out.push_str(&pod_template_web());
            out.push_str("      {{- end }}\n");
        } else {
            out.push_str(&pod_template_web());
        }
    }
    let env_from = if migrates {
        MIGRATION_ENV_FROM
    } else {
        POD_TEMPLATE_ENV_FROM
    };
    let tail = format!("{env_from}{POD_TEMPLATE_TAIL}");
    // The secret references name the ExternalSecret template only when the chart has one.
    if any_operator_synced(design) {
        out.push_str(&tail);
    } else {
        out.push_str(
            &tail
                .replace(" (externalsecret.yaml)", "")
                .replace(" ({{ $source }})", ""),
        );
    }
    out.push_str(match shape {
        Shape::Rolling => TARGETS_ROLLING,
        Shape::BlueGreen => TARGETS_BLUE_GREEN,
        Shape::CanaryRatio => TARGETS_CANARY_RATIO,
        Shape::CanaryArgo => TARGETS_ARGO,
        Shape::Cron => "",
    });
    if shape == Shape::BlueGreen {
        out.push_str(ACTIVE_COLOR_HELPER);
    }
    if migrates {
        out.push_str(MIGRATION_HELPERS);
    }
    out
}
