#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{at, document, get, jobs, text};

pub struct ExcessivePermissions;

impl Rule for ExcessivePermissions {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-003",
        name: "excessive-permissions",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Each job's token has only the scopes it needs",
        what: "The workflow or each of its jobs declares `permissions:`; none is `write-all`, and \
               write scopes are granted to the jobs that need them, not at the workflow level of \
               a workflow with several jobs.",
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
        let mut out = Vec::new();
        let Some(granted) = get(&document, "permissions") else {
            for (id, job) in &jobs {
                if get(job, "permissions").is_none() {
                    out.push(at(format!("jobs.{id}"), format!("Job `{id}` declares no `permissions:`, nor does the workflow: its token gets the repository's default scopes, often write on everything.")));
                }
            }
            return out;
        };
        let write_all =
            |node: &serde_norway::Value| text(Some(node)).as_deref() == Some("write-all");
        if write_all(granted) {
            out.push(at(
                "permissions".into(),
                "`permissions: write-all` gives every job's token write access to everything."
                    .into(),
            ));
        } else if let (serde_norway::Value::Mapping(scopes), true) = (granted, jobs.len() > 1) {
            for (scope, level) in scopes {
                let scope = text(Some(scope)).unwrap_or_default();
                if text(Some(level)).as_deref() == Some("write") {
                    out.push(at(format!("permissions.{scope}"), format!("`{scope}: write` at the workflow level reaches all {} jobs: grant it on the jobs that need it.", jobs.len())));
                }
            }
        }
        for (id, job) in &jobs {
            if get(job, "permissions").is_some_and(write_all) {
                out.push(at(
                    format!("jobs.{id}.permissions"),
                    format!(
                        "Job `{id}` has `permissions: write-all`: its token can write everything."
                    ),
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
}
