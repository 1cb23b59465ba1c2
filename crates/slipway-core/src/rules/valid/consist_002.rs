use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::user::{final_user, numeric_gid, numeric_uid};

pub struct ImageUserMatchesRunAsUser;

/// The image's uid and gid, when its final USER is numeric.
fn image_ids(context: &Context) -> Option<(u32, Option<u32>)> {
    let (_, user) = final_user(context)?;
    Some((numeric_uid(&user)?, numeric_gid(&user)))
}

fn mismatches(context: &Context) -> Vec<(&'static str, u32, u32)> {
    let k8s = &context.service().kubernetes;
    let security = &k8s.security_context;
    if !k8s.enabled || security.run_as_user == 0 {
        return Vec::new();
    }
    let Some((uid, gid)) = image_ids(context) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if uid != security.run_as_user {
        found.push(("run_as_user", security.run_as_user, uid));
    }
    if let Some(gid) = gid {
        if security.run_as_group != 0 && gid != security.run_as_group {
            found.push(("run_as_group", security.run_as_group, gid));
        }
    }
    found
}

impl Rule for ImageUserMatchesRunAsUser {
    const DOC: RuleDoc = RuleDoc {
        id: "CONSIST-002",
        name: "image-user-matches-run-as-user",
        severity: Severity::Medium,
        area: Area::Validity,
        title: "Kubernetes runs the container as the image's own user",
        what: "When the pod sets `runAsUser` (and `runAsGroup`), they equal the uid (and gid) of \
               the Dockerfile's final numeric `USER`, which is also the owner the `COPY --chown` \
               lines give the app's files.",
        why: "`runAsUser` overrides the image's USER. With another uid the process no longer \
              owns its files: writes to its own directories fail with EACCES, and a file copied \
              with mode 0600 cannot even be read. The Dockerfile and the manifest then describe \
              two different containers, and only the manifest's is real.",
        incorrect: "USER 1001:1001\n---\nsecurityContext:\n  runAsUser: 1000",
        correct: "USER 1001:1001\n---\nsecurityContext:\n  runAsUser: 1001\n  runAsGroup: 1001",
        fix: "Sets `runAsUser`, `runAsGroup` and `fsGroup` to the image's uid and gid.",
        source: "Cross-artifact check (issue: consistency); 000 · Docker: Layer Security (uid \
                 1001, `--chown`); Kubernetes Basics › Security Context (`runAsUser: 1001`)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        mismatches(context)
            .into_iter()
            .map(|(name, pod, image)| {
                Violation::new(
                    format!("kubernetes.security_context.{name}"),
                    format!(
                        "The pod's `{name}` is {pod} but the image's USER is {image}: the \
                         process would not own the files the Dockerfile gave it."
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Run as the image's user",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut pod = Design::default();
        pod.services[0].kubernetes.security_context.run_as_user = 1000;
        pod.services[0].kubernetes.security_context.run_as_group = 1000;
        let mut image = crate::rules::support::explicit_stages();
        super::set_final_user(&mut image, "2000:2000");
        vec![pod, image]
    }
}

fn apply(design: &mut Design, index: usize) {
    let fixes = mismatches(&Context::for_service(design, index));
    let security = &mut design.services[index].kubernetes.security_context;
    for (name, _, image) in fixes {
        if name == "run_as_user" {
            security.run_as_user = image;
        } else {
            security.run_as_group = image;
            security.fs_group = image;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_every_preset() {
        for preset in crate::presets::all() {
            assert!(fields(&ImageUserMatchesRunAsUser, &(preset.build)()).is_empty());
        }
    }

    #[test]
    fn fails_when_the_pod_runs_another_uid() {
        for design in ImageUserMatchesRunAsUser::failing_examples() {
            assert_eq!(
                fields(&ImageUserMatchesRunAsUser, &design),
                [
                    "kubernetes.security_context.run_as_user",
                    "kubernetes.security_context.run_as_group"
                ]
            );
        }
    }
}
