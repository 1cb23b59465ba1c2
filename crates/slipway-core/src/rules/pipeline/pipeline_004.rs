use crate::facts::jobs::{job_commands, jobs_of};
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct CoverageThreshold80;

const FLOOR: f64 = 80.0;

/// Flags that carry a threshold, either as `--flag=N` or `--flag N`.
const THRESHOLD_FLAGS: &[&str] = &["--cov-fail-under", "--fail-under"];

/// The thresholds a simple command sets.
fn thresholds(segment: &str) -> Vec<f64> {
    let words: Vec<&str> = segment.split_whitespace().collect();
    let mut found = Vec::new();
    for (i, word) in words.iter().enumerate() {
        for flag in THRESHOLD_FLAGS {
            if let Some(value) = word.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
                found.extend(numbers(value));
            } else if word == flag {
                found.extend(words.get(i + 1).map(|v| numbers(v)).unwrap_or_default());
            }
        }
        if let Some((_, value)) = word
            .strip_prefix("--coverage.thresholds.")
            .and_then(|rest| rest.split_once('='))
        {
            found.extend(numbers(value));
        }
    }
    if let Some(position) = segment.find("--coverageThreshold") {
        found.extend(numbers(&segment[position..]));
    }
    found
}

/// Every number in a text (`{"global":{"lines":70}}` → 70).
fn numbers(text: &str) -> Vec<f64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|part| part.trim_matches('.').parse::<f64>().ok())
        .collect()
}

/// Replaces every number below the floor in `text` with 80.
fn raise_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| {
        if !number.is_empty() {
            match number.parse::<f64>() {
                Ok(value) if value < FLOOR => out.push_str("80"),
                _ => out.push_str(number),
            }
            number.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (c == '.' && !number.is_empty()) {
            number.push(c);
        } else {
            flush(&mut number, &mut out);
            out.push(c);
        }
    }
    flush(&mut number, &mut out);
    out
}

/// A pytest run that measures coverage but sets no floor.
fn pytest_without_floor(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    tool == "pytest"
        && args.iter().any(|arg| arg.starts_with("--cov"))
        && !args.iter().any(|arg| arg.starts_with("--cov-fail-under"))
}

fn problem(segment: &str) -> Option<String> {
    if let Some(low) = thresholds(segment).into_iter().find(|value| *value < FLOOR) {
        return Some(format!("sets a coverage threshold of {low} %, below 80 %"));
    }
    pytest_without_floor(segment).then(|| "measures coverage but never fails on it".to_owned())
}

/// The line with every offending command fixed.
fn fixed_line(line: &str) -> String {
    let mut line = line.to_owned();
    for segment in simple_commands(&line.clone()) {
        let mut replacement = segment.to_owned();
        if thresholds(segment).iter().any(|value| *value < FLOOR) {
            replacement = raise_threshold_values(&replacement);
        }
        if pytest_without_floor(&replacement) {
            replacement.push_str(" --cov-fail-under=80");
        }
        if replacement != segment {
            line = line.replacen(segment, &replacement, 1);
        }
    }
    line
}

/// Raises only the numbers that belong to threshold flags.
fn raise_threshold_values(segment: &str) -> String {
    let mut words: Vec<String> = segment.split(' ').map(str::to_owned).collect();
    for i in 0..words.len() {
        let word = words[i].clone();
        let is_flag = THRESHOLD_FLAGS.iter().any(|flag| word == *flag);
        let carries_value = THRESHOLD_FLAGS
            .iter()
            .any(|flag| word.starts_with(&format!("{flag}=")))
            || word.starts_with("--coverage.thresholds.");
        if carries_value {
            if let Some((name, value)) = word.split_once('=') {
                words[i] = format!("{name}={}", raise_numbers(value));
            }
        } else if is_flag {
            if let Some(next) = words.get_mut(i + 1) {
                *next = raise_numbers(next);
            }
        }
    }
    let joined = words.join(" ");
    match joined.find("--coverageThreshold") {
        Some(position) => format!(
            "{}{}",
            &joined[..position],
            raise_numbers(&joined[position..])
        ),
        None => joined,
    }
}

impl Rule for CoverageThreshold80 {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-004",
        name: "coverage-threshold-80",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "The test run fails below 80 % coverage",
        what: "A coverage threshold written in a test command is at least 80 % \
               (`--cov-fail-under`, coverage's `--fail-under`, Vitest's \
               `--coverage.thresholds.*`, Jest's `--coverageThreshold`), and a pytest run that \
               measures coverage sets one. Thresholds kept in a tool's configuration file (Jest or \
               Vitest config, pyproject) are outside the design and are not checked.",
        why: "A coverage report nobody enforces drifts down one untested change at a time. \
              Failing the job below the agreed floor (the checklist's 80 %) keeps the number \
              meaningful and makes untested code a review topic instead of a surprise.",
        incorrect: "pytest --cov=app --cov-report=xml",
        correct: "pytest --cov=app --cov-report=xml --cov-fail-under=80",
        fix: "Raises thresholds below 80 to 80 and adds `--cov-fail-under=80` to pytest runs \
              that measure coverage without one.",
        source: "000 · Production Readiness Checklist › Testing (\"Unit tests passing (>80% \
                 coverage)\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations: Vec<Violation> = Vec::new();
        for index in jobs_of(design, JobKind::Test) {
            let job = &design.pipeline.jobs[index];
            for command in job_commands(design, index, job) {
                if let Some(reason) = simple_commands(&command.text).into_iter().find_map(problem) {
                    if violations.iter().any(|v| v.field == command.field) {
                        continue;
                    }
                    violations.push(Violation::new(
                        command.field,
                        format!("Test job `{}` {reason}.", job.id),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Fail below 80 % coverage",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut python = crate::presets::for_runtime(crate::model::Runtime::Python);
        python.services[0].commands.test = "pytest --cov=app --cov-report=xml".into();
        let low = super::with_job("test", |job| {
            job.commands = vec![
                "npm ci".into(),
                "npx vitest run --coverage --coverage.thresholds.lines=60".into(),
            ]
        });
        let mut jest = Design::default();
        jest.services[0].commands.test =
            "npx jest --coverage --coverageThreshold '{\"global\": {\"lines\": 70}}'".into();
        let mut spaced = Design::default();
        spaced.services[0].commands.test = "coverage report --fail-under 50".into();
        vec![python, low, jest, spaced]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for service in &mut design.services {
        let test = &mut service.commands.test;
        *test = fixed_line(test);
    }
    for job in &mut design.pipeline.jobs {
        if job.kind == JobKind::Test {
            for line in &mut job.commands {
                *line = fixed_line(line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_a_floor_of_80_or_a_config_kept_threshold() {
        assert!(fields(&CoverageThreshold80, &preset("node-api")).is_empty());
        assert!(fields(&CoverageThreshold80, &preset("fastapi-react")).is_empty());
    }

    #[test]
    fn fails_on_low_or_missing_floors() {
        for design in CoverageThreshold80::failing_examples() {
            assert_eq!(fields(&CoverageThreshold80, &design).len(), 1);
        }
    }

    #[test]
    fn the_fix_raises_only_threshold_numbers() {
        assert_eq!(
            fixed_line("pytest --cov=app --cov-fail-under 60 -n 4"),
            "pytest --cov=app --cov-fail-under 80 -n 4"
        );
        assert_eq!(
            fixed_line("poetry run pytest --cov=app -v"),
            "poetry run pytest --cov=app -v --cov-fail-under=80"
        );
    }
}
