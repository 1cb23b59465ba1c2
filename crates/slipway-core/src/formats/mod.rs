//! Reading and writing the file formats Slipway deals in: the YAML outline that locates fields
//! and audit findings, and the YAML, HCL and Markdown writers the generators emit. They know
//! the syntax, never the design's meaning, and import nothing above the model.

pub mod hcl;
pub mod markdown;
pub mod outline;
pub mod yaml;
