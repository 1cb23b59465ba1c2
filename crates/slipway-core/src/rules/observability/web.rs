//! Which services the observability settings of the design speak for.

use crate::model::Design;

/// Whether any service of the design serves HTTP (web services and static sites): the
/// metrics, alerts and dashboards about requests apply to them.
pub(super) fn any_web(design: &Design) -> bool {
    design.services.iter().any(|service| service.kind.is_web())
}
