//! Production-readiness rules (docs/rules.md#production-readiness), checked on the design's
//! readiness settings (`readiness`) and the data stores' TLS flags.

rules! {
    ready_001::HttpsRedirect,
    ready_002::SecurityHeaders,
    ready_003::CorsAllowlist,
    ready_004::RateLimiting,
    ready_005::EncryptionInTransitInternal,
    ready_006::CdnForStaticAssets,
}

#[cfg(test)]
use crate::model::Design;

/// The default design with its readiness settings changed.
#[cfg(test)]
fn with_readiness(edit: impl FnOnce(&mut crate::model::Readiness)) -> Design {
    let mut design = Design::default();
    edit(&mut design.readiness);
    design
}
