use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{other_branches, protection_field, quoted, unrequired_jobs};

pub struct DevRequiredChecks;

impl Rule for DevRequiredChecks {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-007",
        name: "dev-required-checks",
        severity: Severity::High,
        area: Area::Branch,
        title: "`dev` requires at least the lint and test checks",
        what: "The required status checks of every protected branch other than `main` include \
               every lint and test job. Requiring the security job too is suggested, because the \
               key rules ask for \"all status checks\".",
        why: "Staging is where the team rehearses production. If broken or untested code can \
              merge into `dev`, staging is broken for everyone and the problem is found a stage \
              later, when it is more expensive.",
        incorrect: "dev:\n  required_checks: []",
        correct: "dev:\n  required_checks: [lint, test, security]",
        fix: "Adds the missing lint, test and security jobs to the branch's required checks.",
        source: "000 · CI/CD: Branch Protection (settings; key rules); stricter reading of \
                 contradiction A3",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        for (k, branch) in other_branches(design) {
            let checks = &branch.protection.required_checks;
            let missing = unrequired_jobs(design, checks, &[JobKind::Lint, JobKind::Test]);
            if !missing.is_empty() {
                violations.push(Violation::new(
                    protection_field(k, "required_checks"),
                    format!(
                        "`{}` can merge without {} passing.",
                        branch.name,
                        quoted(&missing)
                    ),
                ));
                continue;
            }
            let security = unrequired_jobs(design, checks, &[JobKind::Security]);
            if !security.is_empty() {
                violations.push(
                    Violation::new(
                        protection_field(k, "required_checks"),
                        format!(
                            "`{}` does not require the security scan {} (suggested: all status checks).",
                            branch.name,
                            quoted(&security)
                        ),
                    )
                    .downgraded(Severity::Low),
                );
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require the checks on dev",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_protection(1, |p| {
            p.required_checks = vec!["lint".into()]
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let kinds = [JobKind::Lint, JobKind::Test, JobKind::Security];
    let missing: Vec<(usize, Vec<String>)> = other_branches(design)
        .into_iter()
        .map(|(k, branch)| {
            (
                k,
                unrequired_jobs(design, &branch.protection.required_checks, &kinds),
            )
        })
        .collect();
    for (k, jobs) in missing {
        design.repository.branches[k]
            .protection
            .required_checks
            .extend(jobs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::violations;

    #[test]
    fn passes_with_lint_and_test_and_suggests_security() {
        let found = violations(&DevRequiredChecks, &Design::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Some(Severity::Low));
        let mut complete = Design::default();
        apply(&mut complete, 0);
        assert!(violations(&DevRequiredChecks, &complete).is_empty());
    }

    #[test]
    fn fails_when_tests_are_not_required() {
        let found = violations(
            &DevRequiredChecks,
            &DevRequiredChecks::failing_examples()[0],
        );
        assert_eq!(
            found[0].field,
            "repository.branches[1].protection.required_checks"
        );
        assert_eq!(found[0].severity, None);
    }
}
