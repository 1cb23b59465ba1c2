//! Railway rules (docs/rules.md#railway), checked on the settings `railway.json` is generated from.
//! They apply to each service that deploys to Railway (`railway.enabled`).
//!
//! Not implemented (see `docs/unchecked-rules.md`): RAILWAY-001, RAILWAY-007 and RAILWAY-008,
//! which the generator guarantees by construction.

rules! {
    railway_002::HealthcheckPathForWeb,
    railway_003::HealthcheckTimeout,
    railway_004::RestartPolicy,
    railway_005::NoSecretsInRailwayConfig,
    railway_006::NixpacksUnlessNeeded,
    railway_009::BindPortEnv,
    railway_010::ReferenceVariables,
    railway_011::PrivateNetworking,
    railway_012::InternalServicesPrivate,
    railway_013::MonorepoServiceRoots,
    railway_014::MigrationsBeforeStart,
    railway_015::CiLinkBeforeUp,
    railway_016::CronServiceShape,
}

mod settings;

#[cfg(test)]
use crate::model::{Design, Railway};

/// The default design with its Railway settings changed.
#[cfg(test)]
fn with_railway(edit: impl FnOnce(&mut Railway)) -> Design {
    let mut design = Design::default();
    edit(&mut design.services[0].railway);
    design
}
