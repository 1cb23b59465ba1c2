//! A whole repository judged as a whole: each file by the rules about its kind (a workflow
//! by its role), then the rules that need several files (does any workflow lint? does the
//! build context keep secrets out? do the image, chart and Railway config name the same
//! health path and user?) on the design the repository imports as, each finding placed at
//! the file and line it is about.

use super::report::{ArtifactKind, Audit, AuditFinding};
use crate::import::repository::{self, Collector, RepositoryImport};
use crate::import::{dockerfile, railway, values};
use crate::io::LoadError;
use crate::rules::{self, Finding};

/// Rules that judge the repository as a whole, on its imported design. A single file cannot
/// decide them (see `NEEDS_CONTEXT` and the workflow audit's `WHOLE_PIPELINE`).
const REPOSITORY_RULES: &[&str] = &[
    "PIPELINE-002",
    "PIPELINE-003",
    "PIPELINE-005",
    "DOCKER-003",
    "DOCKER-013",
    "RAILWAY-012",
    "RAILWAY-013",
    "CONSIST-001",
    "CONSIST-002",
];

/// The findings of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileAudit {
    pub path: String,
    pub kind: ArtifactKind,
    /// The findings, or why the file could not be read.
    pub result: Result<Vec<AuditFinding>, LoadError>,
}

/// A repository's audit: the design it imports as (with its report), each auditable file's
/// findings, and the findings about the repository as a whole that no one file holds.
#[derive(Debug, Clone)]
pub struct RepositoryAudit {
    pub import: RepositoryImport,
    pub files: Vec<FileAudit>,
    pub whole: Vec<AuditFinding>,
}

impl RepositoryAudit {
    /// Every finding with its file (`None` for the repository as a whole).
    pub fn findings(&self) -> impl Iterator<Item = (Option<&str>, &AuditFinding)> {
        self.files
            .iter()
            .filter_map(|file| file.result.as_ref().ok().map(|found| (file, found)))
            .flat_map(|(file, found)| found.iter().map(move |f| (Some(file.path.as_str()), f)))
            .chain(self.whole.iter().map(|finding| (None, finding)))
    }
}

/// Audits the collected files of the repository named `name`. Never panics.
pub fn audit_repository(name: &str, collector: Collector) -> RepositoryAudit {
    audit_import(repository::import(name, collector))
}

/// Audits a repository already imported (what the browser shows first): each file it read,
/// then the cross-file rules on its design. Never panics.
pub fn audit_import(import: RepositoryImport) -> RepositoryAudit {
    let mut files: Vec<FileAudit> = Vec::new();
    for (path, text) in &import.sources {
        let Some(kind) = auditable(path) else {
            continue;
        };
        let result = super::audit(path, text).map(|Audit { findings, .. }| findings);
        files.push(FileAudit {
            path: path.clone(),
            kind,
            result,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut whole = Vec::new();
    for finding in rules::check_only(&import.design, &|doc| REPOSITORY_RULES.contains(&doc.id)) {
        // A build context is a Dockerfile's: a service that Railway builds from its source
        // (Nixpacks, Railpack) has none in the repository to judge.
        if finding.rule == "DOCKER-003" && !has_dockerfile(&import, &finding) {
            continue;
        }
        // The pipeline rules' findings about one job are the workflow audit's; only the
        // finding that the whole pipeline lacks a kind of job is the repository's.
        if finding.rule.starts_with("PIPELINE-") && finding.field != "pipeline.jobs" {
            continue;
        }
        match place(&import, &finding) {
            Some((path, line)) => {
                let entry = AuditFinding { finding, line };
                match files.iter_mut().find(|file| file.path == path) {
                    Some(FileAudit {
                        result: Ok(found), ..
                    }) => {
                        if !found.iter().any(|known| same(known, &entry)) {
                            found.push(entry);
                        }
                    }
                    _ => whole.push(entry),
                }
            }
            None => whole.push(AuditFinding {
                finding,
                line: None,
            }),
        }
    }
    RepositoryAudit {
        import,
        files,
        whole,
    }
}

fn has_dockerfile(import: &RepositoryImport, finding: &Finding) -> bool {
    rules::split_service_field(&finding.field)
        .and_then(|(index, _)| import.service_files.get(index))
        .is_some_and(|files| files.dockerfile.is_some())
}

fn same(a: &AuditFinding, b: &AuditFinding) -> bool {
    a.finding.rule == b.finding.rule && a.line == b.line && a.finding.message == b.finding.message
}

/// The kind of a file the audit judges on its own, from its path.
fn auditable(path: &str) -> Option<ArtifactKind> {
    use repository::FileKind;
    match repository::kind_of(path)? {
        FileKind::Workflow => Some(ArtifactKind::GithubWorkflow),
        FileKind::Dockerfile => Some(ArtifactKind::Dockerfile),
        FileKind::Dockerignore => Some(ArtifactKind::Dockerignore),
        FileKind::RailwayJson => Some(ArtifactKind::RailwayJson),
        FileKind::HelmValues => Some(ArtifactKind::HelmValues),
        _ => None,
    }
}

/// The file and line a repository finding is about: the service's Dockerfile, chart values
/// or Railway config for its field, the first CI workflow for the pipeline.
fn place(import: &RepositoryImport, finding: &Finding) -> Option<(String, Option<usize>)> {
    let text_of = |path: &str| {
        import
            .sources
            .iter()
            .find(|(source, _)| source == path)
            .map(|(_, text)| text)
    };
    if finding.field.starts_with("pipeline") {
        let workflow = import
            .report
            .files
            .iter()
            .find(|file| file.role == "CI workflow")?;
        return Some((workflow.path.clone(), None));
    }
    let (index, inside) = rules::split_service_field(&finding.field)?;
    let owned = import.service_files.get(index)?;
    if inside.starts_with("container.dockerignore") {
        let dockerfile = owned.dockerfile.as_ref()?;
        let folder = dockerfile.rsplit_once('/').map_or("", |(folder, _)| folder);
        let ignore = if folder.is_empty() {
            ".dockerignore".to_owned()
        } else {
            format!("{folder}/.dockerignore")
        };
        return Some(match text_of(&ignore) {
            Some(_) => (ignore, None),
            None => (dockerfile.clone(), None),
        });
    }
    if inside.starts_with("container") {
        let path = owned.dockerfile.clone()?;
        let line = text_of(&path)
            .and_then(|text| dockerfile::design_of(text).ok())
            .and_then(|((_, locate), _)| locate(inside));
        return Some((path, line));
    }
    if inside.starts_with("kubernetes") {
        let chart = owned.chart.as_ref()?;
        let path = format!("{chart}/values.yaml");
        let line = text_of(&path)
            .and_then(|text| values::read(text).ok())
            .and_then(|((_, locate), _)| locate(inside));
        return Some((path, line));
    }
    if inside.starts_with("railway") {
        let path = owned.railway.clone()?;
        let line = text_of(&path)
            .filter(|_| path.ends_with(".json"))
            .and_then(|text| railway::read(text).ok())
            .and_then(|(_, locate)| locate(inside));
        return Some((path, line));
    }
    owned
        .dockerfile
        .clone()
        .or_else(|| owned.railway.clone())
        .map(|path| (path, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::repository::Limits;

    fn collect(files: &[(&str, &str)]) -> Collector {
        Collector::of_files(
            Limits::default(),
            files.iter().map(|(path, text)| (*path, text.as_bytes())),
        )
    }

    const CI: &str = "on:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n";
    const LINT: &str = "on:\n  pull_request:\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run lint\n";

    /// Whether the repository as a whole is told it lacks a kind of job (`rule`).
    fn lacks(audit: &RepositoryAudit, rule: &str) -> bool {
        audit
            .findings()
            .any(|(_, found)| found.finding.rule == rule && found.finding.field == "pipeline.jobs")
    }

    #[test]
    fn a_lint_job_in_another_workflow_counts() {
        let alone = audit_repository("app", collect(&[(".github/workflows/ci.yml", CI)]));
        assert!(lacks(&alone, "PIPELINE-002"));
        let together = audit_repository(
            "app",
            collect(&[
                (".github/workflows/ci.yml", CI),
                (".github/workflows/lint.yml", LINT),
            ]),
        );
        assert!(!lacks(&together, "PIPELINE-002"));
        assert!(
            lacks(&together, "PIPELINE-005"),
            "no workflow scans dependencies"
        );
    }

    #[test]
    fn a_missing_dockerignore_is_placed_at_the_dockerfile() {
        let audit = audit_repository(
            "app",
            collect(&[("api/Dockerfile", "FROM node:20\nEXPOSE 3000\n")]),
        );
        let (path, _) = audit
            .findings()
            .find(|(_, found)| found.finding.rule == "DOCKER-003")
            .unwrap();
        assert_eq!(path, Some("api/Dockerfile"));
    }

    #[test]
    fn unreadable_files_keep_their_located_error() {
        let audit = audit_repository("app", collect(&[(".github/workflows/ci.yml", "jobs: [\n")]));
        assert!(audit.files[0]
            .result
            .as_ref()
            .is_err_and(|error| error.line.is_some()));
    }
}
