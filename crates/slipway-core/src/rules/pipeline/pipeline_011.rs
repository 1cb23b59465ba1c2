use crate::facts::deploys::{deploys_to, environment_of_tier};
use crate::model::{Design, Environment, EnvironmentTier};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct StagingEnvironmentGate;

impl Rule for StagingEnvironmentGate {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-011",
        name: "staging-environment-gate",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "The staging deploy declares its environment",
        what: "Every deploy job that targets staging declares `environment: staging` (the \
               design's staging environment).",
        why: "The environment is what scopes staging's secrets to the staging job and lets the \
              team add protection rules later. A staging deploy without it reads repository-wide \
              secrets and shows up nowhere in the environment's deployment history.",
        incorrect: "deploy-staging:\n  needs: build\n  steps: [...]",
        correct: "deploy-staging:\n  needs: build\n  environment: staging\n  steps: [...]",
        fix: "Declares the staging environment on the deploy job (adding the staging environment \
              to the design if it is missing).",
        source: "000 · Key Concepts › CI/CD Pipeline Stages (\"Deploy Staging – \
                 Environment-gated deployment\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        deploys_to(design, EnvironmentTier::Staging)
            .into_iter()
            .filter(|index| design.pipeline.jobs[*index].environment.trim().is_empty())
            .map(|index| {
                Violation::new(
                    format!("pipeline.jobs[{index}].environment"),
                    format!(
                        "Staging deploy `{}` declares no environment.",
                        design.pipeline.jobs[index].id
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Declare the staging environment",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_job("deploy-staging", |job| {
            job.environment.clear()
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let deploys = deploys_to(design, EnvironmentTier::Staging);
    if deploys.is_empty() {
        return;
    }
    if environment_of_tier(design, EnvironmentTier::Staging).is_none() {
        design.environments.insert(0, Environment::staging());
    }
    let name = environment_of_tier(design, EnvironmentTier::Staging)
        .map(|(_, env)| env.name.clone())
        .unwrap_or_default();
    for index in deploys {
        let job = &mut design.pipeline.jobs[index];
        if job.environment.trim().is_empty() {
            job.environment = name.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_standard_deploys() {
        assert!(fields(&StagingEnvironmentGate, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_the_staging_deploy_has_no_environment() {
        assert_eq!(
            fields(
                &StagingEnvironmentGate,
                &StagingEnvironmentGate::failing_examples()[0]
            ),
            ["pipeline.jobs[4].environment"]
        );
    }
}
