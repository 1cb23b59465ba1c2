//! What a job is for, and which package manager it installs with, read from its commands.

use crate::facts::shell::{past_assignments, program_name, simple_commands};
use crate::model::{JobKind, PackageManager};

/// The package manager a simple command installs with, if it installs.
pub(super) fn installs_with(words: &[&str]) -> Option<PackageManager> {
    let tool = program_name(words.first()?);
    let first = words.get(1).copied().unwrap_or("");
    match tool {
        "npm" if matches!(first, "ci" | "install" | "i") => Some(PackageManager::Npm),
        "pnpm" if matches!(first, "install" | "i") => Some(PackageManager::Pnpm),
        "yarn" if first.is_empty() || first == "install" => Some(PackageManager::Yarn),
        "poetry" if first == "install" => Some(PackageManager::Poetry),
        "pip" | "pip3" if first == "install" && words.iter().any(|w| w.starts_with("-r")) => {
            Some(PackageManager::Pip)
        }
        "go" if matches!(first, "mod" | "build" | "test") => Some(PackageManager::GoModules),
        "cargo" if matches!(first, "fetch" | "build" | "test") => Some(PackageManager::Cargo),
        "mvn" | "mvnw" => Some(PackageManager::Maven),
        "gradle" | "gradlew" => Some(PackageManager::Gradle),
        _ => None,
    }
}

/// What a job's steps show about it, besides its commands.
pub(super) struct Signals {
    pub(super) image_build: bool,
    pub(super) deploys: bool,
}

/// The kind of a job: what it runs says most, then the words of its id and name.
pub(super) fn infer_kind(id: &str, name: &str, commands: &[String], signals: &Signals) -> JobKind {
    let text = format!("{id} {name}").to_ascii_lowercase();
    let words: Vec<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let named = |candidates: &[&str]| {
        words.iter().any(|word| {
            candidates
                .iter()
                .any(|candidate| word.starts_with(candidate))
        })
    };
    let runs = |test: fn(&[&str]) -> bool| {
        commands.iter().any(|command| {
            simple_commands(command).into_iter().any(|segment| {
                let words: Vec<&str> = segment.split_whitespace().collect();
                test(&words)
            })
        })
    };
    if named(&["migrat"]) {
        return JobKind::Migrate;
    }
    if named(&["smoke"]) {
        return JobKind::Smoke;
    }
    if named(&["notif", "slack", "announce"]) {
        return JobKind::Notify;
    }
    if signals.deploys || named(&["deploy", "rollout", "promot"]) {
        return JobKind::Deploy;
    }
    if signals.image_build {
        return JobKind::Build;
    }
    let tests = runs(is_test_command);
    let lints = runs(is_lint_command);
    if named(&[
        "secur", "audit", "scan", "trivy", "codeql", "snyk", "vuln", "sast",
    ]) || runs(is_security_command)
    {
        return JobKind::Security;
    }
    if named(&["lint", "format", "style", "typecheck", "type"]) || (lints && !tests) {
        return JobKind::Lint;
    }
    if tests || named(&["test", "unit", "integration", "e2e", "coverage", "spec"]) {
        return JobKind::Test;
    }
    if named(&["build", "publish", "release", "image", "docker", "package"]) {
        return JobKind::Build;
    }
    // Nothing tells what the job does: judge it only by the rules about every job.
    JobKind::Smoke
}

/// The program of a simple command past its variable assignments, and its first argument.
fn tool<'a>(words: &[&'a str]) -> (&'a str, &'a str) {
    let words = past_assignments(words);
    let first = words.first().map_or("", |word| program_name(word));
    (first, words.get(1).copied().unwrap_or(""))
}

fn is_test_command(words: &[&str]) -> bool {
    let (tool, first) = tool(words);
    match tool {
        "npm" | "pnpm" | "yarn" | "bun" => {
            first.starts_with("test")
                || (first == "run" && words.iter().any(|w| w.starts_with("test")))
        }
        "go" | "cargo" => first == "test",
        "mvn" | "mvnw" => words.iter().any(|w| matches!(*w, "test" | "verify")),
        "gradle" | "gradlew" => words.iter().any(|w| matches!(*w, "test" | "check")),
        "pytest" | "jest" | "vitest" | "mocha" | "tox" | "nox" => true,
        "python" | "python3" => words.contains(&"pytest") || words.contains(&"unittest"),
        "poetry" | "uv" => words.contains(&"pytest"),
        _ => false,
    }
}

fn is_lint_command(words: &[&str]) -> bool {
    let (tool, first) = tool(words);
    match tool {
        "npm" | "pnpm" | "yarn" | "bun" => words
            .iter()
            .any(|w| w.starts_with("lint") || w.starts_with("typecheck")),
        "eslint" | "ruff" | "flake8" | "pylint" | "black" | "mypy" | "tsc" | "prettier"
        | "golangci-lint" | "staticcheck" | "hadolint" | "actionlint" | "shellcheck" => true,
        "go" => first == "vet",
        "cargo" => matches!(first, "clippy" | "fmt"),
        "mvn" | "mvnw" | "gradle" | "gradlew" => words
            .iter()
            .any(|w| w.contains("spotless") || w.contains("checkstyle")),
        _ => false,
    }
}

fn is_security_command(words: &[&str]) -> bool {
    let (tool, first) = tool(words);
    match tool {
        "npm" | "pnpm" | "yarn" => first == "audit",
        "trivy" | "pip-audit" | "safety" | "govulncheck" | "snyk" | "grype" | "osv-scanner" => true,
        "codeql" => first == "database",
        "cargo" => matches!(first, "audit" | "deny"),
        _ => false,
    }
}
