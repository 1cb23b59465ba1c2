use crate::model::{Branch, Design};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{main_branch, protection_field};

pub struct MainPrTwoApprovals;

impl Rule for MainPrTwoApprovals {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-001",
        name: "main-pr-two-approvals",
        severity: Severity::High,
        area: Area::Branch,
        title: "`main` takes changes only through pull requests with two approvals",
        what: "The default branch (`main`, production) has a protection entry that requires a \
               pull request before merging, with at least 2 approving reviews. No one commits to \
               `main` directly.",
        why: "Everything on `main` goes to production. Two reviewers catch what one misses, \
              spread knowledge of the change, and make sure no single person, or a single stolen \
              token, can ship code to users unreviewed.",
        incorrect: "main:\n  require_pull_request: false",
        correct: "main:\n  require_pull_request: true\n  required_approvals: 2",
        fix: "Requires pull requests with 2 approvals on `main` (adding its protection entry with \
              the documented settings if it is missing).",
        source:
            "000 · CI/CD: Branch Protection (settings and key rules); CI/CD Pipelines › Branch \
                 Strategy",
        equivalents: &["OpenSSF Scorecard Branch-Protection"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let default = design.repository.default_branch.trim();
        let Some((k, branch)) = main_branch(design) else {
            return vec![Violation::new(
                "repository.branches",
                format!("The default branch `{default}` has no protection rules."),
            )];
        };
        let protection = &branch.protection;
        let mut violations = Vec::new();
        if !protection.require_pull_request {
            violations.push(Violation::new(
                protection_field(k, "require_pull_request"),
                format!("`{default}` accepts direct pushes: no pull request is required."),
            ));
        } else if protection.required_approvals < 2 {
            violations.push(Violation::new(
                protection_field(k, "required_approvals"),
                format!(
                    "`{default}` merges with {} approval(s); production code needs 2.",
                    protection.required_approvals
                ),
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require 2 approvals on main",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let direct = super::with_protection(0, |p| p.require_pull_request = false);
        let one = super::with_protection(0, |p| p.required_approvals = 1);
        let mut missing = Design::default();
        missing.repository.branches.remove(0);
        vec![direct, one, missing]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let k = match main_branch(design) {
        Some((k, _)) => k,
        None => {
            let mut branch = Branch::main();
            branch.name = design.repository.default_branch.trim().to_owned();
            design.repository.branches.insert(0, branch);
            0
        }
    };
    let protection = &mut design.repository.branches[k].protection;
    protection.require_pull_request = true;
    protection.required_approvals = protection.required_approvals.max(2);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_documented_settings() {
        assert!(fields(&MainPrTwoApprovals, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_pull_requests_two_approvals_or_an_entry() {
        let reported: Vec<Vec<String>> = MainPrTwoApprovals::failing_examples()
            .iter()
            .map(|design| fields(&MainPrTwoApprovals, design))
            .collect();
        assert_eq!(
            reported[0],
            ["repository.branches[0].protection.require_pull_request"]
        );
        assert_eq!(
            reported[1],
            ["repository.branches[0].protection.required_approvals"]
        );
        assert_eq!(reported[2], ["repository.branches"]);
    }
}
