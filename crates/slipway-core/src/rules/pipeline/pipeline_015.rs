use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct CiConcurrency;

impl Rule for CiConcurrency {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-015",
        name: "ci-concurrency",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "A newer commit cancels the CI run it replaces",
        what: "The CI workflow (the one that does not deploy) declares `concurrency: {group: \
               ${{ github.workflow }}-${{ github.ref }}, cancel-in-progress: true}`. Deploy \
               workflows keep a concurrency group but never cancel a run in progress.",
        why: "Pushing twice to a pull request otherwise runs CI twice, and the first result is \
              already stale. Cancelling frees runners and gets the relevant result sooner. A \
              deploy is different: cancelling one halfway can leave an environment half-updated, \
              so the generator never cancels deploys.",
        incorrect: "# ci.yml\non: [push, pull_request]\njobs: ...",
        correct: "# ci.yml\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: true",
        fix: "Turns on cancel-in-progress for CI (deploys stay uncancellable).",
        source: "000 · GitHub Actions CI/CD Example › CI Pipeline (ci.yml); Key Patterns \
                 (\"Concurrency\"); contradiction A20 (never for deploy workflows)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        if context.design.pipeline.cancel_in_progress {
            return Vec::new();
        }
        vec![Violation::new(
            "pipeline.cancel_in_progress",
            "CI runs for superseded commits keep running until they finish.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Cancel superseded CI runs",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.cancel_in_progress = false;
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.pipeline.cancel_in_progress = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&CiConcurrency, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_cancellation() {
        assert_eq!(
            fields(&CiConcurrency, &CiConcurrency::failing_examples()[0]),
            ["pipeline.cancel_in_progress"]
        );
    }
}
