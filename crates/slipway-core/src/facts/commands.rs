//! What a shell command line does, read word by word: its simple commands, the tool each one
//! runs, and whether it installs dependencies, runs tests, builds, migrates or hides a failure.

use crate::facts::shell::{simple_commands, tool_and_args, unwrap_shell};
use crate::model::Design;

/// Whether any simple command of `line` satisfies `test`.
pub(crate) fn any_segment(line: &str, test: impl Fn(&str) -> bool) -> bool {
    simple_commands(line).into_iter().any(test)
}

/// The script a package manager runs: `npm run lint`, `pnpm lint`, `yarn typecheck`.
pub(crate) fn script_name<'a>(tool: &str, args: &[&'a str]) -> Option<&'a str> {
    match (tool, args) {
        ("npm" | "pnpm" | "yarn" | "bun", ["run" | "run-script", name, ..]) => Some(name),
        ("npm", ["test" | "t", ..]) => Some("test"),
        ("pnpm" | "yarn" | "bun", [name, ..]) if !name.starts_with('-') => Some(name),
        _ => None,
    }
}

/// Whether a simple command installs the project's dependencies (the catalog's install
/// commands, plus the Go, Rust and Java equivalents). Global tool installs (`npm i -g`) do not count.
pub(crate) fn is_install(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    let global = args.iter().any(|a| matches!(*a, "-g" | "--global"));
    match tool {
        "npm" => matches!(first, "ci" | "install" | "i") && !global,
        "yarn" => (args.is_empty() || first == "install") && !global,
        "pnpm" => matches!(first, "install" | "i") && !global,
        "poetry" => first == "install",
        "pip" | "pip3" => first == "install" && args.iter().any(|a| a.starts_with("-r")),
        "go" => first == "mod" && args.get(1) == Some(&"download"),
        "cargo" => first == "fetch",
        "mvn" | "mvnw" => args.iter().any(|a| a.starts_with("dependency:")),
        _ => false,
    }
}

/// Why a simple command is not lockfile-exact.
pub(crate) fn loose_install(segment: &str) -> Option<&'static str> {
    let (tool, args) = tool_and_args(segment)?;
    let first = args.first().copied().unwrap_or("");
    let global = args.iter().any(|a| matches!(*a, "-g" | "--global"));
    match tool {
        "npm" if matches!(first, "install" | "i") && !global => {
            let packages = args[1..].iter().any(|arg| !arg.starts_with('-'));
            (!packages).then_some("`npm install` re-resolves versions; use `npm ci`")
        }
        "yarn" if (args.is_empty() || first == "install") && !global => {
            let frozen = args
                .iter()
                .any(|a| matches!(*a, "--frozen-lockfile" | "--immutable"));
            (!frozen)
                .then_some("`yarn install` without `--frozen-lockfile` can rewrite the lockfile")
        }
        _ => None,
    }
}

/// The line with every loose install made lockfile-exact: `npm install` becomes `npm ci`,
/// `yarn install` gains `--frozen-lockfile`.
pub(crate) fn lockfile_exact(line: &str) -> String {
    let mut out = line.to_owned();
    for segment in simple_commands(line) {
        let Some((tool, _)) = tool_and_args(segment) else {
            continue;
        };
        if loose_install(segment).is_none() {
            continue;
        }
        let fixed = if tool == "npm" {
            let words: Vec<&str> = segment.split_whitespace().collect();
            let position = words
                .iter()
                .position(|word| matches!(*word, "install" | "i"))
                .unwrap_or(0);
            let mut words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
            words[position] = "ci".to_owned();
            words.join(" ")
        } else {
            format!("{segment} --frozen-lockfile")
        };
        out = out.replacen(segment, &fixed, 1);
    }
    out
}

/// Whether a simple command runs a test suite: the project's test command, a package script
/// named `test*`, or a test runner (`pytest`, `go test`, `cargo test`, `mvn verify`, ...).
pub(crate) fn runs_test_suite(design: &Design, segment: &str) -> bool {
    let segment = segment.trim();
    // A simple command of a test command is a piece of its text: parse only the commands that
    // hold the segment at all.
    let is_service_test = design.services.iter().any(|service| {
        let test = service.commands.test.trim();
        !segment.is_empty() && test.contains(segment) && simple_commands(test).contains(&segment)
    });
    if is_service_test {
        return true;
    }
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    let skips = args
        .iter()
        .any(|arg| arg.starts_with("-DskipTests") || arg.starts_with("-Dmaven.test.skip"));
    match tool {
        "npm" | "pnpm" | "yarn" | "bun" => script_name(tool, &args).is_some_and(|name| {
            name == "test" || name.starts_with("test:") || name.starts_with("test-")
        }),
        "pytest" | "py.test" | "tox" | "nox" | "jest" | "vitest" | "mocha" | "playwright"
        | "cypress" => true,
        "go" => first == "test",
        "cargo" => matches!(first, "test" | "nextest" | "llvm-cov" | "tarpaulin"),
        "mvn" | "mvnw" => {
            !skips
                && args.iter().any(|arg| {
                    let goal = arg.rsplit(':').next().unwrap_or(arg);
                    matches!(goal, "test" | "verify" | "integration-test")
                })
        }
        "gradle" | "gradlew" => args
            .iter()
            .any(|arg| *arg == "check" || arg.ends_with("test") || arg.ends_with("Test")),
        _ => false,
    }
}

/// Whether a simple command builds the application or its image.
pub(crate) fn builds_app(design: &Design, segment: &str) -> bool {
    let is_service_build = design.services.iter().any(|service| {
        let build = service.commands.build.trim();
        !build.is_empty() && segment == build
    });
    if is_service_build {
        return true;
    }
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    match tool {
        "docker" | "podman" => {
            first == "build"
                || (first == "buildx" && args.get(1) == Some(&"build"))
                || (first == "compose" && args.contains(&"build"))
                || (first == "image" && args.get(1) == Some(&"build"))
        }
        "npm" | "pnpm" | "yarn" | "bun" => script_name(tool, &args)
            .is_some_and(|name| name == "build" || name.starts_with("build:")),
        "go" | "cargo" => first == "build",
        "mvn" | "mvnw" => args.iter().any(|arg| matches!(*arg, "package" | "install")),
        "gradle" | "gradlew" => args
            .iter()
            .any(|arg| matches!(*arg, "build" | "assemble" | "bootJar")),
        _ => false,
    }
}

/// The commands that make a failure look like success after `||` (`|| true`, `|| exit 0`,
/// `|| echo skipped`).
fn is_swallow(command: &str) -> bool {
    let command = command.trim();
    matches!(command, "true" | ":" | "exit 0" | "/bin/true") || command.starts_with("echo ")
}

/// Where `line` hides a failure: a `|| true`-style tail or `set +e`.
pub(crate) fn swallows_failure(line: &str) -> bool {
    line.split("||").skip(1).any(|tail| {
        let tail = tail.split(['&', ';', '|', '\n']).next().unwrap_or("");
        is_swallow(tail)
    }) || simple_commands(line)
        .into_iter()
        .any(|segment| segment == "set +e")
}

/// The line without its failure-hiding tails and `set +e`.
pub(crate) fn without_swallows(line: &str) -> String {
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

/// Whether a simple command runs database migrations.
fn is_migration(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    let second = args.get(1).copied().unwrap_or("");
    match tool {
        "prisma" => first == "migrate" && second == "deploy",
        "alembic" => first == "upgrade",
        "flyway" | "goose" => matches!(first, "migrate" | "up"),
        "knex" => first.starts_with("migrate:"),
        "sequelize" | "sequelize-cli" | "rails" | "rake" => first == "db:migrate",
        "diesel" | "sqlx" => first == "migration" || first == "migrate",
        "npm" | "pnpm" | "yarn" => args.iter().any(|arg| arg.starts_with("migrate")),
        "migrate" => args.contains(&"up"),
        _ => {
            args.contains(&"migrate")
                && (tool.ends_with("manage.py") || first.ends_with("manage.py"))
        }
    }
}

/// Whether any simple command of a line runs migrations.
pub(crate) fn runs_migrations(line: &str) -> bool {
    let inner = unwrap_shell(line);
    simple_commands(&inner).into_iter().any(is_migration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_are_recognised() {
        assert!(is_install("npm ci"));
        assert!(is_install("CI=1 npm install"));
        assert!(is_install("poetry install --no-interaction"));
        assert!(is_install("python -m pip install -r requirements.txt"));
        assert!(is_install("go mod download"));
        assert!(is_install("{ npm ci"));
        assert!(!is_install("npm install -g pnpm"));
        assert!(!is_install("pip install pip-audit"));
        assert!(!is_install("npm run lint"));
    }

    #[test]
    fn test_suites_are_recognised() {
        let design = Design::default();
        for command in [
            "npm run test:coverage",
            "npm test",
            "poetry run pytest tests/e2e",
            "go test ./...",
            "cargo nextest run",
            "./mvnw -B verify",
            "./mvnw -B failsafe:integration-test failsafe:verify",
            "./gradlew integrationTest",
            "npx playwright test",
        ] {
            assert!(runs_test_suite(&design, command), "{command}");
        }
        for command in [
            "npm ci",
            "./mvnw -B -DskipTests package",
            "npm run build",
            "go build ./...",
        ] {
            assert!(!runs_test_suite(&design, command), "{command}");
        }
    }

    #[test]
    fn migrations_are_recognised() {
        assert!(runs_migrations(
            "npx prisma migrate deploy && node dist/server.js"
        ));
        assert!(runs_migrations(
            "/bin/sh -c \"exec alembic upgrade head && uvicorn app:app\""
        ));
        assert!(runs_migrations("python manage.py migrate"));
        assert!(!runs_migrations("node dist/main.js"));
    }

    #[test]
    fn shells_are_unwrapped() {
        assert_eq!(
            unwrap_shell("/bin/sh -c \"exec x --port $PORT\""),
            "x --port $PORT"
        );
        assert_eq!(unwrap_shell("node a.js"), "node a.js");
    }
}
