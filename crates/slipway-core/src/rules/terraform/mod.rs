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

use crate::model::{Design, Infrastructure};

/// The infrastructure settings, when the design generates Terraform.
pub(crate) fn terraform(design: &Design) -> Option<&Infrastructure> {
    design
        .infrastructure
        .enabled
        .then_some(&design.infrastructure)
}

/// The lowest Terraform version a `required_version` constraint admits (`>= 1.5` → 1.5;
/// `~> 1.10.0` → 1.10; no lower bound → 0.0).
pub(crate) fn lowest_version(constraint: &str) -> (u32, u32) {
    constraint
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let version = part
                .strip_prefix(">=")
                .or_else(|| part.strip_prefix("~>"))
                .or_else(|| part.strip_prefix('='))
                .or_else(|| part.strip_prefix('>'))
                .or_else(|| {
                    part.starts_with(|c: char| c.is_ascii_digit())
                        .then_some(part)
                })?;
            let mut numbers = version.trim().trim_start_matches('v').split('.');
            let major = numbers.next()?.trim().parse().ok()?;
            let minor = numbers.next().map_or(Some(0), |n| n.trim().parse().ok())?;
            Some((major, minor))
        })
        .max()
        .unwrap_or((0, 0))
}

/// The default design with its infrastructure changed.
#[cfg(test)]
fn with_infrastructure(edit: impl FnOnce(&mut Infrastructure)) -> Design {
    let mut design = Design::default();
    edit(&mut design.infrastructure);
    design
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_have_a_lowest_version() {
        assert_eq!(lowest_version(">= 1.5"), (1, 5));
        assert_eq!(lowest_version(">= 1.10, < 2.0"), (1, 10));
        assert_eq!(lowest_version("~> 1.9.0"), (1, 9));
        assert_eq!(lowest_version("1.10.3"), (1, 10));
        assert_eq!(lowest_version("< 2.0"), (0, 0));
    }
}
