//! Helm values files: Slipway's own layout (`probes.liveness`, `podSecurityContext`) and the
//! conventional one of `helm create` charts (`livenessProbe.httpGet.path`). What a values file
//! leaves out counts as absent (no probe, no limits), since the chart then renders none.

use serde_json::Value;

use super::report::{error, Located};
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

/// Reads a values file into the Kubernetes part of a design.
pub(super) fn read(text: &str) -> Result<Located, LoadError> {
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
    k8s.probes.startup = probe(&values, "startup", &defaults.startup);
    k8s.probes.liveness = probe(&values, "liveness", &defaults.liveness);
    k8s.probes.readiness = probe(&values, "readiness", &defaults.readiness);
    let pod = &values["podSecurityContext"];
    let container = &values["securityContext"];
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
    let autoscaling = &values["autoscaling"];
    k8s.hpa.enabled = flag(&autoscaling["enabled"]).unwrap_or(false);
    k8s.hpa.min_replicas = number(&autoscaling["minReplicas"]).unwrap_or(k8s.replicas);
    k8s.hpa.max_replicas = number(&autoscaling["maxReplicas"]).unwrap_or(k8s.replicas);
    k8s.hpa.cpu_utilization = number(&autoscaling["targetCPUUtilizationPercentage"]).unwrap_or(80);
    let pdb = if values["podDisruptionBudget"].is_object() {
        &values["podDisruptionBudget"]
    } else {
        &values["pdb"]
    };
    k8s.pdb.enabled = flag(&pdb["enabled"]).unwrap_or(false);
    k8s.pdb.min_available = match &pdb["minAvailable"] {
        Value::String(percent) if percent.ends_with('%') => IntOrPercent::Percent(percent.clone()),
        other => IntOrPercent::Int(number(other).unwrap_or(1)),
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
    read_rollout(&values, &mut design);
    design.services[0].kubernetes.writable_paths = writable_paths(&values);
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
        candidates
            .iter()
            .find_map(|path| outline.field_line(path).filter(|_| exact(&outline, path)))
            .or_else(|| candidates.iter().find_map(|path| outline.field_line(path)))
    };
    Ok((design, Box::new(locate)))
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
