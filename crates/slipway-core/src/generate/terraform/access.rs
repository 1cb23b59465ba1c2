//! `deploy_access.tf`: what keyless deploys assume (SECRETS-007, CONSIST-005). GitHub's OIDC
//! provider, and this environment's deploy role, which trusts only the repository's jobs in
//! this environment (`repo:OWNER/REPO:environment:NAME`, audience `sts.amazonaws.com`) and may
//! describe this cluster and edit the deploy's namespaces, nothing else.

use crate::facts::cloud::{AUDIENCE, ROLE_VARIABLE};
use crate::formats::hcl::{code, file, number, string, strings, BlockWriter, Expression};

const ISSUER: &str = "https://token.actions.githubusercontent.com";

/// GitHub's OIDC provider (created or read) and `local.github_oidc_provider_arn`, which every
/// role GitHub's jobs assume trusts.
pub fn oidc_provider() -> Vec<String> {
    let provider = BlockWriter::new("resource", &["aws_iam_openid_connect_provider", "github"])
        .comment("One per account: the environment whose tfvars sets create_github_oidc_provider creates it,")
        .comment("the others read it.")
        .attr("count", code("var.create_github_oidc_provider ? 1 : 0"))
        .attr("url", string(ISSUER))
        .attr("client_id_list", strings([AUDIENCE]));
    let existing = BlockWriter::new("data", &["aws_iam_openid_connect_provider", "github"])
        .attr("count", code("var.create_github_oidc_provider ? 0 : 1"))
        .attr("url", string(ISSUER));
    let locals = BlockWriter::new("locals", &[]).attr(
        "github_oidc_provider_arn",
        code("var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn"),
    );
    vec![provider.render(), existing.render(), locals.render()]
}

/// A condition on a claim of GitHub's token.
pub fn claim(name: &str, values: Expression) -> BlockWriter {
    BlockWriter::new("condition", &[])
        .attr("test", string("StringEquals"))
        .attr(
            "variable",
            string(&format!("token.actions.githubusercontent.com:{name}")),
        )
        .attr("values", values)
}

/// `deploy_access.tf`; with `reads_images`, the deploy role may also read the images CI pushed
/// to Amazon ECR (the deploy checks which exist and verifies their attestations).
pub fn access_tf(reads_images: bool) -> String {
    let trust = BlockWriter::new("data", &["aws_iam_policy_document", "deploy_trust"]).block(
        BlockWriter::new("statement", &[])
            .attr("sid", string("GitHubDeploysOfThisEnvironment"))
            .attr("actions", strings(["sts:AssumeRoleWithWebIdentity"]))
            .block(
                BlockWriter::new("principals", &[])
                    .attr("type", string("Federated"))
                    .attr("identifiers", code("[local.github_oidc_provider_arn]")),
            )
            .block(claim("aud", strings([AUDIENCE])))
            .comment("Only jobs of this repository that run in this GitHub environment: not other")
            .comment("branches' jobs, pull requests or other repositories.")
            .block(claim(
                "sub",
                code(r#"["repo:${var.github_repository}:environment:${var.github_environment}"]"#),
            )),
    );
    let role = BlockWriter::new("resource", &["aws_iam_role", "deploy"])
        .comment(format!(
            "The deploy role of this environment: set its ARN (output deploy_role_arn) as the {ROLE_VARIABLE}"
        ))
        .comment("variable of the GitHub environment. Its credentials last one hour; no key is stored anywhere.")
        .attr("name", code(r#""${local.name}-deploy""#))
        .attr("assume_role_policy", code("data.aws_iam_policy_document.deploy_trust.json"))
        .attr("max_session_duration", number(3600));
    let describe = BlockWriter::new("data", &["aws_iam_policy_document", "deploy"]).block(
        BlockWriter::new("statement", &[])
            .attr("sid", string("FindThisCluster"))
            .attr("actions", strings(["eks:DescribeCluster"]))
            .attr("resources", code("[module.eks.cluster_arn]")),
    );
    let policy = BlockWriter::new("resource", &["aws_iam_role_policy", "deploy"])
        .comment(
            "aws eks update-kubeconfig reads the cluster's endpoint and certificate; Kubernetes",
        )
        .comment("rights come from the access entry below, not from IAM.")
        .attr("name", string("describe-cluster"))
        .attr("role", code("aws_iam_role.deploy.id"))
        .attr("policy", code("data.aws_iam_policy_document.deploy.json"));
    let entry = BlockWriter::new("resource", &["aws_eks_access_entry", "deploy"])
        .attr("cluster_name", code("module.eks.cluster_name"))
        .attr("principal_arn", code("aws_iam_role.deploy.arn"))
        .attr("type", string("STANDARD"));
    let association = BlockWriter::new(
        "resource",
        &["aws_eks_access_policy_association", "deploy"],
    )
    .comment("Edit rights (Helm releases, Deployments, Services, Secrets ...) inside the deploy's")
    .comment("namespaces only: no cluster-wide objects, no RBAC changes, no other namespace.")
    .attr("cluster_name", code("module.eks.cluster_name"))
    .attr(
        "principal_arn",
        code("aws_eks_access_entry.deploy.principal_arn"),
    )
    .attr(
        "policy_arn",
        string("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy"),
    )
    .block(
        BlockWriter::new("access_scope", &[])
            .attr("type", string("namespace"))
            .attr("namespaces", code("var.deploy_namespaces")),
    );
    let mut sections = oidc_provider();
    sections.extend([
        trust.render(),
        role.render(),
        describe.render(),
        policy.render(),
        entry.render(),
        association.render(),
    ]);
    if reads_images {
        let read = BlockWriter::new("data", &["aws_iam_policy_document", "deploy_images"])
            .block(
                BlockWriter::new("statement", &[])
                    .attr("sid", string("LogInToTheRegistry"))
                    .attr("actions", strings(["ecr:GetAuthorizationToken"]))
                    .comment("GetAuthorizationToken has no resource to narrow it to.")
                    .attr("resources", strings(["*"])),
            )
            .block(
                BlockWriter::new("statement", &[])
                    .attr("sid", string("ReadTheServicesImages"))
                    .attr("actions", strings(ECR_READ))
                    .attr("resources", code("var.image_repository_arns")),
            );
        let policy = BlockWriter::new("resource", &["aws_iam_role_policy", "deploy_images"])
            .comment("The deploy reads the images CI pushed (which exist for this commit, their")
            .comment("attestations): read-only, on the services' repositories alone.")
            .attr("name", string("read-images"))
            .attr("role", code("aws_iam_role.deploy.id"))
            .attr(
                "policy",
                code("data.aws_iam_policy_document.deploy_images.json"),
            );
        sections.extend([read.render(), policy.render()]);
    }
    file(
        &[
            "Keyless deploys: GitHub Actions trades its OIDC token for one-hour credentials of this",
            "environment's deploy role, so no cloud key or kubeconfig is stored in GitHub (SECRETS-007).",
        ],
        &sections,
    )
}

/// What reading an image from Amazon ECR takes: its manifest and its layers.
pub const ECR_READ: [&str; 3] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
];
