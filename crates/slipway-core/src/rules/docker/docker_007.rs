use crate::facts::image::tag;
use crate::facts::stages::{default_images, is_stage_reference};
use crate::model::{Design, StageRole};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct ExplicitBaseTag;

fn is_unpinned(image: &str) -> bool {
    let image = image.trim();
    if image.eq_ignore_ascii_case("scratch") || image.contains('@') {
        return false;
    }
    match tag(image) {
        None => true,
        Some(tag) => tag.is_empty() || tag.eq_ignore_ascii_case("latest"),
    }
}

impl Rule for ExplicitBaseTag {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-007",
        name: "explicit-base-tag",
        severity: Severity::Low,
        area: Area::Docker,
        title: "Base images are pinned to an explicit version tag",
        what: "Every `FROM` names a version tag (`node:20-alpine`) or a digest; no tag at all, or \
               `latest`, is flagged.",
        why: "`latest` moves: the same Dockerfile builds a different runtime next week, and a \
              rollback rebuild no longer reproduces what ran. A pinned tag makes builds repeatable \
              and upgrades deliberate.",
        incorrect: "FROM node\nFROM node:latest",
        correct: "FROM node:20-alpine",
        fix: "Replaces the image with the runtime template's pinned image for that stage.",
        source: "Every Dockerfile example in both documents (implied)",
        equivalents: &["hadolint DL3006", "hadolint DL3007", "checkov CKV_DOCKER_7"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut violations: Vec<Violation> = Vec::new();
        for (index, stage) in context.stages.iter().enumerate() {
            if is_stage_reference(&context.stages, index) || !is_unpinned(&stage.image) {
                continue;
            }
            let field = if !context.templated() {
                format!("container.stages[{index}].image")
            } else if stage.role == StageRole::Runner {
                "container.runtime_image".to_owned()
            } else {
                "container.build_image".to_owned()
            };
            if violations.iter().any(|violation| violation.field == field) {
                continue;
            }
            violations.push(Violation::new(
                field,
                format!(
                    "Stage `{}` uses `{}` without a pinned version tag.",
                    stage.name, stage.image
                ),
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Pin the template image",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut latest = crate::presets::for_runtime(crate::model::Runtime::Node);
        latest.services[0].container.runtime_image = "node:latest".into();
        let mut untagged = crate::rules::support::explicit_stages();
        untagged.services[0].container.stages[0].image = "node".into();
        vec![latest, untagged]
    }
}

fn apply(design: &mut Design, index: usize) {
    let (build, runtime) = default_images(
        design.services[index].runtime,
        &design.services[index].runtime_version,
    );
    let container = &mut design.services[index].container;
    if is_unpinned(&container.build_image) {
        container.build_image = build.clone();
    }
    if is_unpinned(&container.runtime_image) {
        container.runtime_image = runtime.clone();
    }
    let names: Vec<String> = container
        .stages
        .iter()
        .map(|stage| stage.name.clone())
        .collect();
    for (index, stage) in container.stages.iter_mut().enumerate() {
        let references_earlier = names[..index].contains(&stage.image);
        if !references_earlier && is_unpinned(&stage.image) {
            stage.image = if stage.role == StageRole::Runner {
                runtime.clone()
            } else {
                build.clone()
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_past_registry_ports() {
        assert_eq!(tag("node:20-alpine"), Some("20-alpine"));
        assert_eq!(tag("localhost:5000/app"), None);
        assert!(!is_unpinned("node@sha256:abc"));
        assert!(is_unpinned("ghcr.io/acme/base"));
    }

    #[test]
    fn passes_with_pinned_images_and_stage_references() {
        let design = crate::presets::for_runtime(crate::model::Runtime::Go);
        assert!(ExplicitBaseTag.check(&Context::new(&design)).is_empty());
    }

    #[test]
    fn fails_on_latest_and_untagged() {
        for design in ExplicitBaseTag::failing_examples() {
            assert_eq!(ExplicitBaseTag.check(&Context::new(&design)).len(), 1);
        }
    }
}
