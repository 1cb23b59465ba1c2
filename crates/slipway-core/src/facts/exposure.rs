//! Whether the service faces the internet.

use crate::model::{Design, Service};

/// Whether the service is reachable from the internet (an Ingress or a Railway web service).
pub(crate) fn is_public(service: &Service) -> bool {
    service.kind.is_web()
        && ((service.kubernetes.enabled && service.kubernetes.ingress.enabled)
            || (service.railway.enabled && service.railway.cron_schedule.trim().is_empty()))
}

/// Whether any of the design's services is reachable from the internet.
pub(crate) fn any_public(design: &Design) -> bool {
    design.services.iter().any(is_public)
}
