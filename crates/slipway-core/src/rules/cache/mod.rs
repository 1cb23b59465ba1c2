//! Caching rules (docs/rules.md#caching): dependency caches keyed on the lockfile, restored by
//! prefix, holding the package manager's own cache, and installs that reproduce the lockfile.
//!
//! CACHE-003 (`${{ runner.os }}` in the key), CACHE-007 (one cache step per lockfile) and
//! CACHE-008 (artifact retention) have no design input that could break them: the generator
//! writes the key, one cache per job and the retention days itself.

rules! {
    cache_001::CacheBeforeInstall,
    cache_002::LockfileHashKey,
    cache_004::RestoreKeysFallback,
    cache_005::CachePackageManagerDir,
    cache_006::ReproducibleInstall,
}

mod installs;
mod lockfiles;

#[cfg(test)]
use crate::model::Design;

/// The default design with the test job's cache changed.
#[cfg(test)]
fn with_test_cache(edit: impl FnOnce(&mut crate::model::Cache)) -> Design {
    let mut design = Design::default();
    edit(&mut design.pipeline.jobs[1].cache);
    design
}
