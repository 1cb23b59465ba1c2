use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{all_branches, main_branch, protection_field};

pub struct NoForcePushNoDelete;

impl Rule for NoForcePushNoDelete {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-004",
        name: "no-force-push-no-delete",
        severity: Severity::High,
        area: Area::Branch,
        title: "Protected branches cannot be force-pushed or deleted",
        what: "No protected branch allows force pushes, and `main` cannot be deleted. Deleting \
               `dev` is also discouraged (reported as a suggestion).",
        why: "A force push rewrites history that others, and the deploy pipeline, already built \
              on: reviewed commits disappear and what runs in production no longer matches any \
              commit on the branch. Deleting the branch does the same in one click.",
        incorrect: "git push --force origin main",
        correct: "main:\n  allow_force_push: false\n  allow_deletion: false",
        fix: "Turns off force pushes and deletion on every protected branch.",
        source: "000 · CI/CD: Branch Protection (Incorrect: `git push --force origin main`; \
                 settings; key rules \"never allow direct commits or force pushes to main or \
                 dev\")",
        equivalents: &["OpenSSF Scorecard Branch-Protection"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let main = main_branch(design).map(|(k, _)| k);
        let mut violations = Vec::new();
        for k in all_branches(design) {
            let branch = &design.repository.branches[k];
            if branch.protection.allow_force_push {
                violations.push(Violation::new(
                    protection_field(k, "allow_force_push"),
                    format!(
                        "`{}` allows force pushes, which rewrite reviewed history.",
                        branch.name
                    ),
                ));
            }
            if branch.protection.allow_deletion {
                let violation = Violation::new(
                    protection_field(k, "allow_deletion"),
                    format!("`{}` can be deleted.", branch.name),
                );
                violations.push(if Some(k) == main {
                    violation
                } else {
                    violation.downgraded(Severity::Low)
                });
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Forbid force pushes and deletion",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_protection(0, |p| p.allow_force_push = true),
            super::with_protection(0, |p| p.allow_deletion = true),
            super::with_protection(1, |p| p.allow_deletion = true),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for k in all_branches(design) {
        let protection = &mut design.repository.branches[k].protection;
        protection.allow_force_push = false;
        protection.allow_deletion = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, violations};

    #[test]
    fn passes_with_the_defaults() {
        assert!(fields(&NoForcePushNoDelete, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_force_pushes_and_deletion_with_dev_deletion_as_a_suggestion() {
        let examples = NoForcePushNoDelete::failing_examples();
        assert_eq!(
            fields(&NoForcePushNoDelete, &examples[0]),
            ["repository.branches[0].protection.allow_force_push"]
        );
        assert_eq!(
            violations(&NoForcePushNoDelete, &examples[1])[0].severity,
            None
        );
        assert_eq!(
            violations(&NoForcePushNoDelete, &examples[2])[0].severity,
            Some(Severity::Low)
        );
    }
}
