//! Reading and writing the file formats Slipway deals in. Nothing here depends on anything
//! above the model.

pub mod outline;
