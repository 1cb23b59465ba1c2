//! Domain edits shared by the web app and the CLI. Each is one change a user makes, applied to
//! the whole design so that fields which depend on each other stay consistent; the web app runs
//! each inside one store edit, which makes it one undo step.

mod container;
mod environments;
mod lists;
mod migrations;
mod pipeline;
mod project;
mod repository;
mod rollout;
mod waivers;

pub use container::*;
pub use environments::*;
pub use lists::*;
pub use migrations::*;
pub use pipeline::*;
pub use project::*;
pub use repository::*;
pub use rollout::*;
pub use waivers::*;
