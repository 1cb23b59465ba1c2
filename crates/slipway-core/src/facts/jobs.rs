//! What each CI job does: its language and package manager, the commands it really runs (a job
//! with no commands runs its kind's defaults, taken from the project's commands or, for a job in
//! another language, that language's defaults), and the test suites it covers.

use crate::facts::commands::{any_segment, runs_test_suite};
use crate::facts::shell::simple_commands;
use crate::model::{Commands, Design, Job, JobKind, PackageManager, Runtime, Service};

/// The service a job works on, with its index: the one whose folder holds the job's working
/// directory (the deepest such folder), else the first service.
pub(crate) fn job_service<'a>(design: &'a Design, job: &Job) -> Option<(usize, &'a Service)> {
    owning_service(design, job).or_else(|| design.services.first().map(|service| (0, service)))
}

/// The service whose folder holds the job's working directory (the deepest such folder);
/// `None` for a job of the repository as a whole (a build or deploy at the root of a
/// monorepo whose services live in folders).
pub fn owning_service<'a>(design: &'a Design, job: &Job) -> Option<(usize, &'a Service)> {
    let job_folder = folder_text(&job.working_directory);
    let indexed = FOLDERS.with(|folders| {
        let folders = folders.borrow();
        let (of, index) = folders.last()?;
        (*of == std::ptr::from_ref(design)).then(|| index.owner(job_folder))
    });
    // Outside a check or an export (one question from the canvas or the simulator), a scan
    // of the services costs less than building the table.
    let index = match indexed {
        Some(index) => index,
        None => deepest_folder_holding(design, job_folder),
    };
    index.map(|index| (index, &design.services[index]))
}

/// The first service with the deepest folder that holds `job_folder`, by scanning.
fn deepest_folder_holding(design: &Design, job_folder: &str) -> Option<usize> {
    design
        .services
        .iter()
        .enumerate()
        .filter_map(|(index, service)| {
            let dir = folder_text(&service.directory);
            let inside = dir.is_empty()
                || job_folder == dir
                || (job_folder.starts_with(dir) && job_folder[dir.len()..].starts_with('/'));
            inside.then_some((dir.len(), index))
        })
        .max_by_key(|(depth, index)| (*depth, std::cmp::Reverse(*index)))
        .map(|(_, index)| index)
}

/// Each service folder with the first service that has it: the owner of a job is found by
/// looking up its folder and the folders above it, so it costs the folder's depth, not the
/// number of services.
struct ServiceFolders(std::collections::HashMap<String, usize>);

impl ServiceFolders {
    fn new(design: &Design) -> Self {
        let mut folders = std::collections::HashMap::with_capacity(design.services.len());
        for (index, service) in design.services.iter().enumerate() {
            folders
                .entry(folder_text(&service.directory).to_owned())
                .or_insert(index);
        }
        ServiceFolders(folders)
    }

    fn owner(&self, job_folder: &str) -> Option<usize> {
        let mut folder = job_folder;
        loop {
            if let Some(index) = self.0.get(folder) {
                return Some(*index);
            }
            if folder.is_empty() {
                return None;
            }
            folder = folder.rfind('/').map_or("", |slash| &folder[..slash]);
        }
    }
}

thread_local! {
    /// The folder tables of the designs being checked or generated ([`with_service_folders`]).
    static FOLDERS: std::cell::RefCell<Vec<(*const Design, ServiceFolders)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `work` with `design`'s folder table built once, so every [`owning_service`] of that
/// design inside it is a lookup: a check or an export asks it for every job many times, and
/// scanning the services each time made a design of many services cost services × jobs. The
/// design is borrowed for the whole call, so the table cannot go stale.
pub fn with_service_folders<T>(design: &Design, work: impl FnOnce() -> T) -> T {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            FOLDERS.with(|folders| folders.borrow_mut().pop());
        }
    }
    FOLDERS.with(|folders| {
        folders
            .borrow_mut()
            .push((std::ptr::from_ref(design), ServiceFolders::new(design)))
    });
    let _pop = Pop;
    work()
}

/// [`folder`] without the allocation: `""` for the repository root.
fn folder_text(dir: &str) -> &str {
    // Most folders are already in this form; asked for every service of every job, so the
    // check comes before any trimming.
    if let (Some(first), Some(last)) = (dir.bytes().next(), dir.bytes().last()) {
        let plain = |byte: u8| byte.is_ascii_graphic() && byte != b'/';
        if plain(first) && first != b'.' && plain(last) {
            return dir;
        }
    }
    let dir = dir.trim();
    let dir = dir.strip_prefix("./").unwrap_or(dir).trim_matches('/');
    if dir == "." {
        ""
    } else {
        dir
    }
}

/// Whether a job belongs in CI (checks and the image build) rather than in the deploy workflow.
pub fn is_ci_job(job: &Job) -> bool {
    matches!(
        job.kind,
        JobKind::Lint | JobKind::Test | JobKind::Security | JobKind::Build
    )
}

/// The language a job sets up.
pub(crate) fn job_runtime(design: &Design, job: &Job) -> Runtime {
    job.runtime
        .or_else(|| job_service(design, job).map(|(_, service)| service.runtime))
        .unwrap_or_default()
}

/// The package manager a job uses: its service's for the service's language, else the
/// language's default one.
pub(crate) fn job_manager(design: &Design, job: &Job) -> PackageManager {
    let runtime = job_runtime(design, job);
    match job_service(design, job) {
        Some((_, service)) if service.runtime == runtime => service.package_manager,
        _ => runtime.default_package_manager(),
    }
}

/// Whether a job works in its service's language (so the service's commands apply).
pub(crate) fn uses_project_commands(design: &Design, job: &Job) -> bool {
    job_service(design, job).is_some_and(|(_, service)| job_runtime(design, job) == service.runtime)
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
    let own =
        job_service(design, job).filter(|(_, service)| job_runtime(design, job) == service.runtime);
    let commands = match own {
        Some((_, service)) => service.commands.clone(),
        None => foreign_commands(job_runtime(design, job)),
    };
    let field = |name: &str| {
        if let Some((service, _)) = own {
            format!("services[{service}].commands.{name}")
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

/// Index of the job with `id`.
pub(crate) fn job_index(design: &Design, id: &str) -> Option<usize> {
    design.pipeline.jobs.iter().position(|job| job.id == id)
}

/// Indices of the jobs of `kind`.
pub(crate) fn jobs_of(design: &Design, kind: JobKind) -> Vec<usize> {
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
pub(crate) fn fresh_job_id(design: &Design, base: &str) -> String {
    crate::text::first_free(base, |id| {
        design.pipeline.jobs.iter().any(|job| job.id == id)
    })
}

/// A repository folder as written in a design (`./backend/`), cleaned (`backend`); `None`
/// for the repository root.
pub(crate) fn folder(dir: &str) -> Option<String> {
    let dir = dir.trim();
    let dir = dir.strip_prefix("./").unwrap_or(dir).trim_matches('/');
    (!dir.is_empty() && dir != ".").then(|| dir.to_owned())
}

/// Whether a job runs on pull requests (everything but the post-merge kinds).
pub(crate) fn runs_on_pull_requests(job: &Job) -> bool {
    !matches!(
        job.kind,
        JobKind::Deploy | JobKind::Migrate | JobKind::Smoke | JobKind::Notify
    )
}

/// Whether a required status check names this job (by id, or by its display name).
/// The jobs by the names a status check can give them (id and display name), to look many
/// checks up without scanning every job for each.
pub(crate) struct JobsByCheckName<'a>(std::collections::HashMap<&'a str, Vec<usize>>);

impl<'a> JobsByCheckName<'a> {
    pub(crate) fn new(design: &'a Design) -> Self {
        let mut names: std::collections::HashMap<&'a str, Vec<usize>> =
            std::collections::HashMap::new();
        for (index, job) in design.pipeline.jobs.iter().enumerate() {
            names.entry(job.id.as_str()).or_default().push(index);
            let name = job.name.trim();
            if !name.is_empty() && name != job.id {
                names.entry(name).or_default().push(index);
            }
        }
        JobsByCheckName(names)
    }

    /// The jobs a required check names ([`check_names_job`]).
    pub(crate) fn named(&self, check: &str) -> &[usize] {
        self.0.get(check.trim()).map_or(&[], Vec::as_slice)
    }
}

pub(crate) fn check_names_job(check: &str, job: &Job) -> bool {
    let check = check.trim();
    check == job.id || (!job.name.trim().is_empty() && check == job.name.trim())
}

/// Indices of the test jobs that really run a test suite.
pub(crate) fn testing_jobs(design: &Design) -> Vec<usize> {
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
            simple_commands(&command.text)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_table_and_the_scan_find_the_same_owner() {
        let mut design = Design {
            services: ["", "apps", "apps/api", "apps/api", "./apps/web/"]
                .into_iter()
                .map(|directory| Service {
                    directory: directory.to_owned(),
                    ..Service::default()
                })
                .collect(),
            ..Design::default()
        };
        let table = ServiceFolders::new(&design);
        for job_folder in ["", "apps", "apps/api/src", "apps/apix", "apps/web", "other"] {
            let folder = folder_text(job_folder);
            assert_eq!(
                table.owner(folder),
                deepest_folder_holding(&design, folder),
                "{job_folder}"
            );
        }
        design.services.remove(0);
        let table = ServiceFolders::new(&design);
        assert_eq!(table.owner("other"), None);
        assert_eq!(deepest_folder_holding(&design, "other"), None);
        assert_eq!(table.owner("apps/api/src"), Some(1));
    }
}
