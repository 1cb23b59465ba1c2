//! `patch::against` produces patches `git apply` accepts, and applying them turns the
//! repository's files into the bundle's. The `git apply` parts run in fresh temporary
//! repositories and are skipped (with a note) when `git` is not on `PATH`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use slipway_core::patch::{self, FileChange, RepositoryPatch, RELOCATED_README};
use slipway_core::{presets, Bundle, GeneratedFile, Syntax};

fn preset_bundle(id: &str) -> Bundle {
    slipway_core::generate(&(presets::find(id).expect("preset").build)())
}

fn as_existing(bundle: &Bundle) -> Vec<(String, String)> {
    bundle
        .files
        .iter()
        .map(|file| (file.path.clone(), file.contents.clone()))
        .collect()
}

fn change_of<'a>(patch: &'a RepositoryPatch, path: &str) -> &'a FileChange {
    &patch
        .files
        .iter()
        .find(|file| file.path == path)
        .unwrap_or_else(|| panic!("{path} is not in the patch"))
        .change
}

/// A fresh, empty directory under the system's temp dir.
fn temp_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    let dir = std::env::temp_dir().join(format!(
        "slipway-patch-{name}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn git_available() -> bool {
    let available = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        eprintln!("note: git is not on PATH; skipping the `git apply` checks");
    }
    available
}

/// Runs git in `dir` only, never in the checkout the tests run from.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        // The user's git configuration (say `apply.whitespace=error`) plays no part.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap_or(dir))
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed in {}:\n{}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Writes `existing` into a new repository, applies the patch of `bundle` against it with
/// `git apply`, and returns the repository's directory (the caller checks the files). `None`
/// when git is missing.
fn apply(name: &str, bundle: &Bundle, existing: &[(String, String)]) -> Option<PathBuf> {
    let patch = patch::against(bundle, existing);
    if !git_available() {
        return None;
    }
    let dir = temp_dir(name);
    for (path, text) in existing {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(&file, text).expect("write");
    }
    git(&dir, &["init", "-q"]);
    let unified = patch.unified();
    if !unified.is_empty() {
        let patch_file = dir.with_extension("patch");
        std::fs::write(&patch_file, &unified).expect("write patch");
        let patch_arg = patch_file.to_str().expect("utf-8 temp path");
        git(&dir, &["apply", "--check", patch_arg]);
        git(&dir, &["apply", patch_arg]);
        let _ = std::fs::remove_file(&patch_file);
    }
    Some(dir)
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Every bundle file is in `dir` with the bundle's contents (line endings aside), at its
/// repository path (the README possibly relocated).
fn assert_matches_bundle(dir: &Path, patch: &RepositoryPatch, bundle: &Bundle) {
    for file in &bundle.files {
        let path = if file.path == "README.md"
            && patch
                .files
                .iter()
                .any(|entry| entry.path == RELOCATED_README)
        {
            RELOCATED_README
        } else {
            file.path.as_str()
        };
        assert_eq!(
            read(dir, path).replace("\r\n", "\n"),
            file.contents,
            "{path} after git apply"
        );
    }
}

fn cleanup(dir: PathBuf) {
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_preset_against_an_empty_repository() {
    for preset in presets::all() {
        let bundle = preset_bundle(preset.id);
        let patch = patch::against(&bundle, &[]);
        assert!(patch
            .files
            .iter()
            .all(|file| file.change == FileChange::New));
        assert_eq!(
            patch.summary(),
            format!(
                "{} new, 0 changed, 0 unchanged, 0 no longer generated",
                bundle.files.len()
            )
        );
        let added: usize = patch.files.iter().map(|file| file.added).sum();
        let lines: usize = bundle
            .files
            .iter()
            .map(|file| file.contents.lines().count())
            .sum();
        assert_eq!(added, lines);
        if let Some(dir) = apply(preset.id, &bundle, &[]) {
            assert_matches_bundle(&dir, &patch, &bundle);
            cleanup(dir);
        }
    }
}

#[test]
fn the_same_bundle_gives_an_empty_patch() {
    let bundle = preset_bundle("fastapi-react");
    let patch = patch::against(&bundle, &as_existing(&bundle));
    assert!(patch
        .files
        .iter()
        .all(|file| file.change == FileChange::Unchanged));
    assert_eq!(patch.unified(), "");
    assert!(patch.is_empty());
    assert_eq!(
        patch.summary(),
        format!(
            "0 new, 0 changed, {} unchanged, 0 no longer generated",
            bundle.files.len()
        )
    );
}

#[test]
fn edited_files_are_restored_by_git_apply() {
    let bundle = preset_bundle("node-api");
    // Generated files long enough to edit in the middle, in a fixed order.
    let mut long: Vec<&GeneratedFile> = bundle
        .files
        .iter()
        .filter(|file| file.path != "README.md" && file.contents.lines().count() >= 12)
        .collect();
    long.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(long.len() >= 5, "node-api has too few long files");
    let (changed, shortened, crlf_edited, crlf_same, no_newline) =
        (long[0], long[1], long[2], long[3], long[4]);

    let mut existing = as_existing(&bundle);
    for (path, text) in &mut existing {
        let lines: Vec<&str> = text.lines().collect();
        if *path == changed.path {
            // One line changed, one added near the end.
            let mut edited: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
            edited[5] = format!("{} # edited by hand", edited[5]);
            edited.insert(edited.len() - 2, "extra: line".to_owned());
            *text = edited.join("\n") + "\n";
        } else if *path == shortened.path {
            // Lines removed (so the export adds them back), and the last one too.
            let kept: Vec<&str> = lines
                .iter()
                .enumerate()
                .filter(|(index, _)| !(3..6).contains(index) && *index + 1 != lines.len())
                .map(|(_, line)| *line)
                .collect();
            *text = kept.join("\n") + "\n";
        } else if *path == crlf_edited.path {
            let mut edited = lines.clone();
            edited.remove(7);
            *text = edited.join("\r\n") + "\r\n";
        } else if *path == crlf_same.path {
            *text = text.replace('\n', "\r\n");
        } else if *path == no_newline.path {
            *text = text.trim_end_matches('\n').to_owned();
        }
    }
    // The repository's own README stays; the guide goes to docs/slipway/.
    let own_readme = "# node-api\n\nOur service.\n".to_owned();
    existing.retain(|(path, _)| path != "README.md");
    existing.push(("README.md".to_owned(), own_readme.clone()));
    // A generated file the user deleted comes back as new.
    let deleted = long[5..]
        .first()
        .map(|file| file.path.clone())
        .expect("a sixth long file");
    existing.retain(|(path, _)| *path != deleted);

    let patch = patch::against(&bundle, &existing);
    for file in [changed, shortened, crlf_edited, no_newline] {
        assert_eq!(change_of(&patch, &file.path), &FileChange::Changed);
    }
    assert_eq!(change_of(&patch, &crlf_same.path), &FileChange::Unchanged);
    assert_eq!(change_of(&patch, &deleted), &FileChange::New);
    assert_eq!(change_of(&patch, RELOCATED_README), &FileChange::New);
    assert!(patch.files.iter().all(|file| file.path != "README.md"));
    let unified = patch.unified();
    assert!(unified.contains("\\ No newline at end of file\n"));
    assert!(unified.contains("\r\n"));
    let shortened_entry = patch
        .files
        .iter()
        .find(|file| file.path == shortened.path)
        .expect("entry");
    assert_eq!((shortened_entry.added, shortened_entry.removed), (4, 0));

    if let Some(dir) = apply("edited", &bundle, &existing) {
        assert_matches_bundle(&dir, &patch, &bundle);
        assert_eq!(read(&dir, "README.md"), own_readme);
        // A CRLF file stays CRLF throughout.
        let crlf = read(&dir, &crlf_edited.path);
        assert_eq!(crlf.matches('\n').count(), crlf.matches("\r\n").count());
        cleanup(dir);
    }
}

#[test]
fn an_extra_workflow_is_listed_and_left_alone() {
    let bundle = preset_bundle("go-service");
    let legacy = ".github/workflows/legacy-deploy.yml";
    let legacy_text = "name: legacy\non: push\njobs: {}\n";
    let mut existing = as_existing(&bundle);
    existing.push((legacy.to_owned(), legacy_text.to_owned()));
    existing.push(("src/main.go".to_owned(), "package main\n".to_owned()));
    // One generated file edited, so there is something to apply.
    let edited = bundle
        .files
        .iter()
        .find(|file| file.path.ends_with("Dockerfile"))
        .expect("a Dockerfile")
        .path
        .clone();
    for (path, text) in &mut existing {
        if *path == edited {
            *text = format!("# pinned by hand\n{text}");
        }
    }

    let patch = patch::against(&bundle, &existing);
    assert_eq!(change_of(&patch, legacy), &FileChange::NoLongerGenerated);
    assert!(patch.files.iter().all(|file| file.path != "src/main.go"));
    assert!(!patch.unified().contains("legacy-deploy"));
    assert!(!patch.unified().contains("deleted file"));
    assert_eq!(
        patch.summary(),
        format!(
            "0 new, 1 changed, {} unchanged, 1 no longer generated",
            bundle.files.len() - 1
        )
    );

    if let Some(dir) = apply("extra-workflow", &bundle, &existing) {
        assert_matches_bundle(&dir, &patch, &bundle);
        assert_eq!(read(&dir, legacy), legacy_text);
        cleanup(dir);
    }
}

#[test]
fn unusual_bundle_paths_apply() {
    let bundle = Bundle {
        files: vec![
            GeneratedFile::new("docs/my notes é.md", Syntax::Markdown, "# Notes\n"),
            GeneratedFile::new("docs/quote\"d.txt", Syntax::Text, "a\nb"),
            GeneratedFile::new("empty.txt", Syntax::Text, ""),
            GeneratedFile::new("tab\there.txt", Syntax::Text, "old\n"),
        ],
    };
    let existing = vec![("tab\there.txt".to_owned(), "older\n".to_owned())];
    let patch = patch::against(&bundle, &existing);
    assert!(patch
        .unified()
        .contains("\"b/docs/my notes \\303\\251.md\""));
    if let Some(dir) = apply("unusual", &bundle, &existing) {
        assert_matches_bundle(&dir, &patch, &bundle);
        cleanup(dir);
    }
}
