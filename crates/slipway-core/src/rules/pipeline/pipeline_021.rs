use crate::facts::deploys::deploys_to;
use crate::facts::jobs::{
    fresh_job_id, job_manager, job_runtime, job_service, jobs_of, test_suites, Suite,
};
use crate::facts::needs::{add_need, Needs};
use crate::model::{Design, EnvironmentTier, Job, JobKind, PackageManager, Runtime};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct IntegrationAndE2eTests;

fn suite_jobs(design: &Design, suite: Suite) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(index, job)| test_suites(design, *index, job).contains(&suite))
        .map(|(index, _)| index)
        .collect()
}

fn suite_label(suite: Suite) -> &'static str {
    match suite {
        Suite::Integration => "an integration-test job",
        Suite::EndToEnd => "an end-to-end test job",
    }
}

/// A suite a production deploy does not wait for, with the first job that runs it (when one
/// exists).
type MissingSuite = (Suite, Option<usize>);

/// Production deploys and the suites they do not wait for.
fn gaps(design: &Design) -> Vec<(usize, Vec<MissingSuite>)> {
    let suites =
        [Suite::Integration, Suite::EndToEnd].map(|suite| (suite, suite_jobs(design, suite)));
    let needs = Needs::new(design);
    deploys_to(design, EnvironmentTier::Production)
        .into_iter()
        .filter_map(|deploy| {
            let before = needs.ancestors(deploy);
            let missing: Vec<MissingSuite> = suites
                .iter()
                .filter(|(_, jobs)| !jobs.iter().any(|job| before.contains(job)))
                .map(|(suite, jobs)| (*suite, jobs.first().copied()))
                .collect();
            (!missing.is_empty()).then_some((deploy, missing))
        })
        .collect()
}

impl Rule for IntegrationAndE2eTests {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-021",
        name: "integration-and-e2e-tests",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "Integration and end-to-end tests pass before production",
        what: "Every production deploy waits (through `needs`, directly or indirectly) for a test \
               job running integration tests and one running end-to-end tests. A job counts when \
               its id or name says so (`integration`, `e2e`, `end-to-end`) and it runs a test \
               suite, or when its commands select the suite (`npm run test:integration`, `pytest \
               tests/e2e`, `go test -tags=integration`, Playwright, Cypress). Whether the \
               end-to-end suite covers the critical user paths is checklist item CHK-036.",
        why: "Unit tests mock the database, the queue and the other services; integration tests \
              catch the wiring they hide (queries, migrations, serialisation), and end-to-end \
              tests catch a release that passes everything yet breaks sign-up or checkout. Both \
              have to pass before users meet the release.",
        incorrect: "jobs: [lint, test, security, build, deploy-staging, deploy-production]",
        correct: "jobs:\n- {id: integration, kind: test, commands: [npm ci, npm run test:integration]}\n- {id: e2e, kind: test, commands: [npm ci, npx playwright install --with-deps, npx playwright test]}\n- {id: build, needs: [lint, test, integration, e2e, security]}",
        fix: "Adds the missing `integration` and `e2e` test jobs with the language's conventional \
              commands (Playwright for Node) and makes every build and production deploy wait for \
              them. Unsafe: the new jobs fail until the project has those suites.",
        source: "000 · Production Readiness Checklist › Testing (\"Integration tests passing\", \
                 \"E2E tests for critical paths\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        gaps(design)
            .into_iter()
            .map(|(deploy, missing)| {
                let what: Vec<String> = missing
                    .iter()
                    .map(|(suite, existing)| match existing {
                        Some(job) => format!("`{}`", design.pipeline.jobs[*job].id),
                        None => suite_label(*suite).to_owned(),
                    })
                    .collect();
                Violation::new(
                    format!("pipeline.jobs[{deploy}].needs"),
                    format!(
                        "Production deploy `{}` does not wait for {}.",
                        design.pipeline.jobs[deploy].id,
                        what.join(" and ")
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add integration and end-to-end test jobs",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut unlinked = Design::default();
        let mut e2e = Job::new("e2e", JobKind::Test, &[]);
        e2e.commands = vec!["npm ci".into(), "npm run test:e2e".into()];
        unlinked.pipeline.jobs.push(e2e);
        vec![Design::default(), unlinked]
    }
}

/// The conventional command that runs a suite in the service's language.
fn suite_command(runtime: Runtime, manager: PackageManager, suite: Suite) -> Vec<String> {
    let poetry = |command: &str| {
        if manager == PackageManager::Poetry {
            format!("poetry run {command}")
        } else {
            command.to_owned()
        }
    };
    let script = |name: &str| match manager {
        PackageManager::Pnpm => format!("pnpm run {name}"),
        PackageManager::Yarn => format!("yarn {name}"),
        _ => format!("npm run {name}"),
    };
    match (runtime, suite) {
        (Runtime::Node, Suite::Integration) => vec![script("test:integration")],
        (Runtime::Node, Suite::EndToEnd) => vec![
            "npx playwright install --with-deps".to_owned(),
            "npx playwright test".to_owned(),
        ],
        (Runtime::Python, Suite::Integration) => vec![poetry("pytest tests/integration")],
        (Runtime::Python, Suite::EndToEnd) => vec![poetry("pytest tests/e2e")],
        (Runtime::Go, Suite::Integration) => {
            vec!["go test -race -tags=integration ./...".to_owned()]
        }
        (Runtime::Go, Suite::EndToEnd) => vec!["go test -tags=e2e ./e2e/...".to_owned()],
        (Runtime::Rust, Suite::Integration) => vec!["cargo test --locked --test '*'".to_owned()],
        (Runtime::Rust, Suite::EndToEnd) => vec!["cargo test --locked --test e2e".to_owned()],
        (Runtime::Java, Suite::Integration) => {
            vec!["./mvnw -B failsafe:integration-test failsafe:verify".to_owned()]
        }
        (Runtime::Java, Suite::EndToEnd) => vec!["./mvnw -B verify -Pe2e".to_owned()],
    }
}

/// A test job running `suite`, with the install first (explicit commands replace the kind's
/// defaults).
fn suite_job(design: &Design, suite: Suite) -> Job {
    let (base, name) = match suite {
        Suite::Integration => ("integration", "Integration tests"),
        Suite::EndToEnd => ("e2e", "End-to-end tests"),
    };
    let mut job = Job::new(&fresh_job_id(design, base), JobKind::Test, &[]);
    job.name = name.to_owned();
    let runtime = job_runtime(design, &job);
    let manager = job_manager(design, &job);
    // The install step of the service the job works on.
    let install =
        job_service(design, &job).map_or("", |(_, service)| service.commands.install.trim());
    if !install.is_empty() {
        job.commands.push(install.to_owned());
    }
    job.commands.extend(suite_command(runtime, manager, suite));
    // The suites run against the same service containers (test database, cache) and their
    // URLs as the unit tests.
    if let Some(unit) = jobs_of(design, JobKind::Test)
        .into_iter()
        .map(|index| &design.pipeline.jobs[index])
        .find(|test| !test.services.is_empty())
    {
        job.services = unit.services.clone();
        job.env = unit.env.clone();
    }
    job
}

fn apply(design: &mut Design, _service: usize) {
    let missing: Vec<Suite> = gaps(design)
        .into_iter()
        .flat_map(|(_, suites)| suites)
        .map(|(suite, _)| suite)
        .fold(Vec::new(), |mut all, suite| {
            if !all.contains(&suite) {
                all.push(suite);
            }
            all
        });
    for suite in missing {
        let index = match suite_jobs(design, suite).first() {
            Some(index) => *index,
            None => {
                let job = suite_job(design, suite);
                design.pipeline.jobs.push(job);
                design.pipeline.jobs.len() - 1
            }
        };
        // The image is built only from code that passed every check (PIPELINE-008), so the
        // builds wait for the new suite as well; production waits through them or directly.
        for build in jobs_of(design, JobKind::Build) {
            add_need(design, build, index);
        }
        for deploy in deploys_to(design, EnvironmentTier::Production) {
            add_need(design, deploy, index);
        }
        require_like_the_tests(design, index);
    }
}

/// Makes the new job a required check wherever the test jobs already are (BRANCH-002,
/// BRANCH-007), so a pull request cannot merge while the suite fails.
fn require_like_the_tests(design: &mut Design, index: usize) {
    let id = design.pipeline.jobs[index].id.clone();
    let test_checks: Vec<String> = jobs_of(design, JobKind::Test)
        .into_iter()
        .filter(|test| *test != index)
        .map(|test| design.pipeline.jobs[test].id.clone())
        .collect();
    for branch in &mut design.repository.branches {
        let checks = &mut branch.protection.required_checks;
        if checks.iter().any(|check| test_checks.contains(check)) && !checks.contains(&id) {
            checks.push(id.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, violations};

    #[test]
    fn fails_without_the_suites_or_the_links() {
        let [missing, unlinked]: [Design; 2] = IntegrationAndE2eTests::failing_examples()
            .try_into()
            .unwrap();
        assert_eq!(
            fields(&IntegrationAndE2eTests, &missing),
            ["pipeline.jobs[5].needs"]
        );
        let message = &violations(&IntegrationAndE2eTests, &unlinked)[0].message;
        assert!(
            message.contains("an integration-test job and `e2e`"),
            "{message}"
        );
    }

    #[test]
    fn passes_when_production_waits_for_both_suites() {
        let mut design = IntegrationAndE2eTests::failing_examples().remove(1);
        let mut integration = Job::new("integration", JobKind::Test, &[]);
        integration.commands = vec!["npm ci".into(), "npm run test:integration".into()];
        design.pipeline.jobs.push(integration);
        design.pipeline.jobs[3]
            .needs
            .extend(["e2e".into(), "integration".into()]);
        assert!(fields(&IntegrationAndE2eTests, &design).is_empty());
    }

    #[test]
    fn a_job_named_integration_that_runs_no_tests_does_not_count() {
        let mut design = Design::default();
        let mut named = Job::new("integration", JobKind::Test, &[]);
        named.commands = vec!["npm ci".into()];
        design.pipeline.jobs.push(named);
        design.pipeline.jobs[5].needs.push("integration".into());
        assert!(suite_jobs(&design, Suite::Integration).is_empty());
    }

    #[test]
    fn no_production_deploy_means_nothing_to_gate() {
        let mut design = Design::default();
        design.pipeline.jobs.truncate(5);
        assert!(fields(&IntegrationAndE2eTests, &design).is_empty());
    }

    #[test]
    fn the_fix_adds_gated_jobs_in_the_project_language() {
        let mut design = crate::presets::for_runtime(Runtime::Python);
        apply(&mut design, 0);
        assert!(fields(&IntegrationAndE2eTests, &design).is_empty());
        let e2e = design
            .pipeline
            .jobs
            .iter()
            .find(|job| job.id == "e2e")
            .unwrap();
        assert!(e2e.commands.iter().any(|c| c.ends_with("pytest tests/e2e")));
        let build = design
            .pipeline
            .jobs
            .iter()
            .position(|job| job.kind == JobKind::Build)
            .unwrap();
        let integration = design
            .pipeline
            .jobs
            .iter()
            .position(|job| job.id == "integration")
            .unwrap();
        assert!(Needs::new(&design).ancestors(build).contains(&integration));
        assert_eq!(
            design.pipeline.jobs[integration].services,
            design.pipeline.jobs[1].services
        );
        let main = &design.repository.branches[0].protection.required_checks;
        assert!(main.contains(&"integration".to_owned()) && main.contains(&"e2e".to_owned()));
    }
}
