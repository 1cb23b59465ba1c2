//! The same [`Node`] tree written as compact JSON (autosave, share links, the embedding API).
//!
//! Writing JSON from the tree instead of through serde_json means the model's serialisation
//! code exists once in the wasm build, for one serializer.

use std::fmt::Write;

use super::node::{Entry, Node};

impl Node {
    /// Compact JSON: no spaces, mapping entries in order, comments dropped.
    ///
    /// The output is read back by JSON parsers and by YAML ones alike: the line separators that
    /// YAML would fold inside a double-quoted string (U+0085, U+2028, U+2029) are escaped.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(4096);
        write_node(&mut out, self);
        out
    }
}

fn write_node(out: &mut String, node: &Node) {
    match node {
        Node::Null => out.push_str("null"),
        Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Node::Int(value) => {
            let _ = write!(out, "{value}");
        }
        Node::Str(text) => write_string(out, text),
        Node::Seq(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_node(out, item);
            }
            out.push(']');
        }
        Node::Map(entries) => {
            out.push('{');
            for (index, Entry { key, value, .. }) in entries.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_node(out, value);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut unescaped_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        // Only these lead bytes can start a character that needs escaping; the rest of the text
        // is copied in runs.
        let needs_look = byte < 0x20 || matches!(byte, b'"' | b'\\' | 0x7f | 0xc2 | 0xe2 | 0xef);
        if !needs_look {
            at += 1;
            continue;
        }
        let character = text[at..].chars().next().unwrap_or_default();
        let width = character.len_utf8();
        let escape = match character {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => "",
            _ => {
                at += width;
                continue;
            }
        };
        out.push_str(&text[unescaped_from..at]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", u32::from(character));
        } else {
            out.push_str(escape);
        }
        at += width;
        unescaped_from = at;
    }
    out.push_str(&text[unescaped_from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::Map;
    use super::*;

    fn json(node: impl Into<Node>) -> String {
        node.into().to_json()
    }

    #[test]
    fn scalars_and_containers_are_compact() {
        let node = Map::new()
            .entry("name", "api")
            .comment("comments are not JSON")
            .entry("replicas", 3u16)
            .entry("public", true)
            .entry("tags", vec!["a", "b"])
            .entry("none", Node::Null)
            .entry("empty", Node::Seq(Vec::new()));
        assert_eq!(
            json(node),
            r#"{"name":"api","replicas":3,"public":true,"tags":["a","b"],"none":null,"empty":[]}"#
        );
    }

    #[test]
    fn strings_escape_what_json_and_yaml_need() {
        assert_eq!(json("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(json("x\ny\tz\r"), r#""x\ny\tz\r""#);
        assert_eq!(json("\u{1}\u{7f}"), r#""\u0001\u007f""#);
        assert_eq!(
            json("a\u{85}b\u{2028}c\u{2029}d\u{feff}"),
            r#""a\u0085b\u2028c\u2029d\ufeff""#
        );
        assert_eq!(json("ünïcode ✓ ${{ x }}"), "\"ünïcode ✓ ${{ x }}\"");
    }

    #[test]
    fn hostile_strings_read_back_unchanged_by_json_and_yaml() {
        for text in [
            "quote \" backslash \\ newline \n",
            "line\u{2028}separator\u{85}next\u{2029}para",
            "\u{feff}bom and \u{0} nul",
            "#comment *alias &anchor ${{ secrets.X }} $(rm -rf /) `id`",
        ] {
            let written = json(text);
            let by_json: String = serde_json::from_str(&written).unwrap();
            let by_yaml: String = serde_norway::from_str(&written).unwrap();
            assert_eq!(by_json, text);
            assert_eq!(by_yaml, text);
        }
    }
}
