use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::installs::installs;

pub struct CacheBeforeInstall;

fn uncached(design: &Design) -> Vec<usize> {
    design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(index, job)| !job.cache.enabled && installs(design, *index, job))
        .map(|(index, _)| index)
        .collect()
}

impl Rule for CacheBeforeInstall {
    const DOC: RuleDoc = RuleDoc {
        id: "CACHE-001",
        name: "cache-before-install",
        severity: Severity::High,
        area: Area::Cache,
        title: "Every job that installs dependencies restores a cache first",
        what: "Each job whose commands install dependencies (`npm ci`, `poetry install`, \
               `pip install -r`, `go mod download`, ...) has its dependency cache enabled; the \
               generator then restores it (`actions/cache`, or `setup-node`/`setup-python` with \
               `cache:`) before the install step.",
        why: "Downloading every dependency on every run costs minutes per job and hammers the \
              package registry; the documents measure installs dropping from 2–3 minutes to \
              10–20 seconds with a cache. Slow CI gets skipped, and skipped CI is no gate.",
        incorrect: "steps:\n  - uses: actions/checkout@v4\n  - run: npm ci",
        correct: "steps:\n  - uses: actions/checkout@v4\n  - uses: actions/setup-node@v4\n    with: {node-version: 20, cache: npm}\n  - run: npm ci",
        fix: "Enables the dependency cache of those jobs.",
        source: "000 · CI/CD: Pipeline Caching (Incorrect: no caching); CI/CD Pipelines › GitHub \
                 Actions Caching Strategy; Best Practices; 004 · CI/CD Pipelines › GitHub Actions \
                 (`cache: 'npm'`)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        uncached(design)
            .into_iter()
            .map(|index| {
                Violation::new(
                    format!("pipeline.jobs[{index}].cache.enabled"),
                    format!(
                        "`{}` installs dependencies from scratch on every run: its cache is off.",
                        design.pipeline.jobs[index].id
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Cache dependencies",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let off = super::with_test_cache(|cache| cache.enabled = false);
        let mut deploy = Design::default();
        deploy.pipeline.jobs[4].commands =
            vec!["npm ci".into(), "npx prisma migrate deploy".into()];
        vec![off, deploy]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for index in uncached(design) {
        design.pipeline.jobs[index].cache.enabled = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_every_preset() {
        for id in [
            "node-api",
            "fastapi-react",
            "go-service",
            "rust-service",
            "java-spring",
        ] {
            assert!(fields(&CacheBeforeInstall, &preset(id)).is_empty(), "{id}");
        }
    }

    #[test]
    fn fails_when_an_installing_job_has_no_cache() {
        let reported: Vec<Vec<String>> = CacheBeforeInstall::failing_examples()
            .iter()
            .map(|design| fields(&CacheBeforeInstall, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs[1].cache.enabled"]);
        assert_eq!(reported[1], ["pipeline.jobs[4].cache.enabled"]);
    }
}
