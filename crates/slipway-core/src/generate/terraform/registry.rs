//! The Amazon ECR repositories CI pushes to, when the design's registry is ECR
//! (`<account>.dkr.ecr.<region>.amazonaws.com`): one per service whose image CI pushes, named
//! the way the workflow tags it. GitHub's registry (ghcr.io) creates a package on the first
//! push and needs nothing here.
//!
//! The repositories are shared by every environment (one image, built once, deploys
//! everywhere), so only the environment whose state owns the shared resources lists them in
//! its tfvars; the others set `image_repositories = []`. Which repositories they are is decided
//! in `plan::ImageRegistry`.

use super::plan::Plan;
use crate::facts::cloud::{PUSH_ROLE_VARIABLE, READ_ROLE_VARIABLE};
use crate::formats::hcl::{code, file, number, object, string, strings, BlockWriter, Expression};

/// Days an untagged image stays before the lifecycle policy expires it.
pub const UNTAGGED_EXPIRY_DAYS: u32 = 14;

/// The `locals` entry of the lifecycle policy: untagged images expire, tagged ones stay.
pub fn lifecycle_policy() -> Expression {
    object(vec![(
        "rules",
        Expression::Array(vec![object(vec![
            ("rulePriority", Expression::Number(1)),
            (
                "description",
                string(&format!(
                    "Expire untagged images {UNTAGGED_EXPIRY_DAYS} days after their push"
                )),
            ),
            (
                "selection",
                object(vec![
                    ("tagStatus", string("untagged")),
                    ("countType", string("sinceImagePushed")),
                    ("countUnit", string("days")),
                    ("countNumber", Expression::Number(UNTAGGED_EXPIRY_DAYS)),
                ]),
            ),
            ("action", object(vec![("type", string("expire"))])),
        ])]),
    )])
}

/// The `main.tf` sections: a provider in the registry's region, the repositories and their
/// lifecycle policies.
pub fn sections(plan: &Plan) -> Vec<String> {
    if plan.images.is_none() {
        return Vec::new();
    }
    let provider = BlockWriter::new("provider", &["aws"])
        .comment("The image repositories live where CI pushes them: the registry's region, which")
        .comment("need not be var.region. Terraform must run as the registry's account.")
        .attr("alias", string("registry"))
        .attr("region", code("var.image_registry_region"))
        .block(super::tags::default_tags());
    let repository = BlockWriter::new("resource", &["aws_ecr_repository", "service"])
        .comment("One repository per service whose image CI pushes, named as the workflow tags it")
        .comment("(IMAGE_REPOSITORY in ci.yml). Tags are immutable (CKV_AWS_51): a commit's tag")
        .comment("always names the image CI scanned and pushed, and a re-run cannot replace it.")
        .comment(
            "Every push is scanned (CKV_AWS_163); images are encrypted with KMS (CKV_AWS_136).",
        )
        .attr("provider", code("aws.registry"))
        .attr("for_each", code("var.image_repositories"))
        .attr("name", code("each.key"))
        .attr("image_tag_mutability", string("IMMUTABLE"))
        .block(
            BlockWriter::new("image_scanning_configuration", &[])
                .attr("scan_on_push", Expression::Bool(true)),
        )
        .block(
            BlockWriter::new("encryption_configuration", &[])
                .attr("encryption_type", string("KMS")),
        );
    let lifecycle = BlockWriter::new("resource", &["aws_ecr_lifecycle_policy", "service"])
        .comment("Untagged images (manifests no tag names any more, leftovers of interrupted pushes)")
        .comment(format!(
            "expire after {UNTAGGED_EXPIRY_DAYS} days; tagged images stay, so any commit can be rolled back to."
        ))
        .attr("provider", code("aws.registry"))
        .attr("for_each", code("aws_ecr_repository.service"))
        .attr("repository", code("each.value.name"))
        .attr("policy", code("jsonencode(local.untagged_image_expiry)"));
    vec![provider.render(), repository.render(), lifecycle.render()]
}

/// `image_push.tf`: the role CI's build assumes with GitHub's OIDC token to push images
/// (SECRETS-007, CONSIST-005). It trusts only this repository's pushes to the branches CI pushes
/// images from (`repo:OWNER/REPO:ref:refs/heads/<branch>`, audience `sts.amazonaws.com`) and
/// may push only to the services' repositories. The state that owns the repositories creates
/// it; with no keyless deploy in the design this file also holds GitHub's OIDC provider.
pub fn push_tf(plan: &Plan) -> String {
    let mut sections = if plan.keyless {
        Vec::new()
    } else {
        super::access::oidc_provider(super::access::ProviderFor {
            deploys: false,
            image_pushes: true,
            image_reads: plan.image_reads,
        })
    };
    let trust = BlockWriter::new("data", &["aws_iam_policy_document", "image_push_trust"]).block(
        super::access::github_trust_statement(
            "GitHubPushesOfImageBranches",
            [
                "Only this repository's jobs on a branch CI pushes images from (its pushes, the weekly",
                "image scan): not pull requests, other branches, environments or repositories.",
            ],
            r#"[for branch in var.image_push_branches : "repo:${var.github_repository}:ref:refs/heads/${branch}"]"#,
        ),
    );
    let role = BlockWriter::new("resource", &["aws_iam_role", "image_push"])
        .comment("The image push role, created with the repositories: set its ARN (output image_push_role_arn)")
        .comment(format!(
            "as the {PUSH_ROLE_VARIABLE} repository variable. Its credentials last one hour; no key is stored."
        ))
        .attr("count", code("length(var.image_repositories) > 0 ? 1 : 0"))
        .attr("name", code(r#""${var.project}-image-push""#))
        .attr(
            "assume_role_policy",
            code("data.aws_iam_policy_document.image_push_trust.json"),
        )
        .attr("max_session_duration", number(3600));
    let mut push_actions: Vec<&str> = super::access::ECR_READ.to_vec();
    push_actions.extend([
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
    ]);
    let rights = BlockWriter::new("data", &["aws_iam_policy_document", "image_push"])
        .attr("count", code("length(var.image_repositories) > 0 ? 1 : 0"))
        .block(super::access::ecr_login_statement())
        .block(
            BlockWriter::new("statement", &[])
                .attr("sid", string("PushTheServicesImages"))
                .comment(
                    "Push (and read back the digest, the layers a push skips, the attestations) on",
                )
                .comment(
                    "the services' repositories only: no delete, no policy or lifecycle change.",
                )
                .attr("actions", strings(push_actions))
                .attr(
                    "resources",
                    code("[for repository in aws_ecr_repository.service : repository.arn]"),
                ),
        );
    let policy = BlockWriter::new("resource", &["aws_iam_role_policy", "image_push"])
        .attr("count", code("length(var.image_repositories) > 0 ? 1 : 0"))
        .attr("name", string("push-images"))
        .attr("role", code("aws_iam_role.image_push[0].id"))
        .attr(
            "policy",
            code("data.aws_iam_policy_document.image_push[0].json"),
        );
    sections.extend([
        trust.render(),
        role.render(),
        rights.render(),
        policy.render(),
    ]);
    file(
        &[
            "Keyless image pushes: CI trades GitHub's OIDC token for one-hour credentials of the",
            "image push role, so no registry password or AWS key is stored in GitHub (SECRETS-007).",
        ],
        &sections,
    )
}

/// One of each image-read-role object in an environment whose deploy jobs read the images
/// without a deploy role, none elsewhere.
const READ_COUNT: &str = "var.create_image_read_role ? 1 : 0";

/// `image_read.tf`: the image read role of an environment whose deploy jobs read the registry
/// but hold no deploy role (a GitOps promotion, a deploy with a `KUBECONFIG` secret), assumed
/// with GitHub's OIDC token instead of registry secrets (SECRETS-007, CONSIST-005). It trusts
/// only this repository's jobs in this environment (`repo:OWNER/REPO:environment:NAME`,
/// audience `sts.amazonaws.com`) and may log in to Amazon ECR and pull from the services'
/// repositories, nothing else. GitHub's OIDC provider is in `deploy_access.tf` or
/// `image_push.tf`.
pub fn read_tf() -> String {
    let trust = BlockWriter::new("data", &["aws_iam_policy_document", "image_read_trust"])
        .attr("count", code(READ_COUNT))
        .block(super::access::github_trust_statement(
            "GitHubJobsOfThisEnvironment",
            [
                "Only jobs of this repository that run in this GitHub environment: not other",
                "environments', branches' or pull requests' jobs, or other repositories.",
            ],
            super::access::ENVIRONMENT_SUBJECT,
        ));
    let role = BlockWriter::new("resource", &["aws_iam_role", "image_read"])
        .comment("The image read role of this environment: set its ARN (output image_read_role_arn)")
        .comment(format!(
            "as the {READ_ROLE_VARIABLE} variable of the GitHub environment. Its credentials last"
        ))
        .comment("one hour; no registry password is stored.")
        .attr("count", code(READ_COUNT))
        .attr("name", code(r#""${local.name}-image-read""#))
        .attr(
            "assume_role_policy",
            code("data.aws_iam_policy_document.image_read_trust[0].json"),
        )
        .attr("max_session_duration", number(3600))
        .block(
            BlockWriter::new("lifecycle", &[]).block(
                BlockWriter::new("precondition", &[])
                    .attr(
                        "condition",
                        code(r#"var.github_repository != "" && var.github_environment != "" && length(var.image_repository_arns) > 0"#),
                    )
                    .attr(
                        "error_message",
                        string("An environment with an image read role sets github_repository, github_environment and image_repository_arns in its tfvars."),
                    ),
            ),
        );
    let rights = BlockWriter::new("data", &["aws_iam_policy_document", "image_read"])
        .attr("count", code(READ_COUNT))
        .block(super::access::ecr_login_statement())
        .block(
            BlockWriter::new("statement", &[])
                .attr("sid", string("ReadTheServicesImages"))
                .attr("actions", strings(super::access::ECR_READ))
                .attr("resources", code("var.image_repository_arns")),
        );
    let policy = BlockWriter::new("resource", &["aws_iam_role_policy", "image_read"])
        .comment("The deploy jobs read the images CI pushed (which exist for this commit, their")
        .comment(
            "attestations): read-only, on the services' repositories alone, no push or delete.",
        )
        .attr("count", code(READ_COUNT))
        .attr("name", string("read-images"))
        .attr("role", code("aws_iam_role.image_read[0].id"))
        .attr(
            "policy",
            code("data.aws_iam_policy_document.image_read[0].json"),
        );
    file(
        &[
            "Keyless image reads: the deploy jobs of this environment that hold no deploy role (a GitOps",
            "promotion, a deploy with a KUBECONFIG secret) trade GitHub's OIDC token for one-hour",
            "credentials of its image read role, so no registry password is stored in GitHub (SECRETS-007).",
        ],
        &[
            trust.render(),
            role.render(),
            rights.render(),
            policy.render(),
        ],
    )
}
