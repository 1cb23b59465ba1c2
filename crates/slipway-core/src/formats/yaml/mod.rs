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
            write_inline(&mut out, other, 0);
            out.push('\n');
        }
    }
    out
}

/// Writes `width` spaces: generated files are indented on every line, and formatting's
/// padding writes them one character at a time.
fn push_indent(out: &mut String, width: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = width;
    while left > 0 {
        let step = left.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        left -= step;
    }
}

fn push_comment(out: &mut String, indent: usize, text: &str) {
    let text = crate::text::single_line(text);
    // U+2028 is three bytes, E2 80 A8: most comments are ASCII and split nothing.
    let lines: &mut dyn Iterator<Item = &str> = if text.is_ascii() {
        &mut std::iter::once(text.as_ref())
    } else {
        &mut text.split('\u{2028}')
    };
    for line in lines {
        push_indent(out, indent);
        out.push_str("# ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Whether a scalar is written on its key's line (everything but a literal block).
fn fits_one_line(node: &Node) -> bool {
    match node {
        Node::Str(text) => is_plain(text) || !literal_block_usable(text),
        _ => true,
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
            Node::Map(entries) if !entries.is_empty() => false,
            Node::Seq(items) if !items.is_empty() => false,
            scalar => fits_one_line(scalar),
        };
        match &entry.trailing {
            Some(note) if single_line => {
                push_indent(out, indent);
                write_key(out, &entry.key);
                out.push_str(": ");
                write_inline(out, &entry.value, indent + 2);
                out.push_str(" # ");
                out.push_str(crate::text::single_line(note).trim_end());
                out.push('\n');
            }
            note => {
                if let Some(note) = note {
                    push_comment(out, indent, note);
                }
                push_indent(out, indent);
                write_key(out, &entry.key);
                out.push(':');
                write_value(out, &entry.value, indent);
            }
        }
    }
}

fn write_items(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The first entry shares the dash's line; the rest align under it.
                out.push(' ');
                let start = out.len();
                write_entries(out, entries, indent + 2);
                out.replace_range(start..start + indent + 2, "");
            }
            Node::Seq(inner) if !inner.is_empty() => {
                out.push('\n');
                write_items(out, inner, indent + 2);
            }
            scalar => {
                out.push(' ');
                write_inline(out, scalar, indent + 2);
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
            write_inline(out, scalar, indent + 2);
            out.push('\n');
        }
    }
}

/// A scalar (or empty collection) on the current line; multi-line strings become a literal
/// block indented to `indent`.
fn write_inline(out: &mut String, node: &Node, indent: usize) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Node::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Map(_) => out.push_str("{}"),
        Node::Seq(_) => out.push_str("[]"),
        Node::Str(text) => write_string(out, text, indent),
    }
}

fn write_key(out: &mut String, text: &str) {
    if is_plain(text) {
        out.push_str(text);
    } else {
        write_quoted(out, text);
    }
}

fn write_string(out: &mut String, text: &str, indent: usize) {
    if is_plain(text) {
        out.push_str(text);
    } else if literal_block_usable(text) {
        write_literal_block(out, text, indent);
    } else {
        write_quoted(out, text);
    }
}

/// Whether multi-line `text` can be a `|` block: YAML keeps every line verbatim.
fn literal_block_usable(text: &str) -> bool {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let bytes = body.as_bytes();
    // Control characters other than tab and newline, and the line breaks YAML would fold
    // (U+0085, U+2028, U+2029) or strip (U+FEFF), rule a block out. Each is either an ASCII
    // control byte or a non-ASCII character, so ASCII text needs only the byte scan.
    let clean = if body.is_ascii() {
        !bytes
            .iter()
            .any(|&byte| (byte < 0x20 && byte != b'\n' && byte != b'\t') || byte == 0x7f)
    } else {
        body.chars()
            .all(|c| c == '\n' || c == '\t' || !c.is_control())
            && !body.contains(['\u{feff}', '\u{2028}', '\u{2029}', '\u{85}'])
    };
    text.contains('\n')
        && !body.is_empty()
        && !matches!(bytes[0], b' ' | b'\t' | b'\n')
        && !body.ends_with('\n')
        && clean
        && body.lines().all(|line| line.trim_end() == line)
}

/// Writes a `|` block for text [`literal_block_usable`] accepts.
fn write_literal_block(out: &mut String, text: &str, indent: usize) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    out.push_str(if text.ends_with('\n') { "|" } else { "|-" });
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
    }
}

/// JSON string syntax is valid YAML double-quoted syntax.
fn write_quoted(out: &mut String, text: &str) {
    let mut quoted = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    // JSON leaves these raw; YAML treats them as line breaks or would strip them.
    if !quoted.is_ascii() {
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
    }
    out.push_str(&quoted);
}

/// Bytes that may appear in a plain scalar: ASCII letters, digits and `_./-+@$(){}'=,*:` and
/// the space (so never ` #`); every other byte, including each byte of a non-ASCII
/// character, needs quotes.
const PLAIN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric();
        byte += 1;
    }
    let punctuation = b" _./-+@$(){}'=,*:";
    let mut i = 0;
    while i < punctuation.len() {
        table[punctuation[i] as usize] = true;
        i += 1;
    }
    table
};

/// Whether YAML 1.1 and 1.2 parsers both read `text` unquoted as this exact string.
fn is_plain(text: &str) -> bool {
    const RESERVED: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    // One pass over the bytes, since this runs for every key and scalar of every generated file.
    if !(first.is_ascii_alphanumeric() || matches!(first, b'/' | b'.' | b'_' | b'$'))
        || matches!(bytes.last(), Some(b' ' | b':'))
        || bytes.len() <= 5 && RESERVED.iter().any(|word| word.eq_ignore_ascii_case(text))
    {
        return false;
    }
    let mut previous = 0;
    for &byte in bytes {
        if !PLAIN_BYTES[byte as usize] || matches!((previous, byte), (b':', b' ') | (b'{', b'{')) {
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
