use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::user::{final_user, numeric_uid};

pub struct NumericUidForRunAsNonRoot;

impl Rule for NumericUidForRunAsNonRoot {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-002",
        name: "numeric-uid-for-run-as-non-root",
        severity: Severity::Critical,
        area: Area::Validity,
        title: "runAsNonRoot can verify the user",
        what: "When the pod sets `runAsNonRoot: true`, either the container sets a non-zero \
               `runAsUser` or the image's final `USER` is numeric (`USER 1001` or `1001:1001`).",
        why: "The kubelet checks `runAsNonRoot` against a uid. With a named user (`USER nodejs`) \
              and no `runAsUser` it cannot tell whether `nodejs` is root and refuses to start the \
              container (CreateContainerConfigError); with `runAsUser: 0` it refuses outright. \
              The seed's Dockerfiles (`USER nodejs`) combined with its security context hit the \
              first case (A2).",
        incorrect: "USER nodejs\n---\nsecurityContext:\n  runAsNonRoot: true",
        correct: "USER 1001:1001\n---\nsecurityContext:\n  runAsNonRoot: true\n  runAsUser: 1001\n  runAsGroup: 1001",
        fix: "Sets `runAsUser` and `runAsGroup` to the image user's uid and gid (1001 when the \
              image's user is root or named).",
        source: "Not in the documents (docs/defaults.md#a2-numeric-user): 000's Dockerfiles (`USER \
                 nodejs`) with 000 · Kubernetes Basics › Security Context",
        equivalents: &["kube-score container-security-context-user-group-id"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        let security = &service.kubernetes.security_context;
        if !service.kubernetes.enabled || !security.run_as_non_root || security.run_as_user != 0 {
            return Vec::new();
        }
        let image_user = final_user(context);
        let image_uid = image_user.as_ref().and_then(|(_, user)| numeric_uid(user));
        if image_uid.is_some_and(|uid| uid != 0) {
            return Vec::new();
        }
        let user = image_user.map_or_else(|| "root (no USER)".to_owned(), |(_, user)| user);
        vec![Violation::new(
            "kubernetes.security_context.run_as_user",
            format!(
                "`runAsNonRoot` is on but `runAsUser` is not set and the image runs as `{user}`, \
                 which the kubelet cannot verify as non-root: the pod will not start."
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Set a numeric runAsUser",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut named = crate::rules::support::explicit_stages();
        super::set_final_user(&mut named, "nodejs");
        named.services[0].kubernetes.security_context.run_as_user = 0;
        let mut root = Design::default();
        root.services[0].container.user.uid = 0;
        root.services[0].kubernetes.security_context.run_as_user = 0;
        vec![named, root]
    }
}

fn apply(design: &mut Design, index: usize) {
    let user = &design.services[index].container.user;
    let (uid, gid) = match (user.uid, user.gid) {
        (0, _) => (1001, 1001),
        (uid, 0) => (uid, uid),
        pair => pair,
    };
    let security = &mut design.services[index].kubernetes.security_context;
    if security.run_as_user == 0 {
        security.run_as_user = uid;
    }
    if security.run_as_group == 0 {
        security.run_as_group = gid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_a_numeric_user_or_run_as_user() {
        assert!(fields(&NumericUidForRunAsNonRoot, &Design::default()).is_empty());
        let mut numeric_image = Design::default();
        numeric_image.services[0]
            .kubernetes
            .security_context
            .run_as_user = 0;
        assert!(fields(&NumericUidForRunAsNonRoot, &numeric_image).is_empty());
    }

    #[test]
    fn fails_with_a_named_user_and_no_run_as_user() {
        for design in NumericUidForRunAsNonRoot::failing_examples() {
            assert_eq!(
                fields(&NumericUidForRunAsNonRoot, &design),
                ["kubernetes.security_context.run_as_user"]
            );
        }
    }
}
