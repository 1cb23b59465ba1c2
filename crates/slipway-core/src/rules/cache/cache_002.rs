use crate::facts::jobs::{job_manager, job_service, uses_project_commands};
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::lockfiles::{is_lockfile_of, job_folder};

pub struct LockfileHashKey;

/// Caches whose key misses the lockfile: (job index, field, message).
fn unkeyed(design: &Design) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    for (index, job) in design.pipeline.jobs.iter().enumerate() {
        let cache = &job.cache;
        if !cache.enabled {
            continue;
        }
        let manager = job_manager(design, job);
        let expected = manager.lockfile();
        if cache.key_files.is_empty() {
            // The job's service's lockfile, which a cache without key files hashes.
            let (service, lockfile) = job_service(design, job)
                .map_or((0, ""), |(index, service)| (index, service.lockfile.trim()));
            let own = uses_project_commands(design, job);
            if own && is_lockfile_of(manager, lockfile) {
                continue;
            }
            let (field, message) = if own {
                (
                    format!("services[{service}].lockfile"),
                    if lockfile.is_empty() {
                        format!(
                            "`{}` names no lockfile, so its dependency caches have nothing to hash.",
                            design.services.get(service).map_or("The service", |named| named.name.as_str())
                        )
                    } else {
                        format!("The dependency caches hash `{lockfile}`, which is not a {} lockfile (`{expected}`).", manager.id())
                    },
                )
            } else {
                (
                    format!("pipeline.jobs[{index}].cache.key_files"),
                    format!(
                        "The cache of `{}` hashes the service's `{lockfile}`, not this job's `{expected}`.",
                        job.id
                    ),
                )
            };
            found.push((index, field, message));
        } else if !cache
            .key_files
            .iter()
            .any(|file| is_lockfile_of(manager, file))
        {
            found.push((
                index,
                format!("pipeline.jobs[{index}].cache.key_files"),
                format!(
                    "The cache of `{}` hashes `{}`, not the {} lockfile (`{expected}`).",
                    job.id,
                    cache.key_files.join("`, `"),
                    manager.id()
                ),
            ));
        }
    }
    found
}

impl Rule for LockfileHashKey {
    const DOC: RuleDoc = RuleDoc {
        id: "CACHE-002",
        name: "lockfile-hash-key",
        severity: Severity::High,
        area: Area::Cache,
        title: "Caches are keyed on the hash of the right lockfile",
        what: "Every enabled cache hashes at least one lockfile of the package manager the job \
               uses (`package-lock.json`, `yarn.lock`, `pnpm-lock.yaml`, `poetry.lock`, \
               `requirements*.txt`, `go.sum`, `Cargo.lock`, ...). A key on `package.json`, on \
               another language's lockfile, or on nothing at all is flagged.",
        why: "The key decides when the cache is stale. Without the lockfile hash the same cache \
              is restored forever, serving dependencies that no longer match the lockfile; keyed \
              on the wrong file, a dependency bump does not refresh it.",
        incorrect: "key: ${{ runner.os }}-modules",
        correct: "key: ${{ runner.os }}-npm-${{ hashFiles('**/package-lock.json') }}",
        fix: "Adds the job's lockfile (in its folder) to the files the key hashes.",
        source: "000 · CI/CD: Pipeline Caching (Incorrect: `key: ${{ runner.os }}-modules`; key \
                 rules)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut violations: Vec<Violation> = Vec::new();
        for (_, field, message) in unkeyed(context.design) {
            // A service's lockfile keys every job that uses it: report it once.
            if !violations.iter().any(|known| known.field == field) {
                violations.push(Violation::new(field, message));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Key the cache on the lockfile",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let manifest =
            super::with_test_cache(|cache| cache.key_files = vec!["package.json".into()]);
        let mut no_lockfile = Design::default();
        no_lockfile.services[0].lockfile.clear();
        // The front-end job without its own service: it works in another language than the
        // backend service it falls back to.
        let mut foreign = crate::rules::support::preset("fastapi-react");
        foreign.services.truncate(1);
        foreign.pipeline.jobs[2].cache.key_files.clear();
        vec![manifest, no_lockfile, foreign]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (index, _, _) in unkeyed(design) {
        let job = &design.pipeline.jobs[index];
        let lockfile = job_manager(design, job).lockfile();
        let folder = job_folder(design, job);
        let path = if folder.is_empty() {
            lockfile.to_owned()
        } else {
            format!("{folder}/{lockfile}")
        };
        design.pipeline.jobs[index].cache.key_files.push(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_lockfile_keys() {
        assert!(fields(&LockfileHashKey, &preset("fastapi-react")).is_empty());
        assert!(fields(&LockfileHashKey, &preset("java-spring")).is_empty());
    }

    #[test]
    fn fails_on_manifests_missing_or_foreign_lockfiles() {
        let reported: Vec<Vec<String>> = LockfileHashKey::failing_examples()
            .iter()
            .map(|design| fields(&LockfileHashKey, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs[1].cache.key_files"]);
        assert_eq!(reported[1], ["services[0].lockfile"]);
        assert_eq!(reported[2], ["pipeline.jobs[2].cache.key_files"]);
    }

    #[test]
    fn the_fix_uses_the_job_folder() {
        let mut design = LockfileHashKey::failing_examples().remove(2);
        apply(&mut design, 0);
        assert_eq!(
            design.pipeline.jobs[2].cache.key_files,
            ["frontend/package-lock.json"]
        );
    }
}
