use crate::model::{Design, Profile, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct StrictHighUid;

/// checkov CKV_K8S_40 and kube-score want uids and gids above this.
const HIGH_ID: u32 = 10000;

fn low_ids(design: &Design, service: &Service) -> Vec<(&'static str, u32)> {
    if design.profile != Profile::Strict {
        return Vec::new();
    }
    let user = &service.container.user;
    let mut ids = vec![
        ("container.user.uid", user.uid),
        ("container.user.gid", user.gid),
    ];
    if service.kubernetes.enabled {
        let security = &service.kubernetes.security_context;
        ids.push((
            "kubernetes.security_context.run_as_user",
            security.run_as_user,
        ));
        ids.push((
            "kubernetes.security_context.run_as_group",
            security.run_as_group,
        ));
    }
    ids.retain(|(_, id)| *id <= HIGH_ID);
    ids
}

impl Rule for StrictHighUid {
    const DOC: RuleDoc = RuleDoc {
        id: "PROFILE-001",
        name: "strict-high-uid",
        severity: Severity::Medium,
        area: Area::Validity,
        title: "Strict profile: the container runs with a uid and gid above 10000",
        what: "Only with `profile: strict`: the image user's uid and gid, and the pod's \
               `runAsUser`/`runAsGroup`, are above 10000. With `profile: seed` (the default) the \
               seed's uid 1001 is accepted and this rule reports nothing.",
        why: "The sources disagree. The seed fixes uid and gid 1001 (Key Decisions, Docker: \
              Layer Security). checkov (CKV_K8S_40) and kube-score \
              (container-security-context-user-group-id) flag any uid or gid up to 10000, \
              because low ids collide with real accounts on the node: a container escape as uid \
              1001 lands with the rights of whatever host user has uid 1001. The strict profile \
              takes the scanners' side so their reports come back clean; the seed profile keeps \
              the documents' value. Either way the choice is visible here, not hidden.",
        incorrect: "# profile: strict\nUSER 1001:1001\nrunAsUser: 1001",
        correct: "# profile: strict\nUSER 10001:10001\nrunAsUser: 10001",
        fix: "Moves the image user and the pod's ids to 10001.",
        source: "Profile conflict (docs/profiles.md): 000 · Key Decisions (\"non-root (uid \
                 1001)\") vs checkov CKV_K8S_40 and kube-score",
        equivalents: &[
            "checkov CKV_K8S_40",
            "kube-score container-security-context-user-group-id",
        ],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        low_ids(context.design, context.service())
            .into_iter()
            .map(|(field, id)| {
                Violation::new(
                    field,
                    format!(
                        "Strict profile: id {id} is not above {HIGH_ID} (checkov CKV_K8S_40, \
                         kube-score). The seed's 1001 is accepted only under `profile: seed`."
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use uid and gid 10001",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![Design {
            profile: Profile::Strict,
            ..Design::default()
        }]
    }
}

fn apply(design: &mut Design, index: usize) {
    if low_ids(design, &design.services[index]).is_empty() {
        return;
    }
    let high = |id: u32| if id > HIGH_ID { id } else { HIGH_ID + 1 };
    let user = &mut design.services[index].container.user;
    user.uid = high(user.uid);
    user.gid = high(user.gid);
    let (uid, gid) = (user.uid, user.gid);
    let security = &mut design.services[index].kubernetes.security_context;
    security.run_as_user = uid;
    security.run_as_group = gid;
    security.fs_group = gid;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn the_seed_profile_accepts_uid_1001() {
        assert!(fields(&StrictHighUid, &Design::default()).is_empty());
    }

    #[test]
    fn the_strict_profile_wants_ids_above_10000() {
        assert_eq!(
            fields(&StrictHighUid, &StrictHighUid::failing_examples()[0]),
            [
                "container.user.uid",
                "container.user.gid",
                "kubernetes.security_context.run_as_user",
                "kubernetes.security_context.run_as_group"
            ]
        );
    }
}
