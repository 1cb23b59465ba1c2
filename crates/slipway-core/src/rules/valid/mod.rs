//! Platform validity rules (docs/rules.md#platform-validity): checks the documents do not state but
//! the platforms enforce, so that a design never exports something the API server, GitHub,
//! Terraform or AWS rejects. Then the cross-artifact consistency checks (`CONSIST-…`: one value
//! that several generated files must agree on) and the profile-dependent checks (`PROFILE-…`, see
//! `docs/profiles.md`).
//!
//! Not implemented (listed in `docs/unchecked-rules.md`): VALID-001, VALID-008, VALID-014,
//! VALID-018, VALID-019 and VALID-020, which the generators guarantee by construction and no
//! design field can break.

rules! {
    valid_002::NumericUidForRunAsNonRoot,
    valid_003::RollingParamsNotBothZero,
    valid_004::HpaNeedsRequests,
    valid_005::PdbBelowMinReplicas,
    valid_006::RequestsNotAboveLimits,
    valid_007::PortConsistency,
    valid_009::MatrixUnderJob,
    valid_010::HealthcheckTargetPresent,
    valid_011::DockerignoreVsBuilderTests,
    valid_012::ReadonlyFsWritableMounts,
    valid_013::RdsUsernameNotReserved,
    valid_015::BackendConfigNotVariables,
    valid_016::NpmOmitDev,
    valid_017::CurrentActionVersions,
    consist_001::HealthPathConsistency,
    consist_002::ImageUserMatchesRunAsUser,
    consist_003::DeployedImageIsBuiltImage,
    consist_004::EnvironmentNamesAgree,
    consist_005::OidcTrustMatchesDeploys,
    profile_001::StrictHighUid,
}

mod commands;
mod user;

#[cfg(test)]
use crate::model::{Design, Instruction};

/// Replaces the final stage's USER of an explicit design.
#[cfg(test)]
fn set_final_user(design: &mut Design, user: &str) {
    if let Some(stage) = design.services[0].container.stages.last_mut() {
        for instruction in &mut stage.instructions {
            if let Instruction::User { user: current } = instruction {
                *current = user.to_owned();
            }
        }
    }
}
