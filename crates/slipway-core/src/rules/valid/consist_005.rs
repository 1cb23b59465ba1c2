use crate::facts::cloud::{self, slug, ENVIRONMENT_SLUG_MAX};
use crate::facts::deploys::{deploys_read_registry, generated_deploy, has_deploy_workflow};
use crate::model::JobKind;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

pub struct OidcTrustMatchesDeploys;

/// `us-east-1`: two letters, words, a number.
fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let letters = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase());
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1].iter().all(letters)
        && parts
            .last()
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl Rule for OidcTrustMatchesDeploys {
    const DOC: RuleDoc = RuleDoc {
        id: "CONSIST-005",
        name: "oidc-trust-matches-deploys",
        severity: Severity::High,
        area: Area::Validity,
        title: "The deploy roles trust exactly the jobs that deploy",
        what: "With keyless deploys (SECRETS-007), the workflow and the Terraform agree: the \
               repository slug is `OWNER/REPO` (each role trusts \
               `repo:OWNER/REPO:environment:<env>`), every deploy job targets an environment of \
               the design (whose state creates its role and cluster), every environment's \
               cluster name, and its role's where CI deploys to it itself, derive from its own \
               name (no two names reduce to the same slug), and the region is an AWS region \
               name. An environment Argo CD delivers (GitOps) gets no deploy role: no job reaches \
               its cluster. With keyless pushes to Amazon ECR the image push role trusts \
               `repo:OWNER/REPO:ref:refs/heads/<branch>` for exactly the branches CI pushes \
               images from, so the slug must be `OWNER/REPO` there too. A deploy job that reads \
               that registry without a deploy role (a GitOps promotion, a deploy with a \
               `KUBECONFIG` secret) assumes its environment's image read role, which trusts \
               `repo:OWNER/REPO:environment:<env>` and is named after the environment like the \
               deploy role: it too needs a declared environment with a name of its own.",
        why: "AWS compares the token's `sub` claim with the trust policy character for \
              character: a slug without its owner, a deploy to an environment no state \
              creates, or a role named after another environment means the deploy is refused \
              at run time, after the build, or that one environment's jobs can assume \
              another's role.",
        incorrect: "repository: {slug: shop}\npipeline.jobs: [{id: deploy-qa, kind: deploy, \
                    environment: qa}]   # no qa environment",
        correct: "repository: {slug: acme/shop}\nenvironments: [{name: qa}, ...]",
        fix: "Set `repository.slug` to the GitHub repository (`OWNER/REPO`), point deploy jobs \
              at a declared environment (or declare it), give environments names that differ \
              as slugs, and set `infrastructure.region` (e.g. `us-east-1`).",
        source: "Cross-artifact check (issue: keyless, verifiable delivery); SECRETS-002 \
                 (credentials from OIDC)",
        equivalents: &["checkov CKV_AWS_358 (OIDC trust limited to a repository)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let deploys = cloud::keyless(design) && has_deploy_workflow(design);
        let pushes = cloud::keyless_registry(design);
        if !deploys && !pushes {
            return Vec::new();
        }
        let mut found = Vec::new();
        let repository = design.repository.slug.trim();
        if !cloud::valid_slug(repository) {
            found.push(Violation::new(
                "repository.slug",
                if deploys {
                    format!(
                        "The deploy roles trust `{}`, but `{repository}` is not OWNER/REPO: no \
                         GitHub token matches and every keyless deploy is refused.",
                        cloud::subject(repository, "<env>")
                    )
                } else {
                    format!(
                        "The image push role trusts `{}`, but `{repository}` is not \
                         OWNER/REPO: no GitHub token matches and every image push is refused.",
                        cloud::branch_subject(repository, "<branch>")
                    )
                },
            ));
        }
        // The deploys read the keyless registry: each job without a deploy role assumes its
        // environment's image read role.
        let reads = pushes && deploys_read_registry(design);
        if !deploys && !reads {
            return found;
        }
        if deploys {
            let region = cloud::region(design);
            if !valid_region(&region) {
                found.push(Violation::new(
                    "infrastructure.region",
                    format!(
                        "`{region}` is not an AWS region: the deploys cannot find the cluster."
                    ),
                ));
            }
        }
        let clusters = cloud::on_eks(design);
        let slugs = cloud::environment_slugs(design);
        for (i, (env, unique)) in design.environments.iter().zip(&slugs).enumerate() {
            let own = slug(&env.name, ENVIRONMENT_SLUG_MAX, "env");
            if *unique != own {
                let reader = cloud::image_read_role(design, env);
                let names = match (cloud::deploy_role(design, env), reader, clusters) {
                    (true, _, _) => "its role and cluster get a numbered name",
                    (false, true, true) => "its image read role and cluster get a numbered name",
                    (false, true, false) => "its image read role gets a numbered name",
                    (false, false, true) if deploys => "its cluster gets a numbered name",
                    _ => continue,
                };
                found.push(Violation::new(
                    format!("environments[{i}].name"),
                    format!(
                        "`{}` reduces to `{own}` like an earlier environment: {names} that no \
                         longer derives from its own.",
                        env.name
                    ),
                ));
            }
        }
        let declared: std::collections::HashSet<&str> = design
            .environments
            .iter()
            .map(|env| env.name.as_str())
            .collect();
        for (i, job) in design.pipeline.jobs.iter().enumerate() {
            if job.kind != JobKind::Deploy || declared.contains(job.environment.trim()) {
                continue;
            }
            let consequence = if deploys {
                "no state creates its role or cluster, so it falls back to a KUBECONFIG secret"
            } else if generated_deploy(job) {
                "no state creates its image read role, so it reads the registry with the \
                 REGISTRY_USERNAME and REGISTRY_PASSWORD secrets"
            } else {
                continue;
            };
            found.push(Violation::new(
                format!("pipeline.jobs[{i}].environment"),
                format!(
                    "Deploy `{}` targets `{}`, which the design does not declare: {consequence}.",
                    job.id,
                    job.environment.trim()
                ),
            ));
        }
        found
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<crate::model::Design> {
        let mut design = crate::model::Design::default();
        design.repository.slug = "shop".to_owned();
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_on_every_preset() {
        for preset in crate::presets::all() {
            assert!(
                fields(&OidcTrustMatchesDeploys, &(preset.build)()).is_empty(),
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn a_gitops_environment_has_a_cluster_but_no_role() {
        let mut design = preset("node-api");
        let mut twin = design.environments[0].clone();
        twin.name = twin.name.to_uppercase();
        twin.delivery = crate::model::Delivery::Gitops;
        design.environments.push(twin);
        let found = crate::rules::support::violations(&OidcTrustMatchesDeploys, &design);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "environments[2].name");
        assert!(
            found[0]
                .message
                .contains("its cluster gets a numbered name"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn fails_on_a_slug_a_region_a_shared_name_and_an_unknown_environment() {
        let mut design = preset("node-api");
        design.repository.slug = "shop".into();
        design.infrastructure.region = "Virginia".into();
        let mut twin = design.environments[0].clone();
        twin.name = twin.name.to_uppercase();
        design.environments.push(twin);
        let deploy = design
            .pipeline
            .jobs
            .iter()
            .position(|j| j.kind == JobKind::Deploy)
            .unwrap();
        design.pipeline.jobs[deploy].environment = "qa".into();
        assert_eq!(
            fields(&OidcTrustMatchesDeploys, &design),
            [
                "repository.slug".to_owned(),
                "infrastructure.region".to_owned(),
                "environments[2].name".to_owned(),
                format!("pipeline.jobs[{deploy}].environment"),
            ]
        );
    }

    /// node-api pushing to Amazon ECR with its production delivered by Argo CD: the promotion
    /// reads the registry with production's image read role.
    fn ecr_gitops() -> crate::model::Design {
        let mut design = preset("node-api");
        design.pipeline.registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com".into();
        let production = design
            .environments
            .iter()
            .position(|env| env.name == "production")
            .unwrap();
        design.environments[production].delivery = crate::model::Delivery::Gitops;
        design
    }

    /// Adds an environment named like production in capitals, with a deploy job of its own.
    fn add_capital_production(design: &mut crate::model::Design) -> crate::model::Environment {
        let mut twin = design.environments[1].clone();
        twin.name = twin.name.to_uppercase();
        design.environments.push(twin.clone());
        let mut deploy = design
            .pipeline
            .jobs
            .iter()
            .find(|job| job.kind == JobKind::Deploy && job.environment == "production")
            .unwrap()
            .clone();
        deploy.id = "deploy-twin".into();
        deploy.environment = twin.name.clone();
        design.pipeline.jobs.push(deploy);
        twin
    }

    #[test]
    fn a_gitops_environment_reading_ecr_has_an_image_read_role_named_after_it() {
        let mut design = ecr_gitops();
        assert!(fields(&OidcTrustMatchesDeploys, &design).is_empty());
        let twin = add_capital_production(&mut design);
        assert!(cloud::image_read_role(&design, &twin));
        let found = crate::rules::support::violations(&OidcTrustMatchesDeploys, &design);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].field, "environments[2].name");
        assert!(
            found[0]
                .message
                .contains("its image read role and cluster get a numbered name"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_kubeconfig_deploy_reading_ecr_needs_a_declared_environment() {
        let mut design = ecr_gitops();
        design.infrastructure.eks.enabled = false;
        assert!(!cloud::keyless(&design) && cloud::keyless_registry(&design));
        assert!(design
            .environments
            .iter()
            .all(|env| cloud::image_read_role(&design, env)));
        assert!(fields(&OidcTrustMatchesDeploys, &design).is_empty());
        add_capital_production(&mut design);
        let deploy = design
            .pipeline
            .jobs
            .iter()
            .position(|j| j.kind == JobKind::Deploy)
            .unwrap();
        design.pipeline.jobs[deploy].environment = "qa".into();
        let found = crate::rules::support::violations(&OidcTrustMatchesDeploys, &design);
        let fields: Vec<&str> = found.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "environments[2].name".to_owned(),
                format!("pipeline.jobs[{deploy}].environment")
            ],
            "{found:?}"
        );
        assert!(found[0]
            .message
            .contains("its image read role gets a numbered name"));
        assert!(
            found[1].message.contains("REGISTRY_PASSWORD"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn a_keyless_ecr_push_needs_an_owner_repo_slug_too() {
        let mut design = preset("node-api");
        design.infrastructure.eks.enabled = false;
        design.pipeline.registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com".into();
        assert!(cloud::keyless_registry(&design) && !cloud::keyless(&design));
        assert!(fields(&OidcTrustMatchesDeploys, &design).is_empty());
        design.repository.slug = "shop".into();
        let found = crate::rules::support::violations(&OidcTrustMatchesDeploys, &design);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].field, "repository.slug");
        assert!(found[0]
            .message
            .contains("repo:shop:ref:refs/heads/<branch>"));
    }
}
