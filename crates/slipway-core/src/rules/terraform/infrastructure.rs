//! The infrastructure settings and the Terraform version they require.

use crate::model::{Design, Infrastructure};

/// The infrastructure settings, when the design generates Terraform.
pub(super) fn terraform(design: &Design) -> Option<&Infrastructure> {
    design
        .infrastructure
        .enabled
        .then_some(&design.infrastructure)
}

/// The lowest Terraform version a `required_version` constraint admits (`>= 1.5` → 1.5;
/// `~> 1.10.0` → 1.10; no lower bound → 0.0).
pub(super) fn lowest_version(constraint: &str) -> (u32, u32) {
    constraint
        .split(',')
        .filter_map(|part| {
            let part = part.trim();
            let version = part
                .strip_prefix(">=")
                .or_else(|| part.strip_prefix("~>"))
                .or_else(|| part.strip_prefix('='))
                .or_else(|| part.strip_prefix('>'))
                .or_else(|| {
                    part.starts_with(|c: char| c.is_ascii_digit())
                        .then_some(part)
                })?;
            let mut numbers = version.trim().trim_start_matches('v').split('.');
            let major = numbers.next()?.trim().parse().ok()?;
            let minor = numbers.next().map_or(Some(0), |n| n.trim().parse().ok())?;
            Some((major, minor))
        })
        .max()
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_have_a_lowest_version() {
        assert_eq!(lowest_version(">= 1.5"), (1, 5));
        assert_eq!(lowest_version(">= 1.10, < 2.0"), (1, 10));
        assert_eq!(lowest_version("~> 1.9.0"), (1, 9));
        assert_eq!(lowest_version("1.10.3"), (1, 10));
        assert_eq!(lowest_version("< 2.0"), (0, 0));
    }
}
