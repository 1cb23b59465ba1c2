use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use crate::facts::commands::{swallows_failure, without_swallows};

pub struct FailFast;

fn gates(kind: JobKind) -> bool {
    matches!(
        kind,
        JobKind::Lint | JobKind::Test | JobKind::Security | JobKind::Build
    )
}

impl Rule for FailFast {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-014",
        name: "fail-fast",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Check and build steps fail the job when they fail",
        what: "No command of a lint, test, security or build job hides its failure: no \
               `|| true`, `|| exit 0`, `|| echo ...` or `set +e`, the shell-level twin of \
               `continue-on-error: true`. The generated jobs never set `continue-on-error` or \
               `fail-fast: false`, and `needs` stops the later stages (PIPELINE-008).",
        why: "A check that cannot fail is decoration: the pipeline turns green, the build and the \
              deploy go ahead, and the problem it found is only in a log nobody opens. Failing \
              fast also saves the minutes the later stages would spend on a broken commit.",
        incorrect: "- run: npm audit --audit-level=high || true",
        correct: "- run: npm audit --audit-level=high",
        fix: "Removes the `|| true`-style tails and `set +e` from those commands.",
        source: "000 · CI/CD Pipelines › Best Practices (\"Fail fast – stop on first failure\")",
        equivalents: &["zizmor (continue-on-error is not flagged; closest: actionlint shellcheck)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        for (index, job) in design.pipeline.jobs.iter().enumerate() {
            if !gates(job.kind) {
                continue;
            }
            for (position, line) in job.commands.iter().enumerate() {
                if swallows_failure(line) {
                    violations.push(Violation::new(
                        format!("pipeline.jobs[{index}].commands[{position}]"),
                        format!("Job `{}` hides a failure: `{line}`.", job.id),
                    ));
                }
            }
        }
        for (index, service) in design.services.iter().enumerate() {
            for (name, line) in service.commands.shell_lines() {
                if swallows_failure(line) {
                    violations.push(Violation::new(
                        format!("services[{index}].commands.{name}"),
                        format!(
                            "The {name} command of `{}` hides a failure: `{line}`.",
                            service.name
                        ),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Let failures fail",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let audit = super::with_job("security", |job| {
            job.commands = vec![
                "npm ci".into(),
                "npm audit --audit-level=high || true".into(),
            ]
        });
        let mut tests = Design::default();
        tests.services[0].commands.test =
            "set +e; npm run test:coverage || echo 'tests failed'".into();
        vec![audit, tests]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for job in &mut design.pipeline.jobs {
        if gates(job.kind) {
            for line in &mut job.commands {
                if swallows_failure(line) {
                    *line = without_swallows(line);
                }
            }
        }
    }
    for service in &mut design.services {
        for line in service.commands.shell_lines_mut() {
            if swallows_failure(line) {
                *line = without_swallows(line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_plain_commands_and_real_fallbacks() {
        let design = super::super::with_job("test", |job| {
            job.commands = vec!["npm ci || npm install --no-save".into()]
        });
        assert!(fields(&FailFast, &design).is_empty());
    }

    #[test]
    fn fails_on_swallowed_failures() {
        let reported: Vec<Vec<String>> = FailFast::failing_examples()
            .iter()
            .map(|design| fields(&FailFast, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs[2].commands[1]"]);
        assert_eq!(reported[1], ["services[0].commands.test"]);
    }

    #[test]
    fn the_fix_keeps_the_command() {
        let mut design = FailFast::failing_examples().remove(1);
        apply(&mut design, 0);
        assert_eq!(design.services[0].commands.test, "npm run test:coverage");
    }
}
