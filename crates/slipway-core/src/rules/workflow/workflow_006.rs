#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{action, at, document, events, get, is_false, jobs, major, steps, text};
use serde_norway::Value;

pub struct CachePoisoning;

/// Whether a step restores a cache: `actions/cache` (not `lookup-only`), `Swatinem/rust-cache`,
/// or a setup action with its cache on (asked for, or on by default: `setup-go` from v4,
/// `setup-node`'s package-manager cache from v5, `setup-rust-toolchain`).
fn restores_cache(step: &Value) -> bool {
    let Some(action) = action(step) else {
        return false;
    };
    let input = |name: &str| get(step, "with").and_then(|with| get(with, name));
    let asked = |name: &str| {
        text(input(name)).is_some_and(|value| !value.trim().is_empty() && value != "false")
    };
    let newer = |version: u32| major(step).is_none_or(|major| major >= version);
    match action.as_str() {
        "actions/cache" | "actions/cache/restore" | "swatinem/rust-cache" => {
            text(input("lookup-only")).as_deref() != Some("true")
        }
        "actions/setup-node" => {
            asked("cache") || (newer(5) && !is_false(input("package-manager-cache")))
        }
        "actions/setup-go" => newer(4) && !is_false(input("cache")),
        "actions-rust-lang/setup-rust-toolchain" => !is_false(input("cache")),
        "astral-sh/setup-uv" => asked("enable-cache"),
        _ => action.starts_with("actions/setup-") && asked("cache"),
    }
}

/// Whether a job publishes what it builds: a release action, or a publish command.
fn publishes(job: &Value) -> bool {
    steps(job).into_iter().any(|(_, step)| {
        let action = action(step).unwrap_or_default();
        let run = text(get(step, "run")).unwrap_or_default();
        [
            "goreleaser/goreleaser-action",
            "pypa/gh-action-pypi-publish",
            "softprops/action-gh-release",
        ]
        .contains(&action.as_str())
            || [
                "npm publish",
                "cargo publish",
                "gh release create",
                "goreleaser release",
            ]
            .iter()
            .any(|command| run.contains(command))
    })
}

impl Rule for CachePoisoning {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-006",
        name: "cache-poisoning",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "Release builds restore no cache",
        what: "A workflow that releases (started by a `release`, a tag push or a push to a \
               `release` branch) or a job that publishes (GoReleaser, PyPI, a GitHub release, \
               `npm publish`) restores no dependency or build cache.",
        why: "Caches are shared across the repository's runs, and any run on the default branch \
              — including one a pull request's code can influence — can write an entry the \
              release restores. A poisoned cache then ships inside a signed release; a release \
              built from a clean state ships only what its sources say.",
        incorrect: "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    steps:\n      - uses: actions/setup-go@v5\n      - uses: goreleaser/goreleaser-action@v6",
        correct: "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    steps:\n      - uses: actions/setup-go@v5\n        with: {cache: false}\n      - uses: goreleaser/goreleaser-action@v6",
        fix: "Manual: turn the cache off in release workflows and publishing jobs \
              (`cache: false`, `package-manager-cache: false`, `lookup-only: true`).",
        source: "Not in the documents: Adnan Khan, \"The monsters in your build cache: GitHub \
                 Actions cache poisoning\" (2024); GitHub's cache documentation (cache scopes)",
        equivalents: &["zizmor cache-poisoning", "CodeQL actions/cache-poisoning/poisonable-step"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return Vec::new();
        };
        let releases = events(&document)
            .iter()
            .any(|(event, settings)| match event.as_str() {
                "release" => true,
                "push" => {
                    get(settings, "tags").is_some()
                        || super::file::text_list(get(settings, "branches"))
                            .iter()
                            .any(|branch| branch.contains("release"))
                }
                _ => false,
            });
        let mut out = Vec::new();
        for (id, job) in jobs(&document) {
            if !releases && !publishes(job) {
                continue;
            }
            for (index, step) in steps(job) {
                if restores_cache(step) {
                    out.push(at(format!("jobs.{id}.steps[{index}].uses"), format!("Job `{id}` releases or publishes, and this step restores a cache other runs can write: a poisoned entry would ship.")));
                }
            }
        }
        out
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        Vec::new()
    }

    #[cfg(test)]
    fn failing_workflows() -> Vec<&'static str> {
        vec![Self::DOC.incorrect]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_without_a_cache_in_a_release() {
        assert!(flags(&CachePoisoning, CachePoisoning::DOC.correct).is_empty());
    }

    #[test]
    fn fails_on_a_cache_in_a_release() {
        assert_eq!(
            flags(&CachePoisoning, CachePoisoning::DOC.incorrect),
            ["workflow.jobs.release.steps[0].uses"]
        );
    }
}
