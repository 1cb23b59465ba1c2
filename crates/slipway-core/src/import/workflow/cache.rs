//! Caches: the one `rust-cache` sets up, the files a key hashes, and two caches of a job as one.

use crate::model::Cache;

pub(super) fn rust_cache() -> Cache {
    Cache {
        enabled: true,
        paths: Vec::new(),
        key_files: vec!["Cargo.lock".to_owned()],
        restore_keys: true,
    }
}

/// Two caches of one job as one: on if either is, everything they hold and hash, and a
/// fallback only if both have one.
pub(super) fn merge_caches(existing: Option<Cache>, found: Cache) -> Cache {
    match existing {
        None => found,
        Some(mut cache) => {
            for path in found.paths {
                if !cache.paths.contains(&path) {
                    cache.paths.push(path);
                }
            }
            for file in found.key_files {
                if !cache.key_files.contains(&file) {
                    cache.key_files.push(file);
                }
            }
            cache.restore_keys &= found.restore_keys;
            cache
        }
    }
}

/// The files a cache key hashes: the arguments of every `hashFiles(...)`.
pub(super) fn hashed_files(key: &str) -> Vec<String> {
    let mut files = Vec::new();
    let mut rest = key;
    while let Some(start) = rest.find("hashFiles(") {
        let after = &rest[start + "hashFiles(".len()..];
        let end = after.find(')').unwrap_or(after.len());
        for argument in after[..end].split(',') {
            let file = argument.trim().trim_matches(['\'', '"']).trim();
            if !file.is_empty() {
                files.push(file.to_owned());
            }
        }
        rest = &after[end..];
    }
    files
}
