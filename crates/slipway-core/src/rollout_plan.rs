//! The rollout as a timeline: pod counts and traffic share at each step of the design's
//! strategy, and the settings that would stall it.

use crate::facts::analysis;
use crate::model::{CanaryEngine, Design, IntOrPercent, RolloutStrategy, Service};

/// One moment of the rollout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub label: String,
    /// Pods of the running version.
    pub old_pods: u32,
    /// Pods of the new version.
    pub new_pods: u32,
    /// Share of traffic the new version receives, in percent.
    pub new_traffic: u32,
    /// Seconds the rollout waits after this step; `Some(0)` waits for a manual promotion.
    pub pause_seconds: Option<u32>,
    /// Whether the analysis judges the new version during this step.
    pub analysed: bool,
}

/// Where the release is judged by metrics, and what stops it (ROLLOUT-008).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysis {
    /// What runs it: the Rollout's background analysis, or the deploy's check of the idle colour.
    pub how: String,
    /// What stops the release, e.g. "error rate > 5 % or p95 > 2 s aborts".
    pub stops: String,
}

/// The timeline and what would make it stall or misbehave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub replicas: u32,
    pub steps: Vec<Step>,
    pub warnings: Vec<String>,
    /// The analysis, when the release is judged by metrics ([`plan_in`] only).
    pub analysis: Option<Analysis>,
}

/// Resolves a count-or-percentage against `total`, rounding percentages up or down as
/// Kubernetes does (surge up, unavailable down).
pub fn resolve(value: &IntOrPercent, total: u32, round_up: bool) -> u32 {
    match value {
        IntOrPercent::Int(n) => *n,
        IntOrPercent::Percent(text) => {
            let percent: u32 = text
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse()
                .unwrap_or(0);
            let scaled = u64::from(total) * u64::from(percent);
            let result = if round_up {
                scaled.div_ceil(100)
            } else {
                scaled / 100
            };
            u32::try_from(result).unwrap_or(u32::MAX)
        }
    }
}

/// The rollout timeline of one service's workload.
pub fn plan(service: &Service) -> Plan {
    let kubernetes = &service.kubernetes;
    let replicas = if kubernetes.hpa.enabled {
        kubernetes.hpa.min_replicas
    } else {
        kubernetes.replicas
    }
    .clamp(1, 10_000);
    let mut plan = Plan {
        replicas,
        ..Plan::default()
    };
    match kubernetes.rollout.strategy {
        RolloutStrategy::Rolling => rolling(service, &mut plan),
        RolloutStrategy::BlueGreen => blue_green(&mut plan),
        RolloutStrategy::Canary => canary(service, &mut plan),
    }
    warnings(service, &mut plan);
    plan
}

/// The timeline of one service of `design`, with where its release is judged by metrics: the
/// Argo canary's steps that send it traffic, or blue-green's idle colour before the switch.
pub fn plan_in(design: &Design, service: &Service) -> Plan {
    let mut plan = plan(service);
    if !analysis::judged(design, service) {
        return plan;
    }
    let blue_green = service.kubernetes.rollout.strategy == RolloutStrategy::BlueGreen;
    for step in &mut plan.steps {
        step.analysed = if blue_green {
            step.old_pods > 0 && step.new_pods > 0 && step.new_traffic == 0
        } else {
            step.new_traffic > 0 && step.old_pods > 0
        };
    }
    let limits = analysis::limits(design);
    plan.analysis = Some(if blue_green {
        Analysis {
            how: "The deploy asks Prometheus about the idle colour before the switch".to_owned(),
            stops: format!("{limits} fails the deploy"),
        }
    } else {
        Analysis {
            how: "Argo Rollouts analyses the canary in the background, through every pause"
                .to_owned(),
            stops: format!("{limits} aborts"),
        }
    });
    plan
}

fn step(label: impl Into<String>, old_pods: u32, new_pods: u32, new_traffic: u32) -> Step {
    Step {
        label: label.into(),
        old_pods,
        new_pods,
        new_traffic,
        pause_seconds: None,
        analysed: false,
    }
}

fn share(new_pods: u32, old_pods: u32) -> u32 {
    (new_pods * 100)
        .checked_div(new_pods + old_pods)
        .unwrap_or(0)
}

fn rolling(service: &Service, plan: &mut Plan) {
    let rollout = &service.kubernetes.rollout;
    let total = plan.replicas;
    let surge = resolve(&rollout.max_surge, total, true);
    let unavailable = resolve(&rollout.max_unavailable, total, false);
    let (mut old, mut new) = (total, 0);
    plan.steps.push(step("Start", old, new, 0));
    while new < total || old > 0 {
        let room = (total + surge).saturating_sub(old + new);
        let added = room.min(total - new);
        new += added;
        let keep = total.saturating_sub(unavailable);
        let removed = old.min((old + new).saturating_sub(keep));
        old -= removed;
        if added == 0 && removed == 0 {
            plan.warnings.push(format!(
                "The rolling update cannot progress: maxSurge {} and maxUnavailable {} allow no pod to be added or removed (VALID-003).",
                rollout.max_surge, rollout.max_unavailable
            ));
            break;
        }
        let label = format!("+{added} new, −{removed} old");
        plan.steps.push(step(label, old, new, share(new, old)));
        if plan.steps.len() > 1_000 {
            break;
        }
    }
}

fn blue_green(plan: &mut Plan) {
    let total = plan.replicas;
    plan.steps
        .push(step("Blue serves all traffic", total, 0, 0));
    plan.steps.push(Step {
        pause_seconds: Some(0),
        ..step("Green deployed and tested, no traffic yet", total, total, 0)
    });
    plan.steps.push(step(
        "Service selector switched to green",
        total,
        total,
        100,
    ));
    plan.steps.push(step(
        "Blue scaled down after the rollback window",
        0,
        total,
        100,
    ));
}

fn canary(service: &Service, plan: &mut Plan) {
    let rollout = &service.kubernetes.rollout;
    let total = plan.replicas;
    plan.steps
        .push(step("Stable serves all traffic", total, 0, 0));
    let mut previous = 0;
    for canary_step in &rollout.canary_steps {
        let weight = canary_step.weight.min(100);
        let canary_pods = (u64::from(total) * u64::from(weight)).div_ceil(100) as u32;
        let (old, new, traffic) = match rollout.canary_engine {
            // Argo Rollouts without a traffic router approximates the weight by replicas, but
            // keeps the stable set at full size until promotion.
            CanaryEngine::ArgoRollouts => (
                if weight >= 100 { 0 } else { total },
                canary_pods.max(1),
                weight,
            ),
            CanaryEngine::ReplicaRatio => {
                let canary_pods = canary_pods.max(1).min(total);
                let stable = total - canary_pods;
                (stable, canary_pods, share(canary_pods, stable))
            }
        };
        if weight <= previous {
            plan.warnings.push(format!(
                "Canary weights should increase: {weight}% follows {previous}%."
            ));
        }
        if rollout.canary_engine == CanaryEngine::ReplicaRatio && traffic != weight {
            plan.warnings.push(format!(
                "With {total} replicas a replica ratio cannot send {weight}% of traffic: the canary gets {traffic}% (A21). Use Argo Rollouts with a traffic router, or more replicas."
            ));
        }
        previous = weight;
        plan.steps.push(Step {
            pause_seconds: (weight < 100).then_some(canary_step.pause_seconds),
            ..step(format!("Canary at {weight}%"), old, new, traffic)
        });
    }
    if previous < 100 {
        plan.steps
            .push(step("Promoted: canary becomes stable", 0, total, 100));
    }
}

fn warnings(service: &Service, plan: &mut Plan) {
    let kubernetes = &service.kubernetes;
    let total = plan.replicas;
    if kubernetes.pdb.enabled {
        let min_available = resolve(&kubernetes.pdb.min_available, total, true);
        if min_available >= total {
            plan.warnings.push(format!(
                "The PodDisruptionBudget keeps {min_available} of {total} pods available: no pod can be evicted, so node drains and cluster upgrades stall (VALID-005). Raise the replicas or use maxUnavailable: 1."
            ));
        }
    }
    let hpa = &kubernetes.hpa;
    if hpa.enabled && hpa.max_replicas < hpa.min_replicas {
        plan.warnings.push(format!(
            "The autoscaler's maximum ({}) is below its minimum ({}).",
            hpa.max_replicas, hpa.min_replicas
        ));
    }
    if hpa.enabled && kubernetes.rollout.strategy == RolloutStrategy::BlueGreen {
        plan.warnings.push(
            "Blue-green runs two full sets of pods during the switch: the autoscaler must scale each colour, and the cluster needs room for twice the replicas.".to_owned(),
        );
    }
    if !kubernetes.probes.readiness.enabled {
        plan.warnings.push(
            "Without a readiness probe, new pods receive traffic before they are ready and the rollout cannot detect a bad version (K8S-007).".to_owned(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CanaryStep, Design, Runtime};

    fn design() -> Design {
        crate::presets::for_runtime(Runtime::Node)
    }

    #[test]
    fn percentages_round_like_kubernetes() {
        assert_eq!(resolve(&IntOrPercent::percent(25), 3, true), 1);
        assert_eq!(resolve(&IntOrPercent::percent(25), 3, false), 0);
        assert_eq!(resolve(&IntOrPercent::Int(2), 3, false), 2);
    }

    #[test]
    fn a_zero_downtime_rolling_update_replaces_one_pod_at_a_time() {
        let plan = plan(&design().services[0]);
        assert_eq!(plan.replicas, 3);
        let last = plan.steps.last().unwrap();
        assert_eq!(
            (last.old_pods, last.new_pods, last.new_traffic),
            (0, 3, 100)
        );
        assert!(
            plan.steps.iter().all(|s| s.old_pods + s.new_pods >= 3),
            "{plan:#?}"
        );
        assert_eq!(plan.steps.len(), 4);
    }

    #[test]
    fn both_zero_stalls_with_a_warning() {
        let mut design = design();
        design.services[0].kubernetes.rollout.max_surge = IntOrPercent::Int(0);
        let plan = plan(&design.services[0]);
        assert!(plan.warnings.iter().any(|w| w.contains("VALID-003")));
    }

    #[test]
    fn blue_green_doubles_then_switches() {
        let mut design = design();
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::BlueGreen;
        let plan = plan(&design.services[0]);
        assert!(plan
            .steps
            .iter()
            .any(|s| s.old_pods == 3 && s.new_pods == 3 && s.new_traffic == 100));
    }

    #[test]
    fn small_canaries_warn_about_replica_ratios() {
        let mut design = design();
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::Canary;
        design.services[0].kubernetes.rollout.canary_engine = CanaryEngine::ReplicaRatio;
        let plan = plan(&design.services[0]);
        assert!(plan.warnings.iter().any(|w| w.contains("A21")));
        design.services[0].kubernetes.rollout.canary_steps = vec![
            CanaryStep {
                weight: 50,
                pause_seconds: 60,
            },
            CanaryStep {
                weight: 20,
                pause_seconds: 0,
            },
        ];
        assert!(super::plan(&design.services[0])
            .warnings
            .iter()
            .any(|w| w.contains("increase")));
    }

    #[test]
    fn analysis_marks_the_canary_steps_and_the_idle_colour() {
        let mut design = design();
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::Canary;
        let canary = plan_in(&design, &design.services[0]);
        let marked: Vec<&str> = canary
            .steps
            .iter()
            .filter(|step| step.analysed)
            .map(|step| step.label.as_str())
            .collect();
        assert_eq!(marked, ["Canary at 1%", "Canary at 5%", "Canary at 25%"]);
        assert_eq!(
            canary.analysis.unwrap().stops,
            "error rate > 5 % or p95 > 2 s aborts"
        );
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::BlueGreen;
        let blue_green = plan_in(&design, &design.services[0]);
        assert_eq!(
            blue_green.steps.iter().filter(|step| step.analysed).count(),
            1
        );
        assert!(blue_green.steps[1].analysed);
        design.services[0].kubernetes.rollout.analysis = false;
        let off = plan_in(&design, &design.services[0]);
        assert!(off.analysis.is_none() && off.steps.iter().all(|step| !step.analysed));
    }

    #[test]
    fn a_pdb_that_keeps_every_pod_warns() {
        let mut design = design();
        design.services[0].kubernetes.hpa.enabled = false;
        design.services[0].kubernetes.replicas = 2;
        assert!(plan(&design.services[0])
            .warnings
            .iter()
            .any(|w| w.contains("VALID-005")));
    }
}
