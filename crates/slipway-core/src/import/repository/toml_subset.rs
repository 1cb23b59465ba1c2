//! The part of TOML that `railway.toml` and `nixpacks.toml` use: `[table]` headers and
//! `key = value` lines whose value is a string, a number, a boolean or a one-line array of
//! them. A full TOML parser would weigh more in the browser than these two small files
//! justify; anything outside the subset is reported at its line, never guessed.

use serde_json::{Map, Number, Value};

/// A setting and the line it is on (`deploy.startCommand`, 7).
pub type KeyLine = (String, usize);

/// The document as JSON, each setting's dotted key with its line, and the lines the subset
/// does not cover (multi-line values, inline tables), with what they are.
pub fn parse(text: &str) -> (Value, Vec<KeyLine>, Vec<(usize, String)>) {
    let mut root = Map::new();
    let mut keys = Vec::new();
    let mut unread = Vec::new();
    let mut table: Vec<String> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = strip_comment(raw).trim();
        if content.is_empty() {
            continue;
        }
        if let Some(header) = content.strip_prefix('[') {
            if header.starts_with('[') {
                unread.push((line, "an array of tables".to_owned()));
                table = vec!["\u{0}".to_owned()];
                continue;
            }
            let name = header.trim_end_matches(']').trim();
            table = name
                .split('.')
                .map(|part| unquote(part.trim()).to_owned())
                .collect();
            continue;
        }
        if table.first().is_some_and(|first| first == "\u{0}") {
            continue;
        }
        let Some((name, value)) = content.split_once('=') else {
            unread.push((line, format!("`{content}` is not a `key = value` line")));
            continue;
        };
        let Some(value) = scalar_or_array(value.trim()) else {
            unread.push((
                line,
                format!(
                    "the value of `{}` spans lines or is a table: not read",
                    name.trim()
                ),
            ));
            continue;
        };
        let mut path = table.clone();
        path.extend(
            name.trim()
                .split('.')
                .map(|part| unquote(part.trim()).to_owned()),
        );
        keys.push((path.join("."), line));
        insert(&mut root, &path, value);
    }
    (Value::Object(root), keys, unread)
}

fn insert(root: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = root;
    for part in parents {
        let entry = current
            .entry(part.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        current = next;
    }
    current.insert(last.clone(), value);
}

fn scalar_or_array(value: &str) -> Option<Value> {
    if let Some(inner) = value.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        let items: Option<Vec<Value>> = split_items(inner)
            .into_iter()
            .filter(|item| !item.trim().is_empty())
            .map(|item| scalar(item.trim()))
            .collect();
        return items.map(Value::Array);
    }
    scalar(value)
}

fn scalar(value: &str) -> Option<Value> {
    if value.starts_with("\"\"\"") || value.starts_with("'''") || value.starts_with('{') {
        return None;
    }
    if let Some(text) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return Some(Value::String(unescape(text)));
    }
    if let Some(text) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return Some(Value::String(text.to_owned()));
    }
    match value {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        _ => {}
    }
    let digits = value.replace('_', "");
    if let Ok(number) = digits.parse::<i64>() {
        return Some(Value::Number(number.into()));
    }
    digits
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

/// Items of a one-line array, split at the commas outside strings.
fn split_items(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut escaped = false;
    for (index, c) in inner.char_indices() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' => {
                items.push(&inner[start..index]);
                start = index + 1;
            }
            None => {}
        }
    }
    items.push(&inner[start..]);
    items
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn unquote(part: &str) -> &str {
    part.trim_matches('"').trim_matches('\'')
}

/// A line without its `#` comment (a `#` inside a string stays).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    for (index, c) in line.char_indices() {
        match quote {
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' => return &line[..index],
            None => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn railway_toml_reads_as_its_json_form() {
        let text = "[build]\nbuilder = \"NIXPACKS\" # comment\nbuildCommand = 'npm run build'\n\n[deploy]\nstartCommand = \"node dist/main.js\"\nhealthcheckPath = \"/health\"\nnumReplicas = 2\nwatchPatterns = [\"src/**\", \"package.json\"]\n";
        let (value, keys, unread) = parse(text);
        assert_eq!(value["build"]["builder"], "NIXPACKS");
        assert_eq!(value["deploy"]["numReplicas"], 2);
        assert_eq!(value["deploy"]["watchPatterns"][1], "package.json");
        assert!(keys.contains(&("deploy.healthcheckPath".to_owned(), 7)));
        assert!(unread.is_empty());
    }

    #[test]
    fn multi_line_values_are_reported_not_guessed() {
        let (_, _, unread) = parse("[deploy]\nstartCommand = \"\"\"\nnode\n\"\"\"\n");
        assert_eq!(unread[0].0, 2);
    }
}
