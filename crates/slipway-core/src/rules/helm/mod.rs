//! Helm rules (docs/rules.md#helm): one values file per environment, and deploys that keep the
//! release history `helm rollback` needs.

rules! {
    helm_002::ValuesFilePerEnvironment,
    helm_004::ReleaseHistoryForRollback,
}

mod deploys;
