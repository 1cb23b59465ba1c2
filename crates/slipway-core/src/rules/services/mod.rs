//! Cross-service rules (docs/rules.md#services): what several services of one design must agree
//! on. Each service's own settings are checked by the other areas, once per service.

rules! {
    service_001::UniqueServiceNames,
    service_002::KnownServiceReferences,
    service_003::DistinctIngressRoutes,
    service_004::DistinctLocalPorts,
    service_005::EveryServiceChecked,
    service_006::RequireTheCiGate,
    service_007::KnownServiceSizes,
}

#[cfg(test)]
use crate::model::{Design, Service, ServiceKind};

/// The default design with a second service, `worker`, in the folder `worker`.
#[cfg(test)]
fn with_worker(edit: impl FnOnce(&mut Service)) -> Design {
    let mut design = Design::default();
    let mut worker = Service {
        name: "worker".to_owned(),
        directory: "worker".to_owned(),
        ..Service::default()
    };
    crate::edits::set_service_kind(&mut worker, ServiceKind::Worker);
    edit(&mut worker);
    design.services.push(worker);
    design
}
