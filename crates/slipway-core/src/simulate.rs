//! The trigger simulator: for an event, a branch and the changed paths, which jobs run, which
//! are skipped and why, and which cache key each job would use.

use crate::facts::changes::{per_service_runs, service_runs, ServiceFiles, CHANGES_JOB, GATE_JOB};
use crate::facts::jobs::{is_ci_job, owning_service};
use crate::model::{Design, Job, JobKind};
use crate::text::glob_match;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Push,
    PullRequest,
    Schedule,
    Dispatch,
}

impl Event {
    pub const ALL: [Event; 4] = [
        Event::Push,
        Event::PullRequest,
        Event::Schedule,
        Event::Dispatch,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Event::Push => "push",
            Event::PullRequest => "pull_request",
            Event::Schedule => "schedule",
            Event::Dispatch => "workflow_dispatch",
        }
    }

    pub fn from_id(id: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|event| event.id() == id)
    }
}

/// What happened in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub event: Event,
    /// The pushed branch, or the pull request's target branch.
    pub branch: String,
    pub changed_paths: Vec<String>,
}

/// What a job does in the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub job: String,
    /// The service the job works on (by its working directory); `None` for a job of the
    /// repository as a whole.
    pub service: Option<String>,
    pub runs: bool,
    pub reason: String,
    /// The dependency cache key the job would look up, as written in the workflow.
    pub cache_key: Option<String>,
}

/// The dependency cache key of a job: OS, package manager and the lockfile hash (CACHE-002,
/// CACHE-003).
pub fn cache_key(design: &Design, job: &Job) -> Option<String> {
    if !job.cache.enabled || !job.kind.installs_dependencies() {
        return None;
    }
    let service = crate::facts::jobs::job_service(design, job).map(|(_, service)| service);
    let manager = crate::facts::jobs::job_manager(design, job);
    let files: Vec<String> = if job.cache.key_files.is_empty() {
        let directory = service.map_or("", |service| service.directory.trim_matches('/'));
        let lockfile = service.map_or_else(
            || manager.lockfile().to_owned(),
            |service| service.lockfile.clone(),
        );
        vec![if directory.is_empty() || directory == "." {
            lockfile
        } else {
            format!("{directory}/{lockfile}")
        }]
    } else {
        job.cache.key_files.clone()
    };
    let quoted: Vec<String> = files
        .iter()
        .map(|file| format!("'{}'", file.replace('\'', "''")))
        .collect();
    Some(format!(
        "${{{{ runner.os }}}}-{}-${{{{ hashFiles({}) }}}}",
        manager.id(),
        quoted.join(", ")
    ))
}

/// Runs the scenario against the design's workflows.
pub fn simulate(design: &Design, scenario: &Scenario) -> Vec<Outcome> {
    let triggers = &design.pipeline.triggers;
    let branch = scenario.branch.trim();
    let paths_match = design.pipeline.paths.is_empty()
        || scenario.changed_paths.iter().any(|path| {
            design
                .pipeline
                .paths
                .iter()
                .any(|filter| glob_match(filter.trim(), path.trim()))
        });
    let ci_verdict: Result<(), String> = match scenario.event {
        Event::Push if !triggers.push_branches.iter().any(|b| glob_match(b, branch)) => {
            Err(format!(
                "CI runs on pushes to {} only.",
                list(&triggers.push_branches)
            ))
        }
        Event::PullRequest
            if !triggers
                .pull_request_branches
                .iter()
                .any(|b| glob_match(b, branch)) =>
        {
            Err(format!(
                "CI runs on pull requests into {} only.",
                list(&triggers.pull_request_branches)
            ))
        }
        Event::Push | Event::PullRequest if !paths_match => Err(format!(
            "No changed file matches the path filters {}.",
            list(&design.pipeline.paths)
        )),
        Event::Schedule => Err("Only the security workflow runs on its schedule.".to_owned()),
        Event::Dispatch if !triggers.manual => {
            Err("Manual runs (workflow_dispatch) are not enabled.".to_owned())
        }
        _ => Ok(()),
    };

    let mut outcomes: Vec<Outcome> = Vec::new();
    // Jobs in dependency order, so a dependent sees its needs' outcomes.
    let order = crate::pipeline_graph::layout(&design.pipeline.jobs);
    let mut by_layer: Vec<_> = order.placements.clone();
    by_layer.sort_by_key(|placement| (placement.layer, placement.job));
    let mut results: Vec<Option<Outcome>> = vec![None; design.pipeline.jobs.len()];
    // Jobs skipped because something they need does not run (not by their own branch rules):
    // a promotion never waits past one of those.
    let mut starved = vec![false; design.pipeline.jobs.len()];
    let services = per_service_runs(design);
    let changed_services: Vec<String> = design
        .services
        .iter()
        .enumerate()
        .filter(|(index, _)| service_runs(services.as_deref(), *index, &scenario.changed_paths))
        .map(|(_, service)| service.name.clone())
        .collect();
    for placement in by_layer {
        let job = &design.pipeline.jobs[placement.job];
        let mut own = own_verdict(design, placement.job, scenario, &ci_verdict, branch);
        if let (Some(files), true, Ok(_)) = (&services, is_ci_job(job), &own) {
            own = unchanged_service(design, job, files, &scenario.changed_paths).map_or(own, Err);
        }
        if let (Some(_), true, Ok(reason)) = (&services, is_deploy(job.kind), &mut own) {
            if changed_services.len() < design.services.len() {
                reason.push_str(&format!(
                    " It deploys only the services this change touched: {}.",
                    list(&changed_services)
                ));
            }
        }
        let outcome = match own {
            Err(reason) => skipped(job, reason),
            Ok(reason) => {
                let blocked = job.needs.iter().find(|need| {
                    let Some(index) = design
                        .pipeline
                        .jobs
                        .iter()
                        .position(|other| &other.id == *need)
                    else {
                        return false;
                    };
                    // A deploy that waits for another environment's deploy accepts it being
                    // skipped by branch mapping: staging deploys from its own branch, and the
                    // promotion to production goes through the merge (PIPELINE-008, -009).
                    let promotion = is_deploy(job.kind)
                        && is_deploy(design.pipeline.jobs[index].kind)
                        && !starved[index];
                    // With per-service runs a CI job runs unless a need failed: a need
                    // skipped because its service did not change never holds it back.
                    let after_skippable = services.is_some() && is_ci_job(job);
                    !promotion
                        && !after_skippable
                        && results[index].as_ref().is_some_and(|outcome| !outcome.runs)
                });
                match blocked {
                    Some(need) => {
                        starved[placement.job] = true;
                        skipped(job, format!("It needs `{need}`, which does not run."))
                    }
                    None => Outcome {
                        job: job.id.clone(),
                        service: None,
                        runs: true,
                        reason,
                        cache_key: cache_key(design, job),
                    },
                }
            }
        };
        results[placement.job] = Some(outcome);
    }
    outcomes.extend(results.into_iter().flatten());
    for outcome in &mut outcomes {
        outcome.service = design
            .pipeline
            .jobs
            .iter()
            .find(|job| job.id == outcome.job)
            .and_then(|job| owning_service(design, job))
            .map(|(_, service)| service.name.clone());
    }
    outcomes
}

/// Why a service's CI job is skipped: the change touches none of the service's files.
fn unchanged_service(
    design: &Design,
    job: &Job,
    files: &[ServiceFiles],
    changed: &[String],
) -> Option<String> {
    let (index, service) = owning_service(design, job)?;
    let own = files.iter().find(|files| files.service == index)?;
    if service_runs(Some(files), index, changed) {
        return None;
    }
    Some(format!(
        "No changed file is `{}`'s ({}): the `{CHANGES_JOB}` job skips its jobs, and the `{GATE_JOB}` check still passes.",
        service.name,
        list(&own.patterns)
    ))
}

fn is_deploy(kind: JobKind) -> bool {
    matches!(kind, JobKind::Deploy | JobKind::Migrate | JobKind::Smoke)
}

/// The branches a deploy job runs for: as the generated deploy workflow decides (its
/// environment's branch, plus those of the deploys that wait for it).
fn deploy_branches(
    design: &Design,
    index: usize,
    environment: &crate::model::Environment,
) -> Vec<String> {
    crate::generate::actions::jobs::branches_of_job(design, index)
        .unwrap_or_else(|| vec![environment.branch.clone()])
}

fn own_verdict(
    design: &Design,
    index: usize,
    scenario: &Scenario,
    ci_verdict: &Result<(), String>,
    branch: &str,
) -> Result<String, String> {
    let job = &design.pipeline.jobs[index];
    match job.kind {
        JobKind::Deploy | JobKind::Migrate | JobKind::Smoke => {
            if scenario.event != Event::Push {
                return Err("Deploys run only inside CI's run on a push, after the build passes, never for pull requests or schedules.".to_owned());
            }
            if let Err(reason) = ci_verdict {
                return Err(format!(
                    "CI calls the deploy after its build, and CI does not run: {reason}"
                ));
            }
            let environment = design
                .environments
                .iter()
                .find(|env| env.name == job.environment);
            match environment {
                None => Err(format!(
                    "Its environment `{}` is not defined.",
                    job.environment
                )),
                Some(env)
                    if !deploy_branches(design, index, env)
                        .iter()
                        .any(|b| b == branch) =>
                {
                    Err(format!(
                        "`{}` deploys from {}, not `{branch}`.",
                        env.name,
                        deploy_branches(design, index, env)
                            .iter()
                            .map(|b| format!("`{b}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ))
                }
                Some(env) if env.requires_approval => Ok(format!(
                    "Push to `{branch}`: waits for approval of the `{}` environment.",
                    env.name
                )),
                Some(env) => Ok(format!("Push to `{branch}` deploys to `{}`.", env.name)),
            }
        }
        JobKind::Security if scenario.event == Event::Schedule => Ok(format!(
            "The weekly security scan ({}).",
            design.pipeline.triggers.security_schedule
        )),
        _ => ci_verdict
            .clone()
            .map(|()| format!("CI runs on {} to `{branch}`.", scenario.event.id())),
    }
}

fn skipped(job: &Job, reason: String) -> Outcome {
    Outcome {
        job: job.id.clone(),
        service: None,
        runs: false,
        reason,
        cache_key: None,
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "(none)".to_owned();
    }
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(event: Event, branch: &str, paths: &[&str]) -> Scenario {
        Scenario {
            event,
            branch: branch.into(),
            changed_paths: paths.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    fn runs(outcomes: &[Outcome]) -> Vec<&str> {
        outcomes
            .iter()
            .filter(|o| o.runs)
            .map(|o| o.job.as_str())
            .collect()
    }

    #[test]
    fn a_pull_request_runs_ci_but_never_deploys() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Node);
        let outcomes = simulate(
            &design,
            &scenario(Event::PullRequest, "main", &["src/a.ts"]),
        );
        assert_eq!(runs(&outcomes), ["lint", "test", "security", "build"]);
        let deploy = outcomes
            .iter()
            .find(|o| o.job == "deploy-production")
            .unwrap();
        assert!(deploy.reason.contains("never for pull requests"));
    }

    #[test]
    fn a_push_to_dev_deploys_staging_only() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Node);
        let outcomes = simulate(&design, &scenario(Event::Push, "dev", &["src/a.ts"]));
        assert!(runs(&outcomes).contains(&"deploy-staging"));
        let production = outcomes
            .iter()
            .find(|o| o.job == "deploy-production")
            .unwrap();
        assert!(!production.runs);
    }

    #[test]
    fn a_push_to_main_goes_through_staging_to_production_as_the_workflow_does() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Node);
        let outcomes = simulate(&design, &scenario(Event::Push, "main", &["src/a.ts"]));
        let running = runs(&outcomes);
        assert!(running.contains(&"deploy-staging"), "{running:?}");
        assert!(running.contains(&"deploy-production"), "{running:?}");
        let workflow = crate::generate(&design);
        let deploy = workflow.file(".github/workflows/deploy.yml").unwrap();
        assert!(deploy.contents.contains("main"));
    }

    #[test]
    fn path_filters_skip_unrelated_changes() {
        let mut design = (crate::presets::find("fastapi-react").unwrap().build)();
        design.pipeline.paths = vec!["backend/**".into(), "frontend/**".into()];
        let outcomes = simulate(
            &design,
            &scenario(Event::PullRequest, "main", &["docs/readme.md"]),
        );
        assert!(runs(&outcomes).is_empty());
        assert!(outcomes[0].reason.contains("path filters"));
        let outcomes = simulate(
            &design,
            &scenario(Event::PullRequest, "main", &["backend/app/main.py"]),
        );
        assert!(runs(&outcomes).contains(&"backend-test"));
    }

    #[test]
    fn the_schedule_runs_only_the_security_scan() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Node);
        let outcomes = simulate(&design, &scenario(Event::Schedule, "main", &[]));
        assert_eq!(runs(&outcomes), ["security"]);
    }

    #[test]
    fn a_change_to_one_service_runs_its_jobs_and_the_repository_jobs_only() {
        let design = (crate::presets::find("web-api-worker").unwrap().build)();
        let outcomes = simulate(
            &design,
            &scenario(Event::Push, "main", &["apps/api/src/a.ts"]),
        );
        let running = runs(&outcomes);
        assert!(running.contains(&"api-lint"), "{running:?}");
        assert!(running.contains(&"build"), "{running:?}");
        assert!(!running.contains(&"web-lint"), "{running:?}");
        let web = outcomes.iter().find(|o| o.job == "web-lint").unwrap();
        assert_eq!(web.service.as_deref(), Some("web"));
        assert!(web.reason.contains("apps/web/**"), "{}", web.reason);
        let deploy = outcomes.iter().find(|o| o.job == "deploy-staging").unwrap();
        assert!(deploy.runs);
        assert!(deploy.reason.contains("`api`"), "{}", deploy.reason);
        let workflow = outcomes.iter().filter(|o| o.runs).count();
        let everything = simulate(
            &design,
            &scenario(Event::Push, "main", &[".github/workflows/ci.yml"]),
        );
        assert!(everything.iter().filter(|o| o.runs).count() > workflow);
    }

    #[test]
    fn cache_keys_hash_the_lockfile() {
        let design = (crate::presets::find("fastapi-react").unwrap().build)();
        let outcomes = simulate(&design, &scenario(Event::Push, "main", &["backend/x.py"]));
        let test = outcomes.iter().find(|o| o.job == "backend-test").unwrap();
        assert_eq!(
            test.cache_key.as_deref(),
            Some("${{ runner.os }}-poetry-${{ hashFiles('backend/poetry.lock') }}")
        );
    }
}
