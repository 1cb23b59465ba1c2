use crate::facts::deploys::deploys_to;
use crate::facts::jobs::{fresh_job_id, jobs_of};
use crate::facts::needs::{add_need, depends_on, Needs};
use crate::model::{Design, EnvironmentTier, Job, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct StageOrder;

fn checks(design: &Design) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| matches!(job.kind, JobKind::Lint | JobKind::Test | JobKind::Security))
        .map(|(index, _)| index)
        .collect()
}

fn ids(design: &Design, indices: &[usize]) -> String {
    indices
        .iter()
        .map(|index| format!("`{}`", design.pipeline.jobs[*index].id))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rule for StageOrder {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-008",
        name: "stage-order",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "Jobs run in the documented order: checks, build, staging, production",
        what: "Through `needs` (directly or indirectly) every build job waits for every lint, \
               test and security job, every deploy job waits for a build job, and a production \
               deploy waits for the staging deploy when both exist.",
        why: "The order is the safety net: an image is only built from code that passed every \
              check, only built images are deployed, and production only receives what staging \
              ran first. A missing `needs` link lets a job race ahead of a failure.",
        incorrect: "jobs:\n  build:\n    needs: [lint]\n  deploy-production:\n    needs: [build]",
        correct: "jobs:\n  build:\n    needs: [lint, test, security]\n  deploy-staging:\n    needs: [build]\n  deploy-production:\n    needs: [deploy-staging]",
        fix: "Adds the missing `needs` links (and a build job if deploys have none to wait for). \
              Links that would close a cycle are left out.",
        source: "000 · Pipeline Architecture; Key Concepts › CI/CD Pipeline Stages; CI/CD \
                 Pipelines › Pipeline Stages; 004 · CI/CD Pipelines › GitHub Actions (`needs: \
                 [test, security]`)",
        equivalents: &["actionlint (job graph syntax only)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let jobs = &design.pipeline.jobs;
        let mut violations = Vec::new();
        let builds = jobs_of(design, JobKind::Build);
        let all_checks = checks(design);
        let needs = Needs::new(design);
        for &build in &builds {
            let before = needs.ancestors(build);
            let missing: Vec<usize> = all_checks
                .iter()
                .copied()
                .filter(|check| !before.contains(check))
                .collect();
            if !missing.is_empty() {
                violations.push(Violation::new(
                    format!("pipeline.jobs[{build}].needs"),
                    format!(
                        "Build job `{}` does not wait for {}.",
                        jobs[build].id,
                        ids(design, &missing)
                    ),
                ));
            }
        }
        let deploys = jobs_of(design, JobKind::Deploy);
        for &deploy in &deploys {
            let before = needs.ancestors(deploy);
            if !builds.iter().any(|build| before.contains(build)) {
                let message = if builds.is_empty() {
                    format!(
                        "Deploy job `{}` has no build job to deploy from.",
                        jobs[deploy].id
                    )
                } else {
                    format!(
                        "Deploy job `{}` does not wait for the build.",
                        jobs[deploy].id
                    )
                };
                violations.push(Violation::new(
                    format!("pipeline.jobs[{deploy}].needs"),
                    message,
                ));
            }
        }
        let staging = deploys_to(design, EnvironmentTier::Staging);
        for production in deploys_to(design, EnvironmentTier::Production) {
            let before = needs.ancestors(production);
            let missing: Vec<usize> = staging
                .iter()
                .copied()
                .filter(|stage| !before.contains(stage))
                .collect();
            if !missing.is_empty() {
                violations.push(Violation::new(
                    format!("pipeline.jobs[{production}].needs"),
                    format!(
                        "Production deploy `{}` does not wait for the staging deploy {}.",
                        jobs[production].id,
                        ids(design, &missing)
                    ),
                ));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Chain the stages",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let partial_build = super::with_job("build", |job| job.needs = vec!["lint".into()]);
        let loose_deploy = super::with_job("deploy-staging", |job| job.needs.clear());
        let straight_to_production =
            super::with_job("deploy-production", |job| job.needs = vec!["build".into()]);
        let mut no_build = Design::default();
        no_build
            .pipeline
            .jobs
            .retain(|job| job.kind != JobKind::Build);
        for job in &mut no_build.pipeline.jobs {
            job.needs.retain(|need| need != "build");
        }
        vec![
            partial_build,
            loose_deploy,
            straight_to_production,
            no_build,
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if jobs_of(design, JobKind::Build).is_empty() && !jobs_of(design, JobKind::Deploy).is_empty() {
        let id = fresh_job_id(design, "build");
        let position = jobs_of(design, JobKind::Deploy)[0];
        design
            .pipeline
            .jobs
            .insert(position, Job::new(&id, JobKind::Build, &[]));
    }
    for build in jobs_of(design, JobKind::Build) {
        for check in checks(design) {
            add_need(design, build, check);
        }
    }
    let builds = jobs_of(design, JobKind::Build);
    for deploy in jobs_of(design, JobKind::Deploy) {
        if !builds
            .iter()
            .any(|build| depends_on(design, deploy, *build))
        {
            if let Some(build) = builds.first() {
                add_need(design, deploy, *build);
            }
        }
    }
    let staging = deploys_to(design, EnvironmentTier::Staging);
    for production in deploys_to(design, EnvironmentTier::Production) {
        for stage in &staging {
            add_need(design, production, *stage);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_standard_chain() {
        assert!(fields(&StageOrder, &preset("fastapi-react")).is_empty());
    }

    #[test]
    fn fails_on_each_broken_link() {
        let reported: Vec<Vec<String>> = StageOrder::failing_examples()
            .iter()
            .map(|design| fields(&StageOrder, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs[3].needs"]);
        assert_eq!(
            reported[1],
            ["pipeline.jobs[4].needs", "pipeline.jobs[5].needs"]
        );
        assert_eq!(reported[2], ["pipeline.jobs[5].needs"]);
        assert_eq!(
            reported[3],
            ["pipeline.jobs[3].needs", "pipeline.jobs[4].needs"]
        );
    }
}
