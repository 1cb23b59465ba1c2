use crate::facts::image::tag as image_tag;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct ImmutableImageTags;

const SHA: &str = "${{ github.sha }}";

/// Image references a simple command names, and `--set image.tag=` values (as `:<tag>`).
fn references(segment: &str) -> Vec<String> {
    let Some((tool, args)) = tool_and_args(segment) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let value_after = |flag: &str| -> Vec<String> {
        args.iter()
            .enumerate()
            .filter_map(|(i, arg)| {
                if *arg == flag {
                    args.get(i + 1).map(|v| (*v).to_owned())
                } else {
                    arg.strip_prefix(&format!("{flag}=")).map(str::to_owned)
                }
            })
            .collect()
    };
    match tool {
        "docker" | "podman" => {
            match args.as_slice() {
                ["push" | "pull", image, ..] | ["image", "push" | "pull", image, ..] => {
                    found.push((*image).to_owned())
                }
                ["tag", source, target, ..] | ["image", "tag", source, target, ..] => {
                    found.push((*source).to_owned());
                    found.push((*target).to_owned());
                }
                _ => {}
            }
            if args.contains(&"build") {
                found.extend(value_after("-t"));
                found.extend(value_after("--tag"));
            }
        }
        "trivy" if matches!(args.first(), Some(&("image" | "i"))) => {
            if let Some(image) = args.iter().rev().find(|arg| !arg.starts_with('-')) {
                found.push((*image).to_owned());
            }
        }
        "kubectl" if args.first() == Some(&"set") && args.get(1) == Some(&"image") => {
            found.extend(
                args.iter()
                    .skip(3)
                    .filter_map(|arg| arg.split_once('=').map(|(_, image)| image.to_owned())),
            );
        }
        "helm" => {
            for value in value_after("--set")
                .into_iter()
                .chain(value_after("--set-string"))
            {
                for pair in value.split(',') {
                    if let Some(tag) = pair.strip_prefix("image.tag=") {
                        found.push(format!(":{tag}"));
                    }
                }
            }
        }
        _ => {}
    }
    found
}

/// Whether a reference names the service's own image.
fn is_app_image(design: &Design, reference: &str) -> bool {
    if reference.starts_with(':') {
        return true;
    }
    let registry = design.pipeline.registry.trim();
    let repository = reference.split(':').next().unwrap_or(reference);
    let image = repository.rsplit('/').next().unwrap_or(repository);
    // Each service's image is named after the service.
    let names_a_service = design
        .services
        .iter()
        .any(|service| crate::text::identifier(&service.name, "app") == image);
    names_a_service
        || (!registry.is_empty() && reference.starts_with(registry))
        || reference.contains("github.repository")
        || reference.starts_with("$IMAGE")
        || reference.starts_with("${IMAGE")
        // An image named by a variable (`$REGISTRY/$IMAGE`, `${{ env.IMAGE_NAME }}`) is the one
        // the workflow builds: third-party images are named literally.
        || image.starts_with('$')
}

/// A mutable reference: `latest`, an empty tag, or no tag at all.
fn is_mutable(reference: &str) -> bool {
    let reference = reference.trim_matches(|c| c == '"' || c == '\'');
    if reference.contains('@') {
        return false;
    }
    let tag = match reference.strip_prefix(':') {
        Some(tag) => Some(tag),
        None => image_tag(reference),
    };
    match tag {
        None => !reference.contains('$'),
        Some(tag) => tag.is_empty() || tag.eq_ignore_ascii_case("latest"),
    }
}

fn offending(design: &Design, line: &str) -> Vec<String> {
    simple_commands(line)
        .into_iter()
        .flat_map(references)
        .filter(|reference| is_app_image(design, reference) && is_mutable(reference))
        .collect()
}

impl Rule for ImmutableImageTags {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-013",
        name: "immutable-image-tags",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "The app image is referenced by its commit SHA, never `latest`",
        what: "Commands that build, tag, push, pull, scan or deploy the service's own image (its \
               registry, `github.repository` or the project name) name it with an explicit, \
               immutable tag such as `${{ github.sha }}`: not `:latest`, not without a tag, and \
               no `--set image.tag=latest`. The generated jobs always use the SHA.",
        why: "`latest` is a pointer that moves. A deploy of `:latest` ships whatever was pushed \
              last, possibly an untested build from another branch, and a rollback to it changes \
              nothing. A SHA tag ties every running pod to one commit and one scan result.",
        incorrect: "docker push ghcr.io/acme/app:latest\nhelm upgrade app ./chart --set image.tag=latest",
        correct: "docker push ghcr.io/acme/app:${{ github.sha }}\nhelm upgrade app ./chart --set image.tag=${{ github.sha }}",
        fix: "Rewrites the offending references to the `${{ github.sha }}` tag.",
        source: "000 · Docker Patterns › Security Scanning with Trivy; GitHub Actions CI/CD Example \
                 › Deploy Pipeline; CI/CD Pipelines › Artifact Management (\"byte-for-byte \
                 match\"); 004 · CI/CD Pipelines › GitHub Actions; Kubernetes Orchestration › \
                 Deployment Manifest",
        equivalents: &["hadolint DL3007 (base images only)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        for (index, job) in design.pipeline.jobs.iter().enumerate() {
            for (position, line) in job.commands.iter().enumerate() {
                if let Some(reference) = offending(design, line).first() {
                    let shown = match reference.strip_prefix(':') {
                        Some(tag) => format!("image.tag={tag}"),
                        None => reference.clone(),
                    };
                    violations.push(Violation::new(
                        format!("pipeline.jobs[{index}].commands[{position}]"),
                        format!(
                            "Job `{}` refers to the app image as `{shown}`, a tag that moves.",
                            job.id
                        ),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Tag the image with the commit SHA",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let latest = super::with_job("build", |job| {
            job.commands = vec![
                "docker build -t ghcr.io/acme/app:latest .".into(),
                "docker push ghcr.io/acme/app".into(),
            ]
        });
        let helm = super::with_job("deploy-production", |job| {
            job.commands = vec!["helm upgrade app ./chart --set image.tag=latest --atomic".into()]
        });
        vec![latest, helm]
    }
}

fn pinned(reference: &str) -> String {
    match reference.strip_prefix(':') {
        Some(_) => format!(":{SHA}"),
        None => {
            let repository = match image_tag(reference) {
                Some(tag) => &reference[..reference.len() - tag.len() - 1],
                None => reference,
            };
            format!("{repository}:{SHA}")
        }
    }
}

fn apply(design: &mut Design, _service: usize) {
    let snapshot = design.clone();
    for job in &mut design.pipeline.jobs {
        for line in &mut job.commands {
            for reference in offending(&snapshot, line) {
                let (from, to) = match reference.strip_prefix(':') {
                    Some(tag) => (format!("image.tag={tag}"), format!("image.tag={SHA}")),
                    None => (reference.clone(), pinned(&reference)),
                };
                *line = line.replacen(&from, &to, 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_sha_tags_and_third_party_images() {
        let design = super::super::with_job("build", |job| {
            job.commands = vec![
                "docker build -t ghcr.io/acme/app:${{ github.sha }} .".into(),
                "docker run --rm aquasec/trivy:latest --version".into(),
                "docker pull postgres:latest".into(),
            ]
        });
        assert!(fields(&ImmutableImageTags, &design).is_empty());
    }

    #[test]
    fn fails_on_latest_untagged_and_helm_latest() {
        let reported: Vec<Vec<String>> = ImmutableImageTags::failing_examples()
            .iter()
            .map(|design| fields(&ImmutableImageTags, design))
            .collect();
        assert_eq!(
            reported[0],
            [
                "pipeline.jobs[3].commands[0]",
                "pipeline.jobs[3].commands[1]"
            ]
        );
        assert_eq!(reported[1], ["pipeline.jobs[5].commands[0]"]);
    }

    #[test]
    fn latest_through_variables_is_the_app_image() {
        let design = Design::default();
        assert_eq!(
            offending(&design, "docker push $REGISTRY/$IMAGE:latest"),
            ["$REGISTRY/$IMAGE:latest"]
        );
        assert!(offending(&design, "docker pull postgres:latest").is_empty());
    }
}
