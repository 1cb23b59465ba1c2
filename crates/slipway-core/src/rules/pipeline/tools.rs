//! The language tools CI runs for its gates: linters, format checks, type checkers and
//! coverage reports.

use crate::facts::commands::script_name;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, JobKind, Runtime};

/// The languages CI has to check: each service's, plus any other language a lint or test job
/// sets up (a monorepo's front end).
pub(super) fn languages(design: &Design) -> Vec<Runtime> {
    let mut languages: Vec<Runtime> = Vec::new();
    for service in &design.services {
        if !languages.contains(&service.runtime) {
            languages.push(service.runtime);
        }
    }
    for job in &design.pipeline.jobs {
        if matches!(job.kind, JobKind::Lint | JobKind::Test) {
            if let Some(runtime) = job.runtime {
                if !languages.contains(&runtime) {
                    languages.push(runtime);
                }
            }
        }
    }
    languages
}

/// Whether a simple command runs a linter for `runtime`.
fn runs_linter(runtime: Runtime, segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    match runtime {
        Runtime::Node => {
            matches!(tool, "eslint" | "biome" | "oxlint" | "xo")
                || (tool == "next" && first == "lint")
                || script_name(tool, &args).is_some_and(|name| name.contains("lint"))
        }
        Runtime::Python => {
            (tool == "ruff" && first == "check") || matches!(tool, "flake8" | "pylint")
        }
        Runtime::Go => {
            (tool == "go" && first == "vet") || matches!(tool, "golangci-lint" | "staticcheck")
        }
        Runtime::Rust => tool == "cargo" && first == "clippy",
        Runtime::Java => {
            matches!(tool, "mvn" | "mvnw" | "gradle" | "gradlew")
                && args.iter().any(|arg| {
                    ["spotless", "checkstyle", "pmd", "spotbugs"]
                        .iter()
                        .any(|tool| arg.contains(tool))
                })
        }
    }
}

/// Whether a simple command checks formatting (asked for Python: `ruff format --check`).
fn runs_format_check(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let checks = args.iter().any(|arg| matches!(*arg, "--check" | "--diff"));
    (tool == "ruff" && args.first() == Some(&"format") && checks) || (tool == "black" && checks)
}

/// Whether a simple command type-checks (asked for Node and Python; the compiler does it for
/// the others).
fn runs_typecheck(runtime: Runtime, segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    match runtime {
        Runtime::Node => {
            matches!(tool, "tsc" | "vue-tsc")
                || script_name(tool, &args).is_some_and(|name| {
                    let name = name.to_ascii_lowercase();
                    name.contains("typecheck")
                        || name.contains("type-check")
                        || name.contains("tsc")
                        || name == "types"
                        || name == "check-types"
                })
        }
        Runtime::Python => matches!(tool, "mypy" | "pyright"),
        Runtime::Go | Runtime::Rust | Runtime::Java => true,
    }
}

/// What a language's lint gate is missing in these commands, as catalog wording.
pub(super) fn missing_lint_steps(runtime: Runtime, commands: &[String]) -> Vec<&'static str> {
    let any = |test: &dyn Fn(&str) -> bool| {
        commands
            .iter()
            .any(|line| simple_commands(line).into_iter().any(test))
    };
    let mut missing = Vec::new();
    if runtime == Runtime::Python && !any(&runs_format_check) {
        missing.push("a format check (`ruff format --check`)");
    }
    if !any(&|segment| runs_linter(runtime, segment)) {
        missing.push(match runtime {
            Runtime::Node => "a linter (`npm run lint`)",
            Runtime::Python => "a linter (`ruff check`)",
            Runtime::Go => "a linter (`go vet`)",
            Runtime::Rust => "a linter (`cargo clippy`)",
            Runtime::Java => "a linter (`spotless:check` or Checkstyle)",
        });
    }
    if !any(&|segment| runs_typecheck(runtime, segment)) {
        missing.push(match runtime {
            Runtime::Python => "a type checker (`mypy`)",
            _ => "a type checker (`npm run typecheck` or `tsc --noEmit`)",
        });
    }
    missing
}

/// Whether a simple command asks for a coverage report.
pub(super) fn produces_coverage(segment: &str) -> bool {
    segment.split_whitespace().any(|word| {
        let word = word.to_ascii_lowercase();
        word.contains("coverage")
            || word.starts_with("--cov")
            || word.starts_with("-cover")
            || word == "llvm-cov"
            || word == "tarpaulin"
            || word.contains("jacoco")
    })
}

/// The documented test command with coverage for a language (PIPELINE-003).
pub(super) fn coverage_command(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Node => "npm run test:coverage",
        Runtime::Python => "pytest --cov=app --cov-report=xml --cov-fail-under=80",
        Runtime::Go => "go test -race -coverprofile=coverage.out ./...",
        Runtime::Rust => "cargo llvm-cov --locked --lcov --output-path lcov.info",
        Runtime::Java => "./mvnw -B org.jacoco:jacoco-maven-plugin:prepare-agent verify org.jacoco:jacoco-maven-plugin:report",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tools_are_recognised() {
        assert!(runs_linter(Runtime::Node, "npm run lint"));
        assert!(runs_linter(Runtime::Python, "poetry run ruff check app/"));
        assert!(runs_format_check("ruff format --check app/"));
        assert!(runs_typecheck(Runtime::Node, "npx tsc --noEmit"));
        assert!(!runs_typecheck(Runtime::Python, "ruff check"));
        assert!(produces_coverage("pytest --cov=app"));
        assert!(!produces_coverage("python -m unittest discover"));
    }
}
