use crate::facts::deploys::has_deploy_workflow;
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct AttestedImages;

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
               deploying.",
        why: "A tag is a name anyone with push rights can point at other bytes, and an image \
              without provenance cannot say which workflow, commit or run made it. A leaked \
              registry token or a compromised build step then ships an image the cluster \
              cannot tell from CI's. A digest names the exact bytes CI scanned, and a signed \
              provenance lets the deploy, an admission policy or an auditor prove where they \
              came from; the SBOM answers \"are we affected?\" on the day of the next CVE.",
        incorrect: "pipeline:\n  attest_images: false   # images without provenance or SBOM",
        correct: "pipeline:\n  attest_images: true   # provenance + SBOM, deploys image@sha256:…\n  verify_attestations: true",
        fix: "Sets `pipeline.attest_images: true`: the build job alone gets `id-token: write` \
              and `attestations: write` and attests and SBOMs each image it pushes; with \
              `verify_attestations` each Helm deploy checks the provenance and the SBOM of the \
              digest it deploys. Check one by hand with `gh attestation verify \
              oci://IMAGE@DIGEST --repo OWNER/REPO` (add `--predicate-type \
              https://spdx.dev/Document/v2.3` for the SBOM).",
        source: "PIPELINE-012 and PIPELINE-013 (deploy the exact artifact CI built); SLSA build \
                 provenance",
        equivalents: &["OpenSSF Scorecard Signed-Releases", "SLSA Build L2"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if design.pipeline.attest_images
            || !design.uses_kubernetes()
            || !has_deploy_workflow(design)
        {
            return Vec::new();
        }
        vec![Violation::new(
            "pipeline.attest_images",
            "CI pushes images without a signed provenance or SBOM: nothing can prove which \
             workflow and commit made the bytes the cluster runs, so a stolen registry token \
             ships images nobody can tell from CI's. Turn image attestations on.",
        )]
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
        vec![design]
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
}
