#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{at, document, get, jobs, text};

pub struct HardcodedContainerCredentials;

impl Rule for HardcodedContainerCredentials {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-007",
        name: "hardcoded-container-credentials",
        severity: Severity::Critical,
        area: Area::Pipeline,
        title: "Registry passwords of job containers come from secrets",
        what: "The `credentials.password` of a job's `container:` or of a `services:` container \
               is an expression (`${{ secrets.REGISTRY_TOKEN }}`), never a literal.",
        why: "A password written in the workflow is readable by everyone who can read the \
              repository, forks included, and stays in its history after it is changed.",
        incorrect: "container:\n  image: ghcr.io/acme/ci:1\n  credentials:\n    username: bot\n    password: hunter2",
        correct: "container:\n  image: ghcr.io/acme/ci:1\n  credentials:\n    username: bot\n    password: ${{ secrets.REGISTRY_TOKEN }}",
        fix: "Manual: revoke the password, store a new one as a repository secret and reference it.",
        source: "Not in the documents: GitHub's documentation of `jobs.<job_id>.container.credentials`",
        equivalents: &["zizmor hardcoded-container-credentials"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (id, job) in jobs(&document) {
            let mut containers = vec![(format!("jobs.{id}.container"), get(job, "container"))];
            if let Some(serde_norway::Value::Mapping(services)) = get(job, "services") {
                for (name, service) in services {
                    let name = text(Some(name)).unwrap_or_default();
                    containers.push((format!("jobs.{id}.services.{name}"), Some(service)));
                }
            }
            for (path, container) in containers {
                let password = container
                    .and_then(|container| get(container, "credentials"))
                    .and_then(|credentials| text(get(credentials, "password")));
                if password.is_some_and(|password| !password.contains("${{")) {
                    out.push(at(format!("{path}.credentials.password"), "The registry password is written in the workflow: anyone who reads the repository has it.".into()));
                }
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
        vec!["jobs:\n  a:\n    services:\n      db:\n        image: x\n        credentials: {username: u, password: p}\n"]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_on_a_secret() {
        assert!(flags(&HardcodedContainerCredentials, "jobs:\n  a:\n    container: {image: x, credentials: {username: u, password: '${{ secrets.P }}'}}\n").is_empty());
    }

    #[test]
    fn fails_on_a_literal_password() {
        assert_eq!(
            flags(
                &HardcodedContainerCredentials,
                HardcodedContainerCredentials::failing_workflows()[0]
            ),
            ["workflow.jobs.a.services.db.credentials.password"]
        );
    }
}
