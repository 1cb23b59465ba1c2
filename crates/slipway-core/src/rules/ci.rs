//! What the pipeline, branch and cache rules derive from the design: the commands each job
//! really runs, the `needs` graph, deploy targets and the protected branches.
//!
//! A job with no commands runs its kind's defaults, taken from the project's commands (or,
//! for a job in another language, that language's defaults); the generated steps around them
//! (checkout, caches, scans, rollout waits) come from the generator's templates and follow the
//! catalog by construction, so rules check the design's own text and structure.

use std::collections::HashSet;

use crate::model::{
    Commands, Design, Environment, EnvironmentTier, Job, JobKind, PackageManager, Runtime,
};

/// The language a job sets up.
pub(crate) fn job_runtime(design: &Design, job: &Job) -> Runtime {
    job.runtime.unwrap_or(design.project.runtime)
}

/// The package manager a job uses: the project's for its own language, else the default one.
pub(crate) fn job_manager(design: &Design, job: &Job) -> PackageManager {
    let runtime = job_runtime(design, job);
    if runtime == design.project.runtime {
        design.project.package_manager
    } else {
        runtime.default_package_manager()
    }
}

/// Whether a job works in the project's own language (so the project's commands apply).
pub(super) fn uses_project_commands(design: &Design, job: &Job) -> bool {
    job_runtime(design, job) == design.project.runtime
}

/// The commands a job of another language falls back to.
fn foreign_commands(runtime: Runtime) -> Commands {
    Commands::for_runtime(runtime, runtime.default_package_manager())
}

/// One command a job runs, with the design field it comes from.
pub(crate) struct JobCommand {
    pub text: String,
    pub field: String,
}

/// The commands a job runs: its own list, or its kind's defaults from the project commands.
pub(crate) fn job_commands(design: &Design, index: usize, job: &Job) -> Vec<JobCommand> {
    if !job.commands.is_empty() {
        return job
            .commands
            .iter()
            .enumerate()
            .map(|(position, text)| JobCommand {
                text: text.clone(),
                field: format!("pipeline.jobs[{index}].commands[{position}]"),
            })
            .collect();
    }
    let own = uses_project_commands(design, job);
    let commands = if own {
        design.project.commands.clone()
    } else {
        foreign_commands(job_runtime(design, job))
    };
    let field = |name: &str| {
        if own {
            format!("project.commands.{name}")
        } else {
            format!("pipeline.jobs[{index}].commands")
        }
    };
    let parts: Vec<(&str, String)> = match job.kind {
        JobKind::Lint => vec![
            ("install", commands.install),
            ("lint", commands.lint),
            ("typecheck", commands.typecheck),
        ],
        JobKind::Test => vec![("install", commands.install), ("test", commands.test)],
        JobKind::Security => vec![("install", commands.install)],
        _ => Vec::new(),
    };
    parts
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(name, text)| JobCommand {
            text,
            field: field(name),
        })
        .collect()
}

/// The simple commands of a shell line: split at `&&`, `||`, `;`, `|` and newlines.
pub(super) fn segments(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let cut = rest
            .char_indices()
            .find(|(_, c)| matches!(c, '&' | '|' | ';' | '\n'))
            .map(|(i, _)| i);
        match cut {
            Some(i) => {
                out.push(rest[..i].trim());
                let separator_len = rest[i..]
                    .chars()
                    .take_while(|c| matches!(c, '&' | '|' | ';' | '\n'))
                    .count();
                rest = &rest[i + separator_len..];
            }
            None => {
                out.push(rest.trim());
                rest = "";
            }
        }
    }
    out.retain(|segment| !segment.is_empty());
    out
}

/// The words of a simple command, without leading `VAR=value` assignments, `sudo` and shell
/// grouping (`{`, `(`, `!`, `then`, `do`).
pub(super) fn words(segment: &str) -> Vec<&str> {
    segment
        .split_whitespace()
        .skip_while(|word| {
            matches!(
                *word,
                "sudo" | "{" | "(" | "!" | "then" | "do" | "else" | "exec"
            ) || word
                .split_once('=')
                .is_some_and(|(name, _)| !name.is_empty() && !name.starts_with('-'))
        })
        .collect()
}

/// The tool a command runs and its arguments; `python -m pip` counts as `pip`, `npx x` as `x`.
pub(super) fn tool_and_args(segment: &str) -> Option<(&str, Vec<&str>)> {
    let words = words(segment);
    let (first, rest) = words.split_first()?;
    let tool = first.rsplit('/').next().unwrap_or(first);
    match (tool, rest) {
        ("python" | "python3", ["-m", module, args @ ..]) => Some((module, args.to_vec())),
        ("npx" | "poetry" | "uv", ["run", inner, args @ ..]) => Some((inner, args.to_vec())),
        ("npx", [inner, args @ ..]) => Some((inner, args.to_vec())),
        _ => Some((tool, rest.to_vec())),
    }
}

/// Whether a simple command installs the project's dependencies (docs/defaults.md#conventions,
/// plus the Go, Rust and Java equivalents). Global tool installs (`npm i -g`) do not count.
pub(super) fn is_install(segment: &str) -> bool {
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

/// Whether any simple command of `line` satisfies `test`.
pub(super) fn any_segment(line: &str, test: impl Fn(&str) -> bool) -> bool {
    segments(line).into_iter().any(test)
}

/// Whether a simple command runs a test suite: the project's test command, a package script
/// named `test*`, or a test runner (`pytest`, `go test`, `cargo test`, `mvn verify`, ...).
pub(super) fn runs_test_suite(design: &Design, segment: &str) -> bool {
    let project_test = design.project.commands.test.trim();
    if !project_test.is_empty() && segments(project_test).contains(&segment.trim()) {
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
        "npm" | "pnpm" | "yarn" | "bun" => {
            super::pipeline::script_name(tool, &args).is_some_and(|name| {
                name == "test" || name.starts_with("test:") || name.starts_with("test-")
            })
        }
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

/// Indices of the test jobs that really run a test suite.
pub(super) fn testing_jobs(design: &Design) -> Vec<usize> {
    jobs_of(design, JobKind::Test)
        .into_iter()
        .filter(|index| {
            let job = &design.pipeline.jobs[*index];
            job_commands(design, *index, job)
                .iter()
                .any(|command| any_segment(&command.text, |s| runs_test_suite(design, s)))
        })
        .collect()
}

/// A test suite beyond the unit tests (PIPELINE-021).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Suite {
    Integration,
    EndToEnd,
}

/// The suites a test job runs beyond unit tests: named so in its id or name (and running a
/// test suite), or selected by its commands (`npm run test:integration`, `pytest
/// tests/e2e`, `go test -tags=integration`, Playwright, Cypress).
pub(crate) fn test_suites(design: &Design, index: usize, job: &Job) -> Vec<Suite> {
    if job.kind != JobKind::Test {
        return Vec::new();
    }
    let label = format!("{} {}", job.id, job.name).to_ascii_lowercase();
    let commands = job_commands(design, index, job);
    let test_segments: Vec<String> = commands
        .iter()
        .flat_map(|command| {
            segments(&command.text)
                .into_iter()
                .filter(|segment| runs_test_suite(design, segment))
                .map(str::to_ascii_lowercase)
                .collect::<Vec<_>>()
        })
        .collect();
    if test_segments.is_empty() {
        return Vec::new();
    }
    let mut suites = Vec::new();
    if label.contains("integration") || test_segments.iter().any(|s| s.contains("integration")) {
        suites.push(Suite::Integration);
    }
    let end_to_end = |text: &str| {
        text.contains("e2e")
            || text.contains("end-to-end")
            || text.contains("end to end")
            || text.contains("playwright")
            || text.contains("cypress")
    };
    if end_to_end(&label) || test_segments.iter().any(|s| end_to_end(s)) {
        suites.push(Suite::EndToEnd);
    }
    suites
}

/// Index of the job with `id`.
pub(super) fn job_index(design: &Design, id: &str) -> Option<usize> {
    design.pipeline.jobs.iter().position(|job| job.id == id)
}

/// Every job `index` depends on, directly or indirectly (unknown ids and cycles are ignored).
pub(super) fn ancestors(design: &Design, index: usize) -> HashSet<usize> {
    Needs::new(design).ancestors(index)
}

/// A repository folder as written in a design (`./backend/`), cleaned (`backend`); `None`
/// for the repository root.
pub(crate) fn folder(dir: &str) -> Option<String> {
    let dir = dir.trim();
    let dir = dir.strip_prefix("./").unwrap_or(dir).trim_matches('/');
    (!dir.is_empty() && dir != ".").then(|| dir.to_owned())
}

/// The position of each job id in `jobs`; when ids repeat, the first job wins (as `needs`
/// resolve).
pub(crate) fn positions_by_id<'a>(
    jobs: impl DoubleEndedIterator<Item = &'a Job> + ExactSizeIterator,
) -> std::collections::HashMap<&'a str, usize> {
    jobs.enumerate()
        .rev()
        .map(|(index, job)| (job.id.as_str(), index))
        .collect()
}

/// The `needs` of every job as indices (unknown ids dropped), built once so that many
/// ancestor walks cost only what they visit.
pub(super) struct Needs {
    edges: Vec<Vec<usize>>,
}

impl Needs {
    pub(super) fn new(design: &Design) -> Self {
        let jobs = &design.pipeline.jobs;
        let by_id = positions_by_id(jobs.iter());
        let edges = jobs
            .iter()
            .map(|job| {
                job.needs
                    .iter()
                    .filter_map(|need| by_id.get(need.as_str()).copied())
                    .collect()
            })
            .collect();
        Needs { edges }
    }

    /// Every job `index` waits for, directly or indirectly.
    pub(super) fn ancestors(&self, index: usize) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut stack = vec![index];
        while let Some(current) = stack.pop() {
            for &found in &self.edges[current] {
                if found != index && seen.insert(found) {
                    stack.push(found);
                }
            }
        }
        seen
    }
}

/// Whether job `from` depends on job `on`, directly or indirectly.
pub(super) fn depends_on(design: &Design, from: usize, on: usize) -> bool {
    ancestors(design, from).contains(&on)
}

/// Makes job `from` need job `on` unless it already does (directly or indirectly) or the
/// link would close a cycle. Returns whether a link was added.
pub(super) fn add_need(design: &mut Design, from: usize, on: usize) -> bool {
    if from == on || depends_on(design, from, on) || depends_on(design, on, from) {
        return false;
    }
    let id = design.pipeline.jobs[on].id.clone();
    design.pipeline.jobs[from].needs.push(id);
    true
}

/// Indices of the jobs of `kind`.
pub(super) fn jobs_of(design: &Design, kind: JobKind) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| job.kind == kind)
        .map(|(index, _)| index)
        .collect()
}

/// A job id not used yet, starting from `base`.
pub(super) fn fresh_job_id(design: &Design, base: &str) -> String {
    let taken = |id: &str| design.pipeline.jobs.iter().any(|job| job.id == id);
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| base.to_owned())
}

/// The environment a job targets, by name.
pub(super) fn target_environment<'a>(
    design: &'a Design,
    job: &Job,
) -> Option<(usize, &'a Environment)> {
    let name = job.environment.trim();
    if name.is_empty() {
        return None;
    }
    design
        .environments
        .iter()
        .enumerate()
        .find(|(_, env)| env.name == name)
}

/// The tier a deploy job targets: its environment's, or read from its environment, id or
/// name when the environment is unknown or missing (`deploy-production`, `Deploy to prod`).
pub(super) fn deploy_tier(design: &Design, job: &Job) -> Option<EnvironmentTier> {
    if let Some((_, env)) = target_environment(design, job) {
        return Some(env.tier);
    }
    let text = format!("{} {} {}", job.environment, job.id, job.name).to_ascii_lowercase();
    if text.contains("prod") {
        Some(EnvironmentTier::Production)
    } else if text.contains("stag") {
        Some(EnvironmentTier::Staging)
    } else {
        None
    }
}

/// Indices of the deploy jobs that target `tier`.
pub(super) fn deploys_to(design: &Design, tier: EnvironmentTier) -> Vec<usize> {
    jobs_of(design, JobKind::Deploy)
        .into_iter()
        .filter(|index| deploy_tier(design, &design.pipeline.jobs[*index]) == Some(tier))
        .collect()
}

/// The first environment of a tier.
pub(super) fn environment_of_tier(
    design: &Design,
    tier: EnvironmentTier,
) -> Option<(usize, &Environment)> {
    design
        .environments
        .iter()
        .enumerate()
        .find(|(_, env)| env.tier == tier)
}

/// Protected branches (docs/defaults.md#conventions): the long-lived branches of the repository
/// (default `main` and `dev`), the default branch first.
pub(super) fn protected_branches(design: &Design) -> Vec<String> {
    let repository = &design.repository;
    let mut names: Vec<String> = Vec::new();
    let default = repository.default_branch.trim();
    if !default.is_empty() {
        names.push(default.to_owned());
    }
    for branch in &repository.branches {
        let name = branch.name.trim();
        if !name.is_empty() && !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    names
}

/// Whether a job runs on pull requests (everything but the post-merge kinds).
pub(super) fn runs_on_pull_requests(job: &Job) -> bool {
    !matches!(
        job.kind,
        JobKind::Deploy | JobKind::Migrate | JobKind::Smoke | JobKind::Notify
    )
}

/// Whether a required status check names this job (by id, or by its display name).
pub(super) fn check_names_job(check: &str, job: &Job) -> bool {
    let check = check.trim();
    check == job.id || (!job.name.trim().is_empty() && check == job.name.trim())
}

/// Whether a simple command builds the application or its image.
pub(super) fn builds_app(design: &Design, segment: &str) -> bool {
    let project_build = design.project.commands.build.trim();
    if !project_build.is_empty() && segment == project_build {
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
        "npm" | "pnpm" | "yarn" | "bun" => super::pipeline::script_name(tool, &args)
            .is_some_and(|name| name == "build" || name.starts_with("build:")),
        "go" | "cargo" => first == "build",
        "mvn" | "mvnw" => args.iter().any(|arg| matches!(*arg, "package" | "install")),
        "gradle" | "gradlew" => args
            .iter()
            .any(|arg| matches!(*arg, "build" | "assemble" | "bootJar")),
        _ => false,
    }
}

/// Why a simple command is not lockfile-exact.
pub(super) fn loose_install(segment: &str) -> Option<&'static str> {
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

pub(super) fn lockfile_exact(line: &str) -> String {
    let mut out = line.to_owned();
    for segment in segments(line) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_shell_lines() {
        assert_eq!(
            segments("npm ci && npm run lint || true; echo ok | tee x"),
            ["npm ci", "npm run lint", "true", "echo ok", "tee x"]
        );
    }

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
    fn the_standard_set_chains_build_after_checks() {
        let design = Design::default();
        let build = job_index(&design, "build").unwrap();
        let lint = job_index(&design, "lint").unwrap();
        let production = job_index(&design, "deploy-production").unwrap();
        assert!(depends_on(&design, build, lint));
        assert!(depends_on(&design, production, lint));
        assert!(!depends_on(&design, lint, build));
    }
}
