//! Facts about a design that rules, generators and importers share: how its shell lines split
//! into commands, what its jobs run, where it deploys, what its workload looks like, what its
//! files are named. They read the model only, so every layer above can depend on them without
//! depending on each other.

pub mod analysis;
pub(crate) mod audited_workflow;
pub(crate) mod branches;
pub mod changes;
pub mod cloud;
pub(crate) mod commands;
pub(crate) mod deploys;
pub(crate) mod exposure;
pub mod expressions;
pub mod gitops;
pub(crate) mod image;
pub mod jobs;
pub mod limits;
pub mod migrations;
pub mod naming;
pub(crate) mod needs;
pub(crate) mod ports;
pub(crate) mod quantity;
pub(crate) mod secrets;
pub mod shell;
pub mod stages;
pub(crate) mod workload;
