use crate::facts::jobs::jobs_of;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::facts::workload::workload;
use crate::model::{Design, JobKind, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct FailedRolloutAutoUndo;

fn startup_budget(service: &Service) -> u32 {
    let probe = &service.kubernetes.probes.startup;
    if !probe.enabled || !service.kind.is_web() {
        return 0;
    }
    probe.initial_delay_seconds + probe.period_seconds.saturating_mul(probe.failure_threshold)
}

/// Why a deploy command cannot undo a failed rollout.
fn no_undo(segment: &str, job_undoes: bool) -> Option<&'static str> {
    let (tool, args) = tool_and_args(segment)?;
    let first = args.first().copied().unwrap_or("");
    match tool {
        "helm" if first == "upgrade" => {
            let atomic = args
                .iter()
                .any(|arg| matches!(*arg, "--atomic" | "--rollback-on-failure"));
            (!atomic)
                .then_some("`helm upgrade` without `--atomic` leaves a failed release in place")
        }
        "kubectl"
            if matches!(first, "apply" | "replace" | "patch")
                || (first == "set" && args.get(1) == Some(&"image")) =>
        {
            (!job_undoes)
                .then_some("the job never runs `kubectl rollout undo` when the rollout fails")
        }
        _ => None,
    }
}

fn undoes(segment: &str) -> bool {
    matches!(tool_and_args(segment), Some(("kubectl", args)) if args.first() == Some(&"rollout") && args.get(1) == Some(&"undo"))
}

/// Deploy commands that cannot undo: (job index, command position, reason).
/// Deploy commands of the jobs that roll the service out that leave a failed rollout in place.
fn loose_commands(design: &Design, service: usize) -> Vec<(usize, usize, &'static str)> {
    let mut found = Vec::new();
    for index in jobs_of(design, JobKind::Deploy) {
        let job = &design.pipeline.jobs[index];
        if super::deploys::rolled_out_service(design, job) != Some(service) {
            continue;
        }
        let job_undoes = job
            .commands
            .iter()
            .flat_map(|l| simple_commands(l))
            .any(undoes);
        for (position, line) in job.commands.iter().enumerate() {
            if let Some(reason) = simple_commands(line)
                .into_iter()
                .find_map(|s| no_undo(s, job_undoes))
            {
                found.push((index, position, reason));
            }
        }
    }
    found
}

impl Rule for FailedRolloutAutoUndo {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-002",
        name: "failed-rollout-auto-undo",
        severity: Severity::High,
        area: Area::Rollout,
        title: "A failed or stalled rollout is undone automatically",
        what: "The Deployment sets `progressDeadlineSeconds`, longer than the startup probe's \
               budget, and every deploy rolls back on its own when the rollout fails: the \
               generated deploy uses `helm upgrade --atomic --wait`; custom deploy commands must \
               use `--atomic` (`--rollback-on-failure` in Helm 4) or follow `kubectl rollout \
               status` with `kubectl rollout undo`.",
        why: "Kubernetes never rolls back by itself: a stalled rollout is only marked failed, and \
              the half-updated Deployment stays that way until someone notices. The pipeline is \
              the one place that knows the rollout failed, so it has to undo it.",
        incorrect: "- run: helm upgrade app ./chart --wait",
        correct: "- run: helm upgrade app ./chart --atomic --wait --timeout 10m",
        fix: "Sets a progress deadline (600 s, or twice the startup budget), adds `--atomic` to \
              `helm upgrade`, and follows `kubectl apply` with a rollout-status check that undoes \
              the rollout on failure.",
        source: "000 · Key Concepts › Deployment Strategies table (rolling: \"automatic \
                 rollback\"); Key Decisions (\"automatic rollback\"); contradiction A4",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let design = context.design;
        let Some(k8s) = workload(service) else {
            return Vec::new();
        };
        let mut violations = Vec::new();
        let deadline = k8s.rollout.progress_deadline_seconds;
        let budget = startup_budget(service);
        if deadline == 0 {
            violations.push(Violation::new(
                "kubernetes.rollout.progress_deadline_seconds",
                "No progress deadline: a stalled rollout is never even marked as failed.",
            ));
        } else if deadline <= budget {
            violations.push(Violation::new(
                "kubernetes.rollout.progress_deadline_seconds",
                format!(
                    "The progress deadline ({deadline} s) ends before a pod's startup budget ({budget} s): slow but healthy starts are reported as failures."
                ),
            ));
        }
        for (index, position, reason) in loose_commands(design, context.index) {
            violations.push(Violation::new(
                format!("pipeline.jobs[{index}].commands[{position}]"),
                format!("Deploy job `{}`: {reason}.", design.pipeline.jobs[index].id),
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Undo failed rollouts",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut no_deadline = Design::default();
        no_deadline.services[0]
            .kubernetes
            .rollout
            .progress_deadline_seconds = 0;
        let mut short = Design::default();
        short.services[0]
            .kubernetes
            .rollout
            .progress_deadline_seconds = 60;
        let mut helm = Design::default();
        helm.pipeline.jobs[5].commands = vec!["helm upgrade app ./chart --wait".into()];
        let mut kubectl = Design::default();
        kubectl.pipeline.jobs[4].commands = vec![
            "kubectl apply -f k8s/".into(),
            "kubectl rollout status deployment/app --timeout=600s".into(),
        ];
        vec![no_deadline, short, helm, kubectl]
    }
}

fn apply(design: &mut Design, service: usize) {
    let budget = startup_budget(&design.services[service]);
    let rollout = &mut design.services[service].kubernetes.rollout;
    if rollout.progress_deadline_seconds == 0 || rollout.progress_deadline_seconds <= budget {
        rollout.progress_deadline_seconds = 600.max(budget * 2);
    }
    let deadline = rollout.progress_deadline_seconds;
    let name = crate::text::identifier(&design.services[service].name, "app");
    let namespace =
        crate::text::identifier(&design.services[service].kubernetes.namespace, "default");
    let guard = format!(
        "kubectl rollout status deployment/{name} -n {namespace} --timeout={deadline}s || {{ kubectl rollout undo deployment/{name} -n {namespace}; exit 1; }}"
    );
    let mut guarded = Vec::new();
    for (index, position, _) in loose_commands(design, service) {
        let line = &mut design.pipeline.jobs[index].commands[position];
        if line.contains("helm") && line.contains("upgrade") {
            *line = line.replacen("upgrade", "upgrade --atomic", 1);
        } else if !guarded.contains(&index) {
            guarded.push(index);
        }
    }
    for index in guarded {
        design.pipeline.jobs[index].commands.push(guard.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_generated_deploys() {
        assert!(fields(&FailedRolloutAutoUndo, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_a_deadline_or_an_undo() {
        let reported: Vec<Vec<String>> = FailedRolloutAutoUndo::failing_examples()
            .iter()
            .map(|design| fields(&FailedRolloutAutoUndo, design))
            .collect();
        assert_eq!(
            reported[0],
            ["kubernetes.rollout.progress_deadline_seconds"]
        );
        assert_eq!(
            reported[1],
            ["kubernetes.rollout.progress_deadline_seconds"]
        );
        assert_eq!(reported[2], ["pipeline.jobs[5].commands[0]"]);
        assert_eq!(reported[3], ["pipeline.jobs[4].commands[0]"]);
    }

    #[test]
    fn a_deploy_command_is_reported_for_the_service_it_rolls_out() {
        use crate::rules::Context;
        let mut design = FailedRolloutAutoUndo::failing_examples().remove(2);
        design.services[0].kubernetes.enabled = false;
        design.services.push(crate::model::Service {
            name: "api".into(),
            directory: "api".into(),
            ..crate::model::Service::default()
        });
        // The job works on the first service, which is not on Kubernetes: the first service
        // that is rolls it out.
        assert!(FailedRolloutAutoUndo
            .check(&Context::for_service(&design, 0))
            .is_empty());
        let found = FailedRolloutAutoUndo.check(&Context::for_service(&design, 1));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "pipeline.jobs[5].commands[0]");
        apply(&mut design, 1);
        assert!(FailedRolloutAutoUndo
            .check(&Context::for_service(&design, 1))
            .is_empty());
    }
}
