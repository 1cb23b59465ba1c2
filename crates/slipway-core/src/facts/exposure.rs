//! Whether the service faces the internet.

use crate::model::Design;

/// Whether the service is reachable from the internet (an Ingress or a Railway web service).
pub(crate) fn is_public(design: &Design) -> bool {
    design.project.kind.is_web()
        && ((design.kubernetes.enabled && design.kubernetes.ingress.enabled)
            || (design.railway.enabled && design.railway.cron_schedule.trim().is_empty()))
}
