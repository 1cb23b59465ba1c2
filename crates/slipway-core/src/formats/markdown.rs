//! Markdown for the generated README and the steps each generator writes into it.

/// Text that renders as itself in Markdown (and GitHub's HTML): no markup, no table break,
/// no raw HTML, one line.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in crate::text::single_line(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_renders_as_text() {
        assert_eq!(escape("a|b\n<script>"), "a\\|b &lt;script&gt;");
        assert_eq!(escape("[x](javascript:1)"), "\\[x\\](javascript:1)");
    }
}
