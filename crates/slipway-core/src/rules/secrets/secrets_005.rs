use crate::facts::secrets::any_operator_synced;
use crate::migrate::{
    default_secret_prefix, environment_segments, secret_prefix, without_environment,
};
use crate::model::{Design, EnvironmentTier, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct EnvironmentScopedSecretPaths;

/// Secret-name prefixes (`PROD_`, `STAGING_`, ...) of each environment of the design, with the
/// environment's name.
fn prefixes(design: &Design) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for environment in &design.environments {
        let own = crate::text::env_name(environment.name.trim()).to_ascii_uppercase();
        let mut names = vec![own];
        if environment.tier == EnvironmentTier::Production {
            names.extend(["PROD".to_owned(), "PRODUCTION".to_owned()]);
        }
        names.sort();
        names.dedup();
        for name in names {
            found.push((format!("{name}_"), environment.name.clone()));
        }
    }
    found
}

/// The secret a value reads (`${{ secrets.NAME }}`), if it reads one.
fn secret_name(value: &str) -> Option<&str> {
    value
        .trim()
        .strip_prefix("${{")?
        .strip_suffix("}}")?
        .trim()
        .strip_prefix("secrets.")
        .map(str::trim)
}

/// `(job, env var, foreign prefix, own prefix)` for every cross-environment secret read.
fn crossings(design: &Design) -> Vec<(usize, usize, String, String)> {
    let prefixes = prefixes(design);
    let mut found = Vec::new();
    for (i, job) in design.pipeline.jobs.iter().enumerate() {
        if !matches!(job.kind, JobKind::Deploy | JobKind::Migrate) {
            continue;
        }
        let environment = job.environment.trim();
        let own: Vec<&String> = prefixes
            .iter()
            .filter(|(_, env)| env == environment)
            .map(|(prefix, _)| prefix)
            .collect();
        let Some(own_prefix) = own.first() else {
            continue;
        };
        for (j, variable) in job.env.iter().enumerate() {
            let Some(name) = secret_name(&variable.value) else {
                continue;
            };
            let upper = name.to_ascii_uppercase();
            if own.iter().any(|prefix| upper.starts_with(prefix.as_str())) {
                continue;
            }
            if let Some((foreign, _)) = prefixes
                .iter()
                .filter(|(_, env)| env != environment)
                .find(|(prefix, _)| upper.starts_with(prefix.as_str()))
            {
                found.push((i, j, foreign.clone(), (*own_prefix).clone()));
            }
        }
    }
    found
}

/// Whether the chart reads secrets from a store under each environment's prefix.
fn uses_store_prefixes(design: &Design) -> bool {
    design.uses_kubernetes() && any_operator_synced(design)
}

/// Environments whose secret prefix an earlier environment already uses: `(index, prefix)`.
fn shared_prefixes(design: &Design) -> Vec<(usize, String)> {
    if !uses_store_prefixes(design) {
        return Vec::new();
    }
    let mut seen: Vec<String> = Vec::new();
    let mut shared = Vec::new();
    for (index, environment) in design.environments.iter().enumerate() {
        let prefix = secret_prefix(environment).to_ascii_lowercase();
        if seen.contains(&prefix) {
            shared.push((index, prefix));
        } else {
            seen.push(prefix);
        }
    }
    shared
}

/// Store-backed secrets whose key starts with an environment: `(index, key without it)`.
fn environment_keys(design: &Design) -> Vec<(usize, String)> {
    if !uses_store_prefixes(design) {
        return Vec::new();
    }
    let segments = environment_segments(design);
    design
        .secrets
        .iter()
        .enumerate()
        .filter(|(_, secret)| secret.source.synced_by_operator())
        .filter_map(|(index, secret)| {
            without_environment(&segments, &secret.remote_key).map(|rest| (index, rest))
        })
        .collect()
}

impl Rule for EnvironmentScopedSecretPaths {
    const DOC: RuleDoc = RuleDoc {
        id: "SECRETS-005",
        name: "environment-scoped-secret-paths",
        severity: Severity::Medium,
        area: Area::Secrets,
        title: "Each environment reads only its own secrets",
        what: "A deploy or migrate job reads no secret named for another environment of the \
               design: `${{ secrets.PROD_… }}` / `PRODUCTION_…` only from the production job, \
               `STAGING_…` only from the staging job, and so on for every environment name. On \
               Kubernetes, every environment reads the secret store under its own \
               `secret_prefix` (no two alike), and the secrets' `remote_key`s name no \
               environment, because the chart puts each environment's prefix in front \
               (`prod/` + `app/database`).",
        why: "A staging deploy holding production credentials can break or leak production: a \
              test run against the wrong database, a key copied into a less guarded \
              environment. Keeping each environment on its own prefix (`prod/…`, `staging/…`) \
              means a mistake in one environment stays there.",
        incorrect: "- id: deploy-staging\n  environment: staging\n  env:\n  - name: DATABASE_URL\n    value: ${{ secrets.PROD_DATABASE_URL }}",
        correct: "- id: deploy-staging\n  environment: staging\n  env:\n  - name: DATABASE_URL\n    value: ${{ secrets.STAGING_DATABASE_URL }}",
        fix: "Rewrites the secret name's prefix to the job's own environment, gives an \
              environment sharing another's secret prefix its own, and takes the environment \
              off remote keys. Unsafe: the app then reads different secrets, which have to \
              exist in the store.",
        source: "000 · Environment Management › External Secrets Operator (`prod/app/database`) \
                 (implied)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        crossings(design)
            .into_iter()
            .map(|(i, j, foreign, _)| {
                let job = &design.pipeline.jobs[i];
                Violation::new(
                    format!("pipeline.jobs[{i}].env[{j}].value"),
                    format!(
                        "Job `{}` deploys to `{}` but reads `{}`, a `{foreign}…` secret of \
                         another environment.",
                        job.id,
                        job.environment.trim(),
                        job.env[j].value.trim()
                    ),
                )
            })
            .chain(shared_prefixes(design).into_iter().map(|(index, prefix)| {
                Violation::new(
                    format!("environments[{index}].secret_prefix"),
                    format!(
                        "Environment `{}` reads its secrets under `{prefix}/`, like an \
                         environment before it: each reads the other's secrets.",
                        design.environments[index].name.trim()
                    ),
                )
            }))
            .chain(environment_keys(design).into_iter().map(|(index, rest)| {
                Violation::new(
                    format!("secrets[{index}].remote_key"),
                    format!(
                        "`{}` names an environment, but the chart puts each environment's \
                         prefix in front of the key: use `{rest}`.",
                        design.secrets[index].remote_key.trim()
                    ),
                )
            }))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Read the environment's own secret",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        use crate::model::EnvVar;
        let mut design = Design::default();
        design.pipeline.jobs[4].env.push(EnvVar::new(
            "DATABASE_URL",
            "${{ secrets.PROD_DATABASE_URL }}",
        ));
        let mut reverse = Design::default();
        reverse.pipeline.jobs[5]
            .env
            .push(EnvVar::new("API_KEY", "${{ secrets.staging_api_key }}"));
        let mut shared =
            crate::presets::find("fastapi-react").map_or_else(Design::default, |p| (p.build)());
        shared.environments[1].secret_prefix = "staging".to_owned();
        let mut named =
            crate::presets::find("fastapi-react").map_or_else(Design::default, |p| (p.build)());
        named.secrets[0].remote_key = "prod/fastapi-react/database".to_owned();
        vec![design, reverse, shared, named]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (i, j, foreign, own) in crossings(design) {
        let variable = &mut design.pipeline.jobs[i].env[j];
        let Some(name) = secret_name(&variable.value) else {
            continue;
        };
        let rest = &name[foreign.len()..];
        variable.value = format!("${{{{ secrets.{own}{rest} }}}}");
    }
    for (index, rest) in environment_keys(design) {
        design.secrets[index].remote_key = rest;
    }
    for (index, _) in shared_prefixes(design) {
        let taken: Vec<String> = design
            .environments
            .iter()
            .enumerate()
            .filter(|(other, _)| *other != index)
            .map(|(_, environment)| secret_prefix(environment).to_ascii_lowercase())
            .collect();
        let environment = &design.environments[index];
        let candidates = [
            default_secret_prefix(environment),
            crate::text::identifier(&environment.name, "env"),
        ];
        let base = candidates[1].clone();
        let prefix = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or(base);
        design.environments[index].secret_prefix = prefix;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EnvVar;
    use crate::rules::support::fields;

    #[test]
    fn passes_on_own_and_shared_secrets() {
        let mut design = Design::default();
        design.pipeline.jobs[4].env = vec![
            EnvVar::new("DATABASE_URL", "${{ secrets.STAGING_DATABASE_URL }}"),
            EnvVar::new("SLACK_WEBHOOK", "${{ secrets.SLACK_WEBHOOK }}"),
        ];
        design.pipeline.jobs[5].env = vec![EnvVar::new(
            "DATABASE_URL",
            "${{ secrets.PROD_DATABASE_URL }}",
        )];
        assert!(fields(&EnvironmentScopedSecretPaths, &design).is_empty());
    }

    #[test]
    fn store_prefixes_are_distinct_and_keys_name_no_environment() {
        let examples = EnvironmentScopedSecretPaths::failing_examples();
        assert_eq!(
            fields(&EnvironmentScopedSecretPaths, &examples[2]),
            ["environments[1].secret_prefix"]
        );
        assert_eq!(
            fields(&EnvironmentScopedSecretPaths, &examples[3]),
            ["secrets[0].remote_key"]
        );
        let mut shared = examples[2].clone();
        apply(&mut shared, 0);
        assert_eq!(shared.environments[1].secret_prefix, "prod");
        let mut named = examples[3].clone();
        apply(&mut named, 0);
        assert_eq!(named.secrets[0].remote_key, "fastapi-react/database");
    }

    #[test]
    fn fails_across_environments_and_the_fix_rewrites_the_prefix() {
        let mut design = EnvironmentScopedSecretPaths::failing_examples().remove(0);
        assert_eq!(
            fields(&EnvironmentScopedSecretPaths, &design),
            ["pipeline.jobs[4].env[0].value"]
        );
        apply(&mut design, 0);
        assert_eq!(
            design.pipeline.jobs[4].env[0].value,
            "${{ secrets.STAGING_DATABASE_URL }}"
        );
    }
}
