//! Helm rules (docs/rules.md#helm): one values file per environment, deploys that keep the
//! release history `helm rollback` needs, and GitOps environments that Argo CD alone writes.

rules! {
    helm_002::ValuesFilePerEnvironment,
    helm_004::ReleaseHistoryForRollback,
    helm_005::GitopsAutomatedSync,
    helm_006::GitopsSingleWriter,
}

mod deploys;
