//! `values.yaml`: the chart's commented default values.

use super::chart::{image_repository, Shape};
use super::secrets;
use crate::formats::yaml::{document, Map, Node};
use crate::model::{Design, IntOrPercent, Probe, Service};
use crate::text::{env_name, keep, url_path};

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

pub(super) fn values_yaml(design: &Design, service: &Service, shape: Shape) -> String {
    let k8s = &service.kubernetes;
    let web = service.kind.is_web();
    let security = &k8s.security_context;
    let mut root = Map::new()
        .entry(
            "image",
            Map::new()
                .entry("repository", image_repository(design, service))
                .comment("Where CI pushes the image; the deploy passes the same repository.")
                .entry("tag", "")
                .comment("Set by every deploy to the commit SHA CI built and scanned (PIPELINE-012, PIPELINE-013);")
                .comment("empty falls back to the chart's appVersion.")
                .entry("digest", "")
                .comment("Set by the deploy to the digest CI pushed for image.tag: pods then run repository@digest,")
                .comment("the exact bytes CI scanned and attested (PIPELINE-023); empty deploys by tag.")
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
            .entry("containerPort", service.container.port)
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
    } else {
        root = root
            .entry("service", Map::new().entry("enabled", false))
            .comment(
                "A worker: no Service or Ingress routes traffic to its pods, so it has no HTTP",
            )
            .comment("probes either (K8S-005..007 apply to web services).")
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
        })
        .entry(
            "monitoring",
            super::monitoring::values(design, service, shape),
        )
        .gap()
        .comment(
            "Prometheus Operator objects (monitoring.coreos.com/v1). Set their enabled to false",
        )
        .comment("on a cluster without the operator's CRDs, or the install fails.");
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
                    .entry("path", ingress_path(&ingress.path))
                    .comment("Path prefix this service answers under the host.")
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
                        .entry("schedule", service.railway.cron_schedule.trim())
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
                        .entry("replicas", canary_replicas(service, stable))
                        .comment(format!(
                            "Canary pods next to the stable ones: the traffic share is their ratio; \
                             the design's first step is {} %.",
                            first_weight(service)
                        ))
                        .comment("0 removes the canary (after promotion or to abort).")
                        .entry("stableTag", "")
                        .comment("Image tag of the stable track. Pin it to the live SHA so each deploy lands on")
                        .comment("the canary only; empty means image.tag (first install and after promotion).")
                        .entry("steps", canary_steps(service))
                        .comment("The planned traffic steps (ROLLOUT-007): raise replicas to move on."),
                )
                .gap()
                .comment("Canary by replica ratio (A21): the Service selects both tracks.");
        }
        Shape::CanaryArgo => {
            root = root
                .entry(
                    "canary",
                    Map::new().entry("steps", canary_steps(service)).comment(
                        "Traffic weights in %, rising to 100, each followed by a pause in seconds",
                    ).comment("(0: wait for `kubectl argo rollouts promote`) (ROLLOUT-007)."),
                )
                .gap()
                .comment("Canary with Argo Rollouts; exact weights through the NGINX ingress, replica")
                .comment("ratios otherwise.");
        }
    }
    if matches!(shape, Shape::CanaryArgo | Shape::BlueGreen) {
        root = root
            .entry("analysis", super::analysis::values(design, service, shape))
            .gap()
            .comment(
                "Releases judged by metrics through Prometheus (ROLLOUT-008): the new version's",
            )
            .comment("error rate and p95 latency, against the design's alert thresholds.");
    }
    if let Some(command) = crate::facts::migrations::command(service) {
        let migrations = &service.migrations;
        root = root
            .gap()
            .entry(
                "migrations",
                Map::new()
                    .entry("enabled", true)
                    .comment("The hook Job that migrates the database before the new version serves (MIGRATION-005).")
                    .entry("command", migration_command(command))
                    .comment("Run in the app's own image, with its environment and secrets.")
                    .entry("activeDeadlineSeconds", migrations.timeout_seconds.max(1))
                    .comment("A run that takes longer fails the deploy instead of hanging it.")
                    .entry("backoffLimit", migrations.backoff_limit)
                    .comment("Retries of a failed run; migrations must be safe to run again."),
            )
            .comment("Database migrations (templates/migrations.yaml): the expand and migrate operations")
            .comment("of each release; contract operations ship in a later release (README.md, Release plan).");
    }
    if crate::facts::gitops::smoke_tested_after_sync(design, service) {
        root = root
            .entry(
                "smokeTest",
                Map::new()
                    .entry("enabled", false)
                    .comment("On in the values of the environments Argo CD delivers, where CI cannot tell when")
                    .comment("the new version runs: Argo CD then runs the test after each sync.")
                    .entry("path", crate::facts::workload::health_path(service))
                    .comment("Requested through the app's Service; an error status fails the sync.")
                    .entry("image", crate::facts::image::CURL_IMAGE)
                    .comment("An unprivileged curl, pinned to an exact release.")
                    .entry("activeDeadlineSeconds", 180u32)
                    .comment("curl retries for up to two minutes; a test still running after this fails.")
                    .entry("backoffLimit", 1u32)
                    .comment("One more pod when the first could not run (a node lost, say)."),
            )
            .gap()
            .comment("The smoke test as an Argo CD PostSync hook (templates/smoke-test.yaml, PIPELINE-019).");
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

/// The container command that runs `line`: its words when it is one plain command, else
/// `/bin/sh -c line` (the runtime images are Alpine or Debian slim, with a shell).
fn migration_command(line: &str) -> Vec<String> {
    let line = crate::text::single_line(line).into_owned();
    let plain = line.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '-' | '_' | '.' | '/' | ':' | '=' | '@' | ',' | '+')
    });
    if plain {
        line.split_whitespace().map(str::to_owned).collect()
    } else {
        vec!["/bin/sh".to_owned(), "-c".to_owned(), line]
    }
}

fn color_name(color: crate::model::Color) -> &'static str {
    match color {
        crate::model::Color::Blue => "blue",
        crate::model::Color::Green => "green",
    }
}

fn first_weight(service: &Service) -> u32 {
    service
        .kubernetes
        .rollout
        .canary_steps
        .first()
        .map_or(10, |step| step.weight.clamp(1, 99))
}

/// Canary pods for the first step's weight next to `stable` stable pods, at least one.
pub(super) fn canary_replicas(service: &Service, stable: u32) -> u32 {
    let weight = first_weight(service);
    let exact = f64::from(stable) * f64::from(weight) / f64::from(100 - weight);
    (exact.round() as u32).max(1)
}

fn canary_steps(service: &Service) -> Vec<Node> {
    service
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
/// The Ingress path prefix: `/` when empty, always starting with `/`, percent-encoded.
pub(crate) fn ingress_path(text: &str) -> String {
    match text.trim() {
        "" => "/".to_owned(),
        text => url_path(text),
    }
}

pub(super) fn host(text: &str) -> String {
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
pub(super) fn config_map(variables: &[crate::model::EnvVar]) -> Map {
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
