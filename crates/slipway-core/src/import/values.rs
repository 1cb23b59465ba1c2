//! Helm values files: Slipway's own layout (`probes.liveness`, `podSecurityContext`) and the
//! conventional one of `helm create` charts (`livenessProbe.httpGet.path`). What a values file
//! leaves out counts as absent (no probe, no limits), since the chart then renders none.

use serde_json::Value;

use super::{located_error as error, Located};
use crate::formats::outline::Outline;
use crate::io::LoadError;
use crate::model::{
    CanaryEngine, CanaryStep, Design, EnvironmentTier, IntOrPercent, Probe, RolloutStrategy,
};

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => String::new(),
    }
}

fn number(value: &Value) -> Option<u32> {
    value.as_u64().map(|n| n.min(u32::MAX as u64) as u32)
}

fn flag(value: &Value) -> Option<bool> {
    value.as_bool()
}

/// Whether a conventional probe leaves its handler to the chart's template: it sets timings
/// (`enabled`, `periodSeconds`) but no `httpGet`, as Bitnami charts do, or it probes a TCP
/// port or runs a command, which has no path.
fn handler_elsewhere(values: &Value, name: &str) -> bool {
    let conventional = &values[format!("{name}Probe").as_str()];
    !values["probes"][name].is_object()
        && conventional.is_object()
        && conventional["httpGet"].is_null()
}

/// A probe from `probes.<name>` (Slipway) or `<name>Probe` (conventional); absent → disabled.
fn probe(values: &Value, name: &str, default: &Probe) -> Probe {
    let ours = &values["probes"][name];
    let conventional = &values[format!("{name}Probe").as_str()];
    let (source, path) = if ours.is_object() {
        (ours, text_of(&ours["path"]))
    } else if conventional.is_object() {
        (conventional, text_of(&conventional["httpGet"]["path"]))
    } else {
        return Probe {
            enabled: false,
            ..default.clone()
        };
    };
    Probe {
        enabled: flag(&source["enabled"]).unwrap_or(true),
        path,
        initial_delay_seconds: number(&source["initialDelaySeconds"]).unwrap_or(0),
        period_seconds: number(&source["periodSeconds"]).unwrap_or(10),
        timeout_seconds: number(&source["timeoutSeconds"]).unwrap_or(1),
        failure_threshold: number(&source["failureThreshold"]).unwrap_or(3),
    }
}

/// Reads a values file into the Kubernetes part of a design, with the probe path fields the
/// file cannot speak for (the chart's template sets their handler).
pub fn read(text: &str) -> Result<(Located, Vec<String>), LoadError> {
    let values: Value = serde_norway::from_str(text).map_err(|problem| {
        error(
            problem.location().map(|location| location.line()),
            format!("not valid YAML: {problem}"),
        )
    })?;
    if !values.is_object() {
        return Err(error(
            Some(1),
            "a values file is a YAML mapping of settings",
        ));
    }
    let root = workload_root(&values);
    let values = match root {
        Some(key) => &values[key],
        None => &values,
    };
    let mut design = Design::default();
    let defaults = design.services[0].kubernetes.probes.clone();
    let k8s = &mut design.services[0].kubernetes;
    k8s.enabled = true;
    k8s.replicas = number(&values["replicaCount"]).unwrap_or(1);
    let resources = &values["resources"];
    k8s.resources.requests_cpu = text_of(&resources["requests"]["cpu"]);
    k8s.resources.requests_memory = text_of(&resources["requests"]["memory"]);
    k8s.resources.limits_cpu = text_of(&resources["limits"]["cpu"]);
    k8s.resources.limits_memory = text_of(&resources["limits"]["memory"]);
    // Bitnami charts size the container from a preset when `resources` is empty.
    if let Some([requests_cpu, requests_memory, limits_cpu, limits_memory]) =
        values["resourcesPreset"].as_str().and_then(preset)
    {
        let own = &mut k8s.resources;
        for (field, value) in [
            (&mut own.requests_cpu, requests_cpu),
            (&mut own.requests_memory, requests_memory),
            (&mut own.limits_cpu, limits_cpu),
            (&mut own.limits_memory, limits_memory),
        ] {
            if field.is_empty() {
                *field = value.to_owned();
            }
        }
    }
    k8s.probes.startup = probe(values, "startup", &defaults.startup);
    k8s.probes.liveness = probe(values, "liveness", &defaults.liveness);
    k8s.probes.readiness = probe(values, "readiness", &defaults.readiness);
    let mut unknown_paths: Vec<String> = ["startup", "liveness", "readiness"]
        .into_iter()
        .filter(|name| handler_elsewhere(values, name))
        .map(|name| format!("kubernetes.probes.{name}.path"))
        .collect();
    // A chart that takes only `extraVolumeMounts` has mounts of its own in its templates
    // (Bitnami mounts an emptyDir on /tmp for a read-only root): the file does not list them.
    if values["writablePaths"].is_null()
        && values["volumeMounts"].is_null()
        && !values["extraVolumeMounts"].is_null()
    {
        unknown_paths.push("kubernetes.writable_paths".to_owned());
    }
    // A section turned off (`enabled: false`, as Bitnami writes it) renders nothing.
    let section = |key: &str| match &values[key] {
        section if section["enabled"] == Value::Bool(false) => &Value::Null,
        section => section,
    };
    let pod = section("podSecurityContext");
    let container = if values["containerSecurityContext"].is_object() {
        section("containerSecurityContext")
    } else {
        section("securityContext")
    };
    let either = |key: &str| {
        if container[key].is_null() {
            &pod[key]
        } else {
            &container[key]
        }
    };
    let context = &mut k8s.security_context;
    context.run_as_non_root = flag(either("runAsNonRoot")).unwrap_or(false);
    context.run_as_user = number(either("runAsUser")).unwrap_or(0);
    context.run_as_group = number(either("runAsGroup")).unwrap_or(0);
    context.fs_group = number(&pod["fsGroup"]).unwrap_or(0);
    // Kubernetes allows privilege escalation unless it is turned off.
    context.allow_privilege_escalation =
        flag(&container["allowPrivilegeEscalation"]).unwrap_or(true);
    context.read_only_root_filesystem = flag(&container["readOnlyRootFilesystem"]).unwrap_or(false);
    context.drop_capabilities = container["capabilities"]["drop"]
        .as_array()
        .map(|drop| drop.iter().map(text_of).collect())
        .unwrap_or_default();
    context.seccomp_runtime_default = flag(&pod["seccompRuntimeDefault"]).unwrap_or(false)
        || pod["seccompProfile"]["type"].as_str() == Some("RuntimeDefault");
    let autoscaling = if values["autoscaling"]["hpa"].is_object() {
        &values["autoscaling"]["hpa"]
    } else {
        &values["autoscaling"]
    };
    k8s.hpa.enabled = flag(&autoscaling["enabled"]).unwrap_or(false);
    k8s.hpa.min_replicas = number(&autoscaling["minReplicas"]).unwrap_or(k8s.replicas);
    k8s.hpa.max_replicas = number(&autoscaling["maxReplicas"]).unwrap_or(k8s.replicas);
    k8s.hpa.cpu_utilization = number(&autoscaling["targetCPUUtilizationPercentage"]).unwrap_or(80);
    let pdb = if values["podDisruptionBudget"].is_object() {
        &values["podDisruptionBudget"]
    } else {
        &values["pdb"]
    };
    k8s.pdb.enabled = flag(&pdb["enabled"])
        .or_else(|| flag(&pdb["create"]))
        .unwrap_or(false);
    k8s.pdb.min_available = match (&pdb["minAvailable"], number(&pdb["maxUnavailable"])) {
        (Value::String(percent), _) if percent.ends_with('%') => {
            IntOrPercent::Percent(percent.clone())
        }
        (other, _) if number(other).is_some() => IntOrPercent::Int(number(other).unwrap_or(1)),
        // Only a number of pods that may be down: the rest must stay.
        (_, Some(down)) => IntOrPercent::Int(k8s.replicas.saturating_sub(down)),
        // Bitnami's `pdb.create` with neither set renders `maxUnavailable: 1`.
        _ if !pdb["create"].is_null() => IntOrPercent::Int(k8s.replicas.saturating_sub(1)),
        _ => IntOrPercent::Int(1),
    };
    let ingress = &values["ingress"];
    k8s.ingress.enabled = flag(&ingress["enabled"]).unwrap_or(false);
    k8s.ingress.tls = match &ingress["tls"] {
        Value::Array(entries) => !entries.is_empty(),
        Value::Object(tls) => tls.get("enabled").and_then(Value::as_bool).unwrap_or(true),
        Value::Bool(on) => *on,
        _ => false,
    };
    k8s.ingress.host = text_of(&ingress["host"]);
    if k8s.ingress.host.is_empty() {
        k8s.ingress.host = text_of(&ingress["hosts"][0]["host"]);
    }
    read_rollout(values, &mut design);
    design.services[0].kubernetes.writable_paths = writable_paths(values);
    // A chart that turns its Service off receives no traffic: a worker, whose pods need no
    // HTTP probes.
    if values["service"]["enabled"] == Value::Bool(false) {
        design.services[0].kind = crate::model::ServiceKind::Worker;
    }
    // A values file has no environments: judge it as the production one it usually is.
    design
        .environments
        .retain(|environment| environment.tier == EnvironmentTier::Production);
    for environment in &mut design.environments {
        environment.replicas = design.services[0].kubernetes.replicas;
        environment.hpa_min_replicas = design.services[0].kubernetes.hpa.min_replicas;
        environment.hpa_max_replicas = design.services[0].kubernetes.hpa.max_replicas;
    }
    let outline = Outline::new(text);
    let prefix = root.map(|key| format!("{key}.")).unwrap_or_default();
    let locate = move |field: &str| {
        // The environment a values file stands for takes its pod counts from the file.
        let environment_key = field
            .strip_prefix("environments[")
            .and_then(|rest| rest.split_once("]."))
            .map(|(_, key)| key);
        let field = match environment_key {
            Some(key) if key.starts_with("hpa_") => "kubernetes.hpa",
            Some(_) => "kubernetes.replicas",
            None => field,
        };
        let rest = field.strip_prefix("kubernetes.")?;
        let candidates: &[&str] = match rest.split(['.', '[']).collect::<Vec<_>>().as_slice() {
            ["replicas", ..] => &["replicaCount"],
            ["resources", ..] => &["resources"],
            ["probes", "startup", ..] => &["probes.startup", "startupProbe"],
            ["probes", "liveness", ..] => &["probes.liveness", "livenessProbe"],
            ["probes", "readiness", ..] => &["probes.readiness", "readinessProbe"],
            ["security_context", "fs_group" | "seccomp_runtime_default", ..] => {
                &["podSecurityContext"]
            }
            ["security_context", "run_as_non_root", ..] => &[
                "podSecurityContext.runAsNonRoot",
                "securityContext.runAsNonRoot",
                "podSecurityContext",
                "securityContext",
            ],
            ["security_context", "run_as_user" | "run_as_group", ..] => &[
                "podSecurityContext.runAsUser",
                "securityContext.runAsUser",
                "podSecurityContext",
                "securityContext",
            ],
            ["security_context", "drop_capabilities", ..] => {
                &["securityContext.capabilities", "securityContext"]
            }
            ["security_context", ..] => &["securityContext", "podSecurityContext"],
            ["hpa", ..] => &["autoscaling"],
            ["pdb", ..] => &["podDisruptionBudget", "pdb"],
            ["ingress", ..] => &["ingress.tls", "ingress"],
            ["rollout", "max_surge", ..] => &[
                "rollout.maxSurge",
                "strategy.rollingUpdate.maxSurge",
                "rollout",
                "strategy",
            ],
            ["rollout", "max_unavailable", ..] => &[
                "rollout.maxUnavailable",
                "strategy.rollingUpdate.maxUnavailable",
                "rollout",
                "strategy",
            ],
            ["rollout", "progress_deadline_seconds", ..] => &[
                "rollout.progressDeadlineSeconds",
                "progressDeadlineSeconds",
                "rollout",
            ],
            ["rollout", "canary_steps", ..] => &["canary.steps", "canary"],
            ["rollout", ..] => &["rollout", "strategy", "blueGreen", "canary"],
            ["writable_paths", ..] => &["writablePaths", "volumeMounts", "securityContext"],
            _ => &[],
        };
        let mut candidates: Vec<String> = candidates
            .iter()
            .map(|path| format!("{prefix}{path}"))
            .collect();
        if candidates
            .iter()
            .any(|path| path.contains("securityContext"))
        {
            let bitnami: Vec<String> = candidates
                .iter()
                .filter(|path| {
                    path.contains(".securityContext") || path.starts_with("securityContext")
                })
                .map(|path| path.replace("securityContext", "containerSecurityContext"))
                .collect();
            candidates.splice(0..0, bitnami);
        }
        if candidates.iter().any(|path| path.ends_with("resources")) {
            candidates.push(format!("{prefix}resourcesPreset"));
        }
        candidates
            .iter()
            .find_map(|path| outline.field_line(path).filter(|_| exact(&outline, path)))
            .or_else(|| candidates.iter().find_map(|path| outline.field_line(path)))
            .or_else(|| root.and_then(|key| outline.field_line(key)))
    };
    Ok(((design, Box::new(locate)), unknown_paths))
}

/// Keys that configure a workload's container in a values file.
const WORKLOAD_KEYS: &[&str] = &[
    "resources",
    "resourcesPreset",
    "securityContext",
    "containerSecurityContext",
    "podSecurityContext",
    "livenessProbe",
    "readinessProbe",
];

/// Where the workload's settings are: at the top of the file, or, in a chart of several
/// components whose top level has none of them, in its main component's section (Bitnami's
/// `primary` and `master`, ingress-nginx's `controller`, …). A component turned off
/// (`enabled: false`) is not the workload.
fn workload_root(values: &Value) -> Option<&'static str> {
    let has_workload = |section: &Value| WORKLOAD_KEYS.iter().any(|key| !section[*key].is_null());
    if has_workload(values) {
        return None;
    }
    [
        "primary",
        "master",
        "controller",
        "server",
        "deployment",
        "app",
    ]
    .into_iter()
    .find(|key| {
        let section = &values[*key];
        has_workload(section) && section["enabled"] != Value::Bool(false)
    })
}

/// Bitnami's `resourcesPreset` sizes (requests cpu and memory, limits cpu and memory), as
/// the `common.resources.preset` template renders them; `none` sets nothing.
fn preset(name: &str) -> Option<[&'static str; 4]> {
    Some(match name {
        "nano" => ["100m", "128Mi", "150m", "192Mi"],
        "micro" => ["250m", "256Mi", "375m", "384Mi"],
        "small" => ["500m", "512Mi", "750m", "768Mi"],
        "medium" => ["500m", "1024Mi", "750m", "1536Mi"],
        "large" => ["1.0", "2048Mi", "1.5", "3072Mi"],
        "xlarge" => ["1.0", "3072Mi", "3.0", "6144Mi"],
        "2xlarge" => ["1.0", "3072Mi", "6.0", "12288Mi"],
        _ => return None,
    })
}

/// The rollout settings: Slipway's `rollout`, `blueGreen` and `canary` sections, or the
/// conventional `strategy.rollingUpdate`. Left out, Kubernetes' defaults apply (25 % surge,
/// 25 % unavailable, a 600 s deadline, 10 old ReplicaSets).
fn read_rollout(values: &Value, design: &mut Design) {
    let ours = &values["rollout"];
    let conventional = &values["strategy"]["rollingUpdate"];
    let source = if ours.is_object() { ours } else { conventional };
    let quantity = |value: &Value| match value {
        Value::String(percent) if percent.trim().ends_with('%') => {
            Some(IntOrPercent::Percent(percent.trim().to_owned()))
        }
        other => number(other).map(IntOrPercent::Int),
    };
    let rollout = &mut design.services[0].kubernetes.rollout;
    rollout.max_surge = quantity(&source["maxSurge"]).unwrap_or(IntOrPercent::percent(25));
    rollout.max_unavailable =
        quantity(&source["maxUnavailable"]).unwrap_or(IntOrPercent::percent(25));
    rollout.progress_deadline_seconds = number(&ours["progressDeadlineSeconds"])
        .or_else(|| number(&values["progressDeadlineSeconds"]))
        .unwrap_or(600);
    rollout.revision_history_limit = number(&ours["revisionHistoryLimit"])
        .or_else(|| number(&values["revisionHistoryLimit"]))
        .unwrap_or(10);
    rollout.strategy = RolloutStrategy::Rolling;
    if values["blueGreen"].is_object() {
        rollout.strategy = RolloutStrategy::BlueGreen;
    } else if values["canary"].is_object() {
        let canary = &values["canary"];
        rollout.strategy = RolloutStrategy::Canary;
        rollout.canary_engine = if canary["replicas"].is_null() {
            CanaryEngine::ArgoRollouts
        } else {
            CanaryEngine::ReplicaRatio
        };
        rollout.canary_steps = canary["steps"]
            .as_array()
            .map(|steps| {
                steps
                    .iter()
                    .map(|step| CanaryStep {
                        weight: number(&step["weight"]).unwrap_or(0),
                        pause_seconds: number(&step["pauseSeconds"]).unwrap_or(0),
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
}

/// Paths the app can write to: Slipway's `writablePaths`, or the conventional chart's
/// `volumeMounts` (an emptyDir is how a read-only container gets a writable /tmp).
fn writable_paths(values: &Value) -> Vec<String> {
    if let Some(paths) = values["writablePaths"].as_array() {
        return paths.iter().map(text_of).collect();
    }
    values["volumeMounts"]
        .as_array()
        .map(|mounts| {
            mounts
                .iter()
                .map(|mount| text_of(&mount["mountPath"]))
                .filter(|path| !path.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether every key of `path` is present (not just its first part).
fn exact(outline: &Outline, path: &str) -> bool {
    let depth = path.split('.').count();
    let found: Vec<usize> = (1..=depth)
        .filter_map(|n| {
            let prefix: Vec<&str> = path.split('.').take(n).collect();
            outline.field_line(&prefix.join("."))
        })
        .collect();
    found.len() == depth && found.windows(2).all(|pair| pair[0] < pair[1])
}
