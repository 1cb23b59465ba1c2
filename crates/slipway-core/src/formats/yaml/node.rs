//! The tree a YAML file is built as: values, mappings with comments, and their builders.

/// A YAML value with optional comments on mapping entries.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping, with comment lines written above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Node,
    pub comment: Vec<String>,
    /// A blank line before the entry, to group related keys.
    pub gap: bool,
    /// A comment at the end of the entry's line (`uses: x@sha # v1.2.3`); written above the
    /// entry instead when the value spans lines.
    pub trailing: Option<String>,
}

/// Builds a mapping fluently: `Map::new().entry("a", 1).comment("why").entry("b", "x")`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Map(Vec<Entry>);

impl Map {
    pub fn new() -> Self {
        Map(Vec::new())
    }

    /// [`Node::visit_text`] over the mapping.
    pub fn visit_text(&self, visit: &mut impl FnMut(&str)) {
        visit_entries(&self.0, visit);
    }

    /// Adds `key: value`.
    pub fn entry(mut self, key: impl Into<String>, value: impl Into<Node>) -> Self {
        self.push(key, value);
        self
    }

    /// Adds `key: value` only when `value` is `Some`.
    pub fn optional(self, key: impl Into<String>, value: Option<impl Into<Node>>) -> Self {
        match value {
            Some(value) => self.entry(key, value),
            None => self,
        }
    }

    pub fn push(&mut self, key: impl Into<String>, value: impl Into<Node>) {
        self.0.push(Entry {
            key: key.into(),
            value: value.into(),
            comment: Vec::new(),
            gap: false,
            trailing: None,
        });
    }

    /// Attaches a comment line to the entry added last (or, before any entry, to the next one).
    pub fn comment(mut self, text: impl Into<String>) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.comment.push(text.into());
        }
        self
    }

    /// Attaches a comment at the end of the line of the entry added last.
    pub fn trailing(mut self, text: impl Into<String>) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.trailing = Some(text.into());
        }
        self
    }

    /// Puts a blank line before the entry added last.
    pub fn gap(mut self) -> Self {
        if let Some(last) = self.0.last_mut() {
            last.gap = true;
        }
        self
    }

    /// The entries, in order.
    pub fn entries(&self) -> &[Entry] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Node {
    /// Calls `visit` with every key and string value of the tree, depth first (comments are
    /// not visited).
    pub fn visit_text(&self, visit: &mut impl FnMut(&str)) {
        match self {
            Node::Str(text) => visit(text),
            Node::Seq(items) => items.iter().for_each(|item| item.visit_text(visit)),
            Node::Map(entries) => visit_entries(entries, visit),
            Node::Null | Node::Bool(_) | Node::Int(_) => {}
        }
    }
}

fn visit_entries(entries: &[Entry], visit: &mut impl FnMut(&str)) {
    for entry in entries {
        visit(&entry.key);
        entry.value.visit_text(visit);
    }
}

impl From<Map> for Node {
    fn from(map: Map) -> Node {
        Node::Map(map.0)
    }
}

impl From<&str> for Node {
    fn from(text: &str) -> Node {
        Node::Str(text.to_owned())
    }
}

impl From<String> for Node {
    fn from(text: String) -> Node {
        Node::Str(text)
    }
}

impl From<&String> for Node {
    fn from(text: &String) -> Node {
        Node::Str(text.clone())
    }
}

impl From<bool> for Node {
    fn from(value: bool) -> Node {
        Node::Bool(value)
    }
}

impl From<u16> for Node {
    fn from(value: u16) -> Node {
        Node::Int(value.into())
    }
}

impl From<u32> for Node {
    fn from(value: u32) -> Node {
        Node::Int(value.into())
    }
}

impl From<i64> for Node {
    fn from(value: i64) -> Node {
        Node::Int(value)
    }
}

impl<T: Into<Node>> From<Vec<T>> for Node {
    fn from(items: Vec<T>) -> Node {
        Node::Seq(items.into_iter().map(Into::into).collect())
    }
}
