use crate::facts::branches::protected_branches;
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct ExplicitBranchTriggers;

/// A pattern that matches every branch: nothing but `*` and `/`.
fn is_catch_all(pattern: &str) -> bool {
    let pattern = pattern.trim();
    !pattern.is_empty() && pattern.chars().all(|c| c == '*' || c == '/')
}

fn missing(design: &Design) -> Vec<String> {
    let pushes = &design.pipeline.triggers.push_branches;
    protected_branches(design)
        .into_iter()
        .filter(|branch| !pushes.iter().any(|pattern| pattern.trim() == branch))
        .collect()
}

impl Rule for ExplicitBranchTriggers {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-008",
        name: "explicit-branch-triggers",
        severity: Severity::High,
        area: Area::Branch,
        title: "Push triggers name the protected branches, no wildcards",
        what: "The workflows' push trigger has a branch filter, the filter contains no pattern \
               that matches every branch (`*`, `**`), and it names every protected branch \
               explicitly (default `[main, dev]`), since deploys run on those pushes.",
        why: "A push trigger on every branch runs the pipeline, and potentially its deploy steps \
              and secrets, for any branch anyone creates, including ones that never went through \
              review. Naming the protected branches keeps pushes that matter in the pipeline and \
              everything else out.",
        incorrect: "on:\n  push:\n    branches: ['*']",
        correct: "on:\n  push:\n    branches: [main, dev]",
        fix: "Replaces catch-all patterns with the protected branches and adds any that are \
              missing.",
        source: "000 · CI/CD: Branch Protection (Incorrect: `on: push: branches: ['*']`)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let pushes = &design.pipeline.triggers.push_branches;
        let field = "pipeline.triggers.push_branches";
        if pushes.iter().all(|pattern| pattern.trim().is_empty()) {
            return vec![Violation::new(field, "The push trigger names no branch.")];
        }
        let mut violations = Vec::new();
        if let Some(pattern) = pushes.iter().find(|pattern| is_catch_all(pattern)) {
            violations.push(Violation::new(
                field,
                format!(
                    "The push trigger `{}` matches every branch.",
                    pattern.trim()
                ),
            ));
        }
        let missing = missing(design);
        if !missing.is_empty() {
            violations.push(Violation::new(
                field,
                format!(
                    "The push trigger does not name {}.",
                    missing
                        .iter()
                        .map(|branch| format!("`{branch}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Name the protected branches",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut wildcard = Design::default();
        wildcard.pipeline.triggers.push_branches = vec!["*".into()];
        let mut empty = Design::default();
        empty.pipeline.triggers.push_branches.clear();
        let mut partial = Design::default();
        partial.pipeline.triggers.push_branches = vec!["main".into(), "release/**".into()];
        vec![wildcard, empty, partial]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let missing = missing(design);
    let pushes = &mut design.pipeline.triggers.push_branches;
    pushes.retain(|pattern| !pattern.trim().is_empty() && !is_catch_all(pattern));
    pushes.extend(missing);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_main_and_dev() {
        assert!(fields(&ExplicitBranchTriggers, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_wildcards_and_missing_branches() {
        let counts: Vec<usize> = ExplicitBranchTriggers::failing_examples()
            .iter()
            .map(|design| fields(&ExplicitBranchTriggers, design).len())
            .collect();
        assert_eq!(counts, [2, 1, 1]);
    }
}
