//! The tags every AWS provider of the stack puts on its resources.

use crate::formats::hcl::{code, object, string, BlockWriter};

/// `default_tags`: the project, the environment and who manages the resource, for cost
/// reports and clean-up.
pub(super) fn default_tags() -> BlockWriter {
    BlockWriter::new("default_tags", &[]).attr(
        "tags",
        object(vec![
            ("Project", code("var.project")),
            ("Environment", code("var.environment")),
            ("ManagedBy", string("terraform")),
        ]),
    )
}
