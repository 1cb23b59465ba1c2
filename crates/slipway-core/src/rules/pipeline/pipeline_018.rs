use crate::facts::jobs::uses_project_commands;
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::triggers::branch_pattern_matches;

pub struct MonorepoPathFilters;

/// The service folder, when the service is not at the repository root.
fn service_dir(design: &Design) -> Option<String> {
    let dir = design.project.directory.trim();
    let dir = dir.strip_prefix("./").unwrap_or(dir).trim_matches('/');
    (!dir.is_empty() && dir != ".").then(|| dir.to_owned())
}

fn at_root(directory: &str) -> bool {
    matches!(directory.trim(), "" | "." | "./" | "/")
}

fn root_jobs(design: &Design) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| {
            matches!(job.kind, JobKind::Lint | JobKind::Test | JobKind::Security)
                && uses_project_commands(design, job)
                && at_root(&job.working_directory)
        })
        .map(|(index, _)| index)
        .collect()
}

/// Whether the path filters need `<dir>/**`: they exist and miss the folder, or none exist
/// and no required check would be left pending by adding them.
fn wants_path_filter(design: &Design, dir: &str) -> bool {
    let paths = &design.pipeline.paths;
    let probe = format!("{dir}/any/file");
    if paths.is_empty() {
        let requires_checks = design
            .repository
            .branches
            .iter()
            .any(|branch| !branch.protection.required_checks.is_empty());
        return !requires_checks;
    }
    !paths
        .iter()
        .any(|pattern| branch_pattern_matches(pattern, &probe))
}

impl Rule for MonorepoPathFilters {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-018",
        name: "monorepo-path-filters",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "In a monorepo, CI runs in the service folder and watches its paths",
        what: "When the service lives in a folder of the repository (`project.directory`), its \
               lint, test and security jobs run in that folder, and the workflow's path filters, \
               if any, include `<folder>/**`. Path filters are suggested only when no protected \
               branch requires status checks: a filtered workflow leaves required checks pending \
               (BRANCH-009), and a stuck merge is worse than an extra CI run.",
        why: "Jobs that run at the repository root install and test the wrong package, or \
              nothing at all. Filters that miss the service's folder mean its changes never \
              trigger CI.",
        incorrect: "project.directory: backend\non:\n  push:\n    paths: ['frontend/**']\njobs:\n  test:\n    steps: [{run: pytest}]   # runs at the root",
        correct: "on:\n  push:\n    paths: ['backend/**']\njobs:\n  test:\n    defaults:\n      run:\n        working-directory: backend",
        fix: "Sets the service folder as working directory of the jobs that run at the root and \
              adds `<folder>/**` to the path filters where they apply.",
        source: "000 · CI/CD Pipelines › Complete Backend CI/CD Example (key features: path \
                 filtering); reconciled with BRANCH-009 (contradiction A19)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let Some(dir) = service_dir(design) else {
            return Vec::new();
        };
        let mut violations: Vec<Violation> = root_jobs(design)
            .into_iter()
            .map(|index| {
                Violation::new(
                    format!("pipeline.jobs[{index}].working_directory"),
                    format!(
                        "`{}` runs at the repository root, not in the service folder `{dir}`.",
                        design.pipeline.jobs[index].id
                    ),
                )
            })
            .collect();
        if wants_path_filter(design, &dir) {
            let message = if design.pipeline.paths.is_empty() {
                format!("CI runs for every change in the repository; filter it to `{dir}/**`.")
            } else {
                format!(
                    "The path filters miss `{dir}/**`, so changes to the service never trigger CI."
                )
            };
            violations.push(Violation::new("pipeline.paths", message));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Scope CI to the service folder",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut root = Design::default();
        root.project.directory = "api".into();
        let mut missed = crate::rules::support::preset("fastapi-react");
        missed.pipeline.paths = vec!["frontend/**".into()];
        vec![root, missed]
    }
}

fn apply(design: &mut Design) {
    let Some(dir) = service_dir(design) else {
        return;
    };
    for index in root_jobs(design) {
        design.pipeline.jobs[index].working_directory = dir.clone();
    }
    if wants_path_filter(design, &dir) {
        design.pipeline.paths.push(format!("{dir}/**"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_the_monorepo_preset_and_single_service_repositories() {
        assert!(fields(&MonorepoPathFilters, &preset("fastapi-react")).is_empty());
        assert!(fields(&MonorepoPathFilters, &Design::default()).is_empty());
    }

    #[test]
    fn fails_for_root_jobs_and_filters_that_miss_the_service() {
        let reported: Vec<Vec<String>> = MonorepoPathFilters::failing_examples()
            .iter()
            .map(|design| fields(&MonorepoPathFilters, design))
            .collect();
        assert_eq!(
            reported[0],
            [
                "pipeline.jobs[0].working_directory",
                "pipeline.jobs[1].working_directory",
                "pipeline.jobs[2].working_directory"
            ]
        );
        assert_eq!(reported[1], ["pipeline.paths"]);
    }
}
