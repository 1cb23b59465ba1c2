use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::deploys::{custom_deploy_commands, runs_helm_upgrade};

pub struct ReleaseHistoryForRollback;

/// The `--history-max` value of a command, if it sets one.
fn history_max(command: &str) -> Option<&str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    words.iter().enumerate().find_map(|(k, word)| {
        if let Some(value) = word.strip_prefix("--history-max=") {
            Some(value)
        } else if *word == "--history-max" {
            words.get(k + 1).copied()
        } else {
            None
        }
    })
}

fn problem(command: &str) -> Option<&'static str> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if words
        .windows(2)
        .any(|pair| pair[0].ends_with("kubectl") && pair[1] == "apply")
    {
        return Some("applies manifests with `kubectl apply`, which keeps no release history");
    }
    if runs_helm_upgrade(command)
        && history_max(command)
            .is_some_and(|value| matches!(value.trim_matches(['"', '\'']), "0" | "1"))
    {
        return Some("keeps at most one Helm revision, so there is nothing to roll back to");
    }
    None
}

impl Rule for ReleaseHistoryForRollback {
    const DOC: RuleDoc = RuleDoc {
        id: "HELM-004",
        name: "release-history-for-rollback",
        severity: Severity::Low,
        area: Area::Helm,
        title: "Deploys keep Helm release history to roll back to",
        what: "Kubernetes deploy jobs release with `helm upgrade --install`, not `kubectl apply` \
               of rendered manifests, and do not cap the history with `--history-max 0` or `1`.",
        why: "`helm rollback <release> <revision>` needs earlier revisions: `kubectl apply` \
              records none, and a history of one revision has nothing to go back to.",
        incorrect: "commands:\n- helm template app charts/app | kubectl apply -f -",
        correct: "commands: []  # the generated step: helm upgrade --install ... --history-max 10",
        fix: "Clears the deploy job's own commands, so it runs the generated \
              `helm upgrade --install … --atomic --history-max 10`. Unsafe: the commands are \
              discarded.",
        source: "000 · Environment Management › Rollback Procedures (helm rollback)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        custom_deploy_commands(context.design)
            .into_iter()
            .filter_map(|(i, j, job, command)| {
                problem(command).map(|reason| {
                    Violation::new(
                        format!("pipeline.jobs[{i}].commands[{j}]"),
                        format!("Deploy job `{}` {reason}.", job.id),
                    )
                })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Deploy with the generated helm upgrade",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut apply = Design::default();
        apply.pipeline.jobs[4].commands =
            vec!["helm template app charts/app | kubectl apply -f -".to_owned()];
        let mut capped = Design::default();
        capped.pipeline.jobs[5].commands = vec![
            "helm upgrade --install app charts/app -f charts/app/values/production.yaml --history-max=1"
                .to_owned(),
        ];
        vec![apply, capped]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let jobs: Vec<usize> = custom_deploy_commands(design)
        .into_iter()
        .filter(|(_, _, _, command)| problem(command).is_some())
        .map(|(i, ..)| i)
        .collect();
    for i in jobs {
        design.pipeline.jobs[i].commands.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_with_a_long_history() {
        assert!(fields(&ReleaseHistoryForRollback, &Design::default()).is_empty());
        let mut design = Design::default();
        design.pipeline.jobs[5].commands =
            vec!["helm upgrade --install app charts/app --history-max 10".to_owned()];
        assert!(fields(&ReleaseHistoryForRollback, &design).is_empty());
    }

    #[test]
    fn fails_on_kubectl_apply_and_a_history_of_one() {
        let examples = ReleaseHistoryForRollback::failing_examples();
        assert_eq!(
            fields(&ReleaseHistoryForRollback, &examples[0]),
            ["pipeline.jobs[4].commands[0]"]
        );
        assert_eq!(
            fields(&ReleaseHistoryForRollback, &examples[1]),
            ["pipeline.jobs[5].commands[0]"]
        );
        let mut fixed = examples[1].clone();
        apply(&mut fixed, 0);
        assert!(fixed.pipeline.jobs[5].commands.is_empty());
    }
}
