use crate::facts::jobs::{check_names_job, fresh_job_id, job_commands, job_service, jobs_of};
use crate::facts::needs::add_need;
use crate::facts::shell::simple_commands;
use crate::model::{Design, Job, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};
use crate::text::identifier;

pub struct EveryServiceChecked;

/// The checks every shipped service needs of its own, in the order they are reported.
const CHECKS: [JobKind; 3] = [JobKind::Lint, JobKind::Test, JobKind::Security];

/// Whether the service at `index` ships somewhere (so its code must pass CI first).
fn job_owners(design: &Design) -> Vec<Option<usize>> {
    design
        .pipeline
        .jobs
        .iter()
        .map(|job| job_service(design, job).map(|(owner, _)| owner))
        .collect()
}

fn ships(design: &Design, index: usize) -> bool {
    let service = &design.services[index];
    service.kubernetes.enabled || service.railway.enabled
}

/// Whether one of the service's own jobs does `kind`'s check: a job of that kind, or (lint and
/// tests) a job that runs the service's lint or test command among its steps.
fn has_check(design: &Design, owners: &[Option<usize>], index: usize, kind: JobKind) -> bool {
    let service = &design.services[index];
    let command = match kind {
        JobKind::Lint => service.commands.lint.trim(),
        JobKind::Test => service.commands.test.trim(),
        _ => "",
    };
    let wanted = simple_commands(command);
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(position, _)| owners.get(*position).copied().flatten() == Some(index))
        .any(|(position, job)| {
            job.kind == kind
                || (!wanted.is_empty()
                    && job_commands(design, position, job).iter().any(|run| {
                        simple_commands(&run.text)
                            .iter()
                            .any(|segment| wanted.contains(segment))
                    }))
        })
}

fn missing(design: &Design, owners: &[Option<usize>], index: usize) -> Vec<JobKind> {
    if design.services.len() < 2 || !ships(design, index) {
        return Vec::new();
    }
    CHECKS
        .into_iter()
        .filter(|kind| !has_check(design, owners, index, *kind))
        .collect()
}

impl Rule for EveryServiceChecked {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-005",
        name: "every-service-checked",
        severity: Severity::Medium,
        area: Area::Services,
        title: "Every shipped service has its own lint, test and security jobs",
        what: "In a design with several services, each service that deploys (to Kubernetes or \
               Railway) has CI jobs of its own, working in its folder, that lint it, test it \
               and audit its dependencies. A job that runs the service's lint or test command \
               among its steps counts.",
        why: "Pipeline checks are usually written for the first service and copied by hand for \
              the next: a frontend or worker added later then ships on every merge without a \
              test run or a dependency audit of its own lockfile, and the green checks on the \
              pull request are about other code.",
        incorrect: "services: [{name: api, directory: api}, {name: worker, directory: worker}]\npipeline:\n  jobs:\n  - {id: lint, kind: lint, working_directory: api}\n  - {id: test, kind: test, working_directory: api}\n  - {id: security, kind: security, working_directory: api}",
        correct: "pipeline:\n  jobs:\n  - {id: lint, kind: lint, working_directory: api}\n  - {id: worker-lint, kind: lint, working_directory: worker}\n  - {id: test, kind: test, working_directory: api}\n  - {id: worker-test, kind: test, working_directory: worker}\n  - {id: security, kind: security, working_directory: api}\n  - {id: worker-security, kind: security, working_directory: worker}",
        fix: "Adds the missing jobs (`<service>-lint`, `<service>-test`, `<service>-security`) \
              in the service's folder, makes every build job wait for them, and requires them \
              on the branches that require the other services' checks of the same kind.",
        source: "000 · CI/CD Pipeline: lint, test and security gate every deployable; \
                 Multi-Service Setup on Railway › Monorepo Configuration (each service its own \
                 root and checks)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let missing = missing(design, context.job_services(), context.index);
        if missing.is_empty() {
            return Vec::new();
        }
        let names: Vec<&str> = missing.iter().map(|kind| kind.label()).collect();
        vec![Violation::new(
            "pipeline.jobs",
            format!(
                "`{}` ships, but no job in its folder does its {}: its code reaches \
                 production without those checks.",
                context.service().name,
                names.join(", ").to_ascii_lowercase()
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add the service's lint, test and security jobs",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_worker(|_| {})]
    }
}

fn apply(design: &mut Design, index: usize) {
    if index >= design.services.len() {
        return;
    }
    let name = identifier(&design.services[index].name, "service");
    let folder = crate::facts::naming::service_folder(&design.services[index])
        .unwrap_or_else(|| ".".to_owned());
    let owners = job_owners(design);
    for kind in missing(design, &owners, index) {
        let suffix = match kind {
            JobKind::Lint => "lint",
            JobKind::Test => "test",
            _ => "security",
        };
        let id = fresh_job_id(design, &format!("{name}-{suffix}"));
        let mut job = Job::new(&id, kind, &[]);
        job.name = format!(
            "{} {}",
            design.services[index].name,
            kind.label().to_ascii_lowercase()
        );
        job.working_directory = folder.clone();
        design.pipeline.jobs.push(job);
        let added = design.pipeline.jobs.len() - 1;
        // A branch that requires the other services' checks of this kind requires this one.
        for branch in &mut design.repository.branches {
            let checks = &mut branch.protection.required_checks;
            let requires_kind = checks.iter().any(|check| {
                design
                    .pipeline
                    .jobs
                    .iter()
                    .any(|other| other.kind == kind && check_names_job(check, other))
            });
            if requires_kind && !checks.contains(&id) {
                checks.push(id.clone());
            }
        }
        for build in jobs_of(design, JobKind::Build) {
            add_need(design, build, added);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(design: &Design, index: usize) -> usize {
        EveryServiceChecked
            .check(&Context::for_service(design, index))
            .len()
    }

    #[test]
    fn a_single_service_is_left_to_the_pipeline_rules() {
        assert_eq!(reported(&Design::default(), 0), 0);
    }

    #[test]
    fn a_second_service_without_jobs_fails_and_the_fix_adds_them() {
        let mut design = EveryServiceChecked::failing_examples().remove(0);
        assert_eq!(reported(&design, 0), 0);
        assert_eq!(reported(&design, 1), 1);
        apply(&mut design, 1);
        assert_eq!(reported(&design, 1), 0);
        let build = &design.pipeline.jobs[jobs_of(&design, JobKind::Build)[0]];
        assert!(build.needs.iter().any(|need| need == "worker-test"));
    }
}
