//! Where a job's lockfiles live and which files are lockfiles.

use crate::facts::jobs::{folder, job_service};
use crate::model::{Design, Job, PackageManager};

/// The folder a job's files live in, for lockfile paths: its working directory, else its
/// service's.
pub(super) fn job_folder(design: &Design, job: &Job) -> String {
    folder(&job.working_directory)
        .or_else(|| job_service(design, job).and_then(|(_, service)| folder(&service.directory)))
        .unwrap_or_default()
}

/// File-name patterns of a package manager's lockfiles. Bun's lockfiles count as npm's and
/// uv's and Pipenv's as pip's: Slipway reads those tools as npm and pip
/// (docs/import.md#left-out), so a cache keyed on their lockfile is keyed right.
fn lockfile_names(manager: PackageManager) -> &'static [&'static str] {
    match manager {
        PackageManager::Npm => &[
            "package-lock.json",
            "npm-shrinkwrap.json",
            "bun.lock",
            "bun.lockb",
        ],
        PackageManager::Pnpm => &["pnpm-lock.yaml"],
        PackageManager::Yarn => &["yarn.lock"],
        PackageManager::Poetry => &["poetry.lock"],
        PackageManager::Pip => &[
            "requirements*.txt",
            "constraints*.txt",
            "uv.lock",
            "Pipfile.lock",
        ],
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
pub(super) fn is_lockfile_of(manager: PackageManager, file: &str) -> bool {
    let name = file.trim().rsplit('/').next().unwrap_or("");
    lockfile_names(manager).iter().any(|pattern| {
        crate::text::glob_match(pattern, name)
            || (name.contains('*') && crate::text::glob_match(name, pattern))
    })
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
        assert!(is_lockfile_of(PackageManager::Npm, "bun.lock"));
        assert!(is_lockfile_of(PackageManager::Pip, "uv.lock"));
    }
}
