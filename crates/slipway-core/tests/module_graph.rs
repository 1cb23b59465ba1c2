//! The core's module structure: no import circle between its modules, and the layers of
//! ARCHITECTURE.md hold (the bottom layer uses nothing above the model; rules and generators
//! never import each other).
//!
//! Every `.rs` file under `src/` is a module. An edge runs from a module to the module that
//! *defines* each item it names through a path (`use` trees, and `crate::`/`super::`/`self::`
//! or child-module paths in code and macro input), following `pub use` re-exports to their
//! source. `mod` declarations are containment, not edges. Test-only code (`#[cfg(test)]`
//! items and `tests.rs` files) may use anything and is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module: its path from the crate root (`["rules", "docker", "docker_001"]`).
type ModulePath = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// Source text to tokens, without comments, strings, chars and lifetimes.
fn tokenize(source: &str) -> Vec<Token> {
    let bytes = source.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if source[i..].starts_with("//") {
            i = source[i..].find('\n').map_or(bytes.len(), |end| i + end);
        } else if source[i..].starts_with("/*") {
            let mut depth = 0;
            while i < bytes.len() {
                if source[i..].starts_with("/*") {
                    depth += 1;
                    i += 2;
                } else if source[i..].starts_with("*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(end) = raw_string_end(source, i) {
            i = end;
        } else if c == b'"' || (c == b'b' && bytes.get(i + 1) == Some(&b'"')) {
            i += if c == b'b' { 2 } else { 1 };
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == b'\'' {
            // A char literal ('a', '\n', '\u{1F600}') or a lifetime ('a).
            let rest = &source[i + 1..];
            let char_len = if rest.starts_with('\\') {
                rest.find('\'').map(|end| end + 1)
            } else {
                rest.chars()
                    .next()
                    .filter(|ch| rest[ch.len_utf8()..].starts_with('\''))
                    .map(|ch| ch.len_utf8() + 1)
            };
            match char_len {
                Some(len) => i += 1 + len,
                None => {
                    i += 1;
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_')
                    {
                        i += 1;
                    }
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            let word = source[start..i].trim_start_matches("r#");
            tokens.push(Token::Ident(word.to_owned()));
        } else if source[i..].starts_with("::") {
            tokens.push(Token::PathSep);
            i += 2;
        } else if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
        } else {
            if !c.is_ascii_whitespace() {
                tokens.push(Token::Punct(c as char));
            }
            i += 1;
        }
    }
    tokens
}

/// The end of a raw string literal (`r"…"`, `r#"…"#`, `br"…"`) starting at `i`.
fn raw_string_end(source: &str, i: usize) -> Option<usize> {
    let rest = &source[i..];
    let rest = rest.strip_prefix('b').unwrap_or(rest);
    let after_r = rest.strip_prefix('r')?;
    if i > 0 && {
        let before = source.as_bytes()[i - 1];
        before.is_ascii_alphanumeric() || before == b'_'
    } {
        return None;
    }
    let hashes = after_r.len() - after_r.trim_start_matches('#').len();
    let body = after_r[hashes..].strip_prefix('"')?;
    let closing = format!("\"{}", "#".repeat(hashes));
    let end = body.find(&closing)?;
    Some(source.len() - body.len() + end + closing.len())
}

/// Drops every item behind `#[cfg(test)]` (up to its closing brace or semicolon).
fn without_test_items(tokens: Vec<Token>) -> Vec<Token> {
    let mut kept = Vec::new();
    let mut i = 0;
    let cfg_test = [
        Token::Punct('#'),
        Token::Punct('['),
        Token::Ident("cfg".into()),
        Token::Punct('('),
        Token::Ident("test".into()),
        Token::Punct(')'),
        Token::Punct(']'),
    ];
    while i < tokens.len() {
        if tokens[i..].starts_with(&cfg_test) {
            i += cfg_test.len();
            let mut depth = 0;
            while i < tokens.len() {
                match &tokens[i] {
                    Token::Punct('{') => depth += 1,
                    Token::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    Token::Punct(';') if depth == 0 => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
        } else {
            kept.push(tokens[i].clone());
            i += 1;
        }
    }
    kept
}

/// What one module says: the paths it names and the names it re-exports.
#[derive(Default)]
struct ModuleText {
    /// Paths as written (`["crate", "rules", "Context"]`).
    paths: Vec<Vec<String>>,
    /// `pub use` re-exports: the name visible here and the path it stands for; `*` for a glob.
    reexports: Vec<(String, Vec<String>)>,
}

fn is_keyword_start(word: &str) -> bool {
    matches!(word, "crate" | "$crate" | "super" | "self")
}

/// Expands a `use` tree starting at `tokens[i]` (after `use`), returning its paths (with the
/// name each is bound to) and the index past the closing `;`.
fn use_tree(tokens: &[Token], mut i: usize) -> (Vec<(String, Vec<String>)>, usize) {
    fn tree(
        tokens: &[Token],
        i: &mut usize,
        prefix: &[String],
        out: &mut Vec<(String, Vec<String>)>,
    ) {
        let mut path = prefix.to_vec();
        loop {
            match tokens.get(*i) {
                Some(Token::PathSep) => *i += 1,
                Some(Token::Ident(word)) if word == "as" => {
                    *i += 1;
                    if let Some(Token::Ident(alias)) = tokens.get(*i) {
                        *i += 1;
                        out.push((alias.clone(), path.clone()));
                    }
                    return;
                }
                Some(Token::Ident(word)) => {
                    path.push(word.clone());
                    *i += 1;
                }
                Some(Token::Punct('*')) => {
                    *i += 1;
                    out.push(("*".into(), path));
                    return;
                }
                Some(Token::Punct('{')) => {
                    *i += 1;
                    loop {
                        match tokens.get(*i) {
                            Some(Token::Punct('}')) => {
                                *i += 1;
                                return;
                            }
                            Some(Token::Punct(',')) => *i += 1,
                            None => return,
                            _ => tree(tokens, i, &path, out),
                        }
                    }
                }
                _ => {
                    let name = path.last().cloned().unwrap_or_default();
                    let name = if name == "self" {
                        path.pop();
                        path.last().cloned().unwrap_or_default()
                    } else {
                        name
                    };
                    out.push((name, path));
                    return;
                }
            }
        }
    }
    let mut out = Vec::new();
    tree(tokens, &mut i, &[], &mut out);
    while i < tokens.len() && tokens[i] != Token::Punct(';') {
        i += 1;
    }
    (out, i + 1)
}

fn read_module(tokens: &[Token], children: &BTreeSet<String>) -> ModuleText {
    let mut text = ModuleText::default();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i] == Token::Ident("use".into()) {
            let public = i > 0
                && (tokens[i - 1] == Token::Ident("pub".into())
                    || tokens[i - 1] == Token::Punct(')'));
            let (bound, next) = use_tree(tokens, i + 1);
            for (name, path) in bound {
                if public {
                    text.reexports.push((name, path.clone()));
                }
                text.paths.push(path);
            }
            i = next;
            continue;
        }
        let starts_path = match &tokens[i] {
            Token::Ident(word) => {
                (is_keyword_start(word) || children.contains(word))
                    && tokens.get(i + 1) == Some(&Token::PathSep)
                    && (i == 0 || tokens[i - 1] != Token::PathSep)
            }
            _ => false,
        };
        if !starts_path {
            i += 1;
            continue;
        }
        let mut path = Vec::new();
        while let Some(Token::Ident(word)) = tokens.get(i) {
            path.push(word.clone());
            i += 1;
            if tokens.get(i) == Some(&Token::PathSep) {
                i += 1;
            } else {
                break;
            }
        }
        text.paths.push(path);
    }
    text
}

struct Crate {
    modules: BTreeMap<ModulePath, ModuleText>,
    /// Items each module defines (functions, types, consts, modules, macros).
    defined: BTreeMap<ModulePath, BTreeSet<String>>,
}

fn module_files(src: &Path) -> Vec<(ModulePath, PathBuf)> {
    fn walk(dir: &Path, prefix: &ModulePath, out: &mut Vec<(ModulePath, PathBuf)>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut next = prefix.clone();
                next.push(name);
                walk(&path, &next, out);
            } else if path.extension().is_some_and(|ext| ext == "rs") && name != "tests" {
                let mut module = prefix.clone();
                if name != "mod" && !(prefix.is_empty() && name == "lib") {
                    module.push(name);
                }
                out.push((module, path));
            }
        }
    }
    let mut out = Vec::new();
    walk(src, &Vec::new(), &mut out);
    out
}

fn definitions(tokens: &[Token]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for pair in tokens.windows(2) {
        if let (Token::Ident(keyword), Token::Ident(name)) = (&pair[0], &pair[1]) {
            if matches!(
                keyword.as_str(),
                "fn" | "struct" | "enum" | "trait" | "const" | "static" | "type" | "mod" | "union"
            ) {
                names.insert(name.clone());
            }
        }
    }
    for window in tokens.windows(3) {
        if let [Token::Ident(rules), Token::Punct('!'), Token::Ident(name)] = window {
            if rules == "macro_rules" {
                names.insert(name.clone());
            }
        }
    }
    names
}

fn read_crate(src: &Path) -> Crate {
    let files = module_files(src);
    let all: BTreeSet<ModulePath> = files.iter().map(|(module, _)| module.clone()).collect();
    let mut modules = BTreeMap::new();
    let mut defined = BTreeMap::new();
    for (module, path) in files {
        let children: BTreeSet<String> = all
            .iter()
            .filter(|other| other.len() == module.len() + 1 && other.starts_with(&module))
            .map(|other| other.last().unwrap().clone())
            .collect();
        let tokens = without_test_items(tokenize(&fs::read_to_string(&path).unwrap()));
        defined.insert(module.clone(), definitions(&tokens));
        modules.insert(module, read_module(&tokens, &children));
    }
    Crate { modules, defined }
}

impl Crate {
    /// The module that defines what `path` (as written in `from`) names.
    fn resolve(&self, from: &ModulePath, path: &[String], depth: usize) -> Option<ModulePath> {
        let (mut base, rest): (ModulePath, &[String]) = match path.first()?.as_str() {
            "crate" | "$crate" => (Vec::new(), &path[1..]),
            "self" => (from.clone(), &path[1..]),
            "super" => {
                let mut base = from.clone();
                let mut rest = path;
                while rest.first().is_some_and(|segment| segment == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (base, rest)
            }
            _ => {
                let mut child = from.clone();
                child.push(path[0].clone());
                if !self.modules.contains_key(&child) {
                    return None; // an external crate or a local name
                }
                (from.clone(), path)
            }
        };
        let mut rest = rest;
        while let Some(segment) = rest.first() {
            let mut next = base.clone();
            next.push(segment.clone());
            if self.modules.contains_key(&next) {
                base = next;
                rest = &rest[1..];
            } else {
                break;
            }
        }
        let Some(name) = rest.first() else {
            return Some(base);
        };
        if depth > 8
            || self
                .defined
                .get(&base)
                .is_some_and(|names| names.contains(name))
        {
            return Some(base);
        }
        let text = self.modules.get(&base)?;
        for (bound, target) in &text.reexports {
            if bound == name {
                let mut full = target.clone();
                full.extend(rest[1..].iter().cloned());
                return self.resolve(&base, &full, depth + 1).or(Some(base.clone()));
            }
        }
        for (bound, target) in &text.reexports {
            if bound == "*" {
                let mut full = target.clone();
                full.extend(rest.iter().cloned());
                if let Some(found) = self.resolve(&base, &full, depth + 1) {
                    return Some(found);
                }
            }
        }
        Some(base)
    }

    fn edges(&self) -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
        let mut edges: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
        for (module, text) in &self.modules {
            let targets = edges.entry(module.clone()).or_default();
            for path in &text.paths {
                if let Some(target) = self.resolve(module, path, 0) {
                    // A module naming its own ancestors' items through `super::` is how Rust
                    // reaches shared types; it is still an edge, and counted as one.
                    if target != *module && self.modules.contains_key(&target) {
                        targets.insert(target);
                    }
                }
            }
        }
        edges
    }
}

fn name(module: &ModulePath) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

/// Strongly connected components with more than one module (Tarjan).
fn circles(edges: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'a ModulePath, usize>,
        low: BTreeMap<&'a ModulePath, usize>,
        stack: Vec<&'a ModulePath>,
        on_stack: BTreeSet<&'a ModulePath>,
        found: Vec<Vec<ModulePath>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a ModulePath) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        for next in state.edges.get(node).into_iter().flatten() {
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[next].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next) {
                let low = state.index[next].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.clone());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

fn core_edges() -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    read_crate(&src).edges()
}

fn top(module: &ModulePath) -> &str {
    module.first().map_or("crate", String::as_str)
}

#[test]
fn the_core_has_no_module_circle() {
    let edges = core_edges();
    let found = circles(&edges);
    let report: Vec<String> = found
        .iter()
        .map(|component| {
            let members: BTreeSet<&ModulePath> = component.iter().collect();
            let ties: Vec<String> = component
                .iter()
                .flat_map(|from| {
                    edges[from]
                        .iter()
                        .filter(|to| members.contains(to))
                        .map(move |to| format!("    {} -> {}", name(from), name(to)))
                })
                .collect();
            format!(
                "a circle of {} modules:\n{}",
                component.len(),
                ties.join("\n")
            )
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_bottom_layer_uses_nothing_above_the_model() {
    let bottom = ["model", "facts", "formats", "text"];
    let mut wrong = Vec::new();
    for (from, targets) in core_edges() {
        if !bottom.contains(&top(&from)) {
            continue;
        }
        for to in targets {
            let allowed = bottom.contains(&top(&to))
                && !(top(&from) == "model" && top(&to) != "model" && top(&to) != "text");
            if !allowed {
                wrong.push(format!("{} -> {}", name(&from), name(&to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the bottom layer reaches up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn rules_and_generators_never_import_each_other() {
    let mut wrong = Vec::new();
    for (from, targets) in core_edges() {
        for to in targets {
            let pair = (top(&from), top(&to));
            if pair == ("rules", "generate") || pair == ("generate", "rules") {
                wrong.push(format!("{} -> {}", name(&from), name(&to)));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_sees_paths_reexports_and_circles() {
    let tokens = tokenize(
        "use crate::a::{b::{C, D as E}, self};\n// crate::x::Y\nlet s = \"crate::z::W\";\n\
         let c = '\"'; fn f<'a>(x: &'a str) { super::g::h(); child::K }\n\
         #[cfg(test)]\nmod tests { use crate::q::R; }\npub use crate::m::*;",
    );
    let children: BTreeSet<String> = ["child".to_owned()].into();
    let text = read_module(&without_test_items(tokens), &children);
    let paths: Vec<String> = text.paths.iter().map(|path| path.join("::")).collect();
    assert_eq!(
        paths,
        [
            "crate::a::b::C",
            "crate::a::b::D",
            "crate::a",
            "super::g::h",
            "child::K",
            "crate::m"
        ]
    );
    assert_eq!(
        text.reexports,
        [("*".to_owned(), vec!["crate".to_owned(), "m".to_owned()])]
    );

    let module = |path: &str| -> ModulePath { path.split("::").map(str::to_owned).collect() };
    let edges: BTreeMap<ModulePath, BTreeSet<ModulePath>> = [
        (module("a"), [module("b")].into()),
        (module("b"), [module("c")].into()),
        (module("c"), [module("a")].into()),
        (module("d"), [module("a")].into()),
    ]
    .into();
    assert_eq!(
        circles(&edges),
        [vec![module("a"), module("b"), module("c")]]
    );
}
