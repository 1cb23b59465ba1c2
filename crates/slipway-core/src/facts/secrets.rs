//! Where the design's runtime secrets come from.

use crate::model::Design;

/// Whether any secret comes from a store the External Secrets Operator reads (so the chart has
/// ExternalSecrets).
pub(crate) fn any_operator_synced(design: &Design) -> bool {
    design
        .secrets
        .iter()
        .any(|secret| secret.source.synced_by_operator())
}
