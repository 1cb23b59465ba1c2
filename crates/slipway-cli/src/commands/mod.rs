//! One module per command: its manual page (`MANUAL`, the DESCRIPTION shown by `--help`, and
//! `EXAMPLES`, the EXAMPLES and EXIT STATUS after the options) and its `run`, which returns
//! the exit status or the [`BadInput`](crate::input::BadInput) that makes it 2.

pub mod completions;
pub mod diff;
pub mod explain;
pub mod export;
pub mod import;
pub mod lint;
pub mod new;
pub mod presets;
pub mod rules;
pub mod simulate;
pub mod upgrade;
