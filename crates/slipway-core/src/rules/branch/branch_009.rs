use crate::facts::changes::{has_gate, names_gate};
use crate::facts::jobs::{runs_on_pull_requests, JobsByCheckName};
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::protection::{all_branches, protection_field};

pub struct RequiredChecksAlwaysReported;

enum Gap {
    Unknown(String),
    NotOnPullRequests(String),
    Filtered(String),
}

fn gaps(design: &Design, k: usize) -> Vec<Gap> {
    let jobs = &design.pipeline.jobs;
    let by_name = JobsByCheckName::new(design);
    let filtered = !design.pipeline.paths.is_empty();
    let gate = has_gate(design);
    design.repository.branches[k]
        .protection
        .required_checks
        .iter()
        .filter(|check| !check.trim().is_empty())
        .filter_map(|check| {
            if gate && names_gate(check) {
                return filtered.then(|| Gap::Filtered(check.clone()));
            }
            let named: Vec<_> = by_name
                .named(check)
                .iter()
                .map(|&index| &jobs[index])
                .collect();
            if named.is_empty() {
                Some(Gap::Unknown(check.clone()))
            } else if !named.iter().any(|job| runs_on_pull_requests(job)) {
                Some(Gap::NotOnPullRequests(check.clone()))
            } else if filtered {
                Some(Gap::Filtered(check.clone()))
            } else {
                None
            }
        })
        .collect()
}

impl Rule for RequiredChecksAlwaysReported {
    const DOC: RuleDoc = RuleDoc {
        id: "BRANCH-009",
        name: "required-checks-always-reported",
        severity: Severity::Medium,
        area: Area::Branch,
        title: "Every required check is reported on every pull request",
        what: "Each required status check names a job that runs on every pull request into the \
               branch: not a job that does not exist, not a deploy, migrate, smoke or notify job \
               (they are skipped on pull requests), and not a job of a workflow with path \
               filters, which GitHub skips entirely when the change touches other paths.",
        why: "A required check that is never reported stays \"pending\" forever and blocks the \
              merge. Teams then bypass protection or disable the check, which is worse than \
              having no path filter at all.",
        incorrect: "main:\n  required_checks: [backend-test]\non:\n  pull_request:\n    paths: ['backend/**']",
        correct: "main:\n  required_checks: [backend-test]\non:\n  pull_request: {branches: [main, dev]}   # no path filter; or an always-running aggregator job",
        fix: "Removes required checks that can never be reported and drops the workflow's path \
              filters when required checks depend on them. Unsafe: entries and filters are \
              removed; an always-running aggregator job is the alternative to keep the filters.",
        source: "implied by combining 000 · CI/CD: Branch Protection (required checks) with CI/CD \
                 Pipelines › Complete Backend CI/CD Example (path filtering); contradiction A19",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        let mut filtered: Vec<String> = Vec::new();
        for k in all_branches(design) {
            let branch = &design.repository.branches[k].name;
            let field = protection_field(k, "required_checks");
            for gap in gaps(design, k) {
                match gap {
                    Gap::Unknown(check) => violations.push(Violation::new(
                        field.clone(),
                        format!("`{branch}` requires `{check}`, which no job reports: every merge waits forever."),
                    )),
                    Gap::NotOnPullRequests(check) => violations.push(Violation::new(
                        field.clone(),
                        format!("`{branch}` requires `{check}`, a job that never runs on pull requests."),
                    )),
                    Gap::Filtered(check) => {
                        let check = format!("`{check}`");
                        if !filtered.contains(&check) {
                            filtered.push(check);
                        }
                    }
                }
            }
        }
        if !filtered.is_empty() {
            violations.push(Violation::new(
                "pipeline.paths",
                format!(
                    "Required checks {} come from a path-filtered workflow: pull requests outside `{}` leave them pending.",
                    filtered.join(", "),
                    design.pipeline.paths.join("`, `")
                ),
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require only checks that always report",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let unknown = super::with_protection(0, |p| p.required_checks.push("e2e".into()));
        let deploy = super::with_protection(1, |p| p.required_checks.push("deploy-staging".into()));
        let mut filtered = crate::rules::support::preset("fastapi-react");
        filtered.pipeline.paths = vec!["backend/**".into(), "frontend/**".into()];
        vec![unknown, deploy, filtered]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let mut drop_filters = false;
    for k in all_branches(design) {
        let mut never: Vec<String> = Vec::new();
        for gap in gaps(design, k) {
            match gap {
                Gap::Unknown(check) | Gap::NotOnPullRequests(check) => never.push(check),
                Gap::Filtered(_) => drop_filters = true,
            }
        }
        design.repository.branches[k]
            .protection
            .required_checks
            .retain(|check| !never.contains(check));
    }
    if drop_filters {
        design.pipeline.paths.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_unfiltered_ci_jobs() {
        assert!(fields(&RequiredChecksAlwaysReported, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_unknown_skipped_or_filtered_checks() {
        let reported: Vec<Vec<String>> = RequiredChecksAlwaysReported::failing_examples()
            .iter()
            .map(|design| fields(&RequiredChecksAlwaysReported, design))
            .collect();
        assert_eq!(
            reported[0],
            ["repository.branches[0].protection.required_checks"]
        );
        assert_eq!(
            reported[1],
            ["repository.branches[1].protection.required_checks"]
        );
        assert_eq!(reported[2], ["pipeline.paths"]);
    }
}
