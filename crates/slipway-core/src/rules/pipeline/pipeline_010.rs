use crate::facts::deploys::{deploys_to, environment_of_tier};
use crate::model::{Design, Environment, EnvironmentTier};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct ProductionApproval;

impl Rule for ProductionApproval {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-010",
        name: "production-approval",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "Production deploys wait for a reviewer's approval",
        what: "The production deploy job declares its environment (`environment: production`), \
               and the production environment requires approval from at least one reviewer. \
               Slipway exports the reviewers as environment protection settings, because the \
               workflow file alone cannot enforce an approval.",
        why: "A production deploy is the one step that affects every user at once. A required \
              reviewer turns it into a deliberate decision taken with the staging results in \
              view, and the environment scopes production secrets to that job only.",
        incorrect: "deploy-production:\n  runs-on: ubuntu-latest\n  steps: [...]",
        correct: "deploy-production:\n  environment: production   # protection rule: 1+ required reviewers\n  steps: [...]",
        fix: "Declares the production environment on the deploy job, turns on required approval \
              and adds the `platform-team` reviewer placeholder when none is listed.",
        source: "000 · GitHub Actions CI/CD Example › Deploy Pipeline (deploy.yml, \"Requires \
                 approval\"); Key Patterns (\"Production requires approval\"); contradiction A6 \
                 (Key Concepts › CI/CD Pipeline Stages says \"Manual approval or automated\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        let production = environment_of_tier(design, EnvironmentTier::Production);
        for index in deploys_to(design, EnvironmentTier::Production) {
            let job = &design.pipeline.jobs[index];
            if job.environment.trim().is_empty() {
                violations.push(Violation::new(
                    format!("pipeline.jobs[{index}].environment"),
                    format!(
                        "Production deploy `{}` declares no environment, so no approval gate or scoped secrets apply.",
                        job.id
                    ),
                ));
            }
        }
        if let Some((i, env)) = production {
            if !env.requires_approval {
                violations.push(Violation::new(
                    format!("environments[{i}].requires_approval"),
                    format!("`{}` deploys without anyone's approval.", env.name),
                ));
            } else if env
                .reviewers
                .iter()
                .all(|reviewer| reviewer.trim().is_empty())
            {
                violations.push(Violation::new(
                    format!("environments[{i}].reviewers"),
                    format!("`{}` requires approval but lists no reviewer.", env.name),
                ));
            }
        } else if !deploys_to(design, EnvironmentTier::Production).is_empty() {
            violations.push(Violation::new(
                "environments",
                "Jobs deploy to production, but the design has no production environment to gate them.",
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require approval for production",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut automatic = Design::default();
        automatic.environments[1].requires_approval = false;
        let mut nobody = Design::default();
        nobody.environments[1].reviewers.clear();
        let undeclared = super::with_job("deploy-production", |job| job.environment.clear());
        let mut missing = Design::default();
        missing.environments.truncate(1);
        missing.pipeline.jobs[5].environment.clear();
        vec![automatic, nobody, undeclared, missing]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let deploys = deploys_to(design, EnvironmentTier::Production);
    if environment_of_tier(design, EnvironmentTier::Production).is_none() && !deploys.is_empty() {
        design.environments.push(Environment::production());
    }
    let Some((i, env)) = environment_of_tier(design, EnvironmentTier::Production) else {
        return;
    };
    let name = env.name.clone();
    for index in deploys {
        let job = &mut design.pipeline.jobs[index];
        if job.environment.trim().is_empty() {
            job.environment = name.clone();
        }
    }
    let env = &mut design.environments[i];
    env.requires_approval = true;
    if env
        .reviewers
        .iter()
        .all(|reviewer| reviewer.trim().is_empty())
    {
        env.reviewers = Environment::production().reviewers;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_reviewers_on_production() {
        assert!(fields(&ProductionApproval, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_approval_reviewers_or_environment() {
        let reported: Vec<Vec<String>> = ProductionApproval::failing_examples()
            .iter()
            .map(|design| fields(&ProductionApproval, design))
            .collect();
        assert_eq!(reported[0], ["environments[1].requires_approval"]);
        assert_eq!(reported[1], ["environments[1].reviewers"]);
        assert_eq!(reported[2], ["pipeline.jobs[5].environment"]);
        assert_eq!(
            reported[3],
            ["pipeline.jobs[5].environment", "environments"]
        );
    }
}
