//! Pipeline rules (docs/rules.md#pipeline): what CI runs, in which order, and how deploys are
//! gated.

rules! {
    pipeline_001::PrTrigger,
    pipeline_002::LintAndTypecheckGate,
    pipeline_003::TestsWithCoverageReport,
    pipeline_004::CoverageThreshold80,
    pipeline_005::DependencyAndSourceScan,
    pipeline_006::ImageScanGate,
    pipeline_007::ScheduledSecurityScan,
    pipeline_008::StageOrder,
    pipeline_009::DeployBranchMapping,
    pipeline_010::ProductionApproval,
    pipeline_011::StagingEnvironmentGate,
    pipeline_012::BuildOnceDeploySameArtifact,
    pipeline_013::ImmutableImageTags,
    pipeline_014::FailFast,
    pipeline_015::CiConcurrency,
    pipeline_016::TestServiceContainers,
    pipeline_017::MatrixTesting,
    pipeline_018::MonorepoPathFilters,
    pipeline_019::PostDeployVerification,
    pipeline_020::DeployNotifications,
    pipeline_021::IntegrationAndE2eTests,
}

use super::ci::{segments, tool_and_args};
use crate::model::{Design, JobKind, Runtime};

/// The languages CI has to check: the project's, plus any other language a lint or test job
/// sets up (a monorepo's front end).
fn languages(design: &Design) -> Vec<Runtime> {
    let mut languages = vec![design.project.runtime];
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

/// The script a package manager runs: `npm run lint`, `pnpm lint`, `yarn typecheck`.
pub(super) fn script_name<'a>(tool: &str, args: &[&'a str]) -> Option<&'a str> {
    match (tool, args) {
        ("npm" | "pnpm" | "yarn" | "bun", ["run" | "run-script", name, ..]) => Some(name),
        ("npm", ["test" | "t", ..]) => Some("test"),
        ("pnpm" | "yarn" | "bun", [name, ..]) if !name.starts_with('-') => Some(name),
        _ => None,
    }
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
fn missing_lint_steps(runtime: Runtime, commands: &[String]) -> Vec<&'static str> {
    let any = |test: &dyn Fn(&str) -> bool| {
        commands
            .iter()
            .any(|line| segments(line).into_iter().any(test))
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
fn produces_coverage(segment: &str) -> bool {
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

/// The documented test command with coverage for a language (docs/defaults.md#ci-cd).
fn coverage_command(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Node => "npm run test:coverage",
        Runtime::Python => "pytest --cov=app --cov-report=xml --cov-fail-under=80",
        Runtime::Go => "go test -race -coverprofile=coverage.out ./...",
        Runtime::Rust => "cargo llvm-cov --locked --lcov --output-path lcov.info",
        Runtime::Java => "./mvnw -B org.jacoco:jacoco-maven-plugin:prepare-agent verify org.jacoco:jacoco-maven-plugin:report",
    }
}

/// The commands that make a failure look like success after `||` (`|| true`, `|| exit 0`,
/// `|| echo skipped`).
fn is_swallow(command: &str) -> bool {
    let command = command.trim();
    matches!(command, "true" | ":" | "exit 0" | "/bin/true") || command.starts_with("echo ")
}

/// Where `line` hides a failure: a `|| true`-style tail or `set +e`.
pub(super) fn swallows_failure(line: &str) -> bool {
    line.split("||").skip(1).any(|tail| {
        let tail = tail.split(['&', ';', '|', '\n']).next().unwrap_or("");
        is_swallow(tail)
    }) || segments(line)
        .into_iter()
        .any(|segment| segment == "set +e")
}

/// The line without its failure-hiding tails and `set +e`.
fn without_swallows(line: &str) -> String {
    let mut parts = line.split("||");
    let mut out = parts.next().unwrap_or("").to_owned();
    for tail in parts {
        let head_len = tail.find(['&', ';', '|', '\n']).unwrap_or(tail.len());
        if is_swallow(&tail[..head_len]) {
            out = out.trim_end().to_owned();
            let rest = tail[head_len..].trim_start();
            if !rest.is_empty() {
                out.push(' ');
                out.push_str(rest);
            }
        } else {
            out.push_str("||");
            out.push_str(tail);
        }
    }
    for pattern in ["set +e && ", "set +e; ", "set +e\n", "set +e"] {
        out = out.replace(pattern, "");
    }
    out.trim().to_owned()
}

/// GitHub's branch filter patterns: `*` stops at `/`, `**` does not.
fn branch_pattern_matches(pattern: &str, branch: &str) -> bool {
    crate::text::glob_match(pattern.trim(), branch)
}

/// The default design with one job changed.
#[cfg(test)]
fn with_job(id: &str, edit: impl FnOnce(&mut crate::model::Job)) -> Design {
    let mut design = Design::default();
    let job = design
        .pipeline
        .jobs
        .iter_mut()
        .find(|job| job.id == id)
        .expect("standard job");
    edit(job);
    design
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
        assert!(branch_pattern_matches("release/*", "release/1.2"));
        assert!(!branch_pattern_matches("release/*", "main"));
    }
}
