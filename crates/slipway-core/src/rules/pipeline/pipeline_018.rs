use crate::facts::jobs::{folder, job_service, uses_project_commands};
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::triggers::branch_pattern_matches;

pub struct MonorepoPathFilters;

/// The folders of the services that are not at the repository root, each once.
fn service_dirs(design: &Design) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    for dir in design
        .services
        .iter()
        .filter_map(|service| folder(&service.directory))
    {
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    dirs
}

fn at_root(directory: &str) -> bool {
    matches!(directory.trim(), "" | "." | "./" | "/")
}

/// Jobs that run a service's commands at the repository root while the service lives in a
/// folder: (job index, the service's folder).
fn root_jobs(design: &Design) -> Vec<(usize, String)> {
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
        .filter_map(|(index, job)| {
            let (_, service) = job_service(design, job)?;
            folder(&service.directory).map(|dir| (index, dir))
        })
        .collect()
}

/// The service folders the path filters need `<dir>/**` for: those the filters miss, or,
/// when there are none, every folder, as long as no service lives at the root and no
/// required check would be left pending by adding them.
fn missing_path_filters(design: &Design) -> Vec<String> {
    let paths = &design.pipeline.paths;
    let dirs = service_dirs(design);
    if paths.is_empty() {
        let requires_checks = design
            .repository
            .branches
            .iter()
            .any(|branch| !branch.protection.required_checks.is_empty());
        let root_service = design
            .services
            .iter()
            .any(|service| folder(&service.directory).is_none());
        return if requires_checks || root_service {
            Vec::new()
        } else {
            dirs
        };
    }
    dirs.into_iter()
        .filter(|dir| {
            let probe = format!("{dir}/any/file");
            !paths
                .iter()
                .any(|pattern| branch_pattern_matches(pattern, &probe))
        })
        .collect()
}

impl Rule for MonorepoPathFilters {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-018",
        name: "monorepo-path-filters",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "In a monorepo, CI runs in the service folder and watches its paths",
        what: "When a service lives in a folder of the repository (its `directory`), its \
               lint, test and security jobs run in that folder, and the workflow's path filters, \
               if any, include `<folder>/**`. Path filters are suggested only when no protected \
               branch requires status checks: a filtered workflow leaves required checks pending \
               (BRANCH-009), and a stuck merge is worse than an extra CI run.",
        why: "Jobs that run at the repository root install and test the wrong package, or \
              nothing at all. Filters that miss the service's folder mean its changes never \
              trigger CI.",
        incorrect: "services:\n  - directory: backend\non:\n  push:\n    paths: ['frontend/**']\njobs:\n  test:\n    steps: [{run: pytest}]   # runs at the root",
        correct: "on:\n  push:\n    paths: ['backend/**']\njobs:\n  test:\n    defaults:\n      run:\n        working-directory: backend",
        fix: "Sets the service folder as working directory of the jobs that run at the root and \
              adds `<folder>/**` to the path filters where they apply.",
        source: "000 · CI/CD Pipelines › Complete Backend CI/CD Example (key features: path \
                 filtering); reconciled with BRANCH-009 (contradiction A19)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations: Vec<Violation> = root_jobs(design)
            .into_iter()
            .map(|(index, dir)| {
                Violation::new(
                    format!("pipeline.jobs[{index}].working_directory"),
                    format!(
                        "`{}` runs at the repository root, not in the service folder `{dir}`.",
                        design.pipeline.jobs[index].id
                    ),
                )
            })
            .collect();
        let missing = missing_path_filters(design);
        if missing.is_empty() {
            return violations;
        }
        if design.pipeline.paths.is_empty() {
            let filters: Vec<String> = missing.iter().map(|dir| format!("`{dir}/**`")).collect();
            violations.push(Violation::new(
                "pipeline.paths",
                format!(
                    "CI runs for every change in the repository; filter it to {}.",
                    filters.join(", ")
                ),
            ));
        } else {
            violations.extend(missing.into_iter().map(|dir| {
                Violation::new(
                    "pipeline.paths",
                    format!(
                        "The path filters miss `{dir}/**`, so changes to the service never trigger CI."
                    ),
                )
            }));
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
        root.services[0].directory = "api".into();
        let mut missed = crate::rules::support::preset("fastapi-react");
        missed.pipeline.paths = vec!["frontend/**".into()];
        vec![root, missed]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (index, dir) in root_jobs(design) {
        design.pipeline.jobs[index].working_directory = dir;
    }
    for dir in missing_path_filters(design) {
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

    #[test]
    fn each_service_folder_is_watched_and_the_fix_adds_the_missing_ones() {
        let mut design = Design::default();
        design.services[0].directory = "api".into();
        design.services.push(crate::model::Service {
            name: "web".into(),
            directory: "./web/".into(),
            ..crate::model::Service::default()
        });
        design.pipeline.paths = vec!["api/**".into()];
        let found = crate::rules::support::violations(&MonorepoPathFilters, &design);
        // Jobs without a folder run the first service's commands, at the root.
        assert!(found[..3]
            .iter()
            .all(|v| v.message.ends_with("not in the service folder `api`.")));
        assert_eq!(found[3].field, "pipeline.paths");
        assert!(
            found[3].message.contains("`web/**`"),
            "{}",
            found[3].message
        );
        apply(&mut design, 0);
        assert_eq!(design.pipeline.paths, ["api/**", "web/**"]);
        assert!(fields(&MonorepoPathFilters, &design).is_empty());
    }
}
