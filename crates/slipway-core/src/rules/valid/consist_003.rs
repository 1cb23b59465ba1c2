use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

pub struct DeployedImageIsBuiltImage;

/// A repository without tag or digest, with the design's expressions resolved, lowercased.
fn repository(design: &Design, reference: &str) -> Option<String> {
    let reference = reference
        .trim_matches(|c| c == '"' || c == '\'')
        .replace("${{ github.repository }}", &design.repository.slug)
        .replace("${{github.repository}}", &design.repository.slug)
        .replace("${{ env.REGISTRY }}", &design.pipeline.registry)
        .replace("${{env.REGISTRY}}", &design.pipeline.registry);
    let without_digest = reference.split('@').next().unwrap_or(&reference);
    let last_slash = without_digest.rfind('/').map_or(0, |i| i + 1);
    let repository = match without_digest[last_slash..].find(':') {
        Some(colon) => &without_digest[..last_slash + colon],
        None => without_digest,
    };
    if repository.contains('$') || repository.is_empty() {
        return None;
    }
    Some(repository.to_ascii_lowercase())
}

/// Repositories a command pushes (`pushes`) or deploys.
fn repositories(segment: &str, pushes: bool) -> Vec<String> {
    let Some((tool, args)) = tool_and_args(segment) else {
        return Vec::new();
    };
    let after = |flag: &str| -> Vec<String> {
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
    match (tool, pushes) {
        ("docker" | "podman", true) => {
            let mut found: Vec<String> = match args.as_slice() {
                ["push", image, ..] | ["image", "push", image, ..] => vec![(*image).to_owned()],
                ["tag", _, target, ..] | ["image", "tag", _, target, ..] => {
                    vec![(*target).to_owned()]
                }
                _ => Vec::new(),
            };
            if args.contains(&"build") {
                found.extend(after("-t"));
                found.extend(after("--tag"));
            }
            found
        }
        ("docker" | "podman", false) => match args.as_slice() {
            ["pull", image, ..] | ["image", "pull", image, ..] => vec![(*image).to_owned()],
            _ => Vec::new(),
        },
        ("kubectl", false) if args.first() == Some(&"set") && args.get(1) == Some(&"image") => args
            .iter()
            .skip(3)
            .filter_map(|arg| arg.split_once('=').map(|(_, image)| image.to_owned()))
            .collect(),
        ("helm", false) => after("--set")
            .into_iter()
            .chain(after("--set-string"))
            .flat_map(|value| {
                value
                    .split(',')
                    .filter_map(|pair| pair.strip_prefix("image.repository=").map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// What the build pushes: its explicit targets, else the design's default image.
fn pushed(design: &Design) -> Vec<String> {
    let explicit: Vec<String> = design
        .pipeline
        .jobs
        .iter()
        .filter(|job| job.kind == JobKind::Build)
        .flat_map(|job| job.commands.iter())
        .flat_map(|line| {
            simple_commands(line)
                .into_iter()
                .flat_map(|s| repositories(s, true))
                .collect::<Vec<_>>()
        })
        .filter_map(|reference| repository(design, &reference))
        .collect();
    if !explicit.is_empty() {
        return explicit;
    }
    let registry = design.pipeline.registry.trim().trim_end_matches('/');
    let slug = design.repository.slug.trim();
    let default = if registry.is_empty() {
        slug.to_owned()
    } else {
        format!("{registry}/{slug}")
    };
    vec![default.to_ascii_lowercase()]
}

impl Rule for DeployedImageIsBuiltImage {
    const DOC: RuleDoc = RuleDoc {
        id: "CONSIST-003",
        name: "deployed-image-is-built-image",
        severity: Severity::High,
        area: Area::Validity,
        title: "Deploys ship the image the pipeline built and pushed",
        what: "Every image repository a deploy or migrate job names (`--set \
               image.repository=…`, `kubectl set image …=repo:tag`, `docker pull`) is one the \
               build job pushes: its own `docker push`/`-t` targets, or by default \
               `<pipeline.registry>/<repository.slug>`, which is also what the Helm values \
               reference. `${{ github.repository }}` and `${{ env.REGISTRY }}` are read as the \
               design's slug and registry.",
        why: "CI pushing `ghcr.io/acme/api` while Helm deploys `docker.io/acme/api` (a typo, a \
              renamed repository, a leftover from a template) deploys an image nobody tested or \
              scanned, or fails with ImagePullBackOff in production only.",
        incorrect: "build: docker push ghcr.io/acme/api:${{ github.sha }}\ndeploy: helm upgrade api ./chart --set image.repository=docker.io/acme/api",
        correct: "build: docker push ghcr.io/acme/api:${{ github.sha }}\ndeploy: helm upgrade api ./chart --set image.repository=ghcr.io/acme/api --set image.tag=${{ github.sha }}",
        fix: "Manual: make the deploy name the repository the build pushes (or change the \
              build).",
        source: "Cross-artifact check (issue: consistency); 000 · CI/CD Pipelines › Artifact \
                 Management (\"deploy exact tested artifact\"); A14",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let built = pushed(design);
        let mut found = Vec::new();
        for (index, job) in design.pipeline.jobs.iter().enumerate() {
            if !matches!(job.kind, JobKind::Deploy | JobKind::Migrate) {
                continue;
            }
            for (position, line) in job.commands.iter().enumerate() {
                for reference in simple_commands(line)
                    .into_iter()
                    .flat_map(|s| repositories(s, false))
                {
                    let Some(deployed) = repository(design, &reference) else {
                        continue;
                    };
                    if !built.contains(&deployed) {
                        found.push(Violation::new(
                            format!("pipeline.jobs[{index}].commands[{position}]"),
                            format!(
                                "Job `{}` deploys `{deployed}`, but the build pushes `{}`.",
                                job.id,
                                built.join("`, `")
                            ),
                        ));
                    }
                }
            }
        }
        found
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut helm = Design::default();
        helm.pipeline.jobs[5].commands = vec![
            "helm upgrade app ./chart --set image.repository=docker.io/acme/app --set image.tag=${{ github.sha }}".into(),
        ];
        let mut pushed = Design::default();
        pushed.pipeline.jobs[3].commands =
            vec!["docker build -t ghcr.io/acme/app-api:${{ github.sha }} . && docker push ghcr.io/acme/app-api:${{ github.sha }}".into()];
        pushed.pipeline.jobs[4].commands =
            vec!["kubectl set image deployment/app app=ghcr.io/acme/app:${{ github.sha }}".into()];
        vec![helm, pushed]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_when_the_deploy_names_the_built_image() {
        let mut design = Design::default();
        design.pipeline.jobs[5].commands = vec![
            "helm upgrade app ./chart --set image.repository=${{ env.REGISTRY }}/${{ github.repository }} --set image.tag=${{ github.sha }}".into(),
        ];
        assert!(fields(&DeployedImageIsBuiltImage, &design).is_empty());
        assert!(fields(&DeployedImageIsBuiltImage, &Design::default()).is_empty());
    }

    #[test]
    fn fails_when_the_deploy_names_another_image() {
        assert_eq!(
            fields(
                &DeployedImageIsBuiltImage,
                &DeployedImageIsBuiltImage::failing_examples()[0]
            ),
            ["pipeline.jobs[5].commands[0]"]
        );
        assert_eq!(
            fields(
                &DeployedImageIsBuiltImage,
                &DeployedImageIsBuiltImage::failing_examples()[1]
            ),
            ["pipeline.jobs[4].commands[0]"]
        );
    }

    #[test]
    fn repositories_drop_tags_but_keep_registry_ports() {
        let design = Design::default();
        assert_eq!(
            repository(&design, "registry:5000/acme/app:1.2").as_deref(),
            Some("registry:5000/acme/app")
        );
        assert_eq!(repository(&design, "$IMAGE:tag"), None);
    }
}
