#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{at, document, events, get, jobs, text};

pub struct ExcessivePermissions;

/// Whether the workflow is only ever called by another (`on: workflow_call` alone).
fn reusable_only(document: &serde_norway::Value) -> bool {
    let events = events(document);
    !events.is_empty() && events.iter().all(|(event, _)| event == "workflow_call")
}

/// "job `a`", "the 3 jobs `a`, `b`, `c`".
fn jobs_named(ids: &[&str]) -> String {
    let names: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    match ids.len() {
        1 => format!("job {}", names[0]),
        count => format!("the {count} jobs {}", names.join(", ")),
    }
}

impl Rule for ExcessivePermissions {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-003",
        name: "excessive-permissions",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Each job's token has only the scopes it needs",
        what: "The workflow or each of its jobs declares `permissions:`; none is `write-all` or \
               `read-all`, and write scopes are granted to the jobs that need them, not at the \
               workflow level where they reach several jobs. A job's `permissions:` replaces \
               the workflow's, so a workflow-level grant is judged by the jobs that declare \
               none; the jobs of a workflow started only by `workflow_call` run with the \
               caller's token, which the calling job's `permissions:` bound.",
        why: "Without `permissions:` the `GITHUB_TOKEN` gets the repository's default, which in \
              many repositories and organisations is read and write on everything: a \
              compromised step (a hijacked action, an injected script) can then push code, \
              publish releases or approve pull requests. Declared scopes make the token worth \
              only what the job does.",
        incorrect: "on: push\njobs:\n  test:\n    steps:\n      - run: make test",
        correct: "on: push\npermissions:\n  contents: read\njobs:\n  test:\n    steps:\n      - run: make test",
        fix: "Manual: add `permissions: {contents: read}` at the top, and the write scopes a job \
              needs (`packages: write` for the image push) on that job.",
        source: "Not in the documents: GitHub's security hardening guide (\"modifying the \
                 permissions for the GITHUB_TOKEN\")",
        equivalents: &[
            "zizmor excessive-permissions",
            "Scorecard Token-Permissions",
            "CodeQL actions/missing-workflow-permissions",
        ],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return Vec::new();
        };
        let jobs = jobs(&document);
        let broad = |node: &serde_norway::Value| {
            text(Some(node)).filter(|level| matches!(level.as_str(), "write-all" | "read-all"))
        };
        let mut out = Vec::new();
        // A job's `permissions:` replaces the workflow's: the workflow's reach the others.
        let reached: Vec<&str> = jobs
            .iter()
            .filter(|(_, job)| get(job, "permissions").is_none())
            .map(|(id, _)| id.as_str())
            .collect();
        match get(&document, "permissions") {
            // A reusable workflow's jobs get the caller's token, which they can only narrow:
            // the calling job's `permissions:` decide.
            None if reusable_only(&document) => {}
            None => {
                for id in &reached {
                    out.push(at(format!("jobs.{id}"), format!("Job `{id}` declares no `permissions:`, nor does the workflow: its token gets the repository's default scopes, often write on everything.")));
                }
            }
            Some(_) if reached.is_empty() => {}
            Some(granted) => {
                if let Some(level) = broad(granted) {
                    let what = match level.as_str() {
                        "write-all" => "write access to everything",
                        _ => "read access to every scope",
                    };
                    out.push(at(
                        "permissions".into(),
                        format!(
                            "`permissions: {level}` gives the token of {} {what}.",
                            jobs_named(&reached)
                        ),
                    ));
                } else if let (serde_norway::Value::Mapping(scopes), true) =
                    (granted, reached.len() > 1)
                {
                    for (scope, level) in scopes {
                        let scope = text(Some(scope)).unwrap_or_default();
                        if text(Some(level)).as_deref() == Some("write") {
                            out.push(at(format!("permissions.{scope}"), format!("`{scope}: write` at the workflow level reaches {}: grant it on the jobs that need it.", jobs_named(&reached))));
                        }
                    }
                }
            }
        }
        for (id, job) in &jobs {
            if let Some(level) = get(job, "permissions").and_then(broad) {
                let what = match level.as_str() {
                    "write-all" => "can write everything",
                    _ => "can read every scope",
                };
                out.push(at(
                    format!("jobs.{id}.permissions"),
                    format!("Job `{id}` has `permissions: {level}`: its token {what}."),
                ));
            }
        }
        out
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
    fn passes_with_declared_read_permissions() {
        assert!(flags(&ExcessivePermissions, ExcessivePermissions::DOC.correct).is_empty());
    }

    #[test]
    fn fails_without_permissions_or_with_broad_ones() {
        assert_eq!(
            flags(&ExcessivePermissions, ExcessivePermissions::DOC.incorrect),
            ["workflow.jobs.test"]
        );
        assert_eq!(
            flags(
                &ExcessivePermissions,
                "permissions: write-all\njobs:\n  a: {}\n"
            ),
            ["workflow.permissions"]
        );
        assert_eq!(
            flags(
                &ExcessivePermissions,
                "permissions: {contents: write}\njobs:\n  a: {}\n  b: {}\n"
            ),
            ["workflow.permissions.contents"]
        );
    }

    #[test]
    fn passes_on_workflow_grants_every_job_replaces() {
        assert!(flags(
            &ExcessivePermissions,
            "on: push\npermissions: write-all\njobs:\n  a: {permissions: {contents: read}}\n  b: {permissions: {}}\n"
        )
        .is_empty());
        // Written at the workflow level, the scope is the one job's that declares none.
        assert!(flags(
            &ExcessivePermissions,
            "on: push\npermissions: {contents: write}\njobs:\n  a: {}\n  b: {permissions: {contents: read}}\n"
        )
        .is_empty());
    }

    #[test]
    fn fails_on_read_all() {
        assert_eq!(
            flags(
                &ExcessivePermissions,
                "on: push\npermissions: read-all\njobs:\n  a: {}\n"
            ),
            ["workflow.permissions"]
        );
        assert_eq!(
            flags(
                &ExcessivePermissions,
                "on: push\npermissions: {}\njobs:\n  a: {permissions: read-all}\n"
            ),
            ["workflow.jobs.a.permissions"]
        );
    }

    #[test]
    fn passes_on_a_reusable_workflow_left_to_its_caller() {
        assert!(flags(
            &ExcessivePermissions,
            "on:\n  workflow_call:\n    inputs: {v: {type: string}}\njobs:\n  a: {}\n  b: {}\n"
        )
        .is_empty());
    }

    #[test]
    fn fails_on_a_reusable_workflow_that_is_also_started_itself() {
        assert_eq!(
            flags(
                &ExcessivePermissions,
                "on: [workflow_call, push]\njobs:\n  a: {}\n"
            ),
            ["workflow.jobs.a"]
        );
        assert_eq!(
            flags(
                &ExcessivePermissions,
                "on: workflow_call\njobs:\n  a: {permissions: write-all}\n"
            ),
            ["workflow.jobs.a.permissions"]
        );
    }
}
