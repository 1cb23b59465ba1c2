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
use crate::formats::hcl::{code, object, string, BlockWriter, Expression};

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
