//! Which service a deploy job rolls out.

use crate::facts::jobs::job_service;
use crate::model::{Design, Job};

/// The service a deploy job rolls out on Kubernetes, by index: the one it works on (by its
/// working directory) when that one runs on Kubernetes, else the first service that does.
pub(in crate::rules) fn rolled_out_service(design: &Design, job: &Job) -> Option<usize> {
    job_service(design, job)
        .filter(|(_, service)| service.kubernetes.enabled)
        .map(|(index, _)| index)
        .or_else(|| {
            design
                .services
                .iter()
                .position(|service| service.kubernetes.enabled)
        })
}
