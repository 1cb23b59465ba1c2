use crate::facts::jobs::job_manager;
use crate::model::{Design, PackageManager, Runtime};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct CachePackageManagerDir;

/// The download-cache folder the fix adds for a package manager.
fn cache_dir(manager: PackageManager) -> &'static str {
    match manager {
        PackageManager::Npm => "~/.npm",
        PackageManager::Pnpm => "~/.local/share/pnpm/store",
        PackageManager::Yarn => "~/.cache/yarn",
        PackageManager::Poetry => "~/.cache/pypoetry",
        PackageManager::Pip => "~/.cache/pip",
        PackageManager::GoModules => "~/go/pkg/mod",
        PackageManager::Cargo => "~/.cargo/registry",
        PackageManager::Maven => "~/.m2/repository",
        PackageManager::Gradle => "~/.gradle/caches",
    }
}

/// Whether a path is a download cache or virtualenv of the runtime's package managers.
fn is_manager_cache(runtime: Runtime, path: &str) -> bool {
    let path = path.trim().trim_end_matches('/');
    let suffixes: &[&str] = match runtime {
        Runtime::Node => &[
            ".npm",
            "yarn/cache",
            ".cache/yarn",
            "berry/cache",
            "pnpm-store",
            "pnpm/store",
        ],
        Runtime::Python => &[
            ".cache/pip",
            ".cache/pypoetry",
            ".cache/uv",
            ".venv",
            "venv",
        ],
        Runtime::Go => &["go/pkg/mod", ".cache/go-build"],
        Runtime::Rust => &[".cargo/registry", ".cargo/git"],
        Runtime::Java => &[".m2/repository", ".m2", ".gradle/caches"],
    };
    // A folder inside the cache counts too (`~/.cargo/registry/index`, as the official
    // actions/cache examples list them).
    suffixes.iter().any(|suffix| {
        path == *suffix
            || path.ends_with(&format!("/{suffix}"))
            || path.ends_with(suffix)
            || path.contains(&format!("{suffix}/"))
    })
}

fn misses(design: &Design) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| {
            let runtime = job_manager(design, job).runtime();
            job.cache.enabled
                && !job.cache.paths.is_empty()
                && !job
                    .cache
                    .paths
                    .iter()
                    .any(|path| is_manager_cache(runtime, path))
        })
        .map(|(index, _)| index)
        .collect()
}

impl Rule for CachePackageManagerDir {
    const DOC: RuleDoc = RuleDoc {
        id: "CACHE-005",
        name: "cache-package-manager-dir",
        severity: Severity::High,
        area: Area::Cache,
        title: "The cache holds the package manager's download cache",
        what: "A cache with explicit paths includes the package manager's download cache \
               (`~/.npm`, `~/.cache/pip`, `~/.cache/pypoetry`, the yarn cache or pnpm store, \
               `~/go/pkg/mod`, `~/.cargo/registry`, `~/.m2/repository`) or an in-project \
               virtualenv (`.venv`). A cache of `node_modules` alone is flagged. (No paths means \
               the package manager's own cache folder, which passes.)",
        why: "`npm ci` deletes `node_modules` before installing, so caching it saves nothing; the \
              download cache is what lets the install skip the network. Caching the right folder \
              is the difference between a 10-second and a 2-minute install.",
        incorrect: "path: node_modules",
        correct: "path: |\n  ~/.npm",
        fix: "Adds the package manager's download cache to the cached paths.",
        source: "000 · CI/CD: Pipeline Caching (key rules); contradiction A11 (caching \
                 `node_modules` before `npm ci` is wasted)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        misses(design)
            .into_iter()
            .map(|index| {
                let job = &design.pipeline.jobs[index];
                Violation::new(
                    format!("pipeline.jobs[{index}].cache.paths"),
                    format!(
                        "The cache of `{}` holds `{}` but not the {} download cache (`{}`).",
                        job.id,
                        job.cache.paths.join("`, `"),
                        job_manager(design, job).id(),
                        cache_dir(job_manager(design, job))
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Cache the download folder",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_test_cache(|cache| {
            cache.paths = vec!["node_modules".into()]
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for index in misses(design) {
        let dir = cache_dir(job_manager(design, &design.pipeline.jobs[index]));
        design.pipeline.jobs[index].cache.paths.push(dir.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_default_paths_and_an_in_project_venv() {
        assert!(fields(&CachePackageManagerDir, &Design::default()).is_empty());
        assert!(fields(&CachePackageManagerDir, &preset("fastapi-react")).is_empty());
    }

    #[test]
    fn folders_inside_the_download_cache_count() {
        assert!(is_manager_cache(Runtime::Rust, "~/.cargo/registry/index/"));
        assert!(!is_manager_cache(Runtime::Rust, "target/"));
    }

    #[test]
    fn fails_on_node_modules_alone() {
        assert_eq!(
            fields(
                &CachePackageManagerDir,
                &CachePackageManagerDir::failing_examples()[0]
            ),
            ["pipeline.jobs[1].cache.paths"]
        );
    }
}
