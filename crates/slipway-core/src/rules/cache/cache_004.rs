use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct RestoreKeysFallback;

impl Rule for RestoreKeysFallback {
    const DOC: RuleDoc = RuleDoc {
        id: "CACHE-004",
        name: "restore-keys-fallback",
        severity: Severity::High,
        area: Area::Cache,
        title: "Caches fall back to the newest cache of the same prefix",
        what: "Every enabled cache has restore keys: a prefix of its key that ends before the \
               lockfile hash (`${{ runner.os }}-npm-`), so a miss restores the closest older \
               cache instead of nothing.",
        why: "Any lockfile change is an exact-key miss. Without a fallback the job downloads \
              everything again; with it, only the changed packages are fetched and the new cache \
              is saved for the next run.",
        incorrect: "key: ${{ runner.os }}-poetry-${{ hashFiles('poetry.lock') }}",
        correct: "key: ${{ runner.os }}-poetry-${{ hashFiles('poetry.lock') }}\nrestore-keys: |\n  ${{ runner.os }}-poetry-",
        fix: "Turns on restore keys for those caches.",
        source: "000 · CI/CD: Pipeline Caching (key rules); CI/CD Pipelines › GitHub Actions \
                 Caching Strategy; contradiction A11 (the Poetry examples leave it out)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        context
            .design
            .pipeline
            .jobs
            .iter()
            .enumerate()
            .filter(|(_, job)| job.cache.enabled && !job.cache.restore_keys)
            .map(|(index, job)| {
                Violation::new(
                    format!("pipeline.jobs[{index}].cache.restore_keys"),
                    format!("The cache of `{}` has no fallback: every lockfile change starts from an empty cache.", job.id),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add restore keys",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_test_cache(|cache| cache.restore_keys = false)]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for job in &mut design.pipeline.jobs {
        if job.cache.enabled {
            job.cache.restore_keys = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&RestoreKeysFallback, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_restore_keys() {
        assert_eq!(
            fields(
                &RestoreKeysFallback,
                &RestoreKeysFallback::failing_examples()[0]
            ),
            ["pipeline.jobs[1].cache.restore_keys"]
        );
    }
}
