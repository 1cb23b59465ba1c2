use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{main_branch, protection_field, quoted, unrequired_jobs};

pub struct MainRequiredChecks;

const KINDS: &[JobKind] = &[JobKind::Lint, JobKind::Test, JobKind::Security];

impl Rule for MainRequiredChecks {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-002",
        name: "main-required-checks",
        severity: Severity::High,
        area: Area::Branch,
        title: "`main` requires the lint, test and security checks to pass",
        what: "The required status checks of `main` include every lint, test and security job of \
               the pipeline (by job id or name).",
        why: "Approvals say a person liked the change; required checks say the machine verified \
              it. Without them a pull request with failing tests or a known-vulnerable dependency \
              can still be merged into production.",
        incorrect: "main:\n  required_checks: []",
        correct: "main:\n  required_checks: [lint, test, security]",
        fix: "Adds the missing lint, test and security jobs to `main`'s required checks.",
        source: "000 · CI/CD: Branch Protection (settings: \"lint, test, security\"); CI/CD \
                 Pipelines › Best Practices (\"Branch protection – require passing tests\")",
        equivalents: &["OpenSSF Scorecard Branch-Protection"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let Some((k, branch)) = main_branch(design) else {
            return Vec::new();
        };
        let missing = unrequired_jobs(design, &branch.protection.required_checks, KINDS);
        if missing.is_empty() {
            return Vec::new();
        }
        vec![Violation::new(
            protection_field(k, "required_checks"),
            format!(
                "`{}` can merge without {} passing.",
                branch.name,
                quoted(&missing)
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require the checks on main",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let none = super::with_protection(0, |p| p.required_checks.clear());
        let no_security =
            super::with_protection(0, |p| p.required_checks.retain(|c| c != "security"));
        vec![none, no_security]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let Some((k, branch)) = main_branch(design) else {
        return;
    };
    let missing = unrequired_jobs(design, &branch.protection.required_checks, KINDS);
    design.repository.branches[k]
        .protection
        .required_checks
        .extend(missing);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_when_every_check_job_is_required() {
        assert!(fields(&MainRequiredChecks, &preset("fastapi-react")).is_empty());
    }

    #[test]
    fn fails_when_a_check_is_not_required() {
        for design in MainRequiredChecks::failing_examples() {
            assert_eq!(
                fields(&MainRequiredChecks, &design),
                ["repository.branches[0].protection.required_checks"]
            );
        }
    }
}
