use crate::facts::commands::any_segment;
use crate::facts::jobs::{
    fresh_job_id, job_commands, job_manager, job_runtime, job_service, jobs_of, test_suites,
    uses_project_commands,
};
use crate::model::{Design, Job, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::tools::{coverage_command, produces_coverage};

pub struct TestsWithCoverageReport;

/// Whether a command line runs tests.
fn runs_tests(line: &str) -> bool {
    any_segment(line, |segment| {
        segment
            .split_whitespace()
            .any(|word| word.contains("test") || word == "verify" || word == "pytest")
    })
}

impl Rule for TestsWithCoverageReport {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-003",
        name: "tests-with-coverage-report",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "A test job runs the unit tests with a coverage report",
        what: "The pipeline has a unit-test job, and each one runs the tests with coverage output \
               (`pytest --cov=app --cov-report=xml`, `npm run test:coverage`, `go test \
               -coverprofile=...`). The generated workflow uploads the report after the tests. \
               Integration and end-to-end jobs (PIPELINE-021) need no report of their own.",
        why: "Tests that run without coverage say nothing about what they miss. A coverage report \
              on every run shows untested code in review and is what a coverage threshold \
              (PIPELINE-004) is enforced on.",
        incorrect: "- run: npm test",
        correct: "- run: npm run test:coverage\n- uses: codecov/codecov-action@v4",
        fix: "Adds a test job when there is none, or switches the test command to the language's \
              coverage command. Unsafe: a custom test command is replaced. If coverage is \
              configured in the test tool's own configuration, waive the finding instead.",
        source: "000 · Key Concepts › CI/CD Pipeline Stages (\"Unit Tests – test coverage with \
                 reporting\"); CI/CD Pipelines › Complete Backend CI/CD Example; GitHub Actions \
                 CI/CD Example › Key Patterns (Artifacts); 004 · CI/CD Pipelines › GitHub Actions",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let tests = unit_test_jobs(design);
        if tests.is_empty() {
            return vec![Violation::new(
                "pipeline.jobs",
                "The pipeline has no unit-test job.",
            )];
        }
        tests
            .into_iter()
            .filter_map(|index| {
                let job = &design.pipeline.jobs[index];
                let commands = job_commands(design, index, job);
                let covered = commands
                    .iter()
                    .any(|command| any_segment(&command.text, produces_coverage));
                if covered {
                    return None;
                }
                let field = commands
                    .iter()
                    .find(|command| runs_tests(&command.text))
                    .map(|command| command.field.clone())
                    .unwrap_or_else(|| format!("pipeline.jobs[{index}].commands"));
                let message = if commands.iter().any(|command| runs_tests(&command.text)) {
                    format!(
                        "Test job `{}` runs the tests without coverage output.",
                        job.id
                    )
                } else {
                    format!("Test job `{}` runs no tests.", job.id)
                };
                Some(Violation::new(field, message))
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Run tests with coverage",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut plain = Design::default();
        plain.services[0].commands.test = "npm test".into();
        let custom = super::with_job("test", |job| {
            job.commands = vec!["npm ci".into(), "npm test".into()]
        });
        let mut none = Design::default();
        none.pipeline.jobs.retain(|job| job.kind != JobKind::Test);
        vec![plain, custom, none]
    }
}

/// The test jobs that run unit tests: integration and end-to-end suites (PIPELINE-021) are
/// judged by their own rule and need no coverage report.
fn unit_test_jobs(design: &Design) -> Vec<usize> {
    jobs_of(design, JobKind::Test)
        .into_iter()
        .filter(|index| test_suites(design, *index, &design.pipeline.jobs[*index]).is_empty())
        .collect()
}

fn apply(design: &mut Design, _service: usize) {
    if unit_test_jobs(design).is_empty() {
        let id = fresh_job_id(design, "test");
        design
            .pipeline
            .jobs
            .insert(0, Job::new(&id, JobKind::Test, &[]));
    }
    for index in unit_test_jobs(design) {
        let job = &design.pipeline.jobs[index];
        let covered = job_commands(design, index, job)
            .iter()
            .any(|command| any_segment(&command.text, produces_coverage));
        if covered {
            continue;
        }
        let runtime = job_runtime(design, job);
        let coverage = coverage_command(runtime).to_owned();
        if job.commands.is_empty() && uses_project_commands(design, job) {
            let service = job_service(design, job).map_or(0, |(service, _)| service);
            design.services[service].commands.test = coverage;
            continue;
        }
        let install = job_manager(design, job);
        let job = &mut design.pipeline.jobs[index];
        if job.commands.is_empty() {
            let defaults = crate::model::Commands::for_runtime(runtime, install);
            job.commands = vec![defaults.install, coverage];
            job.commands.retain(|command| !command.trim().is_empty());
            continue;
        }
        let poetry = job.commands.iter().any(|c| c.contains("poetry run"));
        let coverage = if poetry {
            format!("poetry run {coverage}")
        } else {
            coverage
        };
        match job.commands.iter().position(|line| runs_tests(line)) {
            Some(position) => job.commands[position] = coverage,
            None => job.commands.push(coverage),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_coverage_commands() {
        for id in ["node-api", "fastapi-react", "go-service"] {
            assert!(
                fields(&TestsWithCoverageReport, &preset(id)).is_empty(),
                "{id}"
            );
        }
    }

    #[test]
    fn fails_without_coverage_or_tests() {
        let reported: Vec<Vec<String>> = TestsWithCoverageReport::failing_examples()
            .iter()
            .map(|design| fields(&TestsWithCoverageReport, design))
            .collect();
        assert_eq!(reported[0], ["services[0].commands.test"]);
        assert_eq!(reported[1], ["pipeline.jobs[1].commands[1]"]);
        assert_eq!(reported[2], ["pipeline.jobs"]);
    }

    #[test]
    fn integration_and_end_to_end_jobs_need_no_coverage_but_do_not_replace_unit_tests() {
        let mut design = Design::default();
        let mut e2e = Job::new("e2e", JobKind::Test, &[]);
        e2e.commands = vec!["npm ci".into(), "npx playwright test".into()];
        design.pipeline.jobs.push(e2e);
        assert!(fields(&TestsWithCoverageReport, &design).is_empty());
        design.pipeline.jobs.retain(|job| job.id != "test");
        assert_eq!(fields(&TestsWithCoverageReport, &design), ["pipeline.jobs"]);
    }
}
