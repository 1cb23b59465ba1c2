use crate::facts::deploys::has_deploy_workflow;
use crate::facts::image::tag as image_tag;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct AttestedImages;

/// `${{ github.sha }}` as one shell word (`${{github.sha}}`), so a value that holds an
/// expression is read and shown whole.
fn compact_expressions(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("${{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.extend(
            rest[start..start + length + 2]
                .chars()
                .filter(|c| *c != ' '),
        );
        rest = &rest[start + length + 2..];
    }
    out.push_str(rest);
    out
}

/// What a deploy command deploys by tag, as the command says it: `helm upgrade|install` that
/// sets `image.tag` and no `image.digest`, or `kubectl set image` to a `repository:tag`.
fn deploys_by_tag(command: &str) -> Option<String> {
    let (tool, args) = tool_and_args(command)?;
    match (tool, args.as_slice()) {
        ("helm", ["upgrade" | "install", ..]) => {
            let mut values: Vec<&str> = Vec::new();
            for (i, arg) in args.iter().enumerate() {
                for flag in ["--set", "--set-string"] {
                    if *arg == flag {
                        values.extend(args.get(i + 1).copied());
                    } else if let Some(value) =
                        arg.strip_prefix(flag).and_then(|v| v.strip_prefix('='))
                    {
                        values.push(value);
                    }
                }
            }
            let pairs: Vec<&str> = values.iter().flat_map(|value| value.split(',')).collect();
            let unquoted = |pair: &str| pair.trim_matches(|c| c == '"' || c == '\'').to_owned();
            let digest = pairs
                .iter()
                .any(|pair| unquoted(pair).starts_with("image.digest="));
            let tag = pairs
                .iter()
                .find_map(|pair| unquoted(pair).strip_prefix("image.tag=").map(str::to_owned))?;
            (!digest).then(|| {
                format!(
                    "`helm {}` sets `image.tag={tag}` and no `image.digest`",
                    args[0]
                )
            })
        }
        ("kubectl", ["set", "image", _, pairs @ ..]) => pairs.iter().find_map(|pair| {
            let (_, image) = pair.split_once('=')?;
            let image = image.trim_matches(|c| c == '"' || c == '\'');
            (!image.contains('@') && image_tag(image).is_some_and(|tag| !tag.is_empty()))
                .then(|| format!("`kubectl set image` points the workload at `{image}`, a tag"))
        }),
        _ => None,
    }
}

impl Rule for AttestedImages {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-023",
        name: "attested-images",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "CI attests the images it pushes, which deploy by digest",
        what: "A design whose CI pushes images for a Helm deploy keeps `pipeline.attest_images` on \
               (the default): after each push the build job signs a build provenance \
               (`actions/attest-build-provenance`) and an SPDX SBOM (`actions/attest`), both \
               pushed to the registry beside the image, hands the pushed digest to the deploy, \
               which sets `image.digest` so pods run `repository@sha256:…`, and \
               (`pipeline.verify_attestations`) checks both with `gh attestation verify` before \
               deploying. A deploy job with commands of its own deploys by digest too: a \
               `helm upgrade|install` that sets `image.tag` also sets `image.digest`, and \
               `kubectl set image` names `repository@sha256:…`, not `repository:tag`.",
        why: "A tag is a name anyone with push rights can point at other bytes, and an image \
              without provenance cannot say which workflow, commit or run made it. A leaked \
              registry token or a compromised build step then ships an image the cluster \
              cannot tell from CI's. A digest names the exact bytes CI scanned, and a signed \
              provenance lets the deploy, an admission policy or an auditor prove where they \
              came from; the SBOM answers \"are we affected?\" on the day of the next CVE.",
        incorrect: "pipeline:\n  attest_images: false   # images without provenance or SBOM\n  jobs:\n  - id: deploy-production\n    kind: deploy\n    commands:\n    - helm upgrade app ./chart --set image.tag=$GITHUB_SHA",
        correct: "pipeline:\n  attest_images: true   # provenance + SBOM, deploys image@sha256:…\n  verify_attestations: true\n  jobs:\n  - id: deploy-production\n    kind: deploy\n    commands: []   # the generated Helm deploy sets image.digest",
        fix: "Sets `pipeline.attest_images: true`: the build job alone gets `id-token: write` \
              and `attestations: write` and attests and SBOMs each image it pushes; with \
              `verify_attestations` each Helm deploy checks the provenance and the SBOM of the \
              digest it deploys. Check one by hand with `gh attestation verify \
              oci://IMAGE@DIGEST --repo OWNER/REPO` (add `--predicate-type \
              https://spdx.dev/Document/v2.3` for the SBOM). A deploy command that names a tag \
              is the user's own text and has no automatic fix: set `image.digest` in it, name \
              the image by digest, or clear the job's commands to use the generated deploy.",
        source: "PIPELINE-012 and PIPELINE-013 (deploy the exact artifact CI built); SLSA build \
                 provenance",
        equivalents: &["OpenSSF Scorecard Signed-Releases", "SLSA Build L2"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut found = Vec::new();
        if !design.pipeline.attest_images && design.uses_kubernetes() && has_deploy_workflow(design)
        {
            found.push(Violation::new(
                "pipeline.attest_images",
                "CI pushes images without a signed provenance or SBOM: nothing can prove which \
                 workflow and commit made the bytes the cluster runs, so a stolen registry token \
                 ships images nobody can tell from CI's. Turn image attestations on.",
            ));
        }
        // A deploy job of the design's own commands deploys what they name, whatever CI
        // attests: a tag there is the tag the cluster pulls.
        for (index, job) in design.pipeline.jobs.iter().enumerate() {
            if job.kind != JobKind::Deploy {
                continue;
            }
            for (position, line) in job.commands.iter().enumerate() {
                // A `\` at the end of a line continues the command.
                let joined = compact_expressions(&line.replace("\\\n", " "));
                let Some(what) = simple_commands(&joined)
                    .into_iter()
                    .find_map(deploys_by_tag)
                else {
                    continue;
                };
                found.push(
                    Violation::new(
                        format!("pipeline.jobs[{index}].commands[{position}]"),
                        format!(
                            "Deploy job `{}` deploys by tag: {what}. The cluster pulls whatever \
                             the tag names when a pod starts, not the bytes CI scanned and \
                             attested, and a push to that tag changes what a restart runs. \
                             Deploy `repository@sha256:…` (Helm: `--set-string \
                             image.digest=…`).",
                            job.id
                        ),
                    )
                    .without_fix(),
                );
            }
        }
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Attest images and deploy them by digest",
            safety: FixSafety::Safe,
            apply: |design: &mut Design, _| design.pipeline.attest_images = true,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.pipeline.attest_images = false;
        let helm = super::with_job("deploy-production", |job| {
            job.commands =
                vec!["helm upgrade app ./chart \\\n  --set image.tag=$GITHUB_SHA --atomic".into()]
        });
        vec![design, helm]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_attestations_and_without_a_helm_deploy() {
        assert!(fields(&AttestedImages, &preset("web-api-worker")).is_empty());
        let mut design = AttestedImages::failing_examples().remove(0);
        for service in &mut design.services {
            service.kubernetes.enabled = false;
        }
        assert!(fields(&AttestedImages, &design).is_empty());
    }

    #[test]
    fn fails_without_attestations_and_the_fix_turns_them_on() {
        let mut design = AttestedImages::failing_examples().remove(0);
        assert_eq!(fields(&AttestedImages, &design), ["pipeline.attest_images"]);
        (AttestedImages.fix().unwrap().apply)(&mut design, 0);
        assert!(fields(&AttestedImages, &design).is_empty());
    }

    fn command_findings(commands: &[&str]) -> Vec<Violation> {
        let design = super::super::with_job("deploy-staging", |job| {
            job.commands = commands.iter().map(|c| (*c).to_owned()).collect();
        });
        crate::rules::support::violations(&AttestedImages, &design)
    }

    #[test]
    fn deploy_commands_that_name_a_tag_are_reported_without_a_fix() {
        for command in [
            "helm upgrade --install api charts/api --set image.tag=$GITHUB_SHA",
            "helm upgrade api ./chart --set-string image.repository=ghcr.io/acme/api,image.tag=\"${IMAGE_TAG}\"",
            "helm --namespace prod upgrade api ./chart --set=image.tag=1.2.3",
            "kubectl set image deploy/api api=ghcr.io/acme/api:$GITHUB_SHA",
            "cd deploy && kubectl -n prod set image deployment/web web=registry.example.com:5000/web:v1",
        ] {
            let found = command_findings(&[command]);
            assert_eq!(found.len(), 1, "{command}");
            assert!(found[0].field.ends_with("].commands[0]"), "{command}");
            assert!(found[0].beyond_fix, "{command}");
            assert!(found[0].message.contains("deploy-staging"), "{command}");
        }
        let found = command_findings(&[
            "echo start",
            "helm upgrade api ./chart \\\n  --set image.tag=${{ github.sha }}",
        ]);
        assert!(found[0].field.ends_with("].commands[1]"));
        assert!(
            found[0].message.contains("`image.tag=${{github.sha}}`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn deploy_commands_by_digest_or_without_a_visible_tag_pass() {
        for command in [
            "helm upgrade api ./chart --set image.tag=$GITHUB_SHA --set image.digest=$IMAGE_DIGEST",
            "helm upgrade api ./chart --set-string image.tag=v1,image.digest=sha256:abc",
            "helm upgrade api ./chart --values values/production.yaml",
            "helm template api ./chart --set image.tag=v1",
            "kubectl set image deploy/api api=ghcr.io/acme/api@sha256:0123",
            "kubectl set image deploy/api api=$IMAGE",
            "kubectl rollout status deploy/api",
            "docker push ghcr.io/acme/api:$GITHUB_SHA",
        ] {
            assert!(command_findings(&[command]).is_empty(), "{command}");
        }
        // Only deploy jobs: a build's commands are PIPELINE-013's.
        let design = super::super::with_job("build", |job| {
            job.commands = vec!["helm upgrade api ./chart --set image.tag=v1".into()];
        });
        assert!(fields(&AttestedImages, &design).is_empty());
    }

    #[test]
    fn a_finding_beyond_the_fix_offers_none() {
        let design = AttestedImages::failing_examples().remove(1);
        let findings: Vec<_> = crate::rules::check(&design)
            .into_iter()
            .filter(|finding| finding.rule == "PIPELINE-023")
            .collect();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].fix, None);
        let mut fixed = design.clone();
        assert!(!crate::rules::apply_finding_fix(&mut fixed, &findings[0]));
        assert_eq!(fixed, design);
    }
}
