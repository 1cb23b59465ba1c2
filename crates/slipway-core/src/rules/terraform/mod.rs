//! Terraform rules (docs/rules.md#terraform), checked on the infrastructure settings the Terraform
//! files are generated from. They apply when the design has infrastructure as code
//! (`infrastructure.enabled`), except TF-013, which asks for it.
//!
//! Not implemented (see `docs/unchecked-rules.md`): TF-005, TF-007 and TF-008, which the
//! generator guarantees by construction.

rules! {
    tf_001::RemoteStateBackend,
    tf_002::StateLocking,
    tf_003::TerraformVersionPin,
    tf_004::StatePerEnvironment,
    tf_006::NetworkPlacement,
    tf_009::DbAutomatedBackups,
    tf_010::DbFinalSnapshot,
    tf_011::EncryptionAtRest,
    tf_012::MultiAz,
    tf_013::InfrastructureAsCodeCoverage,
}

mod infrastructure;

#[cfg(test)]
use crate::model::{Design, Infrastructure};

/// The default design with its infrastructure changed.
#[cfg(test)]
fn with_infrastructure(edit: impl FnOnce(&mut Infrastructure)) -> Design {
    let mut design = Design::default();
    edit(&mut design.infrastructure);
    design
}
