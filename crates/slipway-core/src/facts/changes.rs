//! Which service a change touches: the files each service owns, the `changes` job that reads
//! them from the pushed commits, and the always-running gate that branch protection requires.
//! `ci.yml`, `deploy.yml`, the trigger simulator and the rules share these facts, so the
//! workflow and the simulator can never disagree on what runs.

use super::naming::{chart_name, service_folder, ServicePaths};
use crate::model::{Design, Service};

/// Id of the CI job that tells which services a change touches.
pub const CHANGES_JOB: &str = "changes";
/// Id of the CI job that always runs last and fails when a check failed: the one status
/// check that branch protection needs (a skipped job counts as passed on GitHub).
pub const GATE_JOB: &str = "ci-passed";
/// Display name of the gate job, which GitHub also accepts as its check name.
pub const GATE_NAME: &str = "CI passed";

/// The files of one service: a change to any of them runs the service's jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFiles {
    /// Index of the service in `design.services`.
    pub service: usize,
    /// Output name of the `changes` job for this service (unique, `[a-z0-9-]`).
    pub key: String,
    /// Glob patterns relative to the repository root (`apps/api/**`, `pnpm-lock.yaml`).
    pub patterns: Vec<String>,
}

/// Whether a required status check names the gate job.
pub fn names_gate(check: &str) -> bool {
    matches!(check.trim(), GATE_JOB | GATE_NAME)
}

/// Whether these required checks include the gate of a design whose CI has one: it needs every
/// CI job, so requiring it requires them all.
pub fn gate_required(design: &Design, checks: &[String]) -> bool {
    checks.iter().any(|check| names_gate(check)) && has_gate(design)
}

/// Whether CI has the `changes` and `ci-passed` jobs: [`per_service_runs`] is `Some`.
pub fn has_gate(design: &Design) -> bool {
    design.pipeline.skip_unchanged_services
        && design.services.len() >= 2
        && design
            .services
            .iter()
            .any(|service| service_folder(service).is_some())
        && design.pipeline.jobs.iter().any(super::jobs::is_ci_job)
}

impl ServiceFiles {
    /// Whether a changed path belongs to the service.
    pub fn touched_by(&self, path: &str) -> bool {
        let path = path.trim().trim_start_matches("./");
        self.patterns
            .iter()
            .any(|pattern| crate::text::glob_match(pattern, path))
    }
}

/// Files every service depends on: the workflows themselves. A change to them runs
/// everything, so a broken workflow is never merged on the strength of skipped jobs.
pub const SHARED_PATTERNS: [&str; 1] = [".github/workflows/**"];

/// The services that run only when their files change, or `None` when every job runs for
/// every change: the design turns it off, has a single service, or no service lives in a
/// folder of its own.
pub fn per_service_runs(design: &Design) -> Option<Vec<ServiceFiles>> {
    if !has_gate(design) {
        return None;
    }
    let mut keys: Vec<String> = Vec::with_capacity(design.services.len());
    let mut files = Vec::new();
    let paths = ServicePaths::of(design);
    for (index, service) in design.services.iter().enumerate() {
        let key = crate::text::first_free(&chart_name(service), |key| {
            keys.iter().any(|taken| taken == key)
        });
        keys.push(key.clone());
        let Some(folder) = service_folder(service) else {
            continue;
        };
        files.push(ServiceFiles {
            service: index,
            key,
            patterns: service_patterns(design, &paths, index, service, &folder),
        });
    }
    (!files.is_empty()).then_some(files)
}

/// The service's folder, and what lives outside it but still changes what ships: its
/// lockfile (a workspace's lockfile sits at the root), Dockerfile, chart and Railway config.
fn service_patterns(
    design: &Design,
    paths: &ServicePaths,
    index: usize,
    service: &Service,
    folder: &str,
) -> Vec<String> {
    let inside = |path: &str| path.starts_with(folder) && path[folder.len()..].starts_with('/');
    let mut patterns = vec![format!("{folder}/**")];
    let mut add = |path: String| {
        if !path.is_empty() && !inside(&path) && !patterns.contains(&path) {
            patterns.push(path);
        }
    };
    if let Some(lockfile) = resolve(folder, &service.lockfile) {
        add(lockfile);
    }
    add(paths.dockerfiles[index].clone());
    if design.uses_kubernetes() && service.kubernetes.enabled {
        add(format!("charts/{}/**", chart_name(service)));
    }
    if design.uses_railway() && service.railway.enabled {
        add(paths.railway_configs[index].clone());
    }
    patterns
}

/// `relative` (which may climb with `..`) from `folder`, as a path from the repository root;
/// `None` when it is empty or climbs out of the repository.
fn resolve(folder: &str, relative: &str) -> Option<String> {
    let relative = relative.trim();
    if relative.is_empty() {
        return None;
    }
    let mut segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split(['/', '\\']) {
        match segment.trim() {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            segment => segments.push(segment),
        }
    }
    let path = segments.join("/");
    let safe = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    (safe && !path.is_empty()).then_some(path)
}

/// Whether a change to `paths` runs the jobs of the service at `service`: always when no
/// per-service runs apply, when the service lives at the root, or when nothing says which
/// files changed (a manual or scheduled run).
pub fn service_runs(files: Option<&[ServiceFiles]>, service: usize, paths: &[String]) -> bool {
    let Some(files) = files else { return true };
    let Some(own) = files.iter().find(|files| files.service == service) else {
        return true;
    };
    paths.is_empty()
        || paths.iter().any(|path| {
            let path = path.trim().trim_start_matches("./");
            own.touched_by(path)
                || SHARED_PATTERNS
                    .iter()
                    .any(|pattern| crate::text::glob_match(pattern, path))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::preset;

    #[test]
    fn one_service_or_a_root_only_design_runs_everything() {
        assert_eq!(per_service_runs(&Design::default()), None);
        let mut two = Design::default();
        two.services.push(two.services[0].clone());
        two.services[1].name = "other".into();
        assert_eq!(per_service_runs(&two), None);
        let mut off = preset("web-api-worker");
        off.pipeline.skip_unchanged_services = false;
        assert_eq!(per_service_runs(&off), None);
    }

    #[test]
    fn each_service_owns_its_folder_chart_and_workspace_lockfile() {
        let mut design = preset("web-api-worker");
        design.services[1].lockfile = "../../pnpm-lock.yaml".into();
        let files = per_service_runs(&design).expect("per-service runs");
        let api = files.iter().find(|files| files.key == "api").expect("api");
        assert!(api.patterns.contains(&"apps/api/**".to_owned()));
        assert!(api.patterns.contains(&"pnpm-lock.yaml".to_owned()));
        assert!(api.touched_by("apps/api/src/main.ts"));
        assert!(!api.touched_by("apps/web/src/main.ts"));
        assert!(!api.touched_by("apps/api-gateway/x"));
    }

    #[test]
    fn workflow_changes_and_unknown_changes_run_every_service() {
        let design = preset("web-api-worker");
        let files = per_service_runs(&design);
        let web = design
            .services
            .iter()
            .position(|s| s.name == "web")
            .unwrap();
        let api = design
            .services
            .iter()
            .position(|s| s.name == "api")
            .unwrap();
        let changed = vec!["apps/api/index.ts".to_owned()];
        assert!(service_runs(files.as_deref(), api, &changed));
        assert!(!service_runs(files.as_deref(), web, &changed));
        let workflow = vec![".github/workflows/ci.yml".to_owned()];
        assert!(service_runs(files.as_deref(), web, &workflow));
        assert!(service_runs(files.as_deref(), web, &[]));
    }

    #[test]
    fn a_lockfile_that_climbs_out_of_the_repository_is_ignored() {
        assert_eq!(resolve("api", "../../x.lock"), None);
        assert_eq!(
            resolve("apps/api", "../../pnpm-lock.yaml").as_deref(),
            Some("pnpm-lock.yaml")
        );
        assert_eq!(
            resolve("api", "poetry.lock").as_deref(),
            Some("api/poetry.lock")
        );
        assert_eq!(resolve("api", "a b;rm"), None);
    }
}
