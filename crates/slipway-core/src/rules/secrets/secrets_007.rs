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
        title: "Deploys reach the cluster with GitHub's OIDC token, not a stored kubeconfig",
        what: "A design whose deploy jobs reach EKS clusters its own Terraform creates keeps \
               `pipeline.cloud_auth: oidc` (the default): each deploy trades GitHub's OIDC token \
               for one-hour credentials of its environment's deploy role (CONSIST-005), and no \
               `KUBECONFIG` secret or cloud key is stored in GitHub.",
        why: "A kubeconfig in a secret is a credential that works from anywhere until someone \
              revokes it: a leaked log, a compromised action or a copied secret reaches the \
              cluster for months, and rotating it is a manual chore nobody schedules. An OIDC \
              token is minted per job, names the repository and environment it was issued to, \
              and the credentials it buys expire within the hour.",
        incorrect: "pipeline:\n  cloud_auth: kubeconfig-secret   # env secret KUBECONFIG",
        correct: "pipeline:\n  cloud_auth: oidc   # id-token: write + configure-aws-credentials",
        fix: "Sets `pipeline.cloud_auth: oidc`: the deploys assume `vars.AWS_DEPLOY_ROLE_ARN` and \
              the Terraform creates the OIDC provider and a deploy role for each environment CI \
              deploys to (a GitOps environment, which Argo CD delivers from inside the cluster, \
              needs none). Set each of those environments' variable from `terraform output -raw \
              deploy_role_arn`, then delete the old `KUBECONFIG` secrets.",
        source: "SECRETS-002 (\"read from secrets or comes from OIDC\"); 000 · CI/CD Pipelines › \
                 Best Practices",
        equivalents: &["checkov CKV_GHA_* (no static cloud keys)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        // Only the environments CI deploys to itself read the secret: Argo CD delivers
        // GitOps ones from inside the cluster.
        if design.pipeline.cloud_auth != CloudAuth::KubeconfigSecret
            || !cloud::on_eks(design)
            || !has_deploy_workflow(design)
            || design.environments.iter().all(|env| env.gitops())
        {
            return Vec::new();
        }
        vec![Violation::new(
            "pipeline.cloud_auth",
            "Deploys read a long-lived KUBECONFIG secret: whoever copies it reaches the cluster \
             until it is revoked. Use OIDC (`cloud_auth: oidc`) for one-hour credentials per \
             deploy.",
        )]
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
        vec![design]
    }
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
