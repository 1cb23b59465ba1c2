use crate::facts::shell::{simple_commands, tool_and_args};
#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::commands::command_texts;

pub struct CurrentActionVersions;

fn runs_docker_scan(line: &str) -> bool {
    simple_commands(line).into_iter().any(|segment| {
        tool_and_args(segment)
            .is_some_and(|(tool, args)| tool == "docker" && args.first() == Some(&"scan"))
    })
}

impl Rule for CurrentActionVersions {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-017",
        name: "current-action-versions",
        severity: Severity::High,
        area: Area::Validity,
        title: "Pipelines use no retired tooling",
        what: "No command runs the retired `docker scan`. (The generator writes the action \
               references itself, from a version table: `actions/checkout@v4`, `actions/cache@v4`, \
               `actions/upload-artifact@v4`, `actions/setup-node@v4`, `actions/setup-python@v5`, \
               `codecov/codecov-action@v4`, `github/codeql-action/upload-sarif@v3`, third-party \
               actions pinned to a release; a design cannot name an action.)",
        why: "`docker scan` was removed from Docker (replaced by Docker Scout); the step fails \
              with \"unknown command\", so the pipeline either breaks or, with \
              `continue-on-error`, silently stops scanning. The seed's 004 CI still uses it, and \
              its `@v3` artifact actions no longer run on GitHub-hosted runners (A22).",
        incorrect: "- run: docker scan app:${{ github.sha }}",
        correct: "- uses: aquasecurity/trivy-action@0.28.0\n  with: {image-ref: 'app:${{ github.sha }}', severity: CRITICAL, exit-code: '1'}",
        fix: "Manual: remove the command; the generated security job scans the image with Trivy \
              (PIPELINE-006).",
        source: "Not in the documents (docs/defaults.md#a15-clean-scans, \
                 docs/defaults.md#a22-action-versions): 004 · CI/CD Pipelines › GitHub Actions \
                 (`docker scan`); 000's `@v3` and `@master` references",
        equivalents: &["actionlint action"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        command_texts(context.design)
            .into_iter()
            .filter(|(_, text)| runs_docker_scan(text))
            .map(|(field, text)| {
                Violation::new(
                    field,
                    format!("`{text}` runs `docker scan`, which Docker removed: the step fails."),
                )
            })
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.jobs[2].commands = vec!["docker scan app:latest".into()];
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&CurrentActionVersions, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_docker_scan() {
        assert_eq!(
            fields(
                &CurrentActionVersions,
                &CurrentActionVersions::failing_examples()[0]
            ),
            ["pipeline.jobs[2].commands[0]"]
        );
    }
}
