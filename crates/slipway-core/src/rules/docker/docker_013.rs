use crate::facts::commands::runs_test_suite;
use crate::facts::jobs::{fresh_job_id, job_service, jobs_of, testing_jobs};
use crate::facts::needs::{add_need, Needs};
use crate::facts::shell::simple_commands;
use crate::model::{Design, Job, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::run_command;

pub struct TestsInBuilder;

/// Whether a stage before the final one runs the tests.
fn builder_runs_tests(context: &Context) -> bool {
    let design = context.design;
    if context.templated() {
        let service = context.service();
        return service.container.run_tests_in_builder && !service.commands.test.trim().is_empty();
    }
    let Some((last, _)) = context.final_stage() else {
        return false;
    };
    context.stages[..last]
        .iter()
        .flat_map(|stage| stage.instructions.iter())
        .filter_map(run_command)
        .any(|command| {
            simple_commands(command)
                .into_iter()
                .any(|segment| runs_test_suite(design, segment))
        })
}

/// The service's build jobs (by their working directory) that do not wait for any test job
/// running the tests.
fn ungated_builds(design: &Design, service: usize, tests: &[usize]) -> Vec<usize> {
    let owners: Vec<Option<usize>> = design
        .pipeline
        .jobs
        .iter()
        .map(|job| job_service(design, job).map(|(index, _)| index))
        .collect();
    ungated(design, &Needs::new(design), &owners, service, tests)
}

fn ungated(
    design: &Design,
    needs: &Needs,
    owners: &[Option<usize>],
    service: usize,
    tests: &[usize],
) -> Vec<usize> {
    let tests: std::collections::HashSet<usize> = tests.iter().copied().collect();
    jobs_of(design, JobKind::Build)
        .into_iter()
        .filter(|build| owners[*build] == Some(service))
        .filter(|build| {
            !needs
                .ancestors(*build)
                .iter()
                .any(|job| tests.contains(job))
        })
        .collect()
}

impl Rule for TestsInBuilder {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-013",
        name: "tests-in-builder",
        severity: Severity::Medium,
        area: Area::Docker,
        title: "Failing tests stop the image from being built",
        what: "Either a stage before the final one runs the test suite after the build \
               (`container.run_tests_in_builder`, or a `RUN` with the test command), or every \
               CI job that builds the image waits (through `needs`) for a test job that runs the \
               tests. Without a build job, a test job must at least exist.",
        why: "An image built from code whose tests fail can be pushed and deployed. The seed runs \
              the tests in the builder; Slipway's default keeps `tests/` out of the build context \
              (DOCKER-003, VALID-011) and gates the image build on the CI test job instead \
              (PIPELINE-008) — either way, red tests mean no image.",
        incorrect: "container.run_tests_in_builder: false\npipeline.jobs: [lint, security, build]   # no test job",
        correct: "pipeline.jobs:\n- {id: test, kind: test}\n- {id: build, kind: build, needs: [lint, test, security]}",
        fix: "Adds a test job running the service's test command when there is none, and makes \
              every image build wait for a test job.",
        source: "000 · Docker: Multi-Stage Builds (key rules: builder runs `npm run build && npm \
                 run test`); A10 (docs/defaults.md#a10-image-tests) and VALID-011 (the CI test \
                 job as the alternative)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if builder_runs_tests(context) {
            return Vec::new();
        }
        let design = context.design;
        let tests = context.testing_jobs();
        if tests.is_empty() {
            return vec![Violation::new(
                "pipeline.jobs",
                "Neither the builder stage nor any CI job runs the tests: an image can be built from failing code.",
            )];
        }
        ungated(
            design,
            context.needs(),
            context.job_services(),
            context.index,
            tests,
        )
        .into_iter()
            .map(|build| {
                Violation::new(
                    format!("pipeline.jobs[{build}].needs"),
                    format!(
                        "Build job `{}` does not wait for a test job, and the builder stage runs no tests: an image can be built from failing code.",
                        design.pipeline.jobs[build].id
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Gate the image build on the tests",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut no_test_job = Design::default();
        no_test_job
            .pipeline
            .jobs
            .retain(|job| job.kind != JobKind::Test);
        for job in &mut no_test_job.pipeline.jobs {
            job.needs.retain(|need| need != "test");
        }
        let mut build_first = Design::default();
        build_first.pipeline.jobs[3].needs = vec!["lint".into(), "security".into()];
        vec![no_test_job, build_first]
    }
}

fn apply(design: &mut Design, index: usize) {
    if builder_runs_tests(&Context::for_service(design, index)) {
        return;
    }
    let mut tests = testing_jobs(design);
    if tests.is_empty() {
        if design.services[index].commands.test.trim().is_empty() {
            return;
        }
        let id = fresh_job_id(design, "test");
        let mut job = Job::new(&id, JobKind::Test, &[]);
        if job_service(design, &job).is_some_and(|(owner, _)| owner != index) {
            job.working_directory = design.services[index].directory.clone();
        }
        design.pipeline.jobs.push(job);
        tests = vec![design.pipeline.jobs.len() - 1];
    }
    for build in ungated_builds(design, index, &tests) {
        add_need(design, build, tests[0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Instruction;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_ci_test_gate_or_tests_in_the_builder() {
        for id in ["node-api", "fastapi-react", "go-service", "java-spring"] {
            assert!(fields(&TestsInBuilder, &preset(id)).is_empty(), "{id}");
        }
        let mut in_builder = TestsInBuilder::failing_examples().remove(0);
        in_builder.services[0].container.run_tests_in_builder = true;
        assert!(fields(&TestsInBuilder, &in_builder).is_empty());

        let mut explicit = TestsInBuilder::failing_examples().remove(1);
        explicit.services[0].container.stages =
            crate::facts::stages::template(&explicit.services[0]);
        explicit.services[0].container.stages[1]
            .instructions
            .push(Instruction::Run {
                command: "npm run build && npm run test".into(),
            });
        assert!(fields(&TestsInBuilder, &explicit).is_empty());
    }

    #[test]
    fn fails_without_any_test_gate() {
        let [no_test_job, build_first]: [Design; 2] =
            TestsInBuilder::failing_examples().try_into().unwrap();
        assert_eq!(fields(&TestsInBuilder, &no_test_job), ["pipeline.jobs"]);
        assert_eq!(
            fields(&TestsInBuilder, &build_first),
            ["pipeline.jobs[3].needs"]
        );
    }

    #[test]
    fn a_test_job_that_only_installs_is_no_gate() {
        let mut design = Design::default();
        design.pipeline.jobs[1].commands = vec!["npm ci".into()];
        assert_eq!(fields(&TestsInBuilder, &design), ["pipeline.jobs"]);
    }

    #[test]
    fn the_fix_adds_the_test_job_and_the_link() {
        for mut design in TestsInBuilder::failing_examples() {
            apply(&mut design, 0);
            assert!(fields(&TestsInBuilder, &design).is_empty());
        }
    }
}
