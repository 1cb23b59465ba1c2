//! Turning user strings into safe tokens. Every generator goes through these, so a name or a
//! path can never carry a quote, a newline or an expression into a generated file.

/// A lowercase identifier of `[a-z0-9-]`, for image, chart, release and binary names.
/// Other characters become `-`; an empty result falls back to `fallback`.
pub fn identifier(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    let limited: String = trimmed.chars().take(53).collect();
    let limited = limited.trim_matches('-');
    if limited.is_empty() {
        fallback.to_owned()
    } else {
        limited.to_owned()
    }
}

/// An environment-variable name (`[A-Za-z_][A-Za-z0-9_]*`); other characters become `_`.
pub fn env_name(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A URL path with every byte outside the unreserved set percent-encoded, starting with `/`.
pub fn url_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Keeps only the characters `allowed` accepts; used for image references, users and paths.
pub fn keep(text: &str, allowed: impl Fn(char) -> bool) -> String {
    text.chars().filter(|c| allowed(*c)).collect()
}

/// One line of text for a comment: control characters (newlines included) become spaces.
/// Borrowed when there are none, as in almost every comment a generator writes.
pub fn single_line(text: &str) -> std::borrow::Cow<'_, str> {
    // Control characters are C0 (below 0x20), DEL (0x7f) and C1 (U+0080..U+009F, which UTF-8
    // writes as 0xC2 0x80..0x9F): a byte scan finds every candidate.
    let may_have_control = text
        .bytes()
        .any(|byte| byte < 0x20 || byte == 0x7f || byte == 0xc2);
    if may_have_control && text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Glob matching as Docker and GitHub Actions path filters do it: `*` and `?` stay within one
/// path segment, `**` crosses segments.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    glob(pattern.as_bytes(), path.as_bytes())
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) if rest.first() == Some(&b'*') => {
            let rest = rest[1..].strip_prefix(b"/").unwrap_or(&rest[1..]);
            (0..=text.len()).any(|start| glob(rest, &text[start..]))
        }
        Some((b'*', rest)) => {
            let limit = text.iter().position(|&b| b == b'/').unwrap_or(text.len());
            (0..=limit).any(|start| glob(rest, &text[start..]))
        }
        Some((b'?', rest)) => {
            matches!(text.split_first(), Some((c, tail)) if *c != b'/' && glob(rest, tail))
        }
        Some((c, rest)) => {
            matches!(text.split_first(), Some((t, tail)) if t == c && glob(rest, tail))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_lowercase_dashed_and_never_empty() {
        assert_eq!(identifier("My API_v2", "app"), "my-api-v2");
        assert_eq!(identifier("\"; rm -rf /", "app"), "rm-rf");
        assert_eq!(identifier("<script>", "app"), "script");
        assert_eq!(identifier("***", "app"), "app");
    }

    #[test]
    fn env_names_cannot_start_with_a_digit_or_carry_spaces() {
        assert_eq!(env_name("1 BAD-NAME"), "_1_BAD_NAME");
    }

    #[test]
    fn url_paths_are_percent_encoded() {
        assert_eq!(url_path("health"), "/health");
        assert_eq!(url_path("/a b'\""), "/a%20b%27%22");
    }

    #[test]
    fn globs_follow_path_filter_semantics() {
        assert!(glob_match("backend/**", "backend/app/main.py"));
        assert!(!glob_match("backend/*", "backend/app/main.py"));
        assert!(glob_match("**/*.md", "docs/guide/intro.md"));
        assert!(glob_match("src/?.rs", "src/a.rs"));
        assert!(!glob_match("frontend/**", "backend/x"));
    }

    #[test]
    fn single_line_removes_newlines() {
        assert_eq!(single_line("a\nb\r\tc"), "a b  c");
        assert_eq!(single_line("x\u{7f}\u{85}\u{9f}y"), "x   y");
        assert_eq!(single_line("déjà ¢ — ok"), "déjà ¢ — ok");
    }
}
