//! Finding the line of a design field (`pipeline.jobs[2].cache.key_files`) in the YAML text
//! it was read from, so reports (SARIF, the CLI) can point at a line. Best effort: the
//! deepest part of the path that can be found wins.

/// The 1-based line of the deepest found part of `field` in a block-style YAML document.
pub fn line_of(text: &str, field: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Option<usize> = None;
    // Search window: lines after `start` whose indentation is deeper than `parent_indent`.
    let mut start = 0usize;
    let mut parent_indent: isize = -1;
    for segment in segments(field) {
        let hit = match segment {
            Segment::Key(key) => find_key(&lines, start, parent_indent, key),
            Segment::Index(index) => find_item(&lines, start, parent_indent, index),
        };
        match hit {
            Some((line, indent)) => {
                found = Some(line + 1);
                start = line;
                parent_indent = indent;
            }
            None => break,
        }
    }
    found
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(field: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in field.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for index in rest.split('[') {
            if let Ok(index) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(index));
            }
        }
    }
    out
}

fn indent_of(line: &str) -> isize {
    (line.len() - line.trim_start().len()) as isize
}

/// Lines of the block under the parent: from `start` (exclusive when the parent is a line)
/// until a line at or above the parent's indentation.
fn block<'a>(
    lines: &'a [&'a str],
    start: usize,
    parent_indent: isize,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let first = if parent_indent < 0 { 0 } else { start + 1 };
    lines
        .iter()
        .enumerate()
        .skip(first)
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        // A sequence may sit at its key's own indentation (`jobs:` then `- id: lint`).
        .take_while(move |(_, line)| {
            indent_of(line) > parent_indent
                || (indent_of(line) == parent_indent && line.trim_start().starts_with('-'))
        })
        .map(|(number, line)| (number, *line))
}

fn find_key(
    lines: &[&str],
    start: usize,
    parent_indent: isize,
    key: &str,
) -> Option<(usize, isize)> {
    // The first key of a list item sits after its `- `.
    block(lines, start, parent_indent).find_map(|(number, line)| {
        let trimmed = line.trim_start();
        let (content, extra) = match trimmed.strip_prefix("- ") {
            Some(rest) if number == start => (rest, 2),
            _ => (trimmed, 0),
        };
        let name = content.split_once(':')?.0.trim().trim_matches(['"', '\'']);
        (name == key).then_some((number, indent_of(line) + extra))
    })
}

fn find_item(
    lines: &[&str],
    start: usize,
    parent_indent: isize,
    index: usize,
) -> Option<(usize, isize)> {
    let mut items = block(lines, start, parent_indent)
        .filter(|(_, line)| line.trim_start().starts_with("- ") || line.trim() == "-");
    let (number, line) = items.nth(index)?;
    // The item's own keys sit deeper than its dash; the next item does not.
    Some((number, indent_of(line) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "version: 1
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
        assert_eq!(line_of(TEXT, "container.user.uid"), Some(7));
        assert_eq!(line_of(TEXT, "pipeline.jobs[1]"), Some(12));
        assert_eq!(line_of(TEXT, "pipeline.jobs[1].cache.enabled"), Some(14));
        assert_eq!(line_of(TEXT, "pipeline.jobs[0].kind"), Some(11));
        assert_eq!(line_of(TEXT, "pipeline.jobs[1].id"), Some(12));
    }

    #[test]
    fn a_key_is_not_taken_from_the_next_list_item() {
        assert_eq!(line_of(TEXT, "pipeline.jobs[0].cache"), Some(10));
    }

    #[test]
    fn a_missing_part_falls_back_to_its_parent() {
        assert_eq!(line_of(TEXT, "container.healthcheck.path"), Some(4));
        assert_eq!(line_of(TEXT, "kubernetes.replicas"), None);
        assert_eq!(line_of("", "a.b"), None);
    }
}
