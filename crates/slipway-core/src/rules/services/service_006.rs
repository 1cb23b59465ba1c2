use crate::facts::changes::{has_gate, names_gate, GATE_JOB};
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct RequireTheCiGate;

/// The protected branches that require some checks but not the gate: (entry index, name).
fn branches_without_gate(design: &Design) -> Vec<(usize, &str)> {
    if !has_gate(design) {
        return Vec::new();
    }
    design
        .repository
        .branches
        .iter()
        .enumerate()
        .filter(|(_, branch)| !branch.name.trim().is_empty())
        .filter(|(_, branch)| {
            !branch
                .protection
                .required_checks
                .iter()
                .any(|check| names_gate(check))
        })
        .map(|(index, branch)| (index, branch.name.trim()))
        .collect()
}

impl Rule for RequireTheCiGate {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-006",
        name: "require-the-ci-gate",
        severity: Severity::Medium,
        area: Area::Services,
        title: "With per-service CI runs, protected branches require the `ci-passed` gate",
        what: "When a design has several services in folders of their own, CI runs a service's \
               jobs only when a change touches its files (`pipeline.skip_unchanged_services`): \
               a `changes` job decides, and an always-running `ci-passed` job needs every \
               check. Every protected branch requires `ci-passed`.",
        why: "GitHub reports a skipped job as passed. If the `changes` job fails, or a check \
              is skipped because something it needs failed, the per-service checks a branch \
              requires are all \"skipped\", so the pull request can merge with nothing \
              checked. The gate fails whenever any job failed or was cancelled, and it always \
              reports, unlike a workflow-level path filter that leaves required checks \
              pending (BRANCH-009).",
        incorrect: "services: [{name: api, directory: api}, {name: web, directory: web}]\nrepository:\n  branches:\n  - name: main\n    protection: {required_checks: [api-test, web-test]}",
        correct: "repository:\n  branches:\n  - name: main\n    protection: {required_checks: [ci-passed]}",
        fix: "Adds `ci-passed` to the required checks of every protected branch (the checks \
              already listed stay).",
        source: "000 · CI/CD: Branch Protection (\"require status checks\"); GitHub Actions › \
                 Using conditions to control job execution (a skipped job reports success); \
                 reconciled with BRANCH-009 (contradiction A19)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Design;

    fn check(&self, context: &Context) -> Vec<Violation> {
        branches_without_gate(context.design)
            .into_iter()
            .map(|(index, name)| {
                Violation::new(
                    format!("repository.branches[{index}].protection.required_checks"),
                    format!(
                        "`{name}` does not require `{GATE_JOB}`: when the `changes` job fails, \
                         every service's checks are skipped and GitHub counts them as passed."
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require the ci-passed gate",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::preset("web-api-worker");
        design.repository.branches[0].protection.required_checks =
            vec!["api-test".into(), "web-test".into()];
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let indices: Vec<usize> = branches_without_gate(design)
        .into_iter()
        .map(|(index, _)| index)
        .collect();
    for index in indices {
        design.repository.branches[index]
            .protection
            .required_checks
            .push(GATE_JOB.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_on_the_presets_and_single_service_designs() {
        for preset_id in ["node-api", "fastapi-react", "web-api-worker"] {
            assert!(fields(&RequireTheCiGate, &preset(preset_id)).is_empty());
        }
    }

    #[test]
    fn fails_when_a_protected_branch_requires_only_per_service_checks() {
        let mut design = RequireTheCiGate::failing_examples().remove(0);
        assert_eq!(
            fields(&RequireTheCiGate, &design),
            ["repository.branches[0].protection.required_checks"]
        );
        apply(&mut design, 0);
        assert!(fields(&RequireTheCiGate, &design).is_empty());
        assert!(design.repository.branches[0]
            .protection
            .required_checks
            .contains(&"api-test".to_owned()));
    }

    #[test]
    fn the_gate_is_not_asked_for_when_every_job_runs_for_every_change() {
        let mut design = RequireTheCiGate::failing_examples().remove(0);
        design.pipeline.skip_unchanged_services = false;
        assert!(fields(&RequireTheCiGate, &design).is_empty());
    }
}
