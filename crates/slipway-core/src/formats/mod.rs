//! Writers for the file formats the generators emit. They know the syntax, never the design's
//! meaning, and import nothing above the model.

pub mod hcl;
pub mod markdown;
pub mod yaml;
