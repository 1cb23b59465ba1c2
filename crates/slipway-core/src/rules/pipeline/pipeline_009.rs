use crate::facts::branches::protected_branches;
use crate::facts::deploys::{deploy_tier, environment_of_tier};
use crate::facts::jobs::jobs_of;
use crate::model::{Design, EnvironmentTier, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct DeployBranchMapping;

impl Rule for DeployBranchMapping {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-009",
        name: "deploy-branch-mapping",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "Each environment deploys from its own protected branch",
        what: "Production deploys only from the default branch (`main`); staging and other \
               environments deploy from another protected branch (`dev`), never from `main` when a \
               `dev` exists; every deploy job targets an environment of the design; and the \
               branches' `deploys_to` agree with the environments' `branch`. Deploy jobs never \
               run on pull requests (the generated guard checks the event and the ref).",
        why: "The branch is the deploy switch. Production deploying from `dev`, or staging from \
              an unprotected branch, lets code that skipped review or skipped staging reach users; \
              two settings that disagree about the mapping leave it to chance which one the \
              workflow follows.",
        incorrect: "deploy-production:\n  if: github.ref == 'refs/heads/dev'",
        correct: "deploy-staging:\n  if: github.event_name == 'push' && github.ref == 'refs/heads/dev'\ndeploy-production:\n  if: github.event_name == 'push' && github.ref == 'refs/heads/main'",
        fix: "Points production at the default branch and other environments at their protected \
              branch, realigns the branches' `deploys_to`, and sets deploy jobs that name an \
              unknown environment to the matching one. Unsafe: existing mappings are rewritten.",
        source: "000 · CI/CD: Branch Protection (branch diagram: main = production, dev = \
                 staging); GitHub Actions CI/CD Example › Deploy Pipeline (deploy.yml); 004 · \
                 CI/CD Pipelines › GitHub Actions (deploy `if:` guard)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let default = design.repository.default_branch.trim();
        let protected = protected_branches(design);
        let has_other_branch = protected.iter().any(|branch| branch != default);
        let mut violations = Vec::new();
        for (i, env) in design.environments.iter().enumerate() {
            let field = format!("environments[{i}].branch");
            let branch = env.branch.trim();
            if env.tier == EnvironmentTier::Production {
                if branch != default {
                    violations.push(Violation::new(
                        field,
                        format!(
                            "`{}` deploys from `{branch}`; only the default branch `{default}` may deploy to production.",
                            env.name
                        ),
                    ));
                }
                continue;
            }
            if branch.is_empty() {
                violations.push(Violation::new(
                    field,
                    format!(
                        "`{}` names no branch, so nothing limits which pushes deploy to it.",
                        env.name
                    ),
                ));
            } else if !protected.iter().any(|known| known == branch) {
                violations.push(Violation::new(
                    field,
                    format!(
                        "`{}` deploys from `{branch}`, which is not a protected branch.",
                        env.name
                    ),
                ));
            } else if branch == default && has_other_branch {
                violations.push(Violation::new(
                    field,
                    format!(
                        "`{}` deploys from `{default}`, the production branch; it should deploy from its own branch.",
                        env.name
                    ),
                ));
            }
        }
        for (k, branch) in design.repository.branches.iter().enumerate() {
            let target = branch.deploys_to.trim();
            if target.is_empty() {
                continue;
            }
            let field = format!("repository.branches[{k}].deploys_to");
            match design.environments.iter().find(|env| env.name == target) {
                None => violations.push(Violation::new(
                    field,
                    format!("Branch `{}` deploys to `{target}`, which is not an environment of the design.", branch.name),
                )),
                Some(env) if env.branch.trim() != branch.name.trim() => violations.push(Violation::new(
                    field,
                    format!(
                        "Branch `{}` says it deploys to `{target}`, but `{target}` deploys from `{}`.",
                        branch.name, env.branch
                    ),
                )),
                Some(_) => {}
            }
        }
        for index in jobs_of(design, JobKind::Deploy) {
            let job = &design.pipeline.jobs[index];
            let name = job.environment.trim();
            let known = design.environments.iter().any(|env| env.name == name);
            let field = format!("pipeline.jobs[{index}].environment");
            if !name.is_empty() && !known {
                violations.push(Violation::new(
                    field,
                    format!(
                        "Deploy job `{}` targets `{name}`, which is not an environment of the design, so no branch guards it.",
                        job.id
                    ),
                ));
            } else if name.is_empty() && deploy_tier(design, job).is_none() {
                violations.push(Violation::new(
                    field,
                    format!(
                        "Deploy job `{}` targets no environment, so no branch guards it.",
                        job.id
                    ),
                ));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Map environments to their branches",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut production_from_dev = Design::default();
        production_from_dev.environments[1].branch = "dev".into();
        let mut staging_from_main = Design::default();
        staging_from_main.environments[0].branch = "main".into();
        let mut unprotected = Design::default();
        unprotected.environments[0].branch = "feature/login".into();
        let mut disagreeing = Design::default();
        disagreeing.repository.branches[1].deploys_to = "production".into();
        let unknown = super::with_job("deploy-production", |job| job.environment = "prod".into());
        vec![
            production_from_dev,
            staging_from_main,
            unprotected,
            disagreeing,
            unknown,
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let default = design.repository.default_branch.trim().to_owned();
    let protected = protected_branches(design);
    let others: Vec<String> = protected
        .iter()
        .filter(|branch| **branch != default)
        .cloned()
        .collect();
    let claimed_by = |design: &Design, env: &str| -> Option<String> {
        design
            .repository
            .branches
            .iter()
            .find(|branch| branch.deploys_to == env && others.contains(&branch.name))
            .map(|branch| branch.name.clone())
    };
    for i in 0..design.environments.len() {
        let env = &design.environments[i];
        let branch = env.branch.trim().to_owned();
        let wanted = if env.tier == EnvironmentTier::Production {
            default.clone()
        } else if others.contains(&branch) || (others.is_empty() && branch == default) {
            continue;
        } else {
            claimed_by(design, &env.name)
                .or_else(|| others.first().cloned())
                .unwrap_or_else(|| default.clone())
        };
        design.environments[i].branch = wanted;
    }
    for k in 0..design.repository.branches.len() {
        let branch = &design.repository.branches[k];
        let target = branch.deploys_to.trim();
        if target.is_empty() {
            continue;
        }
        let consistent = design
            .environments
            .iter()
            .any(|env| env.name == target && env.branch.trim() == branch.name.trim());
        if !consistent {
            let name = branch.name.clone();
            design.repository.branches[k].deploys_to = design
                .environments
                .iter()
                .find(|env| env.branch == name)
                .map(|env| env.name.clone())
                .unwrap_or_default();
        }
    }
    for index in jobs_of(design, JobKind::Deploy) {
        let job = &design.pipeline.jobs[index];
        let known = design
            .environments
            .iter()
            .any(|env| env.name == job.environment);
        if known {
            continue;
        }
        let target = match deploy_tier(design, job) {
            Some(tier) => environment_of_tier(design, tier).map(|(_, env)| env.name.clone()),
            None if design.environments.len() == 1 => Some(design.environments[0].name.clone()),
            None => None,
        };
        if let Some(name) = target {
            design.pipeline.jobs[index].environment = name;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_main_to_production_and_dev_to_staging() {
        assert!(fields(&DeployBranchMapping, &preset("node-api")).is_empty());
    }

    #[test]
    fn fails_on_each_wrong_mapping() {
        let reported: Vec<Vec<String>> = DeployBranchMapping::failing_examples()
            .iter()
            .map(|design| fields(&DeployBranchMapping, design))
            .collect();
        assert_eq!(
            reported[0],
            [
                "environments[1].branch",
                "repository.branches[0].deploys_to"
            ]
        );
        assert_eq!(
            reported[1],
            [
                "environments[0].branch",
                "repository.branches[1].deploys_to"
            ]
        );
        assert_eq!(
            reported[2],
            [
                "environments[0].branch",
                "repository.branches[1].deploys_to"
            ]
        );
        assert_eq!(reported[3], ["repository.branches[1].deploys_to"]);
        assert_eq!(reported[4], ["pipeline.jobs[5].environment"]);
    }
}
