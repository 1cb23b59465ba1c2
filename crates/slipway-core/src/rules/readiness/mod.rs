//! Production-readiness rules (RULES.md §13), checked on the design's readiness settings
//! (`readiness`) and the data stores' TLS flags.

mod ready_001;
mod ready_002;
mod ready_003;
mod ready_004;
mod ready_005;
mod ready_006;

use super::Rule;
#[cfg(test)]
use crate::model::Design;

pub(super) static RULES: &[&dyn Rule] = &[
    &ready_001::HttpsRedirect,
    &ready_002::SecurityHeaders,
    &ready_003::CorsAllowlist,
    &ready_004::RateLimiting,
    &ready_005::EncryptionInTransitInternal,
    &ready_006::CdnForStaticAssets,
];

/// Designs that violate a rule, for the registry-wide tests.
#[cfg(test)]
pub(super) fn failing_examples(id: &str) -> Vec<Design> {
    match id {
        "READY-001" => ready_001::failing_examples(),
        "READY-002" => ready_002::failing_examples(),
        "READY-003" => ready_003::failing_examples(),
        "READY-004" => ready_004::failing_examples(),
        "READY-005" => ready_005::failing_examples(),
        "READY-006" => ready_006::failing_examples(),
        other => panic!("no failing examples for {other}"),
    }
}

/// The default design with its readiness settings changed.
#[cfg(test)]
fn with_readiness(edit: impl FnOnce(&mut crate::model::Readiness)) -> Design {
    let mut design = Design::default();
    edit(&mut design.readiness);
    design
}
