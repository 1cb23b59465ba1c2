//! The Helm chart at `charts/<name>/`: `Chart.yaml`, a commented `values.yaml`, one
//! `values/<env>.yaml` per environment, and the templates the design's shape needs (web
//! service or worker; rolling, blue-green or canary).
//!
//! The deploy workflow runs
//! `helm upgrade --install <name> charts/<name> -f charts/<name>/values/<env>.yaml --set image.tag=<sha>`,
//! so the layout and the `image.repository` / `image.tag` keys are part of a contract.
//!
//! Values files go through the YAML writer, so every user string is quoted for YAML; templates
//! are fixed text (see `templates`) that reads those values and emits strings with `| quote`.

pub(crate) mod secrets;
mod templates;

#[cfg(test)]
mod tests;

use std::fmt::Write;

use crate::bundle::{GeneratedFile, Syntax};
use crate::model::{
    CanaryEngine, Design, Environment, EnvironmentTier, IntOrPercent, Probe, RolloutStrategy,
};
use crate::text::{env_name, identifier, keep, url_path};

use crate::formats::yaml::{document, Map, Node};
use templates::*;

/// Chart version; bumped by Slipway when the templates change shape.
pub const CHART_VERSION: &str = "0.1.0";

/// The image tag a render falls back to when `image.tag` is not set. Deploys always set it to
/// the commit SHA CI built (PIPELINE-013).
pub const APP_VERSION: &str = "0.1.0";

/// A checkov policy the chart does not meet on purpose, with the reason (also listed in
/// `docs/checkov-skips.md`).
pub struct PolicySkip {
    pub id: &'static str,
    pub reason: &'static str,
}

/// Skip on every object the chart renders.
pub const NAMESPACE_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_21",
    reason: "The chart is namespace-agnostic: helm upgrade --namespace picks the namespace at install time, and the check sees only an offline render",
};

/// Skips on every Deployment or Rollout the chart renders.
pub const WORKLOAD_SKIPS: &[PolicySkip] = &[
    PolicySkip {
        id: "CKV_K8S_15",
        reason: "Images are tagged with the immutable commit SHA, so IfNotPresent never runs a stale image and pods still start when the registry is down",
    },
    PolicySkip {
        id: "CKV_K8S_43",
        reason: "The deploy pins the image by its commit SHA tag (PIPELINE-013); the digest is not known when the chart is written",
    },
];

/// Skip on workloads whose user id is below 10000, the image's own numeric user.
pub const LOW_UID_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_40",
    reason: "runAsUser matches the numeric USER of the image (RULES 16.1, VALID-002); choose a uid above 10000 in the design to meet this check",
};

/// Skip on workloads that load the External Secrets Operator's Secret as environment
/// variables.
pub const SECRETS_AS_ENV_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_35",
    reason: "The app reads its connection strings from environment variables, as the seed's Deployment does (DATABASE_URL from a Secret); the Secret is synced by the External Secrets Operator and no value is in the chart",
};

/// Skips on workers: they serve no HTTP, so there is nothing to probe (K8S-005..007 apply to
/// web services only).
pub const WORKER_SKIPS: &[PolicySkip] = &[
    PolicySkip {
        id: "CKV_K8S_8",
        reason: "A worker serves no HTTP and has no generic health command; Kubernetes restarts it when the process exits",
    },
    PolicySkip {
        id: "CKV_K8S_9",
        reason: "A worker receives no traffic, so there is nothing for readiness to gate",
    },
];

/// How the chart deploys new versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Rolling,
    BlueGreen,
    CanaryRatio,
    CanaryArgo,
    /// A worker with a schedule runs as a CronJob; the rollout strategy does not apply.
    Cron,
}

impl Shape {
    fn of(design: &Design) -> Shape {
        if !design.project.kind.is_web() && !design.railway.cron_schedule.trim().is_empty() {
            return Shape::Cron;
        }
        match design.kubernetes.rollout.strategy {
            RolloutStrategy::Rolling => Shape::Rolling,
            RolloutStrategy::BlueGreen => Shape::BlueGreen,
            RolloutStrategy::Canary => match design.kubernetes.rollout.canary_engine {
                CanaryEngine::ArgoRollouts => Shape::CanaryArgo,
                CanaryEngine::ReplicaRatio => Shape::CanaryRatio,
            },
        }
    }
}

/// The chart's name and directory name: `identifier(project.name, "app")`.
pub fn chart_name(design: &Design) -> String {
    identifier(&design.project.name, "app")
}

/// The values file name of an environment (`values/<this>.yaml`), as the deploy workflow
/// spells it.
pub fn values_file_name(environment: &Environment) -> String {
    identifier(&environment.name, "staging")
}

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    if !design.kubernetes.enabled {
        return Vec::new();
    }
    let name = chart_name(design);
    let base = format!("charts/{name}");
    let shape = Shape::of(design);
    let web = design.project.kind.is_web();
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
        yaml("values.yaml", values_yaml(design, shape)),
    ];
    let mut seen = Vec::new();
    for environment in &design.environments {
        let file = values_file_name(environment);
        if seen.contains(&file) {
            continue;
        }
        files.push(yaml(
            &format!("values/{file}.yaml"),
            environment_values_yaml(design, environment, shape),
        ));
        seen.push(file);
    }

    files.push(template("_helpers.tpl", helpers(design, shape)));
    files.push(template("NOTES.txt", notes(design, shape)));
    files.push(template("serviceaccount.yaml", SERVICE_ACCOUNT.to_owned()));
    files.push(template("configmap.yaml", CONFIG_MAP.to_owned()));
    if secrets::any(design) {
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
        Shape::CanaryArgo => files.push(template("rollout.yaml", with_replicas(ROLLOUT_ARGO))),
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
    let network_ingress = if web {
        "ingress:\n    - ports:\n        - port: http\n          protocol: TCP"
    } else {
        "ingress: []"
    };
    files.push(template(
        "networkpolicy.yaml",
        NETWORK_POLICY.replace("@ingress@", network_ingress),
    ));
    if shape != Shape::Cron {
        files.push(template("hpa.yaml", HPA.to_owned()));
        files.push(template("pdb.yaml", PDB.to_owned()));
    }
    files
}

fn chart_yaml(design: &Design, name: &str) -> String {
    let description = if design.project.description.trim().is_empty() {
        format!("Kubernetes deployment of {name}")
    } else {
        crate::text::single_line(design.project.description.trim()).into_owned()
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

/// `ghcr.io/owner/repo`: the design's registry and repository slug, lowercase and reduced to
/// image-reference characters (the image CI pushes).
pub fn image_repository(design: &Design) -> String {
    // The image CI pushes is the image the chart deploys (CONSIST-003): one definition.
    super::actions::image_repository(design)
}

fn int_or_percent(value: &IntOrPercent) -> Node {
    match value {
        IntOrPercent::Int(n) => Node::from(*n),
        IntOrPercent::Percent(text) => Node::from(text.as_str()),
    }
}

fn probe(probe: &Probe) -> Map {
    Map::new()
        .entry("enabled", probe.enabled)
        .entry("path", url_path(probe.path.trim()))
        .entry("initialDelaySeconds", probe.initial_delay_seconds)
        .entry("periodSeconds", probe.period_seconds)
        .entry("timeoutSeconds", probe.timeout_seconds.max(1))
        .entry("failureThreshold", probe.failure_threshold.max(1))
}

fn values_yaml(design: &Design, shape: Shape) -> String {
    let k8s = &design.kubernetes;
    let web = design.project.kind.is_web();
    let security = &k8s.security_context;
    let mut root = Map::new()
        .entry(
            "image",
            Map::new()
                .entry("repository", image_repository(design))
                .comment("Where CI pushes the image; the deploy passes the same repository.")
                .entry("tag", "")
                .comment("Set by every deploy to the commit SHA CI built and scanned (PIPELINE-012, PIPELINE-013);")
                .comment("empty falls back to the chart's appVersion.")
                .entry("pullPolicy", "IfNotPresent")
                .comment("SHA tags never move, so a cached image is always the right one."),
        );
    if shape != Shape::Cron {
        root = root
            .entry("replicaCount", k8s.replicas)
            .comment("Pods when no HPA owns the count (K8S-012: at least 3 in production).")
            .gap();
    }
    root = root
        .entry("terminationGracePeriodSeconds", 30u32)
        .comment("Time between SIGTERM and SIGKILL: the app finishes in-flight work (DOCKER-017).")
        .gap();
    if web {
        root = root
            .entry("containerPort", design.container.port)
            .comment("The one port the app listens on: EXPOSE, containerPort, probes and the Service's")
            .comment("targetPort all use it (VALID-007).")
            .gap()
            .entry("service", Map::new().entry("port", 80u32))
            .comment("In-cluster port of the Service (K8S-010).")
            .entry(
                "probes",
                Map::new()
                    .entry("startup", probe(&k8s.probes.startup))
                    .comment("Gives a slow start failureThreshold × periodSeconds before liveness counts (K8S-005).")
                    .entry("liveness", probe(&k8s.probes.liveness))
                    .comment("Process alive only, no dependency checks: a failing database must not restart")
                    .comment("every pod (K8S-006, K8S-008).")
                    .entry("readiness", probe(&k8s.probes.readiness))
                    .comment("Takes the pod out of the Service while its dependencies are down (K8S-007).")
            )
            .comment("Three probes with distinct purposes and endpoints (K8S-008).")
            .gap();
    }
    root = root
        .entry(
            "resources",
            Map::new()
                .entry(
                    "requests",
                    Map::new()
                        .entry("cpu", k8s.resources.requests_cpu.trim())
                        .entry("memory", k8s.resources.requests_memory.trim()),
                )
                .comment("What the scheduler reserves, and what HPA utilisation is measured against (VALID-004).")
                .entry(
                    "limits",
                    Map::new()
                        .entry("cpu", k8s.resources.limits_cpu.trim())
                        .entry("memory", k8s.resources.limits_memory.trim()),
                )
                .comment("CPU above the limit is throttled; memory above it gets the container OOM-killed (A8)."),
        )
        .comment("Requests and limits on every container (K8S-009); requests never above limits (VALID-006).")
        .gap()
        .entry(
            "podSecurityContext",
            Map::new()
                .entry("runAsNonRoot", security.run_as_non_root)
                .entry("runAsUser", security.run_as_user)
                .comment("Numeric, so the kubelet can verify runAsNonRoot (VALID-002); matches the image's USER.")
                .entry("runAsGroup", security.run_as_group)
                .entry("fsGroup", security.fs_group)
                .comment("Group that owns mounted volumes, so the app can write to them.")
                .entry("seccompRuntimeDefault", security.seccomp_runtime_default)
                .comment("The container runtime's default syscall filter."),
        )
        .comment("Pod-level fields only (VALID-001): who every process runs as (K8S-001).")
        .gap()
        .entry(
            "securityContext",
            Map::new()
                .entry("allowPrivilegeEscalation", security.allow_privilege_escalation)
                .comment("No setuid escalation (K8S-002).")
                .entry("readOnlyRootFilesystem", security.read_only_root_filesystem)
                .comment("An attacker cannot modify the image's files (K8S-003).")
                .entry(
                    "capabilities",
                    Map::new().entry(
                        "drop",
                        security
                            .drop_capabilities
                            .iter()
                            .map(|c| keep(c, |c| c.is_ascii_alphanumeric() || c == '_'))
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>(),
                    ),
                )
                .comment("Drop every Linux capability; a web app needs none (K8S-004)."),
        )
        .comment("Container-only fields (VALID-001): at pod level Kubernetes rejects or ignores them.")
        .gap()
        .entry(
            "writablePaths",
            k8s.writable_paths
                .iter()
                .map(|path| url_path(path.trim()))
                .collect::<Vec<_>>(),
        )
        .comment("Each path gets an emptyDir, since the root filesystem is read-only (VALID-012).")
        .gap()
        .entry("config", config_map(&[]))
        .comment("Non-secret environment variables, set per environment in values/<env>.yaml.")
        .comment("Secrets never go here (SECRETS-003).")
        .gap()
        .entry("externalSecrets", secrets::values(design))
        .comment("The app's secrets, synced from the secret store by the External Secrets Operator")
        .comment("(SECRETS-004): the chart holds key names, never values.")
        .gap()
        .entry(
            "serviceAccount",
            Map::new()
                .entry("create", true)
                .entry("name", "")
                .comment("Empty: the release's full name."),
        )
        .comment("A dedicated account without an API token (automountServiceAccountToken: false).")
        .gap();
    if shape != Shape::Cron {
        root = root
            .entry(
                "autoscaling",
                Map::new()
                    .entry("enabled", k8s.hpa.enabled)
                    .entry("minReplicas", k8s.hpa.min_replicas)
                    .entry("maxReplicas", k8s.hpa.max_replicas)
                    .entry("targetCPUUtilizationPercentage", k8s.hpa.cpu_utilization),
            )
            .comment("autoscaling/v2 HPA on CPU (K8S-012); it owns the replica count (VALID-020).")
            .gap()
            .entry(
                "podDisruptionBudget",
                Map::new()
                    .entry("enabled", k8s.pdb.enabled)
                    .entry("minAvailable", int_or_percent(&k8s.pdb.min_available)),
            )
            .comment(
                "policy/v1 budget for voluntary evictions (K8S-013); below the smallest replica",
            )
            .gap()
            .comment("count, or node drains block (VALID-005).");
    }
    root = root
        .entry("networkPolicy", Map::new().entry("enabled", true))
        .gap()
        .comment(if web {
            "Only the app's HTTP port accepts inbound traffic; outbound is not restricted."
        } else {
            "A worker accepts no inbound traffic at all; outbound is not restricted."
        });
    if web {
        let ingress = &k8s.ingress;
        root = root
            .entry(
                "ingress",
                Map::new()
                    .entry("enabled", ingress.enabled)
                    .entry("className", ingress.class_name.trim())
                    .entry("host", host(&ingress.host))
                    .comment("Public host name; each environment sets its own.")
                    .entry("clusterIssuer", ingress.cluster_issuer.trim())
                    .comment("cert-manager ClusterIssuer that provisions the certificate.")
                    .entry(
                        "tls",
                        Map::new()
                            .entry("enabled", ingress.tls)
                            .entry("secretName", "")
                            .comment("Empty: <release>-tls, created by cert-manager."),
                    )
                    .comment("HTTPS only (K8S-011, READY-001)."),
            )
            .gap()
            .comment("External access through an Ingress with TLS (K8S-011).");
    }
    let rollout = &k8s.rollout;
    if shape != Shape::Cron {
        root = root
        .entry(
            "rollout",
            Map::new()
                .entry("maxSurge", int_or_percent(&rollout.max_surge))
                .comment("Extra pods started during an update (ROLLOUT-001; never 0 together with maxUnavailable, VALID-003).")
                .entry("maxUnavailable", int_or_percent(&rollout.max_unavailable))
                .comment("0 keeps full capacity while pods are replaced: zero downtime (ROLLOUT-001).")
                .entry("progressDeadlineSeconds", rollout.progress_deadline_seconds)
                .comment("A stalled rollout is marked failed after this long; the deploy's --atomic then")
                .comment("rolls back (ROLLOUT-002).")
                .entry("revisionHistoryLimit", rollout.revision_history_limit)
                .comment("Old ReplicaSets kept for kubectl rollout undo (ROLLOUT-003)."),
        )
        .gap()
        .comment(match shape {
            Shape::Rolling => "Rolling update: pods are replaced a few at a time (ROLLOUT-001).",
            Shape::BlueGreen => "Used within each colour's Deployment when its image changes.",
            Shape::CanaryRatio => "Used within each track's Deployment when its image changes.",
            Shape::CanaryArgo => "Used by the Rollout while it moves pods between stable and canary.",
            Shape::Cron => "",
        });
    }
    match shape {
        Shape::Rolling => {}
        Shape::Cron => {
            root = root
                .entry(
                    "cronJob",
                    Map::new()
                        .entry("schedule", design.railway.cron_schedule.trim())
                        .comment("Cron syntax, in the cluster's time zone (UTC unless configured).")
                        .entry("concurrencyPolicy", "Forbid")
                        .comment("Skips a run while the previous one is still going.")
                        .entry("successfulJobsHistoryLimit", 3u32)
                        .entry("failedJobsHistoryLimit", 3u32)
                        .comment("Finished Jobs kept for their logs.")
                        .entry("backoffLimit", 2u32)
                        .comment("Retries of a failed run before the Job is marked failed.")
                        .entry("activeDeadlineSeconds", 0u32)
                        .comment("A run longer than this is stopped; 0 sets no deadline."),
                )
                .gap()
                .comment(
                    "A scheduled worker runs as a CronJob: one pod per run, which exits when done.",
                );
        }
        Shape::BlueGreen => {
            root = root
                .entry(
                    "blueGreen",
                    Map::new()
                        .entry("activeColor", color_name(rollout.active_color))
                        .comment("The colour the Service sends traffic to. Switching it is the release, and")
                        .comment("switching back is the rollback (ROLLOUT-003, ROLLOUT-004).")
                        .entry("activeTag", "")
                        .comment("Image tag the live colour keeps. Pin it to the live SHA so each deploy lands")
                        .comment("on the idle colour only; empty means image.tag (first install)."),
                )
                .gap()
                .comment("Blue-green: every deploy updates the idle colour, checked through the")
                .comment("<release>-preview Service before the switch (ROLLOUT-005).");
        }
        Shape::CanaryRatio => {
            let stable = design
                .production()
                .map_or(k8s.replicas, |production| production.replicas)
                .max(1);
            root = root
                .entry(
                    "canary",
                    Map::new()
                        .entry("replicas", canary_replicas(design, stable))
                        .comment(format!(
                            "Canary pods next to the stable ones: the traffic share is their ratio; \
                             the design's first step is {} %.",
                            first_weight(design)
                        ))
                        .comment("0 removes the canary (after promotion or to abort).")
                        .entry("stableTag", "")
                        .comment("Image tag of the stable track. Pin it to the live SHA so each deploy lands on")
                        .comment("the canary only; empty means image.tag (first install and after promotion).")
                        .entry("steps", canary_steps(design))
                        .comment("The planned traffic steps (ROLLOUT-007): raise replicas to move on."),
                )
                .gap()
                .comment("Canary by replica ratio (A21): the Service selects both tracks.");
        }
        Shape::CanaryArgo => {
            root = root
                .entry(
                    "canary",
                    Map::new().entry("steps", canary_steps(design)).comment(
                        "Traffic weights in %, rising to 100, each followed by a pause in seconds",
                    ).comment("(0: wait for `kubectl argo rollouts promote`) (ROLLOUT-007)."),
                )
                .gap()
                .comment("Canary with Argo Rollouts; exact weights through the NGINX ingress, replica")
                .comment("ratios otherwise.");
        }
    }
    document(
        &[
            "Default values of the chart, generated by Slipway. Each environment overrides what",
            "differs in values/<env>.yaml (HELM-002); the deploy adds --set image.tag=<sha>.",
            "Rule ids (K8S-…, ROLLOUT-…, VALID-…) refer to Slipway's rule catalog: `slipway explain ID`.",
        ],
        root,
    )
}

fn color_name(color: crate::model::Color) -> &'static str {
    match color {
        crate::model::Color::Blue => "blue",
        crate::model::Color::Green => "green",
    }
}

fn first_weight(design: &Design) -> u32 {
    design
        .kubernetes
        .rollout
        .canary_steps
        .first()
        .map_or(10, |step| step.weight.clamp(1, 99))
}

/// Canary pods for the first step's weight next to `stable` stable pods, at least one.
fn canary_replicas(design: &Design, stable: u32) -> u32 {
    let weight = first_weight(design);
    let exact = f64::from(stable) * f64::from(weight) / f64::from(100 - weight);
    (exact.round() as u32).max(1)
}

fn canary_steps(design: &Design) -> Vec<Node> {
    design
        .kubernetes
        .rollout
        .canary_steps
        .iter()
        .map(|step| {
            Node::from(
                Map::new()
                    .entry("weight", step.weight.min(100))
                    .entry("pauseSeconds", step.pause_seconds),
            )
        })
        .collect()
}

/// A host name: lowercase letters, digits, dots and dashes (wildcards allowed in front).
fn host(text: &str) -> String {
    let text = text.trim().to_ascii_lowercase();
    let text = text
        .split_once("://")
        .map_or(text.as_str(), |(_, rest)| rest)
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("")
        .to_owned();
    let cleaned = keep(&text, |c| {
        c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '*'
    });
    cleaned.trim_matches('.').to_owned()
}

/// The ConfigMap entries: names sanitised for the environment, values kept as text.
fn config_map(variables: &[crate::model::EnvVar]) -> Map {
    let mut map = Map::new();
    let mut names: Vec<String> = Vec::new();
    for variable in variables {
        let name = env_name(variable.name.trim());
        if names.contains(&name) {
            continue;
        }
        if crate::secrets::withheld(&name, &variable.value) {
            map = map.comment(format!(
                "{name} is not written here: its value looks like a secret (SECRETS-001). Put it in a Kubernetes Secret."
            ));
        } else {
            map.push(name.clone(), variable.value.as_str());
        }
        names.push(name);
    }
    map
}

/// The public host of an environment: production uses the design's ingress host; the others
/// the host of their URL, or `<env>.<ingress host>` without one.
fn environment_host(design: &Design, environment: &Environment) -> String {
    let base = host(&design.kubernetes.ingress.host);
    if environment.tier == EnvironmentTier::Production {
        return base;
    }
    let from_url = host(&environment.url);
    if !from_url.is_empty() {
        return from_url;
    }
    format!("{}.{base}", identifier(&environment.name, "staging"))
}

fn environment_values_yaml(design: &Design, environment: &Environment, shape: Shape) -> String {
    let k8s = &design.kubernetes;
    let web = design.project.kind.is_web();
    let mut root = Map::new();
    if shape != Shape::Cron {
        root = root
            .entry("replicaCount", environment.replicas)
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
                .entry("minReplicas", environment.hpa_min_replicas)
                .entry("maxReplicas", environment.hpa_max_replicas),
        );
    }
    if shape == Shape::CanaryRatio {
        root = root.entry(
            "canary",
            Map::new().entry(
                "replicas",
                canary_replicas(design, environment.replicas.max(1)),
            ),
        );
    }
    if web {
        root = root
            .entry(
                "ingress",
                Map::new().entry("host", environment_host(design, environment)),
            )
            .comment("This environment's public host; the TLS certificate covers it (K8S-011).");
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
    let chart = chart_name(design);
    let header = [
        format!("Values of the {name} environment ({tier}), layered over values.yaml (HELM-002)."),
        format!(
            "helm upgrade --install {chart} charts/{chart} -f charts/{chart}/values/{file}.yaml --set image.tag=<sha>"
        ),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header, root)
}

fn helpers(design: &Design, shape: Shape) -> String {
    let mut out = HELPERS.to_owned();
    out.push_str(&policy_annotations(design));
    out.push_str(POD_TEMPLATE_HEAD);
    if design.project.kind.is_web() {
        out.push_str(POD_TEMPLATE_WEB);
    }
    out.push_str(POD_TEMPLATE_TAIL);
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
    out
}

/// The checkov skips that apply to this design's workloads.
pub fn workload_skips(design: &Design) -> Vec<&'static PolicySkip> {
    let mut skips: Vec<&PolicySkip> = vec![&NAMESPACE_SKIP];
    skips.extend(WORKLOAD_SKIPS);
    if design.kubernetes.security_context.run_as_user < 10000 {
        skips.push(&LOW_UID_SKIP);
    }
    if !design.project.kind.is_web() {
        skips.extend(WORKER_SKIPS);
    }
    if secrets::any(design) {
        skips.push(&SECRETS_AS_ENV_SKIP);
    }
    skips
}

fn policy_annotations(design: &Design) -> String {
    let block = |name: &str, skips: &[&PolicySkip]| {
        let mut out = format!("{{{{- define \"@chart@.{name}\" -}}}}\n");
        for (index, skip) in skips.iter().enumerate() {
            let value = format!("{}={}", skip.id, skip.reason);
            out.push_str(&format!(
                "checkov.io/skip{}: {}\n",
                index + 1,
                serde_json::to_string(&value).unwrap_or_default()
            ));
        }
        out.push_str("{{- end }}\n");
        out
    };
    format!(
        "\n{{{{/*\nPolicy-scanner checks the chart does not meet on purpose, each with its reason\n\
         (checkov's inline skip syntax; also listed in Slipway's docs/checkov-skips.md).\n*/}}}}\n{}\n{}",
        block("policyAnnotations", &[&NAMESPACE_SKIP]),
        block("workloadPolicyAnnotations", &workload_skips(design)),
    )
}

fn notes(design: &Design, shape: Shape) -> String {
    let web = design.project.kind.is_web();
    let mut out = String::from(
        "{{ include \"@chart@.fullname\" . }} is deployed to namespace {{ .Release.Namespace }} (revision {{ .Release.Revision }}).\n\n",
    );
    if web {
        out.push_str(
            "{{- if .Values.ingress.enabled }}\nPublic URL: https://{{ .Values.ingress.host }}/\n{{- end }}\n\
             In-cluster: http://{{ include \"@chart@.fullname\" . }}.{{ .Release.Namespace }}.svc:{{ .Values.service.port }}/\n\n",
        );
    } else {
        out.push_str("A worker: no Service or Ingress; follow it with\n  kubectl logs --namespace {{ .Release.Namespace }} -l app.kubernetes.io/instance={{ .Release.Name }} -f\n\n");
    }
    match shape {
        Shape::Rolling => out.push_str(
            "Watch the rollout:\n  kubectl rollout status --namespace {{ .Release.Namespace }} deployment/{{ include \"@chart@.fullname\" . }}\n",
        ),
        Shape::BlueGreen => out.push_str(
            "Blue-green: live colour {{ include \"@chart@.activeColor\" . }}, idle colour {{ include \"@chart@.idleColor\" . }} (image tag {{ .Values.image.tag | default .Chart.AppVersion }}).\n\
             1. Check the idle colour through its own Service:\n\
             \x20  kubectl port-forward --namespace {{ .Release.Namespace }} service/{{ include \"@chart@.fullname\" . }}-preview 8080:{{ .Values.service.port }}\n\
             2. Switch traffic by setting blueGreen.activeColor={{ include \"@chart@.idleColor\" . }} and blueGreen.activeTag=<the checked tag>\n\
             \x20  in values/<env>.yaml, then deploy again (or helm upgrade --reuse-values --set ...).\n\
             3. Roll back by switching activeColor back, or with helm rollback {{ .Release.Name }}.\n",
        ),
        Shape::CanaryRatio => out.push_str(
            "Canary by replica ratio: {{ .Values.canary.replicas }} canary pod(s) run image tag {{ .Values.image.tag | default .Chart.AppVersion }}.\n\
             Raise canary.replicas to move through the steps; promote by setting canary.stableTag to the canary's tag\n\
             and canary.replicas to 0; abort with canary.replicas=0.\n",
        ),
        Shape::Cron => out.push_str(
            "Scheduled worker ({{ .Values.cronJob.schedule }}). Start a run now with\n\
             \x20 kubectl create job --namespace {{ .Release.Namespace }} --from=cronjob/{{ include \"@chart@.fullname\" . }} {{ include \"@chart@.fullname\" . }}-manual\n",
        ),
        Shape::CanaryArgo => out.push_str(
            "Canary with Argo Rollouts. Follow and steer it with the kubectl plugin:\n\
             \x20 kubectl argo rollouts get rollout {{ include \"@chart@.fullname\" . }} --namespace {{ .Release.Namespace }} --watch\n\
             \x20 kubectl argo rollouts promote {{ include \"@chart@.fullname\" . }} --namespace {{ .Release.Namespace }}\n\
             \x20 kubectl argo rollouts abort {{ include \"@chart@.fullname\" . }} --namespace {{ .Release.Namespace }}\n",
        ),
    }
    out.push_str("\nRoll back the whole release: helm rollback {{ .Release.Name }} --namespace {{ .Release.Namespace }}\n");
    out
}

/// The README's steps for the chart (Markdown): `helm upgrade` per environment, as the deploy
/// workflow runs it, and the strategy's steps.
pub fn how_to_apply(design: &Design) -> Option<String> {
    let name = identifier(&design.project.name, "app");
    let namespace = identifier(&design.kubernetes.namespace, &name);
    let mut out = String::from(
        "Deploy the chart with Helm 3, each environment to its own cluster (kubectl context); the \
         deploy workflow runs the same command with the image CI built. `--atomic` rolls a failed \
         upgrade back by itself (ROLLOUT-002).\n\n```sh\n",
    );
    let mut seen = Vec::new();
    for environment in &design.environments {
        let file = values_file_name(environment);
        if seen.contains(&file) {
            continue;
        }
        let _ = writeln!(
            out,
            "helm upgrade --install {name} charts/{name} --namespace {namespace} --create-namespace \\\n  \
             -f charts/{name}/values/{file}.yaml --set image.tag=\"$(git rev-parse HEAD)\" \\\n  \
             --atomic --wait --timeout 10m"
        );
        seen.push(file);
    }
    let _ = write!(
        out,
        "```\n\nRoll back to the previous release with `helm rollback {name} --namespace {namespace}`. \
         Preview the manifests with `helm template {name} charts/{name} -f charts/{name}/values/<env>.yaml`."
    );
    match design.kubernetes.rollout.strategy {
        RolloutStrategy::Rolling => {}
        RolloutStrategy::BlueGreen => out.push_str(
            "\n\nBlue-green: pin `blueGreen.activeTag` in `values/<env>.yaml` to the live image tag, so \
             each deploy lands on the idle colour only. Check it through the `<release>-preview` \
             Service, then switch by setting `blueGreen.activeColor` to that colour and \
             `blueGreen.activeTag` to its tag. Switching back is the rollback.",
        ),
        RolloutStrategy::Canary => match design.kubernetes.rollout.canary_engine {
            CanaryEngine::ArgoRollouts => out.push_str(
                "\n\nCanary with Argo Rollouts: the cluster needs the Argo Rollouts controller (and \
                 the NGINX ingress controller for exact weights). Follow a release with \
                 `kubectl argo rollouts get rollout <release> --watch`; `promote` skips a manual \
                 pause, `abort` returns all traffic to the stable version.",
            ),
            CanaryEngine::ReplicaRatio => out.push_str(
                "\n\nCanary by replica ratio: pin `canary.stableTag` to the live image tag, so each \
                 deploy lands on the canary pods only. Raise `canary.replicas` to move through \
                 the steps; promote by setting `canary.stableTag` to the canary's tag and \
                 `canary.replicas` to 0.",
            ),
        },
    }
    Some(out)
}
