//! `deploy_access.tf`: what keyless deploys assume (SECRETS-007, CONSIST-005). GitHub's OIDC
//! provider, and this environment's deploy role, which trusts only the repository's jobs in
//! this environment (`repo:OWNER/REPO:environment:NAME`, audience `sts.amazonaws.com`) and may
//! describe this cluster and edit the deploy's namespaces, nothing else. An environment Argo CD
//! delivers (GitOps) sets `create_deploy_role = false`: no job of the repository reaches its
//! cluster, so it gets no deploy role, and reads the provider only for another role GitHub's
//! jobs assume there (the image push role, an image read role).

use crate::facts::cloud::{AUDIENCE, ROLE_VARIABLE};
use crate::formats::hcl::{code, file, number, string, strings, BlockWriter, Expression};

const ISSUER: &str = "https://token.actions.githubusercontent.com";
/// One of each deploy-role object in an environment CI deploys to, none elsewhere.
const COUNT: &str = "var.create_deploy_role ? 1 : 0";

/// Which states read or create GitHub's OIDC provider: those with a role GitHub's jobs assume.
#[derive(Clone, Copy)]
pub struct ProviderFor {
    /// The environments CI deploys to (`create_deploy_role`).
    pub deploys: bool,
    /// The state owning the image repositories (the image push role).
    pub image_pushes: bool,
    /// The environments whose deploy jobs read the images without a deploy role
    /// (`create_image_read_role`).
    pub image_reads: bool,
}

/// The counts of the created provider and of the read one, for a state that needs it when
/// `$needed` holds.
macro_rules! provider_counts {
    ($needed:literal) => {
        (
            concat!($needed, " && var.create_github_oidc_provider ? 1 : 0"),
            concat!($needed, " && !var.create_github_oidc_provider ? 1 : 0"),
        )
    };
}

impl ProviderFor {
    /// The counts of the created provider and of the read one.
    fn counts(self) -> (&'static str, &'static str) {
        match (self.deploys, self.image_pushes, self.image_reads) {
            (false, false, false) => ("0", "0"),
            (true, false, false) => provider_counts!("var.create_deploy_role"),
            (false, true, false) => provider_counts!("length(var.image_repositories) > 0"),
            (false, false, true) => provider_counts!("var.create_image_read_role"),
            (true, true, false) => {
                provider_counts!("(var.create_deploy_role || length(var.image_repositories) > 0)")
            }
            (true, false, true) => {
                provider_counts!("(var.create_deploy_role || var.create_image_read_role)")
            }
            (false, true, true) => provider_counts!(
                "(length(var.image_repositories) > 0 || var.create_image_read_role)"
            ),
            (true, true, true) => provider_counts!(
                "(var.create_deploy_role || length(var.image_repositories) > 0 || var.create_image_read_role)"
            ),
        }
    }
}

/// GitHub's OIDC provider (created or read) and `local.github_oidc_provider_arn`, which every
/// role GitHub's jobs assume trusts.
pub fn oidc_provider(needed: ProviderFor) -> Vec<String> {
    let (create, read) = needed.counts();
    let provider = BlockWriter::new("resource", &["aws_iam_openid_connect_provider", "github"])
        .comment("One per account: the environment whose tfvars sets create_github_oidc_provider creates it,")
        .comment("the others read it.")
        .attr("count", code(create))
        .attr("url", string(ISSUER))
        .attr("client_id_list", strings([AUDIENCE]));
    let existing = BlockWriter::new("data", &["aws_iam_openid_connect_provider", "github"])
        .attr("count", code(read))
        .attr("url", string(ISSUER));
    let locals = BlockWriter::new("locals", &[]).attr(
        "github_oidc_provider_arn",
        code("one(concat(aws_iam_openid_connect_provider.github[*].arn, data.aws_iam_openid_connect_provider.github[*].arn))"),
    );
    vec![provider.render(), existing.render(), locals.render()]
}

/// The token subject of this repository's jobs in the state's GitHub environment.
pub const ENVIRONMENT_SUBJECT: &str =
    r#"["repo:${var.github_repository}:environment:${var.github_environment}"]"#;

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

/// The trust statement of a role that GitHub's OIDC token assumes: the audience is AWS STS,
/// and the subject one of `subjects`, which `why` (two comment lines) explains.
pub fn github_trust_statement(sid: &str, why: [&str; 2], subjects: &'static str) -> BlockWriter {
    BlockWriter::new("statement", &[])
        .attr("sid", string(sid))
        .attr("actions", strings(["sts:AssumeRoleWithWebIdentity"]))
        .block(
            BlockWriter::new("principals", &[])
                .attr("type", string("Federated"))
                .attr("identifiers", code("[local.github_oidc_provider_arn]")),
        )
        .block(claim("aud", strings([AUDIENCE])))
        .comment(why[0])
        .comment(why[1])
        .block(claim("sub", code(subjects)))
}

/// `deploy_access.tf`; with `reads_images`, the deploy role may also read the images CI pushed
/// to Amazon ECR (the deploy checks which exist and verifies their attestations), and the
/// state that owns the image repositories needs GitHub's OIDC provider for the image push role
/// (`image_push.tf`) even where it has no deploy role.
pub fn access_tf(reads_images: bool, image_reads: bool) -> String {
    let trust = BlockWriter::new("data", &["aws_iam_policy_document", "deploy_trust"])
        .attr("count", code(COUNT))
        .block(github_trust_statement(
            "GitHubDeploysOfThisEnvironment",
            [
                "Only jobs of this repository that run in this GitHub environment: not other",
                "branches' jobs, pull requests or other repositories.",
            ],
            ENVIRONMENT_SUBJECT,
        ));
    let role = BlockWriter::new("resource", &["aws_iam_role", "deploy"])
        .comment(format!(
            "The deploy role of this environment: set its ARN (output deploy_role_arn) as the {ROLE_VARIABLE}"
        ))
        .comment("variable of the GitHub environment. Its credentials last one hour; no key is stored anywhere.")
        .attr("count", code(COUNT))
        .attr("name", code(r#""${local.name}-deploy""#))
        .attr("assume_role_policy", code("data.aws_iam_policy_document.deploy_trust[0].json"))
        .attr("max_session_duration", number(3600))
        .block(
            BlockWriter::new("lifecycle", &[]).block(
                BlockWriter::new("precondition", &[])
                    .attr(
                        "condition",
                        code(r#"var.github_repository != "" && var.github_environment != "" && length(var.deploy_namespaces) > 0"#),
                    )
                    .attr(
                        "error_message",
                        string("An environment with a deploy role sets github_repository, github_environment and deploy_namespaces in its tfvars."),
                    ),
            ),
        );
    let describe = BlockWriter::new("data", &["aws_iam_policy_document", "deploy"])
        .attr("count", code(COUNT))
        .block(
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
        .attr("count", code(COUNT))
        .attr("name", string("describe-cluster"))
        .attr("role", code("aws_iam_role.deploy[0].id"))
        .attr(
            "policy",
            code("data.aws_iam_policy_document.deploy[0].json"),
        );
    let entry = BlockWriter::new("resource", &["aws_eks_access_entry", "deploy"])
        .attr("count", code(COUNT))
        .attr("cluster_name", code("module.eks.cluster_name"))
        .attr("principal_arn", code("aws_iam_role.deploy[0].arn"))
        .attr("type", string("STANDARD"));
    let association = BlockWriter::new(
        "resource",
        &["aws_eks_access_policy_association", "deploy"],
    )
    .comment("Edit rights (Helm releases, Deployments, Services, Secrets ...) inside the deploy's")
    .comment("namespaces only: no cluster-wide objects, no RBAC changes, no other namespace.")
    .attr("count", code(COUNT))
    .attr("cluster_name", code("module.eks.cluster_name"))
    .attr(
        "principal_arn",
        code("aws_eks_access_entry.deploy[0].principal_arn"),
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
    let images = if reads_images {
        let read = BlockWriter::new("data", &["aws_iam_policy_document", "deploy_images"])
            .attr("count", code(COUNT))
            .block(ecr_login_statement())
            .block(
                BlockWriter::new("statement", &[])
                    .attr("sid", string("ReadTheServicesImages"))
                    .attr("actions", strings(ECR_READ))
                    .attr("resources", code("var.image_repository_arns")),
            );
        let policy = BlockWriter::new("resource", &["aws_iam_role_policy", "deploy_images"])
            .comment("The deploy reads the images CI pushed (which exist for this commit, their")
            .comment("attestations): read-only, on the services' repositories alone.")
            .attr("count", code(COUNT))
            .attr("name", string("read-images"))
            .attr("role", code("aws_iam_role.deploy[0].id"))
            .attr(
                "policy",
                code("data.aws_iam_policy_document.deploy_images[0].json"),
            );
        vec![read.render(), policy.render()]
    } else {
        Vec::new()
    };
    // The role and what hangs on it had no count before environments without a role existed:
    // an existing state keeps them rather than replacing them.
    let moved: Vec<String> = [
        ("aws_iam_role.deploy", "aws_iam_role.deploy[0]"),
        (
            "aws_iam_role_policy.deploy",
            "aws_iam_role_policy.deploy[0]",
        ),
        (
            "aws_eks_access_entry.deploy",
            "aws_eks_access_entry.deploy[0]",
        ),
        (
            "aws_eks_access_policy_association.deploy",
            "aws_eks_access_policy_association.deploy[0]",
        ),
    ]
    .into_iter()
    .map(|(from, to)| {
        BlockWriter::new("moved", &[])
            .attr("from", code(from))
            .attr("to", code(to))
            .render()
    })
    .collect();
    file(
        &[
            "Keyless deploys: GitHub Actions trades its OIDC token for one-hour credentials of this",
            "environment's deploy role, so no cloud key or kubeconfig is stored in GitHub (SECRETS-007).",
        ],
        &[
            oidc_provider(ProviderFor {
                deploys: true,
                image_pushes: reads_images,
                image_reads,
            }),
            vec![
                trust.render(),
                role.render(),
                describe.render(),
                policy.render(),
                entry.render(),
                association.render(),
            ],
            images,
            moved,
        ]
        .concat(),
    )
}

/// The statement that lets a role log in to Amazon ECR (which then checks each repository's
/// rights).
pub fn ecr_login_statement() -> BlockWriter {
    BlockWriter::new("statement", &[])
        .attr("sid", string("LogInToTheRegistry"))
        .attr("actions", strings(["ecr:GetAuthorizationToken"]))
        .comment("GetAuthorizationToken has no resource to narrow it to.")
        .attr("resources", strings(["*"]))
}

/// What reading an image from Amazon ECR takes: its manifest and its layers.
pub const ECR_READ: [&str; 3] = [
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
];
