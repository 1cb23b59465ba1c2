//! `values/<env>.yaml`: what one environment overrides over `values.yaml` (HELM-002).

use super::chart::Shape;
use super::secrets;
use super::values::{canary_replicas, config_map, host};
use crate::facts::naming::{chart_name, values_file_name};
use crate::formats::yaml::{document, Map};
use crate::model::{Design, Environment, EnvironmentTier, Service};
use crate::text::identifier;

pub(super) fn environment_values_yaml(
    design: &Design,
    service: &Service,
    environment: &Environment,
    shape: Shape,
) -> String {
    let k8s = &service.kubernetes;
    let web = service.kind.is_web();
    let (replicas, min_replicas, max_replicas) = environment.pods_of(&service.name);
    let mut root = Map::new();
    if shape != Shape::Cron {
        root = root
            .entry("replicaCount", replicas)
            .comment(if environment.tier == EnvironmentTier::Production {
                "Production keeps at least 3 pods, so one node failure never takes it down (K8S-012)."
            } else {
                "Pods in this environment when no HPA owns the count."
            });
    }
    if k8s.hpa.enabled && shape != Shape::Cron {
        root = root.entry(
            "autoscaling",
            Map::new()
                .entry("minReplicas", min_replicas)
                .entry("maxReplicas", max_replicas),
        );
    }
    if shape == Shape::CanaryRatio {
        root = root.entry(
            "canary",
            Map::new().entry("replicas", canary_replicas(service, replicas.max(1))),
        );
    }
    if web {
        root = root
            .entry(
                "ingress",
                Map::new().entry("host", environment_host(design, service, environment)),
            )
            .comment("This environment's public host; the TLS certificate covers it (K8S-011).");
    }
    if environment.gitops() && crate::facts::gitops::smoke_tested_after_sync(design, service) {
        root = root
            .entry("smokeTest", Map::new().entry("enabled", true))
            .comment(
                "Argo CD delivers this environment: after each sync it smoke-tests the new version",
            )
            .comment(
                "from inside the cluster (templates/smoke-test.yaml), since CI's deploy job ends",
            )
            .comment("before the sync. A failing test marks the sync failed.");
    }
    root = root
        .entry("config", config_map(&environment.values))
        .comment("Non-secret settings of this environment, as environment variables.");
    if let Some(external) = secrets::environment_values(design, environment) {
        root = root.entry("externalSecrets", external).comment(
            "Secrets of this environment only: every remote key is read under this prefix (SECRETS-005).",
        );
    }
    let tier = match environment.tier {
        EnvironmentTier::Development => "development",
        EnvironmentTier::Staging => "staging",
        EnvironmentTier::Production => "production",
    };
    let name = crate::text::single_line(&environment.name);
    let file = values_file_name(environment);
    let chart = chart_name(service);
    let header = [
        format!("Values of the {name} environment ({tier}), layered over values.yaml (HELM-002)."),
        format!(
            "helm upgrade --install {chart} charts/{chart} -f charts/{chart}/values/{file}.yaml --set image.tag=<sha>"
        ),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header, root)
}

/// The public host of a service in an environment: production uses the service's ingress
/// host; the others the host of their URL (which belongs to the design's main web service), or
/// `<env>.<ingress host>` without one.
fn environment_host(design: &Design, service: &Service, environment: &Environment) -> String {
    let base = host(&service.kubernetes.ingress.host);
    if environment.tier == EnvironmentTier::Production {
        return base;
    }
    let main = crate::generate::actions::primary_web_service(design)
        .is_some_and(|main| std::ptr::eq(main, service));
    let from_url = host(&environment.url);
    if main && !from_url.is_empty() {
        return from_url;
    }
    format!("{}.{base}", identifier(&environment.name, "staging"))
}
