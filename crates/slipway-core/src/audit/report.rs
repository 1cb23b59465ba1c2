//! What an audit reports: the kind of file, its findings with their lines, and located errors.

use crate::rules::{Area, Finding};

/// What kind of file is audited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactKind {
    Design,
    Dockerfile,
    /// A `.dockerignore`: the build context it keeps out (DOCKER-003).
    Dockerignore,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubWorkflow,
    RailwayJson,
    HelmValues,
}

impl ArtifactKind {
    pub fn label(self) -> &'static str {
        match self {
            ArtifactKind::Design => "Slipway design",
            ArtifactKind::Dockerfile => "Dockerfile",
            ArtifactKind::Dockerignore => ".dockerignore",
            ArtifactKind::GithubWorkflow => "GitHub Actions workflow",
            ArtifactKind::RailwayJson => "railway.json",
            ArtifactKind::HelmValues => "Helm values",
        }
    }

    /// The rule areas that judge this kind of file.
    pub(super) fn areas(self) -> &'static [Area] {
        match self {
            ArtifactKind::Design => &[],
            ArtifactKind::Dockerfile | ArtifactKind::Dockerignore => &[Area::Docker],
            // Workflows keep a list of rules of several areas (see `workflow`).
            ArtifactKind::GithubWorkflow => &[Area::Pipeline, Area::Cache],
            ArtifactKind::RailwayJson => &[Area::Railway],
            ArtifactKind::HelmValues => &[Area::K8s, Area::Rollout, Area::Validity],
        }
    }
}

/// One finding, with the 1-based line of the file it points at when known.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFinding {
    pub finding: Finding,
    pub line: Option<usize>,
}

/// The result of auditing one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub kind: ArtifactKind,
    pub findings: Vec<AuditFinding>,
}

pub(super) use crate::import::{located_error as error, Located};
