use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct DockerignoreRequired;

/// Paths that must be excluded, each with the pattern the fix adds.
const REQUIRED: &[(&str, &str)] = &[
    (".git", ".git"),
    (".env", ".env"),
    (".env.production", ".env.*"),
    ("node_modules", "node_modules"),
];

impl Rule for DockerignoreRequired {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-003",
        name: "dockerignore-required",
        severity: Severity::Critical,
        area: Area::Docker,
        title: "A .dockerignore keeps secrets and clutter out of the build context",
        what: "The `.dockerignore` excludes at least `.git`, `.env`, `.env.*` and `node_modules`.",
        why: "Everything in the build context is sent to the builder and can end up in a layer: \
              `.env` files with credentials, the whole Git history, a host `node_modules` built for \
              another platform. Excluding them keeps secrets out of images and builds fast.",
        incorrect: "# .dockerignore\nnode_modules",
        correct: "# .dockerignore\n.git\n.env\n.env.*\nnode_modules\n*.md\n.vscode/",
        fix: "Adds the missing required entries to the `.dockerignore`.",
        source: "000 · Docker: Layer Security (\"Required .dockerignore\")",
        equivalents: &["trivy misconfig (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let patterns = &context.service().container.dockerignore;
        let missing: Vec<&str> = REQUIRED
            .iter()
            .filter(|(path, _)| !is_excluded(patterns, path))
            .map(|(_, pattern)| *pattern)
            .collect();
        if missing.is_empty() {
            return Vec::new();
        }
        vec![Violation::new(
            "container.dockerignore",
            format!(".dockerignore does not exclude {}.", missing.join(", ")),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add the required entries",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut empty = crate::presets::for_runtime(crate::model::Runtime::Node);
        empty.services[0].container.dockerignore.clear();
        let mut negated = crate::presets::for_runtime(crate::model::Runtime::Node);
        negated.services[0]
            .container
            .dockerignore
            .push("!.env".into());
        vec![empty, negated]
    }
}

fn apply(design: &mut Design, index: usize) {
    let patterns = &mut design.services[index].container.dockerignore;
    for (path, pattern) in REQUIRED {
        if !is_excluded(patterns, path) {
            patterns.push((*pattern).to_owned());
        }
    }
}

/// Docker's semantics: the last matching pattern decides, `!` re-includes.
pub(crate) fn is_excluded(patterns: &[String], path: &str) -> bool {
    let mut excluded = false;
    for raw in patterns {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let (negated, pattern) = match raw.strip_prefix('!') {
            Some(rest) => (true, rest.trim()),
            None => (false, raw),
        };
        let pattern = pattern.trim_start_matches('/').trim_end_matches('/');
        if crate::text::glob_match(pattern, path) {
            excluded = !negated;
        }
    }
    excluded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excluded(patterns: &[&str], path: &str) -> bool {
        let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
        is_excluded(&patterns, path)
    }

    #[test]
    fn passes_with_the_default_dockerignore() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Node);
        assert!(DockerignoreRequired
            .check(&Context::new(&design))
            .is_empty());
    }

    #[test]
    fn fails_when_entries_are_missing_or_re_included() {
        for design in DockerignoreRequired::failing_examples() {
            assert_eq!(DockerignoreRequired.check(&Context::new(&design)).len(), 1);
        }
    }

    #[test]
    fn matching_follows_docker_semantics() {
        assert!(excluded(&[".env*"], ".env.production"));
        assert!(excluded(&["**/.git"], ".git"));
        assert!(excluded(&["/node_modules/"], "node_modules"));
        assert!(!excluded(&[".env", "!.env"], ".env"));
        assert!(!excluded(&["*.md"], ".env"));
    }
}
