//! A small line tokenizer for the preview's syntax highlighting of YAML, Dockerfile, HCL, JSON
//! and TOML. It only colours; it never changes the text (the tokens concatenate to the line).

use slipway_core::Syntax;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Plain,
    Comment,
    Key,
    Keyword,
    Text,
    Number,
    Punctuation,
}

const DOCKERFILE_KEYWORDS: &[&str] = &[
    "FROM",
    "AS",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];
const HCL_KEYWORDS: &[&str] = &[
    "terraform",
    "provider",
    "resource",
    "module",
    "variable",
    "output",
    "locals",
    "data",
    "backend",
    "required_providers",
    "true",
    "false",
    "null",
];

/// Splits one line into coloured pieces.
pub fn line(syntax: Syntax, text: &str) -> Vec<(Token, &str)> {
    let trimmed = text.trim_start();
    let indent = &text[..text.len() - trimmed.len()];
    let comment_start = match syntax {
        Syntax::Dockerfile | Syntax::Yaml | Syntax::Toml | Syntax::Text => trimmed.starts_with('#'),
        Syntax::Hcl => trimmed.starts_with('#') || trimmed.starts_with("//"),
        _ => false,
    };
    if comment_start {
        let mut out = vec![(Token::Plain, indent), (Token::Comment, trimmed)];
        out.retain(|(_, piece)| !piece.is_empty());
        return out;
    }
    let mut out = vec![(Token::Plain, indent)];
    match syntax {
        Syntax::Dockerfile => {
            let word_end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
            let word = &trimmed[..word_end];
            if DOCKERFILE_KEYWORDS.contains(&word.to_ascii_uppercase().as_str()) {
                out.push((Token::Keyword, word));
                out.extend(values(&trimmed[word_end..]));
            } else {
                out.extend(values(trimmed));
            }
        }
        Syntax::Yaml => {
            let body = trimmed.strip_prefix("- ").map_or(trimmed, |rest| {
                out.push((Token::Punctuation, "- "));
                rest
            });
            match yaml_key_end(body) {
                Some(end) => {
                    out.push((Token::Key, &body[..end]));
                    out.push((Token::Punctuation, ":"));
                    out.extend(values(&body[end + 1..]));
                }
                None => out.extend(values(body)),
            }
        }
        Syntax::Hcl | Syntax::Toml => {
            let word_end = trimmed
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(trimmed.len());
            let word = &trimmed[..word_end];
            let rest = &trimmed[word_end..];
            if HCL_KEYWORDS.contains(&word) {
                out.push((Token::Keyword, word));
            } else if rest.trim_start().starts_with('=') {
                out.push((Token::Key, word));
            } else {
                out.push((Token::Plain, word));
            }
            out.extend(values(rest));
        }
        Syntax::Json => out.extend(values(trimmed)),
        Syntax::Markdown | Syntax::Text => out.push((Token::Plain, trimmed)),
    }
    out.retain(|(_, piece)| !piece.is_empty());
    out
}

/// The end of a YAML mapping key (`key:` followed by space or end of line).
fn yaml_key_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (index, &byte) in bytes.iter().enumerate() {
        match (quote, byte) {
            (None, b'"' | b'\'') if index == 0 => quote = Some(byte),
            (Some(q), b) if b == q => quote = None,
            (None, b':') if bytes.get(index + 1).is_none_or(|next| *next == b' ') => {
                return (index > 0).then_some(index);
            }
            (None, b' ') if index == 0 => return None,
            _ => {}
        }
    }
    None
}

/// Strings, numbers and punctuation in the rest of a line.
fn values(text: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let first = rest.chars().next().unwrap_or(' ');
        let end = if first == '"' || first == '\'' {
            string_end(rest, first)
        } else if first.is_ascii_digit() {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(rest.len())
        } else if "{}[],=".contains(first) {
            1
        } else {
            rest.find(['"', '\'', '{', '}', '[', ']', ',', '='])
                .filter(|&i| i > 0)
                .unwrap_or(rest.len())
        };
        let (piece, tail) = rest.split_at(end.max(first.len_utf8()).min(rest.len()));
        let token = if first == '"' || first == '\'' {
            Token::Text
        } else if first.is_ascii_digit() && piece.chars().all(|c| c.is_ascii_digit() || c == '.') {
            Token::Number
        } else if "{}[],=".contains(first) {
            Token::Punctuation
        } else {
            Token::Plain
        };
        out.push((token, piece));
        rest = tail;
    }
    out
}

/// The byte just past the closing quote (or the end of the line).
fn string_end(text: &str, quote: char) -> usize {
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return index + c.len_utf8();
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(syntax: Syntax, text: &str) -> String {
        line(syntax, text).iter().map(|(_, piece)| *piece).collect()
    }

    #[test]
    fn tokens_always_rebuild_the_line() {
        for (syntax, text) in [
            (Syntax::Yaml, "  - name: \"a: b\" # not a comment"),
            (Syntax::Yaml, "key: 'it''s'"),
            (Syntax::Dockerfile, "RUN echo \"unterminated"),
            (Syntax::Hcl, "  bucket = \"state-${var.env}\""),
            (Syntax::Json, "{\"a\": [1, 2.5, \"x\\\"y\"]}"),
            (Syntax::Toml, "[phases.build]"),
            (Syntax::Yaml, "ünïcødé: ✓"),
        ] {
            assert_eq!(joined(syntax, text), text);
        }
    }

    #[test]
    fn keys_keywords_comments_and_strings_are_recognised() {
        assert_eq!(line(Syntax::Yaml, "name: CI")[0], (Token::Key, "name"));
        assert_eq!(
            line(Syntax::Dockerfile, "FROM node:20")[0],
            (Token::Keyword, "FROM")
        );
        assert_eq!(line(Syntax::Yaml, "# hi")[0], (Token::Comment, "# hi"));
        assert!(line(Syntax::Json, "\"x\"").contains(&(Token::Text, "\"x\"")));
    }
}
