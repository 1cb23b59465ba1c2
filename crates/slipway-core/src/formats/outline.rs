//! Where each key and list item of a block-style YAML document (or of a JSON text) starts, so
//! findings about a design or an imported file can name their lines (the parsers give values,
//! not node positions).
//!
//! The scanner follows indentation only: block scalars (`run: |`), multi-line plain or quoted
//! values and flow collections (`[a, b]`, `{a: 1}`) are skipped as one value; keys inside a
//! flow collection are not listed, so a lookup falls back to the collection's key. It never
//! fails: text it cannot read simply has no entries.

/// One step of a path into the document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// Shorthand for a key segment.
pub fn key(name: &str) -> Segment {
    Segment::Key(name.to_owned())
}

/// The 1-based line of every key and list item of a document, by path.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    entries: Vec<(Vec<Segment>, usize)>,
}

impl Outline {
    /// Scans `text`. Linear in its size.
    pub fn new(text: &str) -> Self {
        let mut scanner = Scanner::default();
        for (index, raw) in text.lines().enumerate() {
            scanner.line(index + 1, raw);
        }
        Outline {
            entries: scanner.entries,
        }
    }

    /// Scans a JSON text: every object key and array element, by path. Linear in its size;
    /// malformed JSON gives the entries up to where it stops making sense.
    pub fn json(text: &str) -> Self {
        JsonScanner::default().scan(text)
    }

    /// The line where `path` starts, if the document has it.
    pub fn line(&self, path: &[Segment]) -> Option<usize> {
        self.entries
            .iter()
            .find(|(entry, _)| entry.as_slice() == path)
            .map(|(_, line)| *line)
    }

    /// The line of `path`, or of its longest prefix the document has.
    pub fn nearest(&self, path: &[Segment]) -> Option<usize> {
        (1..=path.len())
            .rev()
            .find_map(|length| self.line(&path[..length]))
    }

    /// The line of a design field ([`field_path`]), or of its deepest part the document has.
    pub fn field_line(&self, field: &str) -> Option<usize> {
        self.nearest(&field_path(field))
    }
}

/// The path of a design field (`pipeline.jobs[2].cache.key_files`): its keys and indexes.
pub fn field_path(field: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (name, rest) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            out.push(key(name));
        }
        for index in rest.split('[') {
            if let Ok(index) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(index));
            }
        }
    }
    out
}

/// An open mapping entry or list item, and how many items its sequence has seen.
struct Frame {
    column: isize,
    is_item: bool,
    path: Vec<Segment>,
    items: usize,
}

struct Scanner {
    stack: Vec<Frame>,
    entries: Vec<(Vec<Segment>, usize)>,
    /// Lines indented deeper than this belong to the previous node's value.
    skip_deeper_than: Option<isize>,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner {
            stack: vec![Frame {
                column: -1,
                is_item: false,
                path: Vec::new(),
                items: 0,
            }],
            entries: Vec::new(),
            skip_deeper_than: None,
        }
    }
}

impl Scanner {
    fn line(&mut self, number: usize, raw: &str) {
        let content = raw.trim_start_matches([' ', '\t']);
        let indent = (raw.len() - content.len()) as isize;
        let content = content.trim_end();
        if content.is_empty() {
            return;
        }
        if let Some(limit) = self.skip_deeper_than {
            if indent > limit {
                return;
            }
            self.skip_deeper_than = None;
        }
        if content.starts_with('#')
            || (indent == 0
                && (content.starts_with("---")
                    || content.starts_with("...")
                    || content.starts_with('%')))
        {
            return;
        }
        let mut column = indent;
        let mut rest = content;
        // Owner of an inline value: the column of the last node opened on this line.
        let mut last_column = column;
        while rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t") {
            self.item(column, number);
            last_column = column;
            let after = &rest[1..];
            let trimmed = after.trim_start_matches([' ', '\t']);
            column += 1 + (after.len() - trimmed.len()) as isize;
            rest = trimmed;
        }
        if rest.is_empty() {
            return;
        }
        let value = match split_key(rest) {
            Some((name, value)) => {
                self.key(column, name, number);
                last_column = column;
                value
            }
            None => rest,
        };
        if has_inline_value(value) {
            self.skip_deeper_than = Some(last_column);
        }
    }

    fn pop_until(&mut self, keep: impl Fn(&Frame) -> bool) {
        while self.stack.len() > 1 && self.stack.last().is_some_and(|frame| !keep(frame)) {
            self.stack.pop();
        }
    }

    fn item(&mut self, column: isize, number: usize) {
        // A sequence may sit at its key's own column (`steps:` then `- run: x`).
        self.pop_until(|frame| frame.column < column || (frame.column == column && !frame.is_item));
        let Some(parent) = self.stack.last_mut() else {
            return;
        };
        let index = parent.items;
        parent.items += 1;
        let mut path = parent.path.clone();
        path.push(Segment::Index(index));
        self.entries.push((path.clone(), number));
        self.stack.push(Frame {
            column,
            is_item: true,
            path,
            items: 0,
        });
    }

    fn key(&mut self, column: isize, name: String, number: usize) {
        self.pop_until(|frame| frame.column < column);
        let Some(parent) = self.stack.last() else {
            return;
        };
        let mut path = parent.path.clone();
        path.push(Segment::Key(name));
        self.entries.push((path.clone(), number));
        self.stack.push(Frame {
            column,
            is_item: false,
            path,
            items: 0,
        });
    }
}

/// An open JSON object (with the key being read) or array (with the element being read).
enum JsonFrame {
    Object {
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        index: usize,
        started: bool,
    },
}

#[derive(Default)]
struct JsonScanner {
    stack: Vec<JsonFrame>,
    entries: Vec<(Vec<Segment>, usize)>,
}

impl JsonScanner {
    fn path(&self) -> Vec<Segment> {
        self.stack
            .iter()
            .filter_map(|frame| match frame {
                JsonFrame::Object { key: Some(key), .. } => Some(Segment::Key(key.clone())),
                JsonFrame::Array {
                    index,
                    started: true,
                } => Some(Segment::Index(*index)),
                _ => None,
            })
            .collect()
    }

    /// A value starts: in an array, that is the next element.
    fn value(&mut self, line: usize) {
        if let Some(JsonFrame::Array { started, .. }) = self.stack.last_mut() {
            if !*started {
                *started = true;
                let path = self.path();
                self.entries.push((path, line));
            }
        }
    }

    fn scan(mut self, text: &str) -> Outline {
        let mut line = 1;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => line += 1,
                '"' => {
                    let start = line;
                    let mut string = String::new();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => {
                                if let Some(escaped) = chars.next() {
                                    string.push(escaped);
                                }
                            }
                            '"' => break,
                            '\n' => {
                                line += 1;
                                string.push(c);
                            }
                            _ => string.push(c),
                        }
                    }
                    match self.stack.last_mut() {
                        Some(JsonFrame::Object { key, expect_key }) if *expect_key => {
                            *key = Some(string);
                            *expect_key = false;
                            let path = self.path();
                            self.entries.push((path, start));
                        }
                        _ => self.value(start),
                    }
                }
                '{' => {
                    self.value(line);
                    self.stack.push(JsonFrame::Object {
                        key: None,
                        expect_key: true,
                    });
                }
                '[' => {
                    self.value(line);
                    self.stack.push(JsonFrame::Array {
                        index: 0,
                        started: false,
                    });
                }
                '}' | ']' => {
                    self.stack.pop();
                }
                ',' => match self.stack.last_mut() {
                    Some(JsonFrame::Object { expect_key, .. }) => *expect_key = true,
                    Some(JsonFrame::Array { index, started }) if *started => {
                        *index += 1;
                        *started = false;
                    }
                    _ => {}
                },
                ':' => {}
                c if c.is_whitespace() => {}
                _ => {
                    self.value(line);
                    while chars.peek().is_some_and(|next| {
                        !matches!(next, ',' | '}' | ']' | '\n') && !next.is_whitespace()
                    }) {
                        chars.next();
                    }
                }
            }
        }
        Outline {
            entries: self.entries,
        }
    }
}

/// `key: value` → the key (unquoted) and the rest after the colon.
fn split_key(text: &str) -> Option<(String, &str)> {
    if text.starts_with(['[', '{', '?', '!', '&', '*', '|', '>']) {
        return None;
    }
    let (name, rest) = match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let end = closing_quote(text, quote)?;
            let name = unquote(&text[1..end], quote);
            (name, text[end + 1..].trim_start())
        }
        _ => {
            let colon = plain_key_end(text)?;
            (text[..colon].trim_end().to_owned(), &text[colon..])
        }
    };
    let value = rest.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    Some((name, value.trim_start()))
}

/// The position of the colon that ends a plain key: followed by a blank or the end.
fn plain_key_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    for (position, byte) in bytes.iter().enumerate() {
        match byte {
            b'#' if position > 0 && matches!(bytes[position - 1], b' ' | b'\t') => return None,
            b':' if matches!(bytes.get(position + 1), None | Some(b' ' | b'\t')) => {
                return Some(position)
            }
            _ => {}
        }
    }
    None
}

fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = quote as u8;
    let mut position = 1;
    while position < bytes.len() {
        let byte = bytes[position];
        if quote == b'"' && byte == b'\\' {
            position += 2;
            continue;
        }
        if byte == quote {
            if quote == b'\'' && bytes.get(position + 1) == Some(&b'\'') {
                position += 2;
                continue;
            }
            return Some(position);
        }
        position += 1;
    }
    None
}

fn unquote(inner: &str, quote: char) -> String {
    match quote {
        '\'' => inner.replace("''", "'"),
        _ => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
    }
}

/// Whether what follows a key or dash is a value of its own (so deeper lines continue it),
/// rather than nothing, a comment, an anchor or a tag before a nested block.
fn has_inline_value(value: &str) -> bool {
    let mut rest = value.trim();
    loop {
        if rest.is_empty() || rest.starts_with('#') {
            return false;
        }
        if rest.starts_with('&') || rest.starts_with('!') {
            rest = rest
                .split_once([' ', '\t'])
                .map_or("", |(_, tail)| tail.trim_start());
            continue;
        }
        return true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(outline: &Outline, path: &[Segment]) -> Option<usize> {
        outline.line(path)
    }

    const WORKFLOW: &str = r#"name: CI
"on":
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Test
        run: |
          npm test
          build: not a key
      - run: >-
          folded
    env:
      A: "1"
  deploy:
    needs:
    - build
    - lint
    steps:
    - name: "multi
        line"
      run: echo "a: b"
"#;

    #[test]
    fn keys_items_and_nesting_are_located() {
        let outline = Outline::new(WORKFLOW);
        assert_eq!(at(&outline, &[key("on")]), Some(2));
        assert_eq!(
            at(&outline, &[key("on"), key("push"), key("branches")]),
            Some(4)
        );
        let steps = [key("jobs"), key("build"), key("steps")];
        assert_eq!(at(&outline, &steps), Some(8));
        let mut second = steps.to_vec();
        second.push(Segment::Index(1));
        assert_eq!(at(&outline, &second), Some(10));
        second.push(key("run"));
        assert_eq!(at(&outline, &second), Some(11));
        let mut third = steps.to_vec();
        third.push(Segment::Index(2));
        assert_eq!(at(&outline, &third), Some(14));
        assert_eq!(
            at(&outline, &[key("jobs"), key("build"), key("env"), key("A")]),
            Some(17)
        );
        assert_eq!(
            at(
                &outline,
                &[key("jobs"), key("deploy"), key("needs"), Segment::Index(1)]
            ),
            Some(21)
        );
        let run = [
            key("jobs"),
            key("deploy"),
            key("steps"),
            Segment::Index(0),
            key("run"),
        ];
        assert_eq!(at(&outline, &run), Some(25));
    }

    #[test]
    fn block_scalar_lines_are_not_keys() {
        let outline = Outline::new(WORKFLOW);
        assert!(outline
            .entries
            .iter()
            .all(|(path, _)| !path.contains(&key("build")) || path[1] == key("build")));
        assert_eq!(
            at(&outline, &[key("jobs"), key("build"), key("build")]),
            None
        );
    }

    #[test]
    fn a_missing_path_falls_back_to_its_parent() {
        let outline = Outline::new(WORKFLOW);
        let path = [key("jobs"), key("deploy"), key("environment")];
        assert_eq!(outline.nearest(&path), Some(18));
        assert_eq!(outline.nearest(&[key("nothing")]), None);
    }

    #[test]
    fn anchors_tags_and_comments_open_nested_blocks() {
        let outline = Outline::new("base: &defaults # shared\n  a: 1\nother: !!map\n  b: 2\n");
        assert_eq!(outline.line(&[key("base"), key("a")]), Some(2));
        assert_eq!(outline.line(&[key("other"), key("b")]), Some(4));
    }

    #[test]
    fn json_keys_and_elements_are_located_by_path() {
        let text = "{\n  \"environments\": {\"staging\": {\"deploy\": {\"numReplicas\": 1}}},\n  \"deploy\": {\n    \"a\\\"b\": [\n      1,\n      {\"x\": true}\n    ],\n    \"numReplicas\": 2\n  }\n}";
        let outline = Outline::json(text);
        assert_eq!(outline.line(&[key("deploy")]), Some(3));
        assert_eq!(outline.line(&[key("deploy"), key("numReplicas")]), Some(8));
        assert_eq!(
            outline.line(&[key("deploy"), key("a\"b"), Segment::Index(1), key("x")]),
            Some(6)
        );
        assert_eq!(
            outline.line(&[
                key("environments"),
                key("staging"),
                key("deploy"),
                key("numReplicas")
            ]),
            Some(2)
        );
        for broken in ["{\"a\": [", "]]}}", "\"\\", "{\"a\" \"b\": ,,}"] {
            let _ = Outline::json(broken).nearest(&[key("a")]);
        }
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "- - -",
            "\"unterminated: x",
            "'a'': b",
            ":\n  :",
            "- \t- x: y",
            "é: ü\n  ø: 1",
        ] {
            let _ = Outline::new(text).nearest(&[key("a")]);
        }
    }

    fn line_of(text: &str, field: &str) -> Option<usize> {
        Outline::new(text).field_line(field)
    }

    const DESIGN: &str = "version: 1
project:
  name: api
container:
  port: 80
  user:
    uid: 0
pipeline:
  jobs:
  - id: lint
    kind: lint
  - id: test
    cache:
      enabled: false
";

    #[test]
    fn keys_and_list_items_are_found() {
        assert_eq!(line_of(DESIGN, "container.user.uid"), Some(7));
        assert_eq!(line_of(DESIGN, "pipeline.jobs[1]"), Some(12));
        assert_eq!(line_of(DESIGN, "pipeline.jobs[1].cache.enabled"), Some(14));
        assert_eq!(line_of(DESIGN, "pipeline.jobs[0].kind"), Some(11));
        assert_eq!(line_of(DESIGN, "pipeline.jobs[1].id"), Some(12));
    }

    #[test]
    fn a_key_is_not_taken_from_the_next_list_item() {
        assert_eq!(line_of(DESIGN, "pipeline.jobs[0].cache"), Some(10));
    }

    #[test]
    fn a_missing_part_falls_back_to_its_parent() {
        assert_eq!(line_of(DESIGN, "container.healthcheck.path"), Some(4));
        assert_eq!(line_of(DESIGN, "kubernetes.replicas"), None);
        assert_eq!(line_of("", "a.b"), None);
    }

    #[test]
    fn items_are_counted_in_their_own_list_only() {
        let text = "jobs:\n- id: a\n  commands:\n  - x\n  - y\n- id: b\nreadiness: 1\n";
        assert_eq!(line_of(text, "jobs[1].id"), Some(6));
        let nested = "container:\n  readiness:\n    enabled: true\nreadiness:\n  hsts: true\n";
        assert_eq!(line_of(nested, "readiness.hsts"), Some(5));
        assert_eq!(line_of(nested, "container.enabled"), Some(1));
    }

    #[test]
    fn field_paths_are_keys_and_indexes() {
        assert_eq!(
            field_path("pipeline.jobs[2].matrix[0][1].name"),
            [
                key("pipeline"),
                key("jobs"),
                Segment::Index(2),
                key("matrix"),
                Segment::Index(0),
                Segment::Index(1),
                key("name")
            ]
        );
        assert!(field_path("").is_empty());
    }
}
