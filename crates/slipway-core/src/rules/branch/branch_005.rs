use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{all_branches, main_branch, protection_field};

pub struct LinearHistory;

impl Rule for LinearHistory {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-005",
        name: "linear-history",
        severity: Severity::High,
        area: Area::Branch,
        title: "`main` keeps a linear history",
        what: "`main` requires linear history (squash or rebase merges only). Linear history on \
               `dev` is recommended and reported as a suggestion.",
        why: "A linear `main` makes every commit a deployable, reviewable unit: `git bisect` \
              finds the change that broke production, and a revert undoes exactly one pull \
              request instead of untangling a merge commit.",
        incorrect: "main:\n  require_linear_history: false",
        correct: "main:\n  require_linear_history: true",
        fix: "Turns on \"require linear history\" on every protected branch.",
        source: "000 · CI/CD: Branch Protection (key rules; not in the settings list, see \
                 contradiction A3)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let main = main_branch(design).map(|(k, _)| k);
        all_branches(design)
            .into_iter()
            .filter(|k| {
                !design.repository.branches[*k]
                    .protection
                    .require_linear_history
            })
            .map(|k| {
                let violation = Violation::new(
                    protection_field(k, "require_linear_history"),
                    format!(
                        "`{}` accepts merge commits, so its history is not linear.",
                        design.repository.branches[k].name
                    ),
                );
                if Some(k) == main {
                    violation
                } else {
                    violation.downgraded(Severity::Low)
                }
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require linear history",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_protection(0, |p| {
            p.require_linear_history = false
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for k in all_branches(design) {
        design.repository.branches[k]
            .protection
            .require_linear_history = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::violations;

    #[test]
    fn passes_on_main_and_only_suggests_it_for_dev() {
        let found = violations(&LinearHistory, &Design::default());
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].field,
            "repository.branches[1].protection.require_linear_history"
        );
        assert_eq!(found[0].severity, Some(Severity::Low));
    }

    #[test]
    fn fails_when_main_accepts_merge_commits() {
        let found = violations(&LinearHistory, &LinearHistory::failing_examples()[0]);
        assert_eq!(
            found[0].field,
            "repository.branches[0].protection.require_linear_history"
        );
        assert_eq!(found[0].severity, None);
    }
}
