//! The branch filters of workflow triggers.

/// GitHub's branch filter patterns: `*` stops at `/`, `**` does not.
pub(super) fn branch_pattern_matches(pattern: &str, branch: &str) -> bool {
    crate::text::glob_match(pattern.trim(), branch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_patterns_match_like_github() {
        assert!(branch_pattern_matches("release/*", "release/1.2"));
        assert!(!branch_pattern_matches("release/*", "main"));
    }
}
