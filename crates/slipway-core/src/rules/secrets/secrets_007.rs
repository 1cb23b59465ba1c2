use crate::facts::{cloud, deploys::has_deploy_workflow};
use crate::model::{CloudAuth, Design};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct KeylessCloudAccess;

impl Rule for KeylessCloudAccess {
    const DOC: RuleDoc = RuleDoc {
        id: "SECRETS-007",
        name: "keyless-cloud-access",
        severity: Severity::High,
        area: Area::Secrets,
        title: "Deploys and image pushes reach AWS with GitHub's OIDC token, not stored keys",
        what: "A design whose deploy jobs reach EKS clusters its own Terraform creates, or whose \
               CI pushes images to an Amazon ECR registry (`<account>.dkr.ecr.<region>.amazonaws.com`) \
               whose repositories its Terraform creates, keeps `pipeline.cloud_auth: oidc` (the \
               default): each deploy trades GitHub's OIDC token for one-hour credentials of its \
               environment's deploy role, the build for those of the image push role and a \
               deploy job that reads ECR without a deploy role (a GitOps promotion, a deploy \
               with a `KUBECONFIG` secret) for those of its environment's read-only image read \
               role (CONSIST-005), and no `KUBECONFIG` secret, registry password or cloud key \
               is stored in GitHub.",
        why: "A kubeconfig or a registry password in a secret is a credential that works from \
              anywhere until someone revokes it: a leaked log, a compromised action or a copied \
              secret reaches the cluster, or pushes an image the cluster will run, for months, \
              and rotating it is a manual chore nobody schedules. An ECR password is usually an \
              IAM user's access key, valid in every region and often for more than the \
              registry. An OIDC token is minted per job, names the repository, branch or \
              environment it was issued to, and the credentials it buys expire within the hour.",
        incorrect: "pipeline:\n  cloud_auth: kubeconfig-secret   # env secret KUBECONFIG, \
                    REGISTRY_USERNAME/REGISTRY_PASSWORD for ECR",
        correct: "pipeline:\n  cloud_auth: oidc   # id-token: write + configure-aws-credentials \
                  (+ amazon-ecr-login)",
        fix: "Sets `pipeline.cloud_auth: oidc`: the deploys assume `vars.AWS_DEPLOY_ROLE_ARN`, an \
              ECR push assumes `vars.AWS_IMAGE_PUSH_ROLE_ARN` and a deploy job that reads ECR \
              without a deploy role `vars.AWS_IMAGE_READ_ROLE_ARN`, each logging in with \
              `aws-actions/amazon-ecr-login`, and the Terraform creates the OIDC provider, a \
              deploy role for each environment CI deploys to (a GitOps environment, which Argo CD \
              delivers from inside the cluster, needs none), the image push role and those \
              environments' image read roles. Set the variables from `terraform output -raw \
              deploy_role_arn`, `image_push_role_arn` and `image_read_role_arn`, then delete the \
              old `KUBECONFIG`, `REGISTRY_USERNAME` and `REGISTRY_PASSWORD` secrets.",
        source: "SECRETS-002 (\"read from secrets or comes from OIDC\"); 000 · CI/CD Pipelines › \
                 Best Practices",
        equivalents: &["checkov CKV_GHA_* (no static cloud keys)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if design.pipeline.cloud_auth != CloudAuth::KubeconfigSecret {
            return Vec::new();
        }
        // Only the environments CI deploys to itself read the secret: Argo CD delivers
        // GitOps ones from inside the cluster.
        let deploys = cloud::on_eks(design)
            && has_deploy_workflow(design)
            && !design.environments.iter().all(|env| env.gitops());
        // What `cloud_auth: oidc` would make keyless: an ECR push the Terraform can give a role.
        let pushes = design.uses_kubernetes()
            && design.infrastructure.enabled
            && cloud::ecr(design).is_some();
        let message = match (deploys, pushes) {
            (false, false) => return Vec::new(),
            (true, false) => {
                "Deploys read a long-lived KUBECONFIG secret: whoever copies it reaches the \
                 cluster until it is revoked. Use OIDC (`cloud_auth: oidc`) for one-hour \
                 credentials per deploy."
            }
            (false, true) => {
                "CI pushes to Amazon ECR with the stored REGISTRY_USERNAME and \
                 REGISTRY_PASSWORD secrets (an IAM access key): whoever copies them pushes \
                 images the cluster runs until the key is revoked. Use OIDC \
                 (`cloud_auth: oidc`) for one-hour credentials of an image push role."
            }
            (true, true) => {
                "Deploys read a long-lived KUBECONFIG secret and CI pushes to Amazon ECR with \
                 the stored REGISTRY_USERNAME and REGISTRY_PASSWORD secrets: whoever copies \
                 them reaches the cluster, or pushes images it runs, until they are revoked. \
                 Use OIDC (`cloud_auth: oidc`) for one-hour credentials per job."
            }
        };
        vec![Violation::new("pipeline.cloud_auth", message)]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Deploy with short-lived OIDC credentials",
            safety: FixSafety::Safe,
            apply: |design: &mut Design, _| design.pipeline.cloud_auth = CloudAuth::Oidc,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.cloud_auth = CloudAuth::KubeconfigSecret;
        let mut pushes_to_ecr = ecr_design();
        pushes_to_ecr.pipeline.cloud_auth = CloudAuth::KubeconfigSecret;
        vec![design, pushes_to_ecr]
    }
}

/// A design without EKS whose CI pushes to Amazon ECR.
#[cfg(test)]
fn ecr_design() -> Design {
    let mut design = Design::default();
    design.infrastructure.eks.enabled = false;
    design.pipeline.registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com".to_owned();
    design
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_oidc_and_without_eks() {
        assert!(fields(&KeylessCloudAccess, &preset("web-api-worker")).is_empty());
        let mut design = KeylessCloudAccess::failing_examples().remove(0);
        design.infrastructure.eks.enabled = false;
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
    }

    #[test]
    fn passes_when_argo_cd_delivers_every_environment() {
        let mut design = KeylessCloudAccess::failing_examples().remove(0);
        for env in &mut design.environments {
            env.delivery = crate::model::Delivery::Gitops;
        }
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
        // One environment CI deploys to itself is enough to need the secret.
        design.environments[0].delivery = crate::model::Delivery::Push;
        assert_eq!(
            fields(&KeylessCloudAccess, &design),
            ["pipeline.cloud_auth"]
        );
    }

    #[test]
    fn fails_on_registry_secrets_for_ecr_only_where_terraform_can_give_a_role() {
        let mut design = KeylessCloudAccess::failing_examples().remove(1);
        assert!(!cloud::on_eks(&design));
        let found = crate::rules::support::violations(&KeylessCloudAccess, &design);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("REGISTRY_PASSWORD"));
        (KeylessCloudAccess.fix().unwrap().apply)(&mut design, 0);
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
        assert!(cloud::keyless_registry(&design));
        // Without the design's Terraform nothing creates a push role: the secrets stay.
        let mut design = KeylessCloudAccess::failing_examples().remove(1);
        design.infrastructure.enabled = false;
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
        design.infrastructure.enabled = true;
        design.pipeline.registry = "ghcr.io".to_owned();
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
    }

    #[test]
    fn the_fix_gives_a_gitops_promotion_reading_ecr_an_image_read_role() {
        let mut design = KeylessCloudAccess::failing_examples().remove(1);
        design.infrastructure.eks.enabled = true;
        for env in &mut design.environments {
            env.delivery = crate::model::Delivery::Gitops;
        }
        // Argo CD delivers everything: only the registry secrets are left to flag.
        let found = crate::rules::support::violations(&KeylessCloudAccess, &design);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("REGISTRY_PASSWORD"));
        assert!(!design
            .environments
            .iter()
            .any(|env| cloud::image_read_role(&design, env)));
        (KeylessCloudAccess.fix().unwrap().apply)(&mut design, 0);
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
        // No environment has a deploy role, and each promotion reads the images with its
        // environment's image read role instead of the registry secrets.
        assert!(!cloud::keyless(&design));
        for env in &design.environments {
            assert!(!cloud::deploy_role(&design, env), "{}", env.name);
            assert!(cloud::image_read_role(&design, env), "{}", env.name);
        }
    }

    #[test]
    fn fails_on_a_kubeconfig_secret_and_the_fix_turns_oidc_on() {
        let mut design = KeylessCloudAccess::failing_examples().remove(0);
        assert_eq!(
            fields(&KeylessCloudAccess, &design),
            ["pipeline.cloud_auth"]
        );
        (KeylessCloudAccess.fix().unwrap().apply)(&mut design, 0);
        assert!(fields(&KeylessCloudAccess, &design).is_empty());
    }
}
