use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{other_branches, protection_field};

pub struct DevPrOneApproval;

impl Rule for DevPrOneApproval {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-006",
        name: "dev-pr-one-approval",
        severity: Severity::High,
        area: Area::Branch,
        title: "`dev` takes changes only through reviewed pull requests",
        what: "Every protected branch other than `main` (by default `dev`, which deploys to \
               staging) requires a pull request with at least 1 approving review.",
        why:
            "`dev` feeds staging and, after it, production. An unreviewed push there is one merge \
              away from users, and staging stops being a faithful rehearsal when anyone can push \
              to it directly.",
        incorrect: "dev:\n  require_pull_request: false",
        correct: "dev:\n  require_pull_request: true\n  required_approvals: 1",
        fix: "Requires pull requests with at least 1 approval on those branches.",
        source: "000 · CI/CD: Branch Protection; CI/CD Pipelines › Branch Strategy",
        equivalents: &["OpenSSF Scorecard Branch-Protection"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut violations = Vec::new();
        for (k, branch) in other_branches(context.design) {
            let protection = &branch.protection;
            if !protection.require_pull_request {
                violations.push(Violation::new(
                    protection_field(k, "require_pull_request"),
                    format!(
                        "`{}` accepts direct pushes: no pull request is required.",
                        branch.name
                    ),
                ));
            } else if protection.required_approvals < 1 {
                violations.push(Violation::new(
                    protection_field(k, "required_approvals"),
                    format!("`{}` merges pull requests nobody approved.", branch.name),
                ));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require a reviewed pull request",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_protection(1, |p| p.require_pull_request = false),
            super::with_protection(1, |p| p.required_approvals = 0),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let indices: Vec<usize> = other_branches(design).into_iter().map(|(k, _)| k).collect();
    for k in indices {
        let protection = &mut design.repository.branches[k].protection;
        protection.require_pull_request = true;
        protection.required_approvals = protection.required_approvals.max(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_defaults() {
        assert!(fields(&DevPrOneApproval, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_pull_requests_or_approvals() {
        let reported: Vec<Vec<String>> = DevPrOneApproval::failing_examples()
            .iter()
            .map(|design| fields(&DevPrOneApproval, design))
            .collect();
        assert_eq!(
            reported[0],
            ["repository.branches[1].protection.require_pull_request"]
        );
        assert_eq!(
            reported[1],
            ["repository.branches[1].protection.required_approvals"]
        );
    }
}
