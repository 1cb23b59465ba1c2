//! The text forms of list fields: one entry per line, or comma-separated.

/// One entry per non-blank line, trimmed.
pub fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The entries of a comma-separated list, trimmed, blanks dropped.
pub fn split_commas(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_entries_are_dropped_and_the_rest_trimmed() {
        assert_eq!(
            split_lines(" node_modules \n\n.git\n  \n"),
            ["node_modules", ".git"]
        );
        assert_eq!(
            split_commas("lint, test,, security ,"),
            ["lint", "test", "security"]
        );
        assert!(split_lines("").is_empty());
    }
}
