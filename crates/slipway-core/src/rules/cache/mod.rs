//! Caching rules (docs/rules.md#caching): dependency caches keyed on the lockfile, restored by
//! prefix, holding the package manager's own cache, and installs that reproduce the lockfile.
//!
//! CACHE-003 (`${{ runner.os }}` in the key), CACHE-007 (one cache step per lockfile) and
//! CACHE-008 (artifact retention) have no design input that could break them: the generator
//! writes the key, one cache per job and the retention days itself.

rules! {
    cache_001::CacheBeforeInstall,
    cache_002::LockfileHashKey,
    cache_004::RestoreKeysFallback,
    cache_005::CachePackageManagerDir,
    cache_006::ReproducibleInstall,
}

use super::ci::{any_segment, is_install, job_commands};
use crate::model::{Design, Job, PackageManager};

/// Whether a job installs dependencies (its own commands or its kind's defaults).
fn installs(design: &Design, index: usize, job: &Job) -> bool {
    job_commands(design, index, job)
        .iter()
        .any(|command| any_segment(&command.text, is_install))
}

/// The folder a job's files live in, for lockfile paths: its working directory, else the
/// project's.
fn job_folder(design: &Design, job: &Job) -> String {
    crate::rules::ci::folder(&job.working_directory)
        .or_else(|| crate::rules::ci::folder(&design.project.directory))
        .unwrap_or_default()
}

/// File-name patterns of a package manager's lockfiles.
fn lockfile_names(manager: PackageManager) -> &'static [&'static str] {
    match manager {
        PackageManager::Npm => &["package-lock.json", "npm-shrinkwrap.json"],
        PackageManager::Pnpm => &["pnpm-lock.yaml"],
        PackageManager::Yarn => &["yarn.lock"],
        PackageManager::Poetry => &["poetry.lock"],
        PackageManager::Pip => &["requirements*.txt", "constraints*.txt"],
        PackageManager::GoModules => &["go.sum"],
        PackageManager::Cargo => &["Cargo.lock"],
        PackageManager::Maven => &["pom.xml"],
        PackageManager::Gradle => &[
            "gradle.lockfile",
            "*.gradle",
            "*.gradle.kts",
            "libs.versions.toml",
        ],
    }
}

/// Whether a key file (path or glob) is a lockfile of `manager`.
fn is_lockfile_of(manager: PackageManager, file: &str) -> bool {
    let name = file.trim().rsplit('/').next().unwrap_or("");
    lockfile_names(manager).iter().any(|pattern| {
        crate::text::glob_match(pattern, name)
            || (name.contains('*') && crate::text::glob_match(name, pattern))
    })
}

/// The default design with the test job's cache changed.
#[cfg(test)]
fn with_test_cache(edit: impl FnOnce(&mut crate::model::Cache)) -> Design {
    let mut design = Design::default();
    edit(&mut design.pipeline.jobs[1].cache);
    design
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockfiles_are_recognised_by_name_and_glob() {
        assert!(is_lockfile_of(
            PackageManager::Npm,
            "frontend/package-lock.json"
        ));
        assert!(is_lockfile_of(PackageManager::Npm, "**/package-lock.json"));
        assert!(is_lockfile_of(PackageManager::Pip, "requirements-dev.txt"));
        assert!(!is_lockfile_of(PackageManager::Npm, "package.json"));
        assert!(!is_lockfile_of(PackageManager::Npm, "backend/poetry.lock"));
    }
}
