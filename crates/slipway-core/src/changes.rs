//! What an edit changed, in terms a user can check: the settings whose values differ (at the
//! same paths findings use, `services[0].container.port`) and the generated files whose
//! contents differ. A fix's announcement and the preview of a fix that changes the user's
//! own settings are written from it.

use crate::formats::yaml::{Entry, Node};
use crate::{diff, Bundle, Design};

/// Rendered values longer than this many characters are cut with an ellipsis.
const MAX_VALUE_CHARS: usize = 60;

/// One setting that differs, at its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingChange {
    pub path: String,
    pub change: Change,
}

/// How a setting differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A value before and after (`None` where the setting did not exist, or no longer
    /// does).
    Value {
        before: Option<String>,
        after: Option<String>,
    },
    /// A list of plain values (ignore patterns, required checks): the items it lost and
    /// gained; both empty when only the order changed.
    Items {
        removed: Vec<String>,
        added: Vec<String>,
    },
}

impl SettingChange {
    /// The change in words: `3000 → 8081`, `added: integration`, `added coverage/`.
    pub fn describe(&self) -> String {
        match &self.change {
            Change::Value {
                before: Some(before),
                after: Some(after),
            } => format!("{before} → {after}"),
            Change::Value {
                before: None,
                after: Some(after),
            } => format!("added: {after}"),
            Change::Value {
                before: Some(before),
                after: None,
            } => format!("removed (was {before})"),
            Change::Value { .. } => "changed".to_owned(),
            Change::Items { removed, added } if removed.is_empty() && added.is_empty() => {
                "reordered".to_owned()
            }
            Change::Items { removed, added } => {
                let mut parts = Vec::new();
                if !added.is_empty() {
                    parts.push(format!("added {}", added.join(", ")));
                }
                if !removed.is_empty() {
                    parts.push(format!("removed {}", removed.join(", ")));
                }
                parts.join("; ")
            }
        }
    }
}

/// How a generated file differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChangeKind {
    /// The file is new.
    Added,
    /// The file is no longer generated.
    Removed,
    /// The file's contents differ.
    Changed,
}

/// One generated file that differs, with the number of lines added and removed and an
/// excerpt of its diff to show before a fix applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub kind: FileChangeKind,
    pub added: usize,
    pub removed: usize,
    pub excerpt: Vec<diff::Excerpt>,
}

/// Unchanged lines shown around each changed one, and the most lines a file's excerpt shows.
const EXCERPT_CONTEXT: usize = 2;
const EXCERPT_LINES: usize = 40;

/// Everything an edit changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub settings: Vec<SettingChange>,
    pub files: Vec<FileChange>,
}

impl Changes {
    /// Whether the edit changed nothing.
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty() && self.files.is_empty()
    }

    /// One sentence for an announcement: how many settings and which files changed
    /// ("2 settings and 1 file changed: api/.dockerignore.").
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "Nothing changed.".to_owned();
        }
        let settings = match self.settings.len() {
            0 => None,
            1 => Some("1 setting".to_owned()),
            n => Some(format!("{n} settings")),
        };
        let files = match self.files.len() {
            0 => None,
            1 => Some("1 file".to_owned()),
            n => Some(format!("{n} files")),
        };
        let counted = match (settings, files) {
            (Some(settings), Some(files)) => format!("{settings} and {files}"),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => unreachable!("an empty change returned above"),
        };
        if self.files.is_empty() {
            return format!("{counted} changed.");
        }
        const NAMED: usize = 4;
        let mut names = self
            .files
            .iter()
            .take(NAMED)
            .map(|file| file.path.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if self.files.len() > NAMED {
            names.push_str(&format!(" and {} more", self.files.len() - NAMED));
        }
        format!("{counted} changed: {names}.")
    }
}

/// What changed from `before` to `after`: settings and generated files.
pub fn between(before: &Design, after: &Design) -> Changes {
    Changes {
        settings: settings_between(before, after),
        files: files_between(&crate::generate(before), &crate::generate(after)),
    }
}

/// The settings whose values differ between two designs, in the order the design file
/// lists them. List items with an `id` or a `name` (jobs, services, environments) are
/// matched by it, so adding a job reads as one added job rather than every later job
/// changed.
pub fn settings_between(before: &Design, after: &Design) -> Vec<SettingChange> {
    let mut changes = Vec::new();
    compare(
        "",
        Some(&crate::io::design_node(before)),
        Some(&crate::io::design_node(after)),
        &mut changes,
    );
    changes
}

/// The generated files that differ between two bundles, in the order of `after` (then the
/// files only `before` had).
pub fn files_between(before: &Bundle, after: &Bundle) -> Vec<FileChange> {
    let mut changes = Vec::new();
    for file in &after.files {
        match before.file(&file.path) {
            Some(old) if old.contents == file.contents => {}
            Some(old) => {
                let lines = diff::lines(&old.contents, &file.contents);
                let (added, removed) = diff::summary(&lines);
                changes.push(FileChange {
                    path: file.path.clone(),
                    kind: FileChangeKind::Changed,
                    added,
                    removed,
                    excerpt: diff::excerpt(&lines, EXCERPT_CONTEXT, EXCERPT_LINES),
                });
            }
            None => {
                let lines = diff::lines("", &file.contents);
                changes.push(FileChange {
                    path: file.path.clone(),
                    kind: FileChangeKind::Added,
                    added: lines.len(),
                    removed: 0,
                    excerpt: diff::excerpt(&lines, EXCERPT_CONTEXT, EXCERPT_LINES),
                });
            }
        }
    }
    for file in &before.files {
        if after.file(&file.path).is_none() {
            changes.push(FileChange {
                path: file.path.clone(),
                kind: FileChangeKind::Removed,
                added: 0,
                removed: file.contents.lines().count(),
                excerpt: Vec::new(),
            });
        }
    }
    changes
}

fn compare(path: &str, before: Option<&Node>, after: Option<&Node>, out: &mut Vec<SettingChange>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Some(Node::Map(old)), Some(Node::Map(new))) => {
            for entry in new {
                let old_value = find(old, &entry.key);
                compare(&join(path, &entry.key), old_value, Some(&entry.value), out);
            }
            for entry in old {
                if find(new, &entry.key).is_none() {
                    compare(&join(path, &entry.key), Some(&entry.value), None, out);
                }
            }
        }
        (Some(Node::Seq(old)), Some(Node::Seq(new))) => {
            if old.iter().all(is_scalar) && new.iter().all(is_scalar) {
                let texts = |items: &[Node]| items.iter().map(render).collect::<Vec<_>>();
                let (old, new) = (texts(old), texts(new));
                out.push(SettingChange {
                    path: path.to_owned(),
                    change: Change::Items {
                        removed: old
                            .iter()
                            .filter(|item| !new.contains(item))
                            .cloned()
                            .collect(),
                        added: new
                            .iter()
                            .filter(|item| !old.contains(item))
                            .cloned()
                            .collect(),
                    },
                });
            } else {
                compare_items(path, old, new, out);
            }
        }
        _ => out.push(SettingChange {
            path: path.to_owned(),
            change: Change::Value {
                before: before.map(render),
                after: after.map(render),
            },
        }),
    }
}

/// Lists of mappings: items matched by their `id` or `name` when every item has one, else
/// by position.
fn compare_items(path: &str, old: &[Node], new: &[Node], out: &mut Vec<SettingChange>) {
    let item_path = |index: usize| format!("{path}[{index}]");
    if let (Some(old_keys), Some(new_keys)) = (identities(old), identities(new)) {
        for (index, (item, key)) in new.iter().zip(&new_keys).enumerate() {
            let matched = old_keys.iter().position(|old_key| old_key == key);
            compare(
                &item_path(index),
                matched.map(|at| &old[at]),
                Some(item),
                out,
            );
        }
        for (index, (item, key)) in old.iter().zip(&old_keys).enumerate() {
            if !new_keys.contains(key) {
                compare(&item_path(index), Some(item), None, out);
            }
        }
        return;
    }
    for index in 0..old.len().max(new.len()) {
        compare(&item_path(index), old.get(index), new.get(index), out);
    }
}

/// Every item's [`identity`], when every item has one.
fn identities(items: &[Node]) -> Option<Vec<&str>> {
    items.iter().map(identity).collect()
}

/// An item's `id` or `name`, when it is a mapping that has one.
fn identity(item: &Node) -> Option<&str> {
    let Node::Map(entries) = item else {
        return None;
    };
    ["id", "name"]
        .iter()
        .find_map(|key| match find(entries, key) {
            Some(Node::Str(value)) => Some(value.as_str()),
            _ => None,
        })
}

fn find<'a>(entries: &'a [Entry], key: &str) -> Option<&'a Node> {
    entries
        .iter()
        .find(|entry| entry.key == key)
        .map(|entry| &entry.value)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn is_scalar(node: &Node) -> bool {
    !matches!(node, Node::Seq(_) | Node::Map(_))
}

/// A value as a short text: scalars as written, a list of scalars inline, a mapping by its
/// `id` or `name` or its size.
fn render(node: &Node) -> String {
    let text = match node {
        Node::Null => "none".to_owned(),
        Node::Bool(value) => value.to_string(),
        Node::Int(value) => value.to_string(),
        Node::Str(value) if value.contains('\n') => {
            format!("{} lines", value.lines().count())
        }
        Node::Str(value) => value.clone(),
        Node::Seq(items) if items.is_empty() => "[]".to_owned(),
        Node::Seq(items) if items.iter().all(is_scalar) => {
            format!(
                "[{}]",
                items.iter().map(render).collect::<Vec<_>>().join(", ")
            )
        }
        Node::Seq(items) => format!("{} items", items.len()),
        Node::Map(entries) => match identity(node) {
            Some(name) => name.to_owned(),
            None => format!("{} settings", entries.len()),
        },
    };
    shorten(text)
}

/// `text` cut to [`MAX_VALUE_CHARS`] characters, with an ellipsis where it was cut.
fn shorten(text: String) -> String {
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn node_api() -> Design {
        presets::find("node-api")
            .map(|preset| (preset.build)())
            .unwrap()
    }

    #[test]
    fn a_changed_value_is_named_by_its_path_with_both_values() {
        let before = node_api();
        let mut after = before.clone();
        after.services[0].container.port = 8081;
        assert_eq!(
            settings_between(&before, &after),
            vec![SettingChange {
                path: "services[0].container.port".into(),
                change: Change::Value {
                    before: Some("3000".into()),
                    after: Some("8081".into()),
                },
            }]
        );
        assert_eq!(
            settings_between(&before, &after)[0].describe(),
            "3000 → 8081"
        );
    }

    #[test]
    fn an_added_job_is_one_change_not_every_job_after_it() {
        let before = node_api();
        let mut after = before.clone();
        let mut job = after.pipeline.jobs[0].clone();
        job.id = "integration".into();
        after.pipeline.jobs.insert(0, job);
        let changes = settings_between(&before, &after);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].path, "pipeline.jobs[0]");
        assert_eq!(changes[0].describe(), "added: integration");
        // And removing it again reads as one removal.
        let back = settings_between(&after, &before);
        assert_eq!(back.len(), 1, "{back:?}");
        assert_eq!(back[0].describe(), "removed (was integration)");
    }

    #[test]
    fn lists_of_plain_values_change_as_one_setting() {
        let before = node_api();
        let mut after = before.clone();
        after.services[0]
            .container
            .dockerignore
            .push("notes/*.draft".into());
        let changes = settings_between(&before, &after);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].path, "services[0].container.dockerignore");
        assert_eq!(changes[0].describe(), "added notes/*.draft");
        after.services[0].container.dockerignore.reverse();
        let reordered = settings_between(&before, &after);
        assert_eq!(reordered[0].describe(), "added notes/*.draft");
        let mut only_order = before.clone();
        only_order.services[0].container.dockerignore.reverse();
        assert_eq!(
            settings_between(&before, &only_order)[0].describe(),
            "reordered"
        );
    }

    #[test]
    fn identical_designs_change_nothing() {
        let design = node_api();
        let changes = between(&design, &design);
        assert!(changes.is_empty());
        assert_eq!(changes.summary(), "Nothing changed.");
    }

    #[test]
    fn a_fix_names_the_files_it_changes() {
        let mut before = node_api();
        before.services[0].container.user.uid = 0;
        let mut after = before.clone();
        after.services[0].container.user.uid = 1001;
        let changes = between(&before, &after);
        assert_eq!(changes.settings.len(), 1);
        let dockerfile = changes
            .files
            .iter()
            .find(|file| file.path == "Dockerfile")
            .expect("the Dockerfile changes");
        assert_eq!(dockerfile.kind, FileChangeKind::Changed);
        assert!(dockerfile.added > 0 && dockerfile.removed > 0);
        assert!(
            dockerfile
                .excerpt
                .iter()
                .any(|line| matches!(line, diff::Excerpt::Added(text) if text.contains("1001"))),
            "{:?}",
            dockerfile.excerpt
        );
        assert!(
            changes.summary().starts_with("1 setting and "),
            "{}",
            changes.summary()
        );
        assert!(
            changes.summary().contains("Dockerfile"),
            "{}",
            changes.summary()
        );
    }

    #[test]
    fn added_and_removed_files_are_told_apart() {
        let before = Bundle {
            files: vec![crate::GeneratedFile::new(
                "a.txt",
                crate::Syntax::Text,
                "one\ntwo\n",
            )],
        };
        let after = Bundle {
            files: vec![crate::GeneratedFile::new(
                "b.txt",
                crate::Syntax::Text,
                "x\n",
            )],
        };
        let changes = files_between(&before, &after);
        assert_eq!(
            changes
                .iter()
                .map(|file| (file.path.as_str(), file.kind, file.added, file.removed))
                .collect::<Vec<_>>(),
            vec![
                ("b.txt", FileChangeKind::Added, 1, 0),
                ("a.txt", FileChangeKind::Removed, 0, 2)
            ]
        );
    }

    #[test]
    fn the_summary_names_at_most_four_files() {
        let files = (1..=6)
            .map(|n| FileChange {
                path: format!("f{n}"),
                kind: FileChangeKind::Changed,
                added: 1,
                removed: 1,
                excerpt: Vec::new(),
            })
            .collect();
        let changes = Changes {
            settings: Vec::new(),
            files,
        };
        assert_eq!(
            changes.summary(),
            "6 files changed: f1, f2, f3, f4 and 2 more."
        );
    }
}
