use crate::facts::branches::protected_branches;
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::triggers::branch_pattern_matches;

pub struct PrTrigger;

fn uncovered(design: &Design) -> Vec<String> {
    let patterns = &design.pipeline.triggers.pull_request_branches;
    protected_branches(design)
        .into_iter()
        .filter(|branch| {
            !patterns
                .iter()
                .any(|pattern| branch_pattern_matches(pattern, branch))
        })
        .collect()
}

impl Rule for PrTrigger {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-001",
        name: "pr-trigger",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "CI runs on pull requests into every protected branch",
        what: "The CI workflow's `pull_request` trigger covers every protected branch (by default \
               `main` and `dev`), so lint, test and the security scan run before anything merges.",
        why: "Branch protection can only require checks that actually run on the pull request. \
              Without the trigger, code reaches `main` or `dev` untested and problems surface \
              after the merge, when they are already on the way to an environment.",
        incorrect: "on:\n  push:\n    branches: [main, dev]",
        correct:
            "on:\n  push:\n    branches: [main, dev]\n  pull_request:\n    branches: [main, dev]",
        fix: "Adds the missing protected branches to the pull-request trigger.",
        source: "000 · GitHub Actions CI/CD Example › CI Pipeline (ci.yml); Production Readiness \
                 Checklist › Deployment (\"automated tests run on every PR\"); 004 · CI/CD \
                 Pipelines › GitHub Actions",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let missing = uncovered(context.design);
        if missing.is_empty() {
            return Vec::new();
        }
        let list = missing
            .iter()
            .map(|branch| format!("`{branch}`"))
            .collect::<Vec<_>>()
            .join(", ");
        vec![Violation::new(
            "pipeline.triggers.pull_request_branches",
            format!("Pull requests into {list} do not run CI: the pull-request trigger does not cover them."),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Run CI on pull requests",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut none = Design::default();
        none.pipeline.triggers.pull_request_branches.clear();
        let mut only_main = Design::default();
        only_main.pipeline.triggers.pull_request_branches = vec!["main".into()];
        vec![none, only_main]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for branch in uncovered(design) {
        design.pipeline.triggers.pull_request_branches.push(branch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_when_pull_requests_into_main_and_dev_run_ci() {
        assert!(fields(&PrTrigger, &preset("fastapi-react")).is_empty());
    }

    #[test]
    fn fails_without_the_pull_request_trigger() {
        for design in PrTrigger::failing_examples() {
            assert_eq!(
                fields(&PrTrigger, &design),
                ["pipeline.triggers.pull_request_branches"]
            );
        }
    }
}
