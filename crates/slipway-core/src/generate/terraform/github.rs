//! `github.tf`: the design's branch rules as `github_branch_protection` resources.

use super::plan::Plan;
use crate::formats::hcl::{code, file, number, string, strings, BlockWriter, Expression};
use crate::model::Branch;
use crate::text::{identifier, single_line};

pub fn github_tf(plan: &Plan) -> String {
    let repository = &plan.design.repository;
    let slug = single_line(&repository.slug);
    let slug = slug.trim();
    let mut provider = BlockWriter::new("provider", &["github"])
        .comment("Authenticates with GITHUB_TOKEN (a token with admin rights on the repository).");
    let mut data = BlockWriter::new("data", &["github_repository", "this"])
        .attr("count", code("var.manage_branch_protection ? 1 : 0"));
    data = match slug.split_once('/') {
        Some((owner, _)) => {
            provider = provider.attr("owner", string(owner));
            data.attr("full_name", string(slug))
        }
        None => data.attr("name", string(slug)),
    };
    let mut sections = vec![provider.render(), data.render()];
    let mut labels: Vec<String> = Vec::new();
    for branch in &repository.branches {
        let label = unique_label(&branch.name, &labels);
        sections.push(protection(branch, &label));
        labels.push(label);
    }
    file(
        &[
            "Branch protection as code (BRANCH-001..007): the rules the design sets for each",
            "long-lived branch, enforced by GitHub for everyone, administrators included.",
            "Protection is repository-wide, so only the environment whose tfvars sets",
            "manage_branch_protection = true applies it.",
        ],
        &sections,
    )
}

/// A resource label for a branch: an identifier no other branch's resource uses.
fn unique_label(branch: &str, taken: &[String]) -> String {
    let base = format!("branch_{}", identifier(branch, "unnamed").replace('-', "_"));
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| unreachable!("the suffixes never run out"))
}

fn protection(branch: &Branch, label: &str) -> String {
    let rules = &branch.protection;
    let mut resource = BlockWriter::new("resource", &["github_branch_protection", label])
        .comment(format!(
            "Branch {}{}.",
            single_line(&branch.name),
            if branch.deploys_to.trim().is_empty() {
                String::new()
            } else {
                format!(", which deploys to {}", single_line(&branch.deploys_to))
            }
        ))
        .attr("count", code("var.manage_branch_protection ? 1 : 0"))
        .attr(
            "repository_id",
            code("data.github_repository.this[0].node_id"),
        )
        .attr("pattern", string(&branch.name))
        .noted(
            "enforce_admins",
            Expression::Bool(true),
            "Administrators follow the same rules; otherwise one bypass undoes all of them.",
        )
        .noted(
            "required_linear_history",
            Expression::Bool(rules.require_linear_history),
            "BRANCH-005: squash or rebase merges only, so every commit on the branch builds.",
        )
        .noted(
            "allows_force_pushes",
            Expression::Bool(rules.allow_force_push),
            "BRANCH-004: published history is never rewritten or deleted.",
        )
        .attr("allows_deletions", Expression::Bool(rules.allow_deletion));
    if rules.required_approvals < 2 {
        resource = resource.checkov_skip(
            "CKV_GIT_5",
            "the design asks for fewer than two approvals on this branch (BRANCH-006 sets one for dev)",
        );
    }
    resource = resource.checkov_skip(
        "CKV_GIT_6",
        "signed commits are not part of the design's branch rules; turn on once every contributor signs",
    );
    if !rules.required_checks.is_empty() || rules.require_up_to_date {
        resource = resource.block(
            BlockWriter::new("required_status_checks", &[])
                .attr("strict", Expression::Bool(rules.require_up_to_date))
                .attr(
                    "contexts",
                    strings(rules.required_checks.iter().map(|check| single_line(check))),
                ),
        );
    }
    if rules.require_pull_request {
        resource = resource.block(
            BlockWriter::new("required_pull_request_reviews", &[])
                .attr(
                    "required_approving_review_count",
                    number(u32::from(rules.required_approvals.min(6))),
                )
                .attr("dismiss_stale_reviews", Expression::Bool(true)),
        );
    }
    resource.render()
}
