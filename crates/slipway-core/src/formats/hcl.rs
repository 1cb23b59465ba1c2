//! A small typed HCL writer for the Terraform files: typed values, blocks, comments (file
//! headers, notes above attributes, checkov skips) and `terraform fmt`-style layout and
//! alignment.
//!
//! It writes the layout `hcl-rs`'s formatter writes (compact arrays, one object key per line,
//! a blank line around nested blocks), so the output stayed byte-identical when `hcl-rs` moved
//! to the tests: it costs the WebAssembly build about 35 KB compressed and parsed every
//! expression on each keystroke, while the generator only ever needs to write. The tests
//! parse every generated file back with `hcl-rs`.
//!
//! User strings only ever enter a file through [`string`] (or the typed number and bool
//! helpers): a quoted literal with quotes, backslashes, control characters and both template
//! markers (`${`, `%{`) escaped, so nothing a user types can become an expression. Expressions
//! come from [`code`], which only accepts `&'static str`, i.e. text written in this crate.

use std::fmt::Write;

use crate::text::single_line;

/// A value on the right of `=`.
#[derive(Debug, Clone, PartialEq)]
pub enum Expression {
    Bool(bool),
    Number(u32),
    /// A quoted string literal, holding its escaped body.
    Literal(String),
    /// An expression written in this crate (references, function calls, conditionals).
    Code(&'static str),
    Array(Vec<Expression>),
    /// An object, one key per line; keys are written in this crate.
    Object(Vec<(&'static str, Expression)>),
}

/// A string literal whose value is exactly `text`.
pub fn string(text: &str) -> Expression {
    Expression::Literal(escape(text))
}

/// The body of an HCL quoted string (without the quotes) that reads back as `text`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `${` and `%{` open a template interpolation or directive; doubling the marker
            // makes it literal text.
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// An expression written in this crate, on one line, as `terraform fmt` writes it; the tests
/// parse every generated file, so a typo fails them.
pub fn code(source: &'static str) -> Expression {
    Expression::Code(source)
}

pub fn number(value: u32) -> Expression {
    Expression::Number(value)
}

pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Expression {
    Expression::Array(
        items
            .into_iter()
            .map(|item| string(item.as_ref()))
            .collect(),
    )
}

/// An object with one key per line.
pub fn object(entries: Vec<(&'static str, Expression)>) -> Expression {
    Expression::Object(entries)
}

/// One entry of a block body.
enum Structure {
    Attribute(&'static str, Expression),
    Block(BlockWriter),
}

/// A block being assembled, with its comments.
pub struct BlockWriter {
    identifier: &'static str,
    labels: Vec<String>,
    body: Vec<Structure>,
    comments: Vec<String>,
    notes: Vec<(String, String)>,
    checkov_skips: Vec<(&'static str, &'static str)>,
}

impl BlockWriter {
    /// A block such as `module "vpc"`; labels are written in this crate and must be
    /// identifiers.
    pub fn new(identifier: &'static str, labels: &[&str]) -> Self {
        BlockWriter {
            identifier,
            labels: labels.iter().map(|label| (*label).to_owned()).collect(),
            body: Vec::new(),
            comments: Vec::new(),
            notes: Vec::new(),
            checkov_skips: Vec::new(),
        }
    }

    /// A comment line above the block.
    pub fn comment(mut self, text: impl AsRef<str>) -> Self {
        self.comments.push(single_line(text.as_ref()).into_owned());
        self
    }

    pub fn attr(mut self, key: &'static str, value: Expression) -> Self {
        self.body.push(Structure::Attribute(key, value));
        self
    }

    /// An attribute with a comment line above it.
    pub fn noted(self, key: &'static str, value: Expression, note: impl AsRef<str>) -> Self {
        let mut writer = self.attr(key, value);
        writer
            .notes
            .push((key.to_owned(), single_line(note.as_ref()).into_owned()));
        writer
    }

    /// A nested block (without comments).
    pub fn block(mut self, block: BlockWriter) -> Self {
        self.body.push(Structure::Block(block));
        self
    }

    /// A checkov check this block does not meet on purpose, with the reason; written as
    /// checkov's inline skip comment inside the block.
    pub fn checkov_skip(mut self, check: &'static str, reason: &'static str) -> Self {
        self.checkov_skips.push((check, reason));
        self
    }

    /// The block as text: comments, the block, and the notes inside it.
    pub fn render(self) -> String {
        let mut formatted = String::new();
        write_block(&mut formatted, &self, 0);
        let mut out = String::new();
        for comment in &self.comments {
            push_comment(&mut out, "", comment);
        }
        for (index, line) in formatted.lines().enumerate() {
            if let Some((_, note)) = self
                .notes
                .iter()
                .find(|(key, _)| is_top_level_key(line, key))
            {
                push_comment(&mut out, "  ", note);
            }
            out.push_str(line);
            out.push('\n');
            if index == 0 {
                for (check, reason) in &self.checkov_skips {
                    let _ = writeln!(out, "  #checkov:skip={check}:{reason}");
                }
            }
        }
        out
    }
}

/// What was written last in a body, which decides the blank lines: one between attributes
/// and a following block, and after every block.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    Nothing,
    Attribute,
    Block,
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_block(out: &mut String, block: &BlockWriter, depth: usize) {
    indent(out, depth);
    out.push_str(block.identifier);
    for label in &block.labels {
        out.push_str(" \"");
        out.push_str(&escape(label));
        out.push('"');
    }
    out.push_str(" {");
    let mut last = Last::Nothing;
    for structure in &block.body {
        match structure {
            Structure::Attribute(key, value) => {
                if last == Last::Block {
                    out.push('\n');
                }
                if last == Last::Nothing {
                    out.push('\n');
                }
                write_attribute(out, key, value, depth + 1);
                last = Last::Attribute;
            }
            Structure::Block(inner) => {
                out.push('\n');
                write_block(out, inner, depth + 1);
                last = Last::Block;
            }
        }
    }
    indent(out, depth);
    out.push_str("}\n");
}

fn write_attribute(out: &mut String, key: &str, value: &Expression, depth: usize) {
    indent(out, depth);
    out.push_str(key);
    out.push_str(" = ");
    write_expression(out, value, depth);
    out.push('\n');
}

fn write_expression(out: &mut String, expression: &Expression, depth: usize) {
    match expression {
        Expression::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        Expression::Number(value) => {
            let _ = write!(out, "{value}");
        }
        Expression::Literal(body) => {
            out.push('"');
            out.push_str(body);
            out.push('"');
        }
        Expression::Code(source) => out.push_str(source),
        Expression::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_expression(out, item, depth);
            }
            out.push(']');
        }
        Expression::Object(entries) => {
            out.push('{');
            for (key, value) in entries {
                out.push('\n');
                indent(out, depth + 1);
                if is_identifier(key) {
                    out.push_str(key);
                } else {
                    out.push('"');
                    out.push_str(&escape(key));
                    out.push('"');
                }
                out.push_str(" = ");
                write_expression(out, value, depth + 1);
            }
            if !entries.is_empty() {
                out.push('\n');
                indent(out, depth);
            }
            out.push('}');
        }
    }
}

/// Whether an object key can be written bare.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Attributes at the top level of a file (`.tfvars`, backend configuration), each with an
/// optional comment line above it.
pub fn attributes(entries: Vec<(&'static str, Expression, Option<String>)>) -> String {
    let mut out = String::new();
    for (key, value, note) in entries {
        if let Some(note) = note {
            push_comment(&mut out, "", &single_line(&note));
        }
        write_attribute(&mut out, key, &value, 0);
    }
    out
}

/// A whole file: the header comment, then the rendered sections separated by blank lines,
/// aligned the way `terraform fmt` aligns them.
pub fn file(header: &[&str], sections: &[String]) -> String {
    let mut out = String::new();
    for line in header {
        push_comment(&mut out, "", line);
    }
    for section in sections {
        out.push('\n');
        out.push_str(section);
    }
    align_assignments(&out)
}

fn push_comment(out: &mut String, indent: &str, text: &str) {
    out.push_str(indent);
    out.push('#');
    if !text.is_empty() {
        out.push(' ');
        out.push_str(text);
    }
    out.push('\n');
}

fn is_top_level_key(line: &str, key: &str) -> bool {
    line.strip_prefix("  ")
        .and_then(|rest| rest.strip_prefix(key))
        .is_some_and(|rest| rest.starts_with(" =") || rest.starts_with(" {"))
}

/// Pads the keys of consecutive single-line attributes at the same depth so their `=` line
/// up, as `terraform fmt` does. Blank lines, comments, block lines and attributes whose value
/// continues on the next lines end a run.
pub fn align_assignments(text: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len() + 256);
    let mut index = 0;
    while index < lines.len() {
        let Some(first) = assignment(lines[index]) else {
            out.push_str(lines[index]);
            index += 1;
            continue;
        };
        let mut run = vec![(lines[index], first)];
        let mut next = index + 1;
        while let Some(parts) = lines.get(next).and_then(|line| assignment(line)) {
            if parts.0 != first.0 {
                break;
            }
            run.push((lines[next], parts));
            next += 1;
        }
        let width = run
            .iter()
            .map(|(_, (_, key, _))| key.chars().count())
            .max()
            .unwrap_or(0);
        for (_, (indent, key, rest)) in &run {
            out.push_str(indent);
            out.push_str(key);
            out.push_str(&" ".repeat(width - key.chars().count()));
            out.push_str(" = ");
            out.push_str(rest);
        }
        index = next;
    }
    out
}

/// `(indent, key, rest-of-line)` of a single-line `key = value` line.
fn assignment(line: &str) -> Option<(&str, &str, &str)> {
    let trimmed = line.trim_start_matches(' ');
    let indent = &line[..line.len() - trimmed.len()];
    let key_len = if let Some(quoted) = trimmed.strip_prefix('"') {
        let end = quoted.find(['"', '\\'])?;
        if quoted.as_bytes()[end] == b'\\' {
            return None;
        }
        end + 2
    } else {
        trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .filter(|&end| end > 0)?
    };
    let (key, after) = trimmed.split_at(key_len);
    let rest = after.strip_prefix(" = ")?;
    let value = rest.trim_end();
    if value.ends_with('{') || value.ends_with('[') || value.ends_with('(') {
        return None;
    }
    Some((indent, key, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_string(literal: &Expression) -> String {
        let text = attributes(vec![("value", literal.clone(), None)]);
        let body: hcl::Body = hcl::parse(&text).unwrap();
        let value = body.attributes().next().unwrap().expr().clone();
        match value {
            hcl::Expression::String(text) => text,
            other => panic!("not a literal: {other:?}"),
        }
    }

    #[test]
    fn every_string_reads_back_as_itself() {
        for text in [
            "${jsonencode(var.x)}",
            "%{ if true }x%{ endif }",
            "$${x}",
            "$$${x}",
            "\"\n}\nresource \"x\" \"y\" {",
            "back\\slash\t\u{7}\u{7f}",
            "trailing $",
            "100%",
            "ünïcødé ✓",
        ] {
            assert_eq!(parse_string(&string(text)), text);
        }
    }

    #[test]
    fn notes_and_skips_land_inside_the_block() {
        let text = BlockWriter::new("resource", &["aws_s3_bucket", "state"])
            .comment("Why the bucket exists.\nnot a new line")
            .checkov_skip("CKV_AWS_18", "access logs live elsewhere")
            .attr("bucket", string("b"))
            .noted("force_destroy", Expression::Bool(false), "Keep the state.")
            .render();
        assert_eq!(
            text,
            "# Why the bucket exists. not a new line\n\
             resource \"aws_s3_bucket\" \"state\" {\n  \
             #checkov:skip=CKV_AWS_18:access logs live elsewhere\n  \
             bucket = \"b\"\n  \
             # Keep the state.\n  \
             force_destroy = false\n}\n"
        );
    }

    #[test]
    fn blocks_objects_and_arrays_are_laid_out_like_terraform_fmt() {
        let text = BlockWriter::new("module", &["vpc"])
            .attr("source", string("x"))
            .attr("azs", strings(["a", "b"]))
            .attr(
                "tags",
                object(vec![
                    ("Name", code("local.name")),
                    ("kubernetes.io/role", number(1)),
                    ("nested", object(vec![("on", Expression::Bool(true))])),
                ]),
            )
            .block(
                BlockWriter::new("lifecycle", &[]).attr("prevent_destroy", Expression::Bool(true)),
            )
            .block(BlockWriter::new("timeouts", &[]).attr("create", string("1h")))
            .attr("after", Expression::Array(Vec::new()))
            .render();
        assert_eq!(
            text,
            "module \"vpc\" {\n  source = \"x\"\n  azs = [\"a\", \"b\"]\n  tags = {\n    Name = local.name\n    \"kubernetes.io/role\" = 1\n    nested = {\n      on = true\n    }\n  }\n\n  lifecycle {\n    prevent_destroy = true\n  }\n\n  timeouts {\n    create = \"1h\"\n  }\n\n  after = []\n}\n"
        );
        let parsed: hcl::Body = hcl::parse(&text).unwrap();
        assert_eq!(parsed.blocks().count(), 1);
    }

    #[test]
    fn runs_of_attributes_align_like_terraform_fmt() {
        let text = "a = 1\nlonger = 2\n\nx = {\n  \"k.io/x\" = 1\n  b = 2\n}\ny = 3\n";
        assert_eq!(
            align_assignments(text),
            "a      = 1\nlonger = 2\n\nx = {\n  \"k.io/x\" = 1\n  b        = 2\n}\ny = 3\n"
        );
    }
}
