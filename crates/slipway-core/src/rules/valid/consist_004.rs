use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::text::identifier;

pub struct EnvironmentNamesAgree;

fn is_slug(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Rule for EnvironmentNamesAgree {
    const DOC: RuleDoc = RuleDoc {
        id: "CONSIST-004",
        name: "environment-names-agree",
        severity: Severity::Medium,
        area: Area::Validity,
        title: "Every artifact names the environments the same way",
        what: "Each environment name is a slug (`[a-z0-9-]`, starting with a letter or digit) so \
               that the GitHub environment, `values-<env>.yaml`, `environments/<env>.tfvars`, \
               `backend/<env>.hcl` and the state key all carry the same string; migrate jobs \
               and Railway overrides name an environment of the design. (Deploy jobs and branch \
               mappings are checked by PIPELINE-009, distinct state keys by TF-004.)",
        why: "A name like `Production EU` has to be rewritten for file names but not for GitHub, \
              so the pipeline's `environment:` and the files it passes (`-var-file`, `-f \
              values-…`) stop matching; a migrate job or override for `prod` when the \
              environment is `production` is silently ignored or fails at run time.",
        incorrect: "environments: [{name: Production EU}]\nrailway.overrides: [{environment: prod}]",
        correct:
            "environments: [{name: production-eu}]\nrailway.overrides: [{environment: production-eu}]",
        fix: "Renames environments to their slug and updates every reference to the old name. \
              Unsafe: names change. Unknown references are left for you to correct.",
        source: "Cross-artifact check (issue: consistency); 000 · Environment Management \
                 (per-environment tfvars and values); CI/CD Pipelines (environments)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let known = |name: &str| {
            design
                .environments
                .iter()
                .any(|env| env.name == name.trim())
        };
        let mut found = Vec::new();
        for (i, env) in design.environments.iter().enumerate() {
            if !is_slug(&env.name) {
                found.push(Violation::new(
                    format!("environments[{i}].name"),
                    format!(
                        "Environment `{}` is not a slug; the files generated for it would be \
                         named `{}`, the GitHub environment `{}`.",
                        env.name,
                        identifier(&env.name, "env"),
                        env.name
                    ),
                ));
            }
        }
        for (index, job) in design.pipeline.jobs.iter().enumerate() {
            if job.kind == JobKind::Migrate
                && !job.environment.trim().is_empty()
                && !known(&job.environment)
            {
                found.push(Violation::new(
                    format!("pipeline.jobs[{index}].environment"),
                    format!(
                        "Migrate job `{}` targets `{}`, which is not an environment of the design.",
                        job.id, job.environment
                    ),
                ));
            }
        }
        for (index, service) in design.services.iter().enumerate() {
            if !service.railway.enabled {
                continue;
            }
            for (i, over) in service.railway.overrides.iter().enumerate() {
                if !known(&over.environment) {
                    found.push(Violation::new(
                        format!("services[{index}].railway.overrides[{i}].environment"),
                        format!(
                            "The Railway override for `{}` names no environment of the design.",
                            over.environment
                        ),
                    ));
                }
            }
        }
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use slug environment names",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.environments[1].name = "Production EU".into();
        design.pipeline.jobs[5].environment = "Production EU".into();
        design.repository.branches[0].deploys_to = "Production EU".into();
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for i in 0..design.environments.len() {
        let old = design.environments[i].name.clone();
        if is_slug(&old) {
            continue;
        }
        let new = identifier(&old, "env");
        design.environments[i].name = new.clone();
        for job in &mut design.pipeline.jobs {
            if job.environment == old {
                job.environment = new.clone();
            }
        }
        for branch in &mut design.repository.branches {
            if branch.deploys_to == old {
                branch.deploys_to = new.clone();
            }
        }
        for over in design
            .services
            .iter_mut()
            .flat_map(|service| service.railway.overrides.iter_mut())
        {
            if over.environment == old {
                over.environment = new.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Job, RailwayOverride};
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&EnvironmentNamesAgree, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_non_slug_names_and_unknown_references() {
        assert_eq!(
            fields(
                &EnvironmentNamesAgree,
                &EnvironmentNamesAgree::failing_examples()[0]
            ),
            ["environments[1].name"]
        );
        let mut design = Design::default();
        let mut migrate = Job::new("migrate", JobKind::Migrate, &["build"]);
        migrate.environment = "prod".into();
        design.pipeline.jobs.push(migrate);
        design.services[0].railway.overrides.push(RailwayOverride {
            environment: "prod".into(),
            ..RailwayOverride::default()
        });
        assert_eq!(
            fields(&EnvironmentNamesAgree, &design),
            [
                "pipeline.jobs[6].environment",
                "services[0].railway.overrides[0].environment"
            ]
        );
    }

    #[test]
    fn the_fix_renames_references_too() {
        let mut design = EnvironmentNamesAgree::failing_examples().remove(0);
        apply(&mut design, 0);
        assert_eq!(design.environments[1].name, "production-eu");
        assert_eq!(design.pipeline.jobs[5].environment, "production-eu");
        assert_eq!(design.repository.branches[0].deploys_to, "production-eu");
    }
}
