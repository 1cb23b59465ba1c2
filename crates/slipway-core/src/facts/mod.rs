//! Facts about a design that rules and generators share: what its jobs run, where it deploys,
//! what its workload looks like. They read the model only, so both sides can depend on them
//! without depending on each other.

pub(crate) mod branches;
pub(crate) mod commands;
pub(crate) mod deploys;
pub(crate) mod exposure;
pub(crate) mod image;
pub(crate) mod jobs;
pub(crate) mod naming;
pub(crate) mod needs;
pub(crate) mod ports;
pub(crate) mod quantity;
pub(crate) mod secrets;
pub(crate) mod workload;
