#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{all_steps, at, attacker_controlled, document, events, get, text};

pub struct GithubEnv;

/// Whether a script writes to the environment or path file of later steps.
fn writes_environment(script: &str) -> bool {
    script.contains("GITHUB_ENV") || script.contains("GITHUB_PATH")
}

impl Rule for GithubEnv {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-010",
        name: "github-env",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "No outsider's text reaches $GITHUB_ENV or $GITHUB_PATH",
        what: "No script writes text an outsider controls (a pull request title, a branch name, \
               …) to `$GITHUB_ENV` or `$GITHUB_PATH`, and a workflow started by \
               `pull_request_target` or `workflow_run` writes to them at all.",
        why: "Every later step of the job reads those files: a value with a newline sets any \
              variable (`LD_PRELOAD`, `BASH_ENV`, `NODE_OPTIONS`) or puts an attacker's \
              directory first on the `PATH`, running their code with the job's secrets. Under \
              the privileged triggers, the written data often comes from the pull request's \
              files or artifacts.",
        incorrect: "- run: echo \"BRANCH=${{ github.head_ref }}\" >> \"$GITHUB_ENV\"",
        correct: "- run: echo \"branch=$BRANCH\" >> \"$GITHUB_OUTPUT\"\n  env:\n    BRANCH: ${{ github.head_ref }}",
        fix: "Manual: pass the value to the steps that need it through `env:` or a step output, \
              never through the environment file.",
        source: "Not in the documents: GitHub Security Lab, \"Keeping your GitHub Actions and \
                 workflows secure: untrusted input\" (environment files)",
        equivalents: &["zizmor github-env", "CodeQL actions/envvar-injection/critical", "CodeQL actions/envpath-injection/critical"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let message = "The script writes text an outsider controls to `$GITHUB_ENV`/`$GITHUB_PATH`: it can set any variable of the later steps.";
        let Some(document) = document(context) else {
            let jobs = context.design.pipeline.jobs.iter().enumerate();
            return jobs
                .flat_map(|(job, found)| {
                    found
                        .commands
                        .iter()
                        .enumerate()
                        .map(move |(index, command)| (job, index, command))
                })
                .filter(|(_, _, command)| {
                    writes_environment(command) && !attacker_controlled(command).is_empty()
                })
                .map(|(job, index, _)| {
                    Violation::new(format!("pipeline.jobs[{job}].commands[{index}]"), message)
                })
                .collect();
        };
        let privileged = events(&document)
            .iter()
            .any(|(event, _)| matches!(event.as_str(), "pull_request_target" | "workflow_run"));
        all_steps(&document)
            .into_iter()
            .filter_map(|(path, step)| {
                let script = text(get(step, "run"))?;
                let risky = privileged || !attacker_controlled(&script).is_empty();
                (writes_environment(&script) && risky)
                    .then(|| at(format!("{path}.run"), message.into()))
            })
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.jobs[0].commands =
            vec!["echo \"B=${{ github.head_ref }}\" >> \"$GITHUB_ENV\"".into()];
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_on_trusted_values() {
        assert!(flags(&GithubEnv, "on: push\njobs:\n  a:\n    steps:\n      - run: echo \"V=${{ github.sha }}\" >> $GITHUB_ENV\n").is_empty());
    }

    #[test]
    fn fails_on_a_privileged_write() {
        assert_eq!(
            flags(
                &GithubEnv,
                "on: workflow_run\njobs:\n  a:\n    steps:\n      - run: cat x >> $GITHUB_ENV\n"
            ),
            ["workflow.jobs.a.steps[0].run"]
        );
    }

    #[test]
    fn passes_on_a_test_of_an_outsiders_text() {
        assert!(flags(&GithubEnv, "on: issues\njobs:\n  a:\n    steps:\n      - run: echo \"BUG=${{ contains(github.event.issue.title, 'bug') }}\" >> $GITHUB_ENV\n").is_empty());
    }

    #[test]
    fn fails_on_an_object_holding_an_outsiders_text() {
        assert_eq!(
            flags(
                &GithubEnv,
                "on: issues\njobs:\n  a:\n    steps:\n      - run: echo 'ISSUE=${{ toJSON(github.event.issue) }}' >> $GITHUB_ENV\n"
            ),
            ["workflow.jobs.a.steps[0].run"]
        );
    }
}
