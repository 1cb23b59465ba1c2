//! Pipeline rules (docs/rules.md#pipeline): what CI runs, in which order, and how deploys are
//! gated.

rules! {
    pipeline_001::PrTrigger,
    pipeline_002::LintAndTypecheckGate,
    pipeline_003::TestsWithCoverageReport,
    pipeline_004::CoverageThreshold80,
    pipeline_005::DependencyAndSourceScan,
    pipeline_006::ImageScanGate,
    pipeline_007::ScheduledSecurityScan,
    pipeline_008::StageOrder,
    pipeline_009::DeployBranchMapping,
    pipeline_010::ProductionApproval,
    pipeline_011::StagingEnvironmentGate,
    pipeline_012::BuildOnceDeploySameArtifact,
    pipeline_013::ImmutableImageTags,
    pipeline_014::FailFast,
    pipeline_015::CiConcurrency,
    pipeline_016::TestServiceContainers,
    pipeline_017::MatrixTesting,
    pipeline_018::MonorepoPathFilters,
    pipeline_019::PostDeployVerification,
    pipeline_020::DeployNotifications,
    pipeline_021::IntegrationAndE2eTests,
    pipeline_022::NothingDeploys,
    pipeline_023::AttestedImages,
}

mod tools;
mod triggers;

#[cfg(test)]
use crate::model::Design;

/// The default design with one job changed.
#[cfg(test)]
fn with_job(id: &str, edit: impl FnOnce(&mut crate::model::Job)) -> Design {
    let mut design = Design::default();
    let job = design
        .pipeline
        .jobs
        .iter_mut()
        .find(|job| job.id == id)
        .expect("standard job");
    edit(job);
    design
}
