#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{action, all_steps, at, document, events, get, jobs, steps, text};

pub struct DangerousTriggers;

/// Whether a checkout step fetches the pull request's own code.
fn checks_out_head(step: &serde_norway::Value) -> bool {
    let reference = text(get(step, "with").and_then(|with| get(with, "ref"))).unwrap_or_default();
    [
        "pull_request.head.",
        "github.head_ref",
        "refs/pull/",
        "workflow_run.head_",
    ]
    .iter()
    .any(|head| reference.contains(head))
}

/// Whether every job only labels the pull request with `actions/labeler`, which reads its
/// configuration from the base branch and runs none of the pull request's code: the use GitHub
/// documents for `pull_request_target`.
fn only_labels(document: &serde_norway::Value) -> bool {
    let jobs = jobs(document);
    !jobs.is_empty()
        && jobs.iter().all(|(_, job)| {
            let steps = steps(job);
            !steps.is_empty()
                && steps
                    .iter()
                    .all(|(_, step)| action(step).as_deref() == Some("actions/labeler"))
        })
}

impl Rule for DangerousTriggers {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-002",
        name: "dangerous-triggers",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "No privileged run on an outsider's event",
        what: "The workflow is not started by `pull_request_target`, `workflow_run` or \
               `issue_comment`, the events that run with the base repository's secrets and a \
               write token on behalf of anyone who opens a pull request or writes a comment. \
               It is worse when a job checks out the pull request's head \
               (`ref: ${{ github.event.pull_request.head.sha }}`) and builds it. A \
               `pull_request_target` workflow whose jobs only run `actions/labeler` is the \
               trigger's documented use and passes.",
        why: "A fork's pull request cannot read secrets under `pull_request`; under these \
              triggers it can: its build scripts, test files or lockfile run with the token \
              and secrets (\"pwn request\"). `pull_request` does the checks without privilege; \
              the privileged part (a label, a comment) belongs in a job that runs no code from \
              the pull request.",
        incorrect: "on: pull_request_target\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n        with: {ref: '${{ github.event.pull_request.head.sha }}'}\n      - run: npm test",
        correct: "on: pull_request\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test",
        fix: "Manual: use `pull_request`; keep a privileged trigger only for jobs that never \
              check out or run the pull request's code.",
        source: "Not in the documents: GitHub Security Lab, \"Keeping your GitHub Actions and \
                 workflows secure: preventing pwn requests\"",
        equivalents: &[
            "zizmor dangerous-triggers",
            "CodeQL actions/untrusted-checkout/critical",
            "Scorecard Dangerous-Workflow",
        ],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return Vec::new();
        };
        let head = all_steps(&document)
            .into_iter()
            .find(|(_, step)| checks_out_head(step))
            .map(|(path, _)| path);
        events(&document)
            .into_iter()
            .filter(|(event, _)| match event.as_str() {
                "pull_request_target" => !only_labels(&document),
                "workflow_run" | "issue_comment" => true,
                _ => false,
            })
            .map(|(event, _)| {
                let worse = match &head {
                    Some(path) => format!(" and `{path}` checks out the pull request's code: it runs with them"),
                    None => String::new(),
                };
                at(
                    format!("on.{event}"),
                    format!("`{event}` runs with the repository's secrets and a write token for an outsider's event{worse}."),
                )
            })
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        Vec::new()
    }

    #[cfg(test)]
    fn failing_workflows() -> Vec<&'static str> {
        vec![Self::DOC.incorrect]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_on_pull_request() {
        assert!(flags(&DangerousTriggers, DangerousTriggers::DOC.correct).is_empty());
    }

    #[test]
    fn passes_on_a_labeler_alone() {
        assert!(flags(
            &DangerousTriggers,
            "on: pull_request_target\njobs:\n  a:\n    steps:\n      - uses: actions/labeler@v5\n        with: {sync-labels: true}\n  b:\n    steps:\n      - uses: actions/labeler@v5\n"
        )
        .is_empty());
    }

    #[test]
    fn fails_on_a_labeler_with_more() {
        // A script beside the labeler, or another privileged trigger, is judged as before.
        assert_eq!(
            flags(
                &DangerousTriggers,
                "on: pull_request_target\njobs:\n  a:\n    steps:\n      - uses: actions/labeler@v5\n      - run: make\n"
            ),
            ["workflow.on.pull_request_target"]
        );
        assert_eq!(
            flags(
                &DangerousTriggers,
                "on: [pull_request_target, issue_comment]\njobs:\n  a:\n    steps:\n      - uses: actions/labeler@v5\n"
            ),
            ["workflow.on.issue_comment"]
        );
    }

    #[test]
    fn fails_on_pull_request_target() {
        assert_eq!(
            flags(&DangerousTriggers, DangerousTriggers::DOC.incorrect),
            ["workflow.on.pull_request_target"]
        );
    }
}
