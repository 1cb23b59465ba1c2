#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::file::{all_steps, at, document, get, jobs, text};

pub struct UnpinnedUses;

/// Whether a `uses:` reference cannot move: a local action, an image by digest, or a full
/// commit SHA.
fn pinned(uses: &str) -> bool {
    if uses.starts_with("./") {
        return true;
    }
    if let Some(image) = uses.strip_prefix("docker://") {
        return image.contains("@sha256:");
    }
    uses.rsplit_once('@').is_some_and(|(_, reference)| {
        reference.len() == 40 && reference.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
}

impl Rule for UnpinnedUses {
    const DOC: RuleDoc = RuleDoc {
        id: "WORKFLOW-005",
        name: "unpinned-uses",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Actions and reusable workflows are pinned to a commit",
        what: "Every `uses:` names a full 40-character commit SHA (a local `./` action, or a \
               `docker://` image by `@sha256:` digest, cannot move either). In a design: \
               `pipeline.pin_actions_to_sha` is on.",
        why:
            "A tag or branch is a pointer its owner, or whoever takes over the account, can move: \
              the next run executes the new code with the job's token and secrets \
              (tj-actions/changed-files, March 2025, rewrote every tag to dump secrets into the \
              logs). A SHA always names the code that was reviewed.",
        incorrect: "- uses: actions/setup-node@v4",
        correct: "- uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0",
        fix: "Turns on pinning: the generated workflows name each action by its commit SHA, with \
              the release in a comment. In a workflow of your own, replace each tag with the SHA \
              it points at (Dependabot keeps them current).",
        source: "Not in the documents: GitHub's security hardening guide (\"using third-party \
                 actions\": pin to a full-length commit SHA)",
        equivalents: &["zizmor unpinned-uses", "Scorecard Pinned-Dependencies"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(document) = document(context) else {
            return match context.design.pipeline.pin_actions_to_sha {
                true => Vec::new(),
                false => vec![Violation::new("pipeline.pin_actions_to_sha", "Actions are named by release tags, which their owners can move: pin them to commit SHAs.")],
            };
        };
        let callers = jobs(&document)
            .into_iter()
            .map(|(id, job)| (format!("jobs.{id}"), job));
        callers
            .chain(all_steps(&document))
            .filter_map(|(path, node)| Some((path, text(get(node, "uses"))?)))
            .filter(|(_, uses)| !pinned(uses))
            .map(|(path, uses)| at(format!("{path}.uses"), format!("`{uses}` names a tag or branch its owner can move: pin it to a commit SHA.")))
            .collect()
    }

    fn fix(&self) -> Option<crate::rules::Fix> {
        Some(crate::rules::Fix {
            label: "Pin actions to commit SHAs",
            safety: crate::rules::FixSafety::Safe,
            apply: |design, _| design.pipeline.pin_actions_to_sha = true,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.pin_actions_to_sha = false;
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::super::file::flags;
    use super::*;

    #[test]
    fn passes_on_shas_local_actions_and_digests() {
        assert!(flags(&UnpinnedUses, "jobs:\n  a:\n    steps:\n      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020\n      - uses: ./.github/actions/x\n      - uses: docker://alpine@sha256:abc\n").is_empty());
    }

    #[test]
    fn fails_on_tags_and_unpinned_designs() {
        assert_eq!(flags(&UnpinnedUses, "jobs:\n  a:\n    uses: o/r/.github/workflows/w.yml@main\n  b:\n    steps:\n      - uses: actions/setup-node@v4\n"), ["workflow.jobs.a.uses", "workflow.jobs.b.steps[0].uses"]);
        assert_eq!(
            crate::rules::support::fields(&UnpinnedUses, &UnpinnedUses::failing_examples()[0]),
            ["pipeline.pin_actions_to_sha"]
        );
    }
}
