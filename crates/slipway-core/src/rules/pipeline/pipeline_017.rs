use crate::facts::jobs::{job_runtime, job_service};
use crate::model::{Design, Job, JobKind, MatrixAxis, Runtime};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct MatrixTesting;

/// Whether an axis lists versions of `runtime` (`node-version`, `python`, `jdk`).
fn is_version_axis(axis: &MatrixAxis, runtime: Runtime) -> bool {
    let name = axis.name.to_ascii_lowercase();
    name.contains("version") || name == runtime.id() || (runtime == Runtime::Java && name == "jdk")
}

fn shipped_version(design: &Design, job: &Job) -> String {
    let runtime = job_runtime(design, job);
    match job_service(design, job) {
        Some((_, service)) if service.runtime == runtime => {
            service.runtime_version.trim().to_owned()
        }
        _ => runtime.default_version().to_owned(),
    }
}

/// `20` is covered by `20`, `20.x` or `20.11`.
fn covers(value: &str, version: &str) -> bool {
    let value = value.trim().trim_matches('"').trim_start_matches('v');
    value == version
        || value
            .strip_prefix(version)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn gaps(design: &Design) -> Vec<(usize, usize, String)> {
    let mut gaps = Vec::new();
    for (index, job) in design.pipeline.jobs.iter().enumerate() {
        if job.kind != JobKind::Test {
            continue;
        }
        let runtime = job_runtime(design, job);
        let version = shipped_version(design, job);
        if version.is_empty() {
            continue;
        }
        for (k, axis) in job.matrix.iter().enumerate() {
            if is_version_axis(axis, runtime)
                && !axis.values.is_empty()
                && !axis.values.iter().any(|value| covers(value, &version))
            {
                gaps.push((index, k, version.clone()));
            }
        }
    }
    gaps
}

impl Rule for MatrixTesting {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-017",
        name: "matrix-testing",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "A test matrix includes the runtime version that ships",
        what: "When a test job declares a matrix over runtime versions (the design's way of \
               saying the service supports several, e.g. `node-version: [20, 22]`), the matrix \
               includes the version the container image runs (the service's `runtime_version`). The \
               generated job reads `setup-node`/`setup-python` and `runs-on` from `${{ matrix.* \
               }}`.",
        why: "A matrix exists to prove the code works on every version it claims to support. If \
              the version that actually ships in the image is not in it, the one combination \
              users run is the one CI never tests.",
        incorrect:
            "services:\n  - runtime_version: \"20\"\nstrategy:\n  matrix:\n    node-version: [22, 24]",
        correct:
            "services:\n  - runtime_version: \"20\"\nstrategy:\n  matrix:\n    node-version: [20, 22, 24]",
        fix: "Adds the shipped version to the matrix axis.",
        source: "000 · CI/CD Pipelines › Matrix Testing; Best Practices (\"multiple Node/Python \
                 versions\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        gaps(design)
            .into_iter()
            .map(|(index, k, version)| {
                let job = &design.pipeline.jobs[index];
                Violation::new(
                    format!("pipeline.jobs[{index}].matrix[{k}].values"),
                    format!(
                        "`{}` tests {} `{}` but the image runs {version}.",
                        job.id,
                        job.matrix[k].name,
                        job.matrix[k].values.join(", ")
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Test the shipped version",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::preset("node-api");
        design.pipeline.jobs[1].matrix[0].values = vec!["22".into(), "24".into()];
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (index, k, version) in gaps(design) {
        design.pipeline.jobs[index].matrix[k]
            .values
            .insert(0, version);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_when_the_matrix_covers_the_shipped_version() {
        assert!(fields(&MatrixTesting, &preset("node-api")).is_empty());
        assert!(fields(&MatrixTesting, &preset("fastapi-react")).is_empty());
        assert!(covers("20.x", "20"));
        assert!(!covers("200", "20"));
    }

    #[test]
    fn fails_when_the_shipped_version_is_untested() {
        assert_eq!(
            fields(&MatrixTesting, &MatrixTesting::failing_examples()[0]),
            ["pipeline.jobs[1].matrix[0].values"]
        );
    }
}
