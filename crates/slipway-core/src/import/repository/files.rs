//! Which files of a repository the import reads, and reading them safely: from a `.zip`
//! archive here, from a folder by the caller (the command line walks it, the browser gets a
//! file list), both through [`Collector`] so the same limits hold everywhere.

use std::io::{Cursor, Read};

use crate::import::located_error;
use crate::io::LoadError;

/// One text file of the repository, at its path from the repository root (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// A file the import did not read, and why (too large, binary, a symlink, outside the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What a file is to the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    Workflow,
    Dockerfile,
    Dockerignore,
    Compose,
    ChartManifest,
    HelmValues,
    RailwayJson,
    RailwayToml,
    NixpacksToml,
    Terraform,
    /// A package manifest, lockfile or version file: it tells a folder's language.
    Manifest,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Workflow => "GitHub Actions workflow",
            FileKind::Dockerfile => "Dockerfile",
            FileKind::Dockerignore => ".dockerignore",
            FileKind::Compose => "Compose file",
            FileKind::ChartManifest => "Helm chart",
            FileKind::HelmValues => "Helm values",
            FileKind::RailwayJson => "railway.json",
            FileKind::RailwayToml => "railway.toml",
            FileKind::NixpacksToml => "nixpacks.toml",
            FileKind::Terraform => "Terraform",
            FileKind::Manifest => "package manifest",
        }
    }
}

/// Manifests, lockfiles and version files whose presence tells a folder's language and
/// package manager.
pub const MANIFESTS: &[&str] = &[
    "package.json",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "pnpm-lock.yaml",
    "yarn.lock",
    "bun.lock",
    "bun.lockb",
    ".nvmrc",
    ".node-version",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "requirements.txt",
    "Pipfile",
    "Pipfile.lock",
    ".python-version",
    "go.mod",
    "go.sum",
    "Cargo.toml",
    "Cargo.lock",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "gradle.lockfile",
];

/// Folders whose contents are dependencies, build output or tool state, never the
/// repository's own delivery files.
const IGNORED_FOLDERS: &[&str] = &[
    ".git",
    "node_modules",
    "vendor",
    "target",
    ".venv",
    "venv",
    "__pycache__",
    ".terraform",
    ".next",
    ".nuxt",
    "bower_components",
];

/// Whether a folder name is one the import never looks into.
pub fn is_ignored_folder(name: &str) -> bool {
    IGNORED_FOLDERS.contains(&name)
}

/// What the file at `path` is to the import, or `None` when the import does not read it.
pub fn kind_of(path: &str) -> Option<FileKind> {
    let path = path.trim_start_matches("./");
    let mut segments: Vec<&str> = path.split('/').collect();
    let name = segments.pop()?;
    if segments.iter().any(|segment| is_ignored_folder(segment)) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    let folder = segments.join("/");
    if folder == ".github/workflows" && yaml {
        return Some(FileKind::Workflow);
    }
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") {
        return Some(FileKind::Dockerfile);
    }
    if lower == ".dockerignore" || lower.ends_with(".dockerignore") {
        return Some(FileKind::Dockerignore);
    }
    if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose.")) {
        return Some(FileKind::Compose);
    }
    if name == "Chart.yaml" {
        return Some(FileKind::ChartManifest);
    }
    if yaml && lower.starts_with("values") {
        return Some(FileKind::HelmValues);
    }
    match lower.as_str() {
        "railway.json" => return Some(FileKind::RailwayJson),
        "railway.toml" => return Some(FileKind::RailwayToml),
        "nixpacks.toml" => return Some(FileKind::NixpacksToml),
        _ => {}
    }
    if lower.ends_with(".tf") {
        return Some(FileKind::Terraform);
    }
    if MANIFESTS.contains(&name) || (lower.starts_with("requirements") && lower.ends_with(".txt")) {
        return Some(FileKind::Manifest);
    }
    None
}

/// Whether the import reads the file at `path`: a kind it imports, or a file a patch of the
/// repository compares (`README.md`, a chart's templates), kept for that.
pub fn is_read(path: &str) -> bool {
    let path = path.trim_start_matches("./");
    kind_of(path).is_some()
        || (!path.split('/').any(is_ignored_folder) && crate::patch::compared(path))
}

/// Limits that keep an import fast and bounded, whatever it is given.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries (files and folders) looked at.
    pub max_entries: usize,
    /// Files read (only the kinds the import reads count).
    pub max_files: usize,
    /// Size of one file read.
    pub max_file_bytes: usize,
    /// Size of all files read together.
    pub max_total_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_files: 2_000,
            max_file_bytes: crate::import::MAX_IMPORT_BYTES,
            max_total_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Gathers a repository's files under the [`Limits`]: the caller offers every path it finds,
/// the collector says which to read, and takes their bytes.
#[derive(Debug, Default)]
pub struct Collector {
    pub limits: Limits,
    pub files: Vec<SourceFile>,
    pub skipped: Vec<Skipped>,
    total_bytes: usize,
    entries_seen: usize,
}

impl Collector {
    pub fn new(limits: Limits) -> Self {
        Collector {
            limits,
            ..Collector::default()
        }
    }

    /// Files already in memory, each offered as a folder's would be (so the same limits hold).
    pub fn of_files<'a>(
        limits: Limits,
        files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Self {
        let mut collector = Collector::new(limits);
        for (path, bytes) in files {
            if collector.wants(path, bytes.len() as u64) {
                collector.add(path, bytes);
            }
        }
        collector
    }

    /// Counts one entry of a folder being walked (a file or a folder, at `path`). `false` once
    /// the walk has looked at more than [`Limits::max_entries`]: the caller stops, and the
    /// first refused entry is recorded as skipped with the limit.
    pub fn enter(&mut self, path: &str) -> bool {
        self.entries_seen += 1;
        if self.entries_seen == self.limits.max_entries + 1 {
            let reason = format!(
                "more than {} entries in the folder: the rest are left out",
                self.limits.max_entries
            );
            self.skip(path, reason);
        }
        self.entries_seen <= self.limits.max_entries
    }

    /// Whether the file at `path`, of `size` bytes, should be read. A file the import reads
    /// but the limits refuse is recorded as skipped, with the limit it passed.
    pub fn wants(&mut self, path: &str, size: u64) -> bool {
        if !is_read(path) {
            return false;
        }
        let refusal = if self.files.len() >= self.limits.max_files {
            Some(format!(
                "more than {} files to read: the rest are left out",
                self.limits.max_files
            ))
        } else if size > self.limits.max_file_bytes as u64 {
            Some(format!(
                "{} is over the {} limit for one file",
                megabytes(size as usize),
                megabytes(self.limits.max_file_bytes)
            ))
        } else if self.total_bytes.saturating_add(size as usize) > self.limits.max_total_bytes {
            Some(format!(
                "the files read so far reach the {} limit for a repository",
                megabytes(self.limits.max_total_bytes)
            ))
        } else {
            None
        };
        match refusal {
            Some(reason) => {
                self.skip(path, reason);
                false
            }
            None => true,
        }
    }

    /// Takes a wanted file's bytes: text is kept (byte order mark dropped, line endings as
    /// written), binary content and bytes that are not UTF-8 are skipped with the reason.
    pub fn add(&mut self, path: &str, bytes: &[u8]) {
        if bytes.len() > self.limits.max_file_bytes {
            let reason = format!(
                "larger than the {} limit for one file",
                megabytes(self.limits.max_file_bytes)
            );
            self.skip(path, reason);
            return;
        }
        self.total_bytes += bytes.len();
        match decode(bytes) {
            Ok(text) => self.files.push(SourceFile {
                path: path.to_owned(),
                text,
            }),
            Err(reason) => self.skip(path, reason),
        }
    }

    pub fn skip(&mut self, path: &str, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.to_owned(),
            reason: reason.into(),
        });
    }
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// A file's text: UTF-8 without its byte order mark. A NUL byte means binary content.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err("binary content (a NUL byte), not a text file".to_owned());
    }
    String::from_utf8(bytes.to_vec()).map_err(|error| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

/// The files of a repository archive, and the repository's name when the archive holds one
/// top folder (`app-main/` in GitHub's archives reads as `app`).
///
/// Entry names that leave the archive's root (`../x`, `/etc/x`), symlinks and folders the
/// import ignores are skipped; each entry is read through a limit, so a compressed size that
/// lies about its content (a zip bomb) stops at the limit instead of filling memory.
pub fn from_zip(bytes: &[u8], limits: Limits) -> Result<(Collector, Option<String>), LoadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| located_error(None, format!("not a readable .zip archive: {error}")))?;
    if archive.len() > limits.max_entries {
        return Err(located_error(
            None,
            format!(
                "the archive has {} entries; Slipway reads archives of up to {}",
                archive.len(),
                limits.max_entries
            ),
        ));
    }
    let mut names: Vec<Option<String>> = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let name = archive
            .by_index_raw(index)
            .ok()
            .and_then(|entry| entry.enclosed_name())
            .map(|path| path.to_string_lossy().replace('\\', "/"));
        names.push(name);
    }
    let top = common_top_folder(names.iter().flatten().map(String::as_str));
    let mut collector = Collector::new(limits);
    for (index, name) in names.iter().enumerate() {
        let raw_name = || {
            archive
                .name_for_index(index)
                .and_then(|name| name.ok())
                .map(|name| name.into_owned())
                .unwrap_or_else(|| format!("entry {index}"))
        };
        let Some(name) = name else {
            let raw = raw_name();
            collector.skip(&raw, "its path leaves the archive's root");
            continue;
        };
        let path = match &top {
            Some(top) => name
                .strip_prefix(top.as_str())
                .unwrap_or(name)
                .trim_start_matches('/'),
            None => name.as_str(),
        };
        if path.is_empty() || name.ends_with('/') {
            continue;
        }
        let Ok(mut entry) = archive.by_index(index) else {
            collector.skip(path, "the archive's entry cannot be read");
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            if is_read(path) {
                collector.skip(path, "a symbolic link: its target is not read");
            }
            continue;
        }
        if !collector.wants(path, entry.size()) {
            continue;
        }
        let mut content = Vec::new();
        let read = (&mut entry)
            .take(limits.max_file_bytes as u64 + 1)
            .read_to_end(&mut content);
        match read {
            Ok(_) => collector.add(path, &content),
            Err(error) => collector.skip(path, format!("cannot be decompressed: {error}")),
        }
    }
    let repository = top.map(|folder| repository_name(folder.trim_end_matches('/')));
    Ok((collector, repository))
}

/// The folder every entry is in (`app-main/`), when there is exactly one. Archives list the
/// folder itself too (`app-main`, its name without the slash once made safe).
fn common_top_folder<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Option<String> {
    let nested = names.clone().find(|name| name.contains('/'))?;
    let (top, _) = nested.split_once('/')?;
    let prefix = format!("{top}/");
    let mut names = names;
    names
        .all(|name| name.starts_with(&prefix) || name == top)
        .then_some(prefix)
}

/// A repository's name from the folder an archive or checkout has it in: GitHub's archives
/// add the branch (`app-main`, `app-master`).
pub fn repository_name(folder: &str) -> String {
    let name = folder.rsplit(['/', '\\']).next().unwrap_or(folder);
    ["-main", "-master", "-trunk", "-develop"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name)
        .to_owned()
}

/// The files of a repository checked out at `root`, and its name (the folder's).
///
/// Folders the import ignores are not entered; symbolic links are never followed (a link
/// could lead out of the repository), and those of a kind the import reads are reported.
pub fn from_folder(
    root: &std::path::Path,
    limits: Limits,
) -> Result<(Collector, String), LoadError> {
    let metadata = std::fs::metadata(root)
        .map_err(|error| located_error(None, format!("cannot read {}: {error}", root.display())))?;
    if !metadata.is_dir() {
        return Err(located_error(
            None,
            format!("{} is not a folder", root.display()),
        ));
    }
    let name = root
        .canonicalize()
        .ok()
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .map(|name| repository_name(&name))
        .unwrap_or_else(|| "app".to_owned());
    let mut collector = Collector::new(limits);
    let mut pending: Vec<(std::path::PathBuf, String)> = vec![(root.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        let Ok(listing) = std::fs::read_dir(&folder) else {
            collector.skip(
                if prefix.is_empty() { "." } else { &prefix },
                "the folder cannot be read",
            );
            continue;
        };
        let mut listing: Vec<_> = listing.flatten().collect();
        listing.sort_by_key(|entry| entry.file_name());
        for entry in listing {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let path = if prefix.is_empty() {
                file_name.clone()
            } else {
                format!("{prefix}/{file_name}")
            };
            if !collector.enter(&path) {
                return Ok((collector, name));
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_symlink() {
                if is_read(&path) {
                    collector.skip(&path, "a symbolic link: its target is not read");
                }
                continue;
            }
            if kind.is_dir() {
                if !is_ignored_folder(&file_name) {
                    pending.push((entry.path(), path));
                }
                continue;
            }
            let size = entry.metadata().map(|meta| meta.len()).unwrap_or(0);
            if !collector.wants(&path, size) {
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => collector.add(&path, &bytes),
                Err(error) => collector.skip(&path, format!("cannot be read: {error}")),
            }
        }
    }
    Ok((collector, name))
}
