#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{action, all_steps, at, document, get, is_false};

pub struct PersistedCheckoutCredentials;

impl Rule for PersistedCheckoutCredentials {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-004",
        name: "persisted-checkout-credentials",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Checkouts do not leave the token in .git/config",
        what: "Every `actions/checkout` step sets `persist-credentials: false`.",
        why: "By default the checkout writes the job's token into `.git/config`, where every \
              later step — third-party actions, build scripts, test code — can read it, and \
              where an uploaded artifact of the workspace publishes it (\"ArtiPACKED\"). A job \
              that pushes sets the credentials for that one command.",
        incorrect: "- uses: actions/checkout@v4",
        correct: "- uses: actions/checkout@v4\n  with:\n    persist-credentials: false",
        fix: "Manual: add `persist-credentials: false` under the checkout's `with:`.",
        source: "Not in the documents: Unit 42, \"ArtiPACKED: hacking giants through a race \
                 condition in GitHub Actions artifacts\"; actions/checkout's README",
        equivalents: &["zizmor artipacked"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return Vec::new();
        };
        all_steps(&document)
            .into_iter()
            .filter(|(_, step)| action(step).as_deref() == Some("actions/checkout"))
            .filter(|(_, step)| {
                !is_false(get(step, "with").and_then(|with| get(with, "persist-credentials")))
            })
            .map(|(path, _)| at(format!("{path}.uses"), "The checkout leaves the job's token in `.git/config` for every later step and artifact: set `persist-credentials: false`.".into()))
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        Vec::new()
    }

    #[cfg(test)]
    fn failing_workflows() -> Vec<&'static str> {
        vec!["jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n"]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_without_persisted_credentials() {
        assert!(flags(&PersistedCheckoutCredentials, "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n        with: {persist-credentials: false}\n").is_empty());
    }

    #[test]
    fn fails_on_a_default_checkout() {
        assert_eq!(
            flags(
                &PersistedCheckoutCredentials,
                "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n"
            ),
            ["workflow.jobs.a.steps[0].uses"]
        );
    }
}
