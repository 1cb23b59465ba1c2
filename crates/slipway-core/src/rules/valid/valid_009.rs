use crate::facts::expressions::matrix_reads;
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct MatrixUnderJob;

fn violations(design: &Design) -> Vec<Violation> {
    let mut found = Vec::new();
    for (index, job) in design.pipeline.jobs.iter().enumerate() {
        for (axis_index, axis) in job.matrix.iter().enumerate() {
            if axis.name.trim().is_empty() || axis.values.is_empty() {
                found.push(Violation::new(
                    format!("pipeline.jobs[{index}].matrix[{axis_index}]"),
                    format!(
                        "Job `{}` has a matrix axis without a name or without values: GitHub \
                         rejects the workflow.",
                        job.id
                    ),
                ));
            }
        }
        let has_axis = |name: &str| job.matrix.iter().any(|axis| axis.name.trim() == name);
        let texts = std::iter::once(("runs_on".to_owned(), job.runs_on.as_str())).chain(
            job.env
                .iter()
                .enumerate()
                .map(|(i, variable)| (format!("env[{i}]"), variable.value.as_str())),
        );
        for (field, text) in texts {
            for name in matrix_reads(text) {
                if !has_axis(&name) {
                    found.push(Violation::new(
                        format!("pipeline.jobs[{index}].{field}"),
                        format!(
                            "Job `{}` reads `matrix.{name}` but has no `{name}` axis: the \
                             workflow is invalid.",
                            job.id
                        ),
                    ));
                }
            }
        }
    }
    found
}

impl Rule for MatrixUnderJob {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-009",
        name: "matrix-under-job",
        severity: Severity::Critical,
        area: Area::Validity,
        title: "Matrix values are used only where the matrix is defined",
        what: "A job's matrix lives under `jobs.<id>.strategy` (the generator always puts it \
               there), every axis has a name and at least one value, and `${{ matrix.<name> }}` \
               in the job's `runs-on` or env names an axis of that same job.",
        why: "GitHub rejects the whole workflow when a matrix axis is empty or an expression \
              reads a matrix the job does not have; no job of the workflow runs. The seed's \
              matrix example sits at workflow level, which is invalid the same way (A12).",
        incorrect: "test:\n  runs-on: ${{ matrix.os }}\n  # no strategy.matrix.os",
        correct: "test:\n  strategy:\n    matrix:\n      os: [ubuntu-latest, macos-latest]\n  runs-on: ${{ matrix.os }}",
        fix: "Removes empty axes and sets `runs-on` back to `ubuntu-latest` where it read a \
              missing axis. Unsafe: the written values are replaced.",
        source: "Not in the documents (docs/defaults.md#a12-matrix): 000 · CI/CD Pipelines › \
                 Matrix Testing",
        equivalents: &["actionlint matrix", "actionlint expression"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        violations(context.design)
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Repair the matrix",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut runs_on = Design::default();
        runs_on.pipeline.jobs[1].runs_on = "${{ matrix.os }}".into();
        let mut empty = crate::rules::support::preset("node-api");
        empty.pipeline.jobs[1].matrix[0].values.clear();
        vec![runs_on, empty]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for job in &mut design.pipeline.jobs {
        job.matrix
            .retain(|axis| !axis.name.trim().is_empty() && !axis.values.is_empty());
        let missing = |text: &str, job_axes: &[String]| {
            matrix_reads(text)
                .iter()
                .any(|name| !job_axes.iter().any(|axis| axis == name))
        };
        let axes: Vec<String> = job
            .matrix
            .iter()
            .map(|a| a.name.trim().to_owned())
            .collect();
        if missing(&job.runs_on, &axes) {
            job.runs_on = "ubuntu-latest".to_owned();
        }
        job.env.retain(|variable| !missing(&variable.value, &axes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_matrix_reads_of_own_axes() {
        let mut design = preset("node-api");
        design.pipeline.jobs[1].env.push(crate::model::EnvVar::new(
            "NODE",
            "${{ matrix.node-version }}",
        ));
        assert!(fields(&MatrixUnderJob, &design).is_empty());
    }

    #[test]
    fn fails_on_missing_or_empty_axes() {
        assert_eq!(
            fields(&MatrixUnderJob, &MatrixUnderJob::failing_examples()[0]),
            ["pipeline.jobs[1].runs_on"]
        );
        assert_eq!(
            fields(&MatrixUnderJob, &MatrixUnderJob::failing_examples()[1]),
            ["pipeline.jobs[1].matrix[0]"]
        );
    }

    #[test]
    fn reads_are_found_inside_expressions_only() {
        assert_eq!(matrix_reads("${{ matrix.os }}-x"), ["os"]);
        assert_eq!(matrix_reads("matrix.os"), Vec::<String>::new());
        assert_eq!(
            matrix_reads("${{ inputs.matrix.os }}"),
            Vec::<String>::new()
        );
        // A job named `…-matrix` is not the matrix.
        assert_eq!(
            matrix_reads("${{ needs.unittest-matrix.result }}"),
            Vec::<String>::new()
        );
    }
}
