use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{all_branches, protection_field};

pub struct UpToDateBeforeMerge;

impl Rule for UpToDateBeforeMerge {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-003",
        name: "up-to-date-before-merge",
        severity: Severity::High,
        area: Area::Branch,
        title: "Branches must be up to date before they merge",
        what: "Every protected branch (`main` and `dev`) requires a pull request to be up to date \
               with it before merging (`required_status_checks.strict`).",
        why: "Checks that passed against an old base say nothing about the result of the merge. \
              Two pull requests that each pass alone can break the branch together; requiring an \
              up-to-date branch reruns the checks on what will actually land.",
        incorrect: "dev:\n  require_up_to_date: false",
        correct: "dev:\n  require_up_to_date: true",
        fix: "Turns on \"require branches to be up to date\" on every protected branch.",
        source: "000 · CI/CD: Branch Protection (settings; key rules); stricter reading of \
                 contradiction A3 for `dev`",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        all_branches(design)
            .into_iter()
            .filter(|k| !design.repository.branches[*k].protection.require_up_to_date)
            .map(|k| {
                Violation::new(
                    protection_field(k, "require_up_to_date"),
                    format!(
                        "`{}` merges pull requests whose checks ran against an outdated base.",
                        design.repository.branches[k].name
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require up-to-date branches",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_protection(0, |p| p.require_up_to_date = false),
            super::with_protection(1, |p| p.require_up_to_date = false),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for k in all_branches(design) {
        design.repository.branches[k].protection.require_up_to_date = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_defaults() {
        assert!(fields(&UpToDateBeforeMerge, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_main_and_dev() {
        let reported: Vec<Vec<String>> = UpToDateBeforeMerge::failing_examples()
            .iter()
            .map(|design| fields(&UpToDateBeforeMerge, design))
            .collect();
        assert_eq!(
            reported[0],
            ["repository.branches[0].protection.require_up_to_date"]
        );
        assert_eq!(
            reported[1],
            ["repository.branches[1].protection.require_up_to_date"]
        );
    }
}
