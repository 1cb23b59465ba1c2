//! Kubernetes workload rules (docs/rules.md#kubernetes), checked on the settings every
//! environment's manifests are rendered from. They apply when the design deploys to Kubernetes;
//! probe and ingress rules apply to web services only (workers get no HTTP probes, Service or
//! Ingress).
//!
//! Not implemented: K8S-010 (the Service and its selector are generated for every web service;
//! nothing in the design can break them) and K8S-014 (the design models no database running
//! inside the cluster; the managed database comes from Terraform).

rules! {
    k8s_001::RunAsNonRoot,
    k8s_002::NoPrivilegeEscalation,
    k8s_003::ReadOnlyRootFilesystem,
    k8s_004::DropAllCapabilities,
    k8s_005::StartupProbe,
    k8s_006::LivenessProbe,
    k8s_007::ReadinessProbe,
    k8s_008::ProbesDistinctPurpose,
    k8s_009::ResourcesRequestsAndLimits,
    k8s_011::IngressWithTls,
    k8s_012::AutoscalingAndReplicaFloor,
    k8s_013::PodDisruptionBudget,
    k8s_015::NamespaceResourceQuota,
}

mod probes;

#[cfg(test)]
use crate::model::{Design, Kubernetes};

/// The default design with its Kubernetes settings changed.
#[cfg(test)]
fn with_k8s(edit: impl FnOnce(&mut Kubernetes)) -> Design {
    let mut design = Design::default();
    edit(&mut design.services[0].kubernetes);
    design
}
