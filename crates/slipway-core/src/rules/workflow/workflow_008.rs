#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{at, document, get, jobs, text};

pub struct SecretsInherit;

impl Rule for SecretsInherit {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-008",
        name: "secrets-inherit",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Reusable workflows get only the secrets they use",
        what: "A job that calls a reusable workflow passes the secrets it needs by name, not \
               `secrets: inherit`.",
        why: "`inherit` hands every secret of the repository and organisation to the called \
              workflow, and to whatever it calls or will call after its next change: a \
              compromise there leaks them all. Named secrets say what the call may read.",
        incorrect: "jobs:\n  deploy:\n    uses: ./.github/workflows/deploy.yml\n    secrets: inherit",
        correct: "jobs:\n  deploy:\n    uses: ./.github/workflows/deploy.yml\n    secrets:\n      KUBECONFIG: ${{ secrets.KUBECONFIG }}",
        fix: "Manual: list the secrets the called workflow declares under `on.workflow_call.secrets`.",
        source: "Not in the documents: GitHub's documentation of reusable workflows (passing \
                 secrets)",
        equivalents: &["zizmor secrets-inherit"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return Vec::new();
        };
        jobs(&document)
            .into_iter()
            .filter(|(_, job)| get(job, "uses").is_some() && text(get(job, "secrets")).as_deref() == Some("inherit"))
            .map(|(id, _)| at(format!("jobs.{id}.secrets"), format!("Job `{id}` hands every secret to the workflow it calls: pass the ones it needs by name.")))
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
    fn passes_on_named_secrets() {
        assert!(flags(&SecretsInherit, SecretsInherit::DOC.correct).is_empty());
    }

    #[test]
    fn fails_on_inherit() {
        assert_eq!(
            flags(&SecretsInherit, SecretsInherit::DOC.incorrect),
            ["workflow.jobs.deploy.secrets"]
        );
    }
}
