//! A small typed YAML writer for generated files that teach through comments.
//!
//! serde's YAML output cannot carry comments, so generators build a [`Node`] tree instead;
//! serialisable values (the design file) become nodes through [`to_node`].
//! Every string is written plain only when YAML would read it back as the same string;
//! otherwise it is double-quoted with JSON escapes, or written as a literal block when it spans
//! lines. User text therefore can never add a key, an item or a document.

mod json;
mod node;
mod serializer;

use std::fmt::Write;

pub use node::{Entry, Map, Node};
pub use serializer::{to_node, Error};

/// Renders a document: header comment lines, then the node.
pub fn document(header: &[&str], root: impl Into<Node>) -> String {
    let mut out = String::new();
    for line in header {
        push_comment(&mut out, 0, line);
    }
    let root = root.into();
    match &root {
        Node::Map(entries) => write_entries(&mut out, entries, 0),
        Node::Seq(items) if !items.is_empty() => write_items(&mut out, items, 0),
        other => {
            out.push_str(&inline(other, 0));
            out.push('\n');
        }
    }
    out
}

fn push_comment(out: &mut String, indent: usize, text: &str) {
    for line in crate::text::single_line(text).split('\u{2028}') {
        let _ = writeln!(out, "{:indent$}# {}", "", line.trim_end());
    }
}

fn write_entries(out: &mut String, entries: &[Entry], indent: usize) {
    for (index, entry) in entries.iter().enumerate() {
        if entry.gap && index > 0 {
            out.push('\n');
        }
        for line in &entry.comment {
            push_comment(out, indent, line);
        }
        let single_line = match &entry.value {
            Node::Map(entries) if !entries.is_empty() => None,
            Node::Seq(items) if !items.is_empty() => None,
            scalar => Some(inline(scalar, indent + 2)).filter(|text| !text.contains('\n')),
        };
        match (&entry.trailing, single_line) {
            (Some(note), Some(text)) => {
                let _ = writeln!(
                    out,
                    "{:indent$}{}: {text} # {}",
                    "",
                    key(&entry.key),
                    crate::text::single_line(note).trim_end()
                );
            }
            (note, _) => {
                if let Some(note) = note {
                    push_comment(out, indent, note);
                }
                let _ = write!(out, "{:indent$}{}:", "", key(&entry.key));
                write_value(out, &entry.value, indent);
            }
        }
    }
}

fn write_items(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        let _ = write!(out, "{:indent$}-", "");
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The first entry shares the dash's line; the rest align under it.
                let mut nested = String::new();
                write_entries(&mut nested, entries, indent + 2);
                out.push(' ');
                out.push_str(&nested[indent + 2..]);
            }
            Node::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                write_items(out, inner, indent + 2);
            }
            scalar => {
                out.push(' ');
                out.push_str(&inline(scalar, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// Writes what follows `key:` (the colon is already written).
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            write_entries(out, entries, indent + 2);
        }
        Node::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_items(out, items, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&inline(scalar, indent + 2));
            out.push('\n');
        }
    }
}

/// A scalar (or empty collection) on the current line; multi-line strings become a literal
/// block indented to `indent`.
fn inline(node: &Node, indent: usize) -> String {
    match node {
        Node::Null => "null".to_owned(),
        Node::Bool(value) => value.to_string(),
        Node::Int(value) => value.to_string(),
        Node::Map(_) => "{}".to_owned(),
        Node::Seq(_) => "[]".to_owned(),
        Node::Str(text) => string(text, indent),
    }
}

fn key(text: &str) -> String {
    if is_plain(text) {
        text.to_owned()
    } else {
        quote(text)
    }
}

fn string(text: &str, indent: usize) -> String {
    if is_plain(text) {
        return text.to_owned();
    }
    if let Some(block) = literal_block(text, indent) {
        return block;
    }
    quote(text)
}

/// A `|` block for multi-line text whose lines YAML keeps verbatim.
fn literal_block(text: &str, indent: usize) -> Option<String> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let usable = text.contains('\n')
        && !body.is_empty()
        && !body.starts_with([' ', '\t', '\n'])
        && !body.ends_with('\n')
        && body
            .chars()
            .all(|c| c == '\n' || c == '\t' || !c.is_control())
        && !body.contains(['\u{feff}', '\u{2028}', '\u{2029}', '\u{85}'])
        && body.lines().all(|line| line.trim_end() == line);
    if !usable {
        return None;
    }
    let mut out = String::from(if text.ends_with('\n') { "|" } else { "|-" });
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            let _ = write!(out, "{:indent$}{line}", "");
        }
    }
    Some(out)
}

/// JSON string syntax is valid YAML double-quoted syntax.
fn quote(text: &str) -> String {
    let mut quoted = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    // JSON leaves these raw; YAML treats them as line breaks or would strip them.
    for (raw, escaped) in [
        ('\u{85}', "\\N"),
        ('\u{2028}', "\\L"),
        ('\u{2029}', "\\P"),
        ('\u{feff}', "\\ufeff"),
    ] {
        if quoted.contains(raw) {
            quoted = quoted.replace(raw, escaped);
        }
    }
    quoted
}

/// Whether YAML 1.1 and 1.2 parsers both read `text` unquoted as this exact string.
fn is_plain(text: &str) -> bool {
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    // Only ASCII letters, digits and these punctuation marks are ever plain (so never ` #`);
    // every other byte, including each byte of a non-ASCII character, needs quotes. One pass
    // over the bytes, since this runs for every key and scalar of every generated file.
    let safe = |byte: u8| byte.is_ascii_alphanumeric() || b" _./-+@$(){}'=,*:".contains(&byte);
    if !(first.is_ascii_alphanumeric() || matches!(first, b'/' | b'.' | b'_' | b'$'))
        || matches!(bytes.last(), Some(b' ' | b':'))
        || bytes.len() <= 5 && RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text))
    {
        return false;
    }
    let mut previous = 0;
    for &byte in bytes {
        if !safe(byte) || matches!((previous, byte), (b':', b' ') | (b'{', b'{')) {
            return false;
        }
        previous = byte;
    }
    !looks_numeric(text)
}

/// Numbers, dates, times and sexagesimals in any YAML version.
fn looks_numeric(text: &str) -> bool {
    let digits_and = |extra: &str| {
        text.chars()
            .all(|c| c.is_ascii_digit() || extra.contains(c))
    };
    text.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '+' || c == '-')
        && digits_and(".:-+_eExXoObBaAcCdDfF ")
        || text.eq_ignore_ascii_case(".inf")
        || text.eq_ignore_ascii_case(".nan")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> serde_json::Value {
        serde_norway::from_str(text).unwrap_or_else(|error| panic!("{error}\n{text}"))
    }

    #[test]
    fn nested_maps_lists_and_comments_read_back() {
        let doc = document(
            &["Generated by Slipway."],
            Map::new()
                .entry("name", "CI")
                .comment("Runs on every pull request.")
                .entry(
                    "on",
                    Map::new().entry("push", Map::new().entry("branches", vec!["main", "dev"])),
                )
                .gap()
                .entry(
                    "steps",
                    vec![
                        Node::from(
                            Map::new()
                                .entry("uses", "actions/checkout@v4")
                                .entry("with", Map::new().entry("persist-credentials", false)),
                        ),
                        Node::from(Map::new().entry("run", "npm ci\nnpm test\n")),
                    ],
                ),
        );
        let value = parse(&doc);
        assert_eq!(value["on"]["push"]["branches"][1], "dev");
        assert_eq!(value["steps"][0]["with"]["persist-credentials"], false);
        assert_eq!(value["steps"][1]["run"], "npm ci\nnpm test\n");
        assert!(
            doc.contains("# Runs on every pull request.\nname: CI"),
            "{doc}"
        );
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        for text in [
            "yes",
            "No",
            "on",
            "null",
            "~",
            "1.0",
            "0o17",
            "12:30",
            "2024-01-01",
            "",
            " lead",
            "a: b",
            "x #y",
            "- item",
            "[a]",
            "{a}",
            "&anchor",
            "*alias",
            "!tag",
            "%x",
            "@x",
            "`x",
            "'q'",
            "\"q\"",
            "${{ secrets.X }}",
            "1e3",
            ".inf",
        ] {
            let doc = document(&[], Map::new().entry("value", text));
            assert_eq!(parse(&doc)["value"], *text, "{doc}");
        }
    }

    #[test]
    fn hostile_strings_cannot_add_keys() {
        for text in [
            "x\nevil: true",
            "x\n---\nevil: true",
            "  indented\nevil: 1",
            "tab\there",
            "line\u{2028}sep",
            "nul\0byte",
            "trailing \nspace",
            "a\r\nb",
        ] {
            let doc = document(&[], Map::new().entry("value", text).entry(text, "key"));
            let value = parse(&doc);
            assert_eq!(value["value"], *text, "{doc}");
            assert_eq!(value[text], "key", "{doc}");
            assert_eq!(value.as_object().unwrap().len(), 2, "{doc}");
        }
    }

    #[test]
    fn comments_cannot_break_out() {
        let doc = document(
            &["header\nevil: true"],
            Map::new().entry("a", 1u32).comment("c\nevil: true"),
        );
        assert_eq!(parse(&doc).as_object().unwrap().len(), 1, "{doc}");
    }

    #[test]
    fn trailing_comments_stay_on_single_line_values() {
        let doc = document(
            &[],
            Map::new()
                .entry("uses", "actions/checkout@abc")
                .trailing("v4.2.2\nevil: true")
                .entry("run", "a\nb\n")
                .trailing("multi-line values carry it above"),
        );
        assert!(
            doc.contains("uses: actions/checkout@abc # v4.2.2 evil: true\n"),
            "{doc}"
        );
        assert!(
            doc.contains("# multi-line values carry it above\nrun: |"),
            "{doc}"
        );
        let value = parse(&doc);
        assert_eq!(value.as_object().unwrap().len(), 2, "{doc}");
        assert_eq!(value["run"], "a\nb\n");
    }

    #[test]
    fn empty_collections_and_sequences_of_sequences() {
        let doc = document(
            &[],
            Map::new()
                .entry("empty", Map::new())
                .entry("none", Vec::<Node>::new())
                .entry("nested", vec![Node::from(vec!["a", "b"])]),
        );
        let value = parse(&doc);
        assert!(value["empty"].as_object().unwrap().is_empty());
        assert_eq!(value["nested"][0][1], "b");
    }
}
