//! The repository cites rule ids, `docs/rules.md` and `docs/defaults.md`, never the rule
//! catalog the rules were first written from: that file is not part of the repository, so a
//! reader could not follow the reference.

use std::fs;
use std::path::Path;

/// Built from two parts so that this file does not match itself.
const NEEDLE: &str = concat!("RULES", ".md");

/// Files whose name ends like this are searched.
const EXTENSIONS: &[&str] = &["rs", "md", "mjs", "sh", "toml", "yaml"];

/// Folders that are not searched: a bare name is skipped wherever it occurs, a path (relative to
/// the repository root, with `/`) only there.
const EXCLUDED: &[&str] = &[".git", "target", "node_modules", "dist"];

fn excluded(relative: &str, name: &str) -> bool {
    EXCLUDED.iter().any(|entry| {
        if entry.contains('/') {
            *entry == relative
        } else {
            *entry == name
        }
    })
}

fn search(root: &Path, dir: &Path, hits: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !excluded(&relative, &name) {
                search(root, &path, hits);
            }
            continue;
        }
        let searched = path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| EXTENSIONS.contains(&extension));
        if !kind.is_file() || !searched {
            continue;
        }
        // Not UTF-8: not a source or documentation file.
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        for (number, line) in text.lines().enumerate() {
            if line.contains(NEEDLE) {
                hits.push(format!("{relative}:{}: {}", number + 1, line.trim()));
            }
        }
    }
}

#[test]
fn no_file_cites_the_external_rule_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let mut hits = Vec::new();
    search(&root, &root, &mut hits);
    assert!(
        hits.is_empty(),
        "{} line(s) cite {NEEDLE}, which is not in the repository; cite a rule id, \
         docs/rules.md or docs/defaults.md instead:\n{}",
        hits.len(),
        hits.join("\n")
    );
}

#[test]
fn the_search_finds_a_citation() {
    let dir = std::env::temp_dir().join(format!("slipway-refs-{}", std::process::id()));
    let nested = dir.join("docs");
    let skipped = dir.join("target");
    fs::create_dir_all(&nested).unwrap();
    fs::create_dir_all(&skipped).unwrap();
    fs::write(nested.join("a.md"), format!("fine\nsee {NEEDLE} §4\n")).unwrap();
    fs::write(nested.join("b.txt"), NEEDLE).unwrap();
    fs::write(skipped.join("c.md"), NEEDLE).unwrap();
    let mut hits = Vec::new();
    search(&dir, &dir, &mut hits);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(hits, [format!("docs/a.md:2: see {NEEDLE} §4")]);
}
