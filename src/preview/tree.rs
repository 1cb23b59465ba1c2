//! The Files view's folder tree: a group's paths as folders and files, folders that hold only
//! one folder compacted into one row (`.github/workflows`) as editors show them, flattened into
//! the rows on screen. Plain data, tested natively; the view renders the rows.

use std::collections::{BTreeMap, HashSet};

/// One row of the tree as shown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Row {
    /// The depth, 1 for a group's top rows (ARIA's `aria-level` counts from there).
    pub level: usize,
    /// A folder's path with its trailing slash (`charts/api/templates/`), or a file's path.
    pub key: String,
    /// What the row shows: a file's name, or a folder's name (names, for a compacted chain).
    pub label: String,
    /// `Some(open)` for a folder, `None` for a file.
    pub open: Option<bool>,
    /// A file's place in the bundle's list of paths (0 for a folder).
    pub position: usize,
}

#[derive(Default)]
struct Folder<'a> {
    folders: BTreeMap<&'a str, Folder<'a>>,
    files: BTreeMap<&'a str, usize>,
}

/// The rows of the files at `positions` in `paths`, starting at `level`: each folder then its
/// contents, folders before files, both by name. A folder shows its contents when `open` says
/// so for its key; a closed folder's contents have no rows.
pub fn rows(
    paths: &[String],
    positions: &[usize],
    level: usize,
    open: &dyn Fn(&str) -> bool,
) -> Vec<Row> {
    let mut root = Folder::default();
    for &position in positions {
        let Some(path) = paths.get(position) else {
            continue;
        };
        let mut names: Vec<&str> = path.split('/').collect();
        let name = names.pop().unwrap_or_default();
        let folder = names.into_iter().fold(&mut root, |folder, name| {
            folder.folders.entry(name).or_default()
        });
        folder.files.insert(name, position);
    }
    let mut rows = Vec::new();
    push(&root, "", level, open, &mut rows);
    rows
}

fn push(
    folder: &Folder,
    prefix: &str,
    level: usize,
    open: &dyn Fn(&str) -> bool,
    rows: &mut Vec<Row>,
) {
    for (name, mut inner) in &folder.folders {
        let mut label = (*name).to_owned();
        // A folder holding nothing but one folder shares its row.
        while inner.files.is_empty() && inner.folders.len() == 1 {
            let Some((name, only)) = inner.folders.iter().next() else {
                break;
            };
            label.push('/');
            label.push_str(name);
            inner = only;
        }
        let key = format!("{prefix}{label}/");
        let is_open = open(&key);
        rows.push(Row {
            level,
            key: key.clone(),
            label,
            open: Some(is_open),
            position: 0,
        });
        if is_open {
            push(inner, &key, level + 1, open, rows);
        }
    }
    for (name, &position) in &folder.files {
        rows.push(Row {
            level,
            key: format!("{prefix}{name}"),
            label: (*name).to_owned(),
            open: None,
            position,
        });
    }
}

/// Whether a folder or group is open: every one is while a filter shows its matches, and
/// otherwise unless the user closed it.
pub fn is_open(key: &str, filtering: bool, closed: &HashSet<String>) -> bool {
    filtering || !closed.contains(key)
}

/// Opens the folders that hold `path` (every key that is a folder of it), so the shown file's
/// row is on screen.
pub fn reveal(closed: &mut HashSet<String>, path: &str) {
    closed.retain(|key| !(key.ends_with('/') && path.starts_with(key.as_str())));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> Vec<String> {
        [
            "apps/api/Dockerfile",
            "charts/api/Chart.yaml",
            "charts/api/templates/deployment.yaml",
            "charts/api/templates/service.yaml",
            "charts/api/values.yaml",
            ".github/workflows/ci.yml",
            "README.md",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    fn shown(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|row| format!("{}{}", "  ".repeat(row.level - 1), row.label))
            .collect()
    }

    #[test]
    fn folders_come_first_and_single_folder_chains_share_a_row() {
        let paths = paths();
        let all: Vec<usize> = (0..paths.len()).collect();
        let rows = rows(&paths, &all, 1, &|_| true);
        assert_eq!(
            shown(&rows),
            [
                ".github/workflows",
                "  ci.yml",
                "apps/api",
                "  Dockerfile",
                "charts/api",
                "  templates",
                "    deployment.yaml",
                "    service.yaml",
                "  Chart.yaml",
                "  values.yaml",
                "README.md",
            ]
        );
        let deployment = rows
            .iter()
            .find(|row| row.label == "deployment.yaml")
            .unwrap();
        assert_eq!(deployment.key, "charts/api/templates/deployment.yaml");
        assert_eq!(deployment.position, 2);
        assert_eq!(rows[5].key, "charts/api/templates/");
        assert_eq!(rows[5].open, Some(true));
    }

    #[test]
    fn a_closed_folder_hides_its_contents_and_a_subset_builds_its_own_folders() {
        let paths = paths();
        let all: Vec<usize> = (0..paths.len()).collect();
        let rows_closed = rows(&paths, &all, 2, &|key| key != "charts/api/");
        let charts = rows_closed
            .iter()
            .find(|row| row.key == "charts/api/")
            .unwrap();
        assert_eq!((charts.open, charts.level), (Some(false), 2));
        assert!(!rows_closed
            .iter()
            .any(|row| row.key.starts_with("charts/api/t")));
        // Only the values file: its folders still lead to it.
        assert_eq!(
            shown(&rows(&paths, &[4], 1, &|_| true)),
            ["charts/api", "  values.yaml"]
        );
        assert!(rows(&paths, &[], 1, &|_| true).is_empty());
    }

    #[test]
    fn filtering_opens_everything_and_showing_a_file_opens_its_folders() {
        let mut closed: HashSet<String> = [
            "charts/api/",
            "charts/api/templates/",
            ".github/workflows/",
            "#group-1",
        ]
        .map(str::to_owned)
        .into();
        assert!(is_open("charts/api/", true, &closed));
        assert!(!is_open("charts/api/", false, &closed));
        assert!(is_open("apps/api/", false, &closed));
        reveal(&mut closed, "charts/api/templates/deployment.yaml");
        let mut left: Vec<&String> = closed.iter().collect();
        left.sort();
        assert_eq!(left, ["#group-1", ".github/workflows/"]);
    }
}
