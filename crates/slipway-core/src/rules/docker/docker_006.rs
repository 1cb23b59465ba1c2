use crate::facts::stages::{default_images, is_stage_reference};
use crate::model::{Design, StageRole};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::image::tag as image_tag;

pub struct MinimalBaseImage;

/// Official images known to publish `-alpine` (or `-slim`) variants of their tags.
const OFFICIAL: &[&str] = &[
    "node",
    "python",
    "golang",
    "rust",
    "maven",
    "eclipse-temurin",
    "openjdk",
    "gradle",
    "ruby",
    "php",
    "nginx",
    "httpd",
    "redis",
    "postgres",
];

fn repository(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    match image_tag(without_digest) {
        Some(tag) => &without_digest[..without_digest.len() - tag.len() - 1],
        None => without_digest,
    }
}

pub(crate) fn is_minimal(image: &str) -> bool {
    let image = image.trim().to_ascii_lowercase();
    let repo = repository(&image);
    let name = repo.rsplit('/').next().unwrap_or(repo);
    let tag = image_tag(image.split('@').next().unwrap_or(&image)).unwrap_or("");
    image == "scratch"
        || matches!(
            name,
            "alpine" | "busybox" | "scratch" | "wolfi-base" | "nanoserver"
        )
        || ["distroless", "chainguard", "ubi-micro", "ubi-minimal"]
            .iter()
            .any(|marker| repo.contains(marker))
        || ["alpine", "slim", "distroless", "minimal", "chiseled"]
            .iter()
            .any(|marker| tag.contains(marker))
}

/// Whether the image is known to be a full one with a smaller variant: an official (library)
/// image such as `node:20` or `ubuntu`, or Windows Server Core (Nano Server is its minimal
/// variant). An image named through a build argument (`$BASE_IMAGE`, `node:${VERSION}`) may be
/// any variant, and another publisher's image (`minio/minio`) may have no smaller one.
fn is_known_full(image: &str) -> bool {
    let image = image.trim().to_ascii_lowercase();
    if image.contains('$') {
        return false;
    }
    let repo = repository(&image);
    let repo = repo
        .strip_prefix("docker.io/")
        .unwrap_or(repo)
        .strip_prefix("library/")
        .unwrap_or(repo);
    !repo.contains('/') || repo.ends_with("windows/servercore")
}

fn minimal_variant(image: &str, fallback: &str) -> String {
    let repo = repository(image.trim());
    let name = repo.rsplit('/').next().unwrap_or(repo);
    match image_tag(image.trim()) {
        Some(tag) if !tag.is_empty() && OFFICIAL.contains(&name) => {
            let suffix = if name == "python" { "slim" } else { "alpine" };
            format!("{repo}:{tag}-{suffix}")
        }
        _ => fallback.to_owned(),
    }
}

impl Rule for MinimalBaseImage {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-006",
        name: "minimal-base-image",
        severity: Severity::Medium,
        area: Area::Docker,
        title: "Images build on minimal base variants",
        what: "Every `FROM` uses a minimal image: an `-alpine` or `-slim` tag, a distroless or \
               scratch image, or a minimal distribution such as `alpine` itself. A full image in \
               the final stage is a warning; in a build stage, which does not ship, a suggestion.",
        why: "A full `node:20` image carries compilers, package managers and hundreds of system \
              packages the app never uses: several hundred megabytes to pull on every scale-out \
              and a long list of CVEs to patch. The minimal variant runs the same app.",
        incorrect: "FROM node:20",
        correct: "FROM node:20-alpine",
        fix: "Switches official images to their `-alpine` tag (`-slim` for Python) and other \
              images to the runtime template's image. Unsafe: the base image changes.",
        source: "000 · Docker: Layer Security (Incorrect: `FROM node:20`; key rules); Docker: \
                 Multi-Stage Builds (key rules); Nixpacks Customization › When to Switch to \
                 Dockerfile (distroless, Alpine)",
        equivalents: &["trivy misconfig (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let last = context.stages.len().saturating_sub(1);
        let mut violations: Vec<Violation> = Vec::new();
        for (index, stage) in context.stages.iter().enumerate() {
            if is_stage_reference(&context.stages, index)
                || is_minimal(&stage.image)
                || !is_known_full(&stage.image)
            {
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
            let violation = Violation::new(
                field,
                format!(
                    "Stage `{}` builds on the full image `{}`.",
                    stage.name, stage.image
                ),
            );
            violations.push(if index == last {
                violation
            } else {
                violation.downgraded(Severity::Low)
            });
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use minimal base images",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut full = Design::default();
        full.services[0].container.runtime_image = "node:20".into();
        let mut ubuntu = crate::rules::support::explicit_stages();
        ubuntu.services[0].container.stages[2].image = "ubuntu:24.04".into();
        vec![full, ubuntu]
    }
}

fn apply(design: &mut Design, index: usize) {
    let (build, runtime) = default_images(
        design.services[index].runtime,
        &design.services[index].runtime_version,
    );
    let container = &mut design.services[index].container;
    if !is_minimal(&container.build_image) {
        container.build_image = minimal_variant(&container.build_image, &build);
    }
    if !is_minimal(&container.runtime_image) {
        container.runtime_image = minimal_variant(&container.runtime_image, &runtime);
    }
    let names: Vec<String> = container.stages.iter().map(|s| s.name.clone()).collect();
    let last = container.stages.len().saturating_sub(1);
    for (index, stage) in container.stages.iter_mut().enumerate() {
        if names[..index].contains(&stage.image) || is_minimal(&stage.image) {
            continue;
        }
        let fallback = if index == last { &runtime } else { &build };
        let candidate = minimal_variant(&stage.image, fallback);
        stage.image = if is_minimal(&candidate) {
            candidate
        } else {
            format!(
                "{}:{}-alpine",
                repository(&candidate),
                image_tag(&candidate).unwrap_or("latest")
            )
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{preset, violations};

    #[test]
    fn passes_with_alpine_slim_and_alpine_itself() {
        for id in ["node-api", "fastapi-react", "go-service", "static-site"] {
            assert!(
                violations(&MinimalBaseImage, &preset(id)).is_empty(),
                "{id}"
            );
        }
        assert!(is_minimal("gcr.io/distroless/nodejs22-debian12"));
        assert!(!is_minimal("node:20"));
        assert!(is_minimal("mcr.microsoft.com/windows/nanoserver:ltsc2022"));
    }

    #[test]
    fn only_images_known_to_be_full_are_reported() {
        for full in [
            "node:20",
            "docker.io/library/ubuntu:24.04",
            "mcr.microsoft.com/windows/servercore:ltsc2022",
        ] {
            assert!(is_known_full(full), "{full}");
        }
        for unknown in [
            "$BASE_IMAGE",
            "node:${NODE_VERSION}",
            "minio/minio:latest",
            "ghcr.io/acme/base:1",
        ] {
            assert!(!is_known_full(unknown), "{unknown}");
        }
    }

    #[test]
    fn fails_on_full_images_and_only_suggests_for_build_stages() {
        assert_eq!(
            violations(&MinimalBaseImage, &MinimalBaseImage::failing_examples()[0])[0].severity,
            None
        );
        let java = violations(&MinimalBaseImage, &preset("java-spring"));
        assert_eq!(java[0].field, "container.build_image");
        assert_eq!(java[0].severity, Some(Severity::Low));
    }
}
