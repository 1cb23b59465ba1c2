//! Facts about the text a design holds, shared by the rules, the generators and the importers.
//! Nothing here depends on anything above the model.

pub mod shell;
