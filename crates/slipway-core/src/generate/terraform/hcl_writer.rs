//! Building Terraform files with `hcl-rs`, plus what its builder cannot do: comments (file
//! headers, notes above attributes, checkov skips) and `terraform fmt`-style alignment.
//!
//! User strings only ever enter a file through [`string`] (or the typed number and bool
//! helpers): a quoted literal with quotes, backslashes, control characters and both template
//! markers (`${`, `%{`) escaped, so nothing a user types can become an expression. Expressions
//! come from [`code`], which only accepts `&'static str`, i.e. text written in this crate.

use hcl::expr::TemplateExpr;
use hcl::{Block, BlockLabel, Body, Expression, Identifier, Structure};

use crate::text::single_line;

/// A string literal whose value is exactly `text`.
///
/// `hcl-rs`'s own escaping loses a `$` in front of an already doubled marker (`$${` reads back
/// as `${`), so the literal is escaped here and handed to the formatter verbatim.
pub fn string(text: &str) -> Expression {
    Expression::TemplateExpr(Box::new(TemplateExpr::QuotedString(escape(text))))
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
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// An expression written in this crate (references, function calls, conditionals).
///
/// # Panics
/// When `source` is not a valid HCL expression: a bug in the generator that the snapshot
/// tests catch.
pub fn code(source: &'static str) -> Expression {
    source
        .parse()
        .unwrap_or_else(|error| panic!("generator expression `{source}`: {error}"))
}

pub fn number(value: u32) -> Expression {
    Expression::Number(value.into())
}

pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Expression {
    Expression::Array(
        items
            .into_iter()
            .map(|item| string(item.as_ref()))
            .collect(),
    )
}

/// A block being assembled, with the comments `hcl-rs` cannot carry.
pub struct BlockWriter {
    identifier: &'static str,
    labels: Vec<BlockLabel>,
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
            labels: labels
                .iter()
                .map(|label| BlockLabel::String((*label).to_owned()))
                .collect(),
            body: Vec::new(),
            comments: Vec::new(),
            notes: Vec::new(),
            checkov_skips: Vec::new(),
        }
    }

    /// A comment line above the block.
    pub fn comment(mut self, text: impl AsRef<str>) -> Self {
        self.comments.push(single_line(text.as_ref()));
        self
    }

    pub fn attr(mut self, key: &'static str, value: Expression) -> Self {
        self.body
            .push(Structure::Attribute(hcl::Attribute::new(key, value)));
        self
    }

    /// An attribute with a comment line above it.
    pub fn noted(self, key: &'static str, value: Expression, note: impl AsRef<str>) -> Self {
        let mut writer = self.attr(key, value);
        writer
            .notes
            .push((key.to_owned(), single_line(note.as_ref())));
        writer
    }

    /// A nested block (without comments).
    pub fn block(mut self, block: BlockWriter) -> Self {
        self.body.push(Structure::Block(block.build()));
        self
    }

    /// A checkov check this block does not meet on purpose, with the reason; written as
    /// checkov's inline skip comment inside the block.
    pub fn checkov_skip(mut self, check: &'static str, reason: &'static str) -> Self {
        self.checkov_skips.push((check, reason));
        self
    }

    fn build(self) -> Block {
        Block {
            identifier: Identifier::sanitized(self.identifier),
            labels: self.labels,
            body: Body(self.body),
        }
    }

    /// The block as text: comments, the block, and the notes inside it.
    pub fn render(mut self) -> String {
        let comments = std::mem::take(&mut self.comments);
        let notes = std::mem::take(&mut self.notes);
        let skips = std::mem::take(&mut self.checkov_skips);
        let formatted = format_body(&Body(vec![Structure::Block(self.build())]));
        let mut out = String::new();
        for comment in &comments {
            push_comment(&mut out, "", comment);
        }
        for (index, line) in formatted.lines().enumerate() {
            if let Some((_, note)) = notes.iter().find(|(key, _)| is_top_level_key(line, key)) {
                push_comment(&mut out, "  ", note);
            }
            out.push_str(line);
            out.push('\n');
            if index == 0 {
                for (check, reason) in &skips {
                    out.push_str(&format!("  #checkov:skip={check}:{reason}\n"));
                }
            }
        }
        out
    }
}

/// Attributes at the top level of a file (`.tfvars`, backend configuration), each with an
/// optional comment line above it.
pub fn attributes(entries: Vec<(&'static str, Expression, Option<String>)>) -> String {
    let mut out = String::new();
    for (key, value, note) in entries {
        if let Some(note) = note {
            push_comment(&mut out, "", &single_line(&note));
        }
        out.push_str(&format_body(&Body(vec![Structure::Attribute(
            hcl::Attribute::new(key, value),
        )])));
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

fn format_body(body: &Body) -> String {
    use hcl::format::Format;
    let mut formatter = hcl::format::Formatter::builder()
        .compact_arrays(true)
        .build_vec();
    let mut text = body
        .format_string(&mut formatter)
        .unwrap_or_else(|error| unreachable!("formatting HCL in memory: {error}"));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
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
        let text = format!("value = {}", hcl::format::to_string(literal).unwrap());
        let body: Body = hcl::parse(&text).unwrap();
        let value = body.attributes().next().unwrap().expr().clone();
        match value {
            Expression::String(text) => text,
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
    fn runs_of_attributes_align_like_terraform_fmt() {
        let text = "a = 1\nlonger = 2\n\nx = {\n  \"k.io/x\" = 1\n  b = 2\n}\ny = 3\n";
        assert_eq!(
            align_assignments(text),
            "a      = 1\nlonger = 2\n\nx = {\n  \"k.io/x\" = 1\n  b        = 2\n}\ny = 3\n"
        );
    }
}
