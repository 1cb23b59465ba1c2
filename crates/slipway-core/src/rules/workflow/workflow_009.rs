#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{all_steps, at, document, get, is_false, jobs};

pub struct InsecureCommands;

const VARIABLE: &str = "ACTIONS_ALLOW_UNSECURE_COMMANDS";

impl Rule for InsecureCommands {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-009",
        name: "insecure-commands",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "The retired set-env and add-path commands stay off",
        what: "No `env:` of the workflow, a job or a step sets `ACTIONS_ALLOW_UNSECURE_COMMANDS`.",
        why: "The variable turns back on the `::set-env::` and `::add-path::` log commands GitHub \
              retired in 2020 (CVE-2020-15228): any step that prints text an attacker wrote — a \
              pull request title, a test name, a downloaded file — can then set `LD_PRELOAD`, \
              `NODE_OPTIONS` or `PATH` for every later step.",
        incorrect: "env:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true",
        correct: "- run: echo \"name=value\" >> \"$GITHUB_ENV\"",
        fix: "Manual: remove the variable; write to `$GITHUB_ENV` / `$GITHUB_PATH` instead.",
        source: "Not in the documents: GitHub Security Advisory GHSA-mfwh-5m23-j46w \
                 (CVE-2020-15228)",
        equivalents: &["zizmor insecure-commands"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let message = || {
            format!("`{VARIABLE}` turns back on the retired `set-env` and `add-path` commands: any printed text can set the environment.")
        };
        let Some(document) = document(context) else {
            let jobs = context.design.pipeline.jobs.iter().enumerate();
            return jobs
                .flat_map(|(job, found)| {
                    found
                        .env
                        .iter()
                        .enumerate()
                        .map(move |(index, var)| (job, index, var))
                })
                .filter(|(_, _, var)| var.name == VARIABLE && var.value.trim() != "false")
                .map(|(job, index, _)| {
                    Violation::new(format!("pipeline.jobs[{job}].env[{index}]"), message())
                })
                .collect();
        };
        let mut nodes = vec![(String::new(), &*document)];
        nodes.extend(
            jobs(&document)
                .into_iter()
                .map(|(id, job)| (format!("jobs.{id}."), job)),
        );
        nodes.extend(
            all_steps(&document)
                .into_iter()
                .map(|(path, step)| (format!("{path}."), step)),
        );
        nodes
            .into_iter()
            .filter_map(|(path, node)| {
                let value = get(node, "env").and_then(|env| get(env, VARIABLE))?;
                (!is_false(Some(value))).then(|| at(format!("{path}env.{VARIABLE}"), message()))
            })
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.jobs[0].env.push(crate::model::EnvVar {
            name: VARIABLE.into(),
            value: "true".into(),
        });
        vec![design]
    }

    #[cfg(test)]
    fn failing_workflows() -> Vec<&'static str> {
        vec!["on: push\nenv:\n  ACTIONS_ALLOW_UNSECURE_COMMANDS: true\njobs: {}\n"]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_without_the_variable() {
        assert!(flags(
            &InsecureCommands,
            "env: {A: b}\njobs:\n  a: {env: {ACTIONS_ALLOW_UNSECURE_COMMANDS: false}}\n"
        )
        .is_empty());
    }

    #[test]
    fn fails_with_the_variable() {
        assert_eq!(
            flags(
                &InsecureCommands,
                "jobs:\n  a:\n    steps:\n      - env: {ACTIONS_ALLOW_UNSECURE_COMMANDS: true}\n"
            ),
            ["workflow.jobs.a.steps[0].env.ACTIONS_ALLOW_UNSECURE_COMMANDS"]
        );
    }
}
