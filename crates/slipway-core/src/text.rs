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

/// `base`, or the first of `base-2`, `base-3`, … that is not `taken`.
pub fn first_free(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_owned())
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
///
/// Runs in O(pattern × path) time whatever the pattern: a backtracking matcher takes
/// exponential time on patterns like `*****…x`, which a pasted `.dockerignore` can hold.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    glob(pattern.as_bytes(), path.as_bytes())
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let width = text.len() + 1;
    // Row i of the table says, for each j, whether pattern[i..] matches text[j..]. Row i reads
    // rows i+1 to i+3 only (`**/` is three bytes), so four rows are kept, in one buffer: row i
    // lives at (i % 4) * width and overwrites row i+4, which nothing reads any more.
    let mut table = vec![false; 4 * width];
    let at = |row: usize, j: usize| (row % 4) * width + j;
    table[at(pattern.len(), text.len())] = true;
    for i in (0..pattern.len()).rev() {
        let double_star = pattern[i] == b'*' && pattern.get(i + 1) == Some(&b'*');
        if pattern[i] == b'*' {
            let rest = match (double_star, pattern.get(i + 2)) {
                (true, Some(&b'/')) => i + 3,
                (true, _) => i + 2,
                (false, _) => i + 1,
            };
            // `**` takes any suffix of the text, '/' included; `*` any suffix that starts before
            // the next '/'.
            table[at(i, text.len())] = table[at(rest, text.len())];
            for j in (0..text.len()).rev() {
                let longer = (double_star || text[j] != b'/') && table[at(i, j + 1)];
                table[at(i, j)] = table[at(rest, j)] || longer;
            }
        } else {
            table[at(i, text.len())] = false;
            for j in 0..text.len() {
                let fits = if pattern[i] == b'?' {
                    text[j] != b'/'
                } else {
                    text[j] == pattern[i]
                };
                table[at(i, j)] = fits && table[at(i + 1, j + 1)];
            }
        }
    }
    table[at(0, 0)]
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
    fn glob_time_is_polynomial_on_star_runs() {
        // Found by the audit fuzz target in a .dockerignore line: exponential with backtracking.
        let pattern = format!("{{]\n{}  !hshh!hshhema/", "*".repeat(110));
        assert!(!glob_match(&pattern, &"a".repeat(200)));
        assert!(glob_match(&"*".repeat(300), &"b".repeat(300)));
        assert!(glob_match(&"**".repeat(100), "a/b/c/d"));
    }

    /// The straightforward backtracking matcher, as the reference for the table-driven one.
    fn backtracking(pattern: &[u8], text: &[u8]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((b'*', rest)) if rest.first() == Some(&b'*') => {
                let rest = rest[1..].strip_prefix(b"/").unwrap_or(&rest[1..]);
                (0..=text.len()).any(|start| backtracking(rest, &text[start..]))
            }
            Some((b'*', rest)) => {
                let limit = text.iter().position(|&b| b == b'/').unwrap_or(text.len());
                (0..=limit).any(|start| backtracking(rest, &text[start..]))
            }
            Some((b'?', rest)) => {
                matches!(text.split_first(), Some((c, tail)) if *c != b'/' && backtracking(rest, tail))
            }
            Some((c, rest)) => {
                matches!(text.split_first(), Some((t, tail)) if t == c && backtracking(rest, tail))
            }
        }
    }

    #[test]
    fn glob_agrees_with_backtracking_on_every_short_pattern_and_path() {
        fn all(alphabet: &[u8], max_len: usize) -> Vec<Vec<u8>> {
            let mut words = vec![Vec::new()];
            let mut last = vec![Vec::new()];
            for _ in 0..max_len {
                last = last
                    .iter()
                    .flat_map(|word: &Vec<u8>| {
                        alphabet.iter().map(move |&c| {
                            let mut next = word.clone();
                            next.push(c);
                            next
                        })
                    })
                    .collect();
                words.extend(last.iter().cloned());
            }
            words
        }
        let patterns = all(b"*?/a", 5);
        let paths = all(b"/ab", 5);
        for pattern in &patterns {
            for path in &paths {
                assert_eq!(
                    glob(pattern, path),
                    backtracking(pattern, path),
                    "{:?} on {:?}",
                    String::from_utf8_lossy(pattern),
                    String::from_utf8_lossy(path)
                );
            }
        }
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
