//! The checkov policies the chart does not meet on purpose, each with its reason, and the
//! annotations that tell the scanner so.

use crate::model::{Design, Service};

/// A checkov policy the chart does not meet on purpose, with the reason (also listed in
/// `docs/checkov-skips.md`).
pub struct PolicySkip {
    pub id: &'static str,
    pub reason: &'static str,
}

/// Skip on every object the chart renders.
pub const NAMESPACE_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_21",
    reason: "The chart is namespace-agnostic: helm upgrade --namespace picks the namespace at install time, and the check sees only an offline render",
};

/// Skips on every Deployment or Rollout the chart renders.
pub const WORKLOAD_SKIPS: &[PolicySkip] = &[
    PolicySkip {
        id: "CKV_K8S_15",
        reason: "Images are tagged with the immutable commit SHA, so IfNotPresent never runs a stale image and pods still start when the registry is down",
    },
    PolicySkip {
        id: "CKV_K8S_43",
        reason: "The deploy sets image.digest, known only once CI pushed the image (PIPELINE-023); the chart's own default renders the commit SHA tag (PIPELINE-013)",
    },
];

/// Skip on the smoke-test hook Job of environments Argo CD delivers (`templates/smoke-test.yaml`).
pub const SMOKE_TEST_IMAGE_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_43",
    reason: "The smoke test runs a public curl image pinned to an exact release tag; set smokeTest.image to curlimages/curl@sha256:<digest> to pin its bytes too",
};

/// Skip on workloads whose user id is below 10000, the image's own numeric user.
pub const LOW_UID_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_40",
    reason: "runAsUser matches the numeric USER of the image (RULES 16.1, VALID-002); choose a uid above 10000 in the design to meet this check",
};

/// Skip on workloads that load the External Secrets Operator's Secret as environment
/// variables.
pub const SECRETS_AS_ENV_SKIP: PolicySkip = PolicySkip {
    id: "CKV_K8S_35",
    reason: "The app reads its connection strings from environment variables, as the seed's Deployment does (DATABASE_URL from a Secret); the Secret is synced by the External Secrets Operator and no value is in the chart",
};

/// Skips on workers: they serve no HTTP, so there is nothing to probe (K8S-005..007 apply to
/// web services only).
pub const WORKER_SKIPS: &[PolicySkip] = &[
    PolicySkip {
        id: "CKV_K8S_8",
        reason: "A worker serves no HTTP and has no generic health command; Kubernetes restarts it when the process exits",
    },
    PolicySkip {
        id: "CKV_K8S_9",
        reason: "A worker receives no traffic, so there is nothing for readiness to gate",
    },
];

/// The checkov skips that apply to a service's workloads.
pub fn workload_skips(design: &Design, service: &Service) -> Vec<&'static PolicySkip> {
    let mut skips: Vec<&PolicySkip> = vec![&NAMESPACE_SKIP];
    skips.extend(WORKLOAD_SKIPS);
    if service.kubernetes.security_context.run_as_user < 10000 {
        skips.push(&LOW_UID_SKIP);
    }
    if !service.kind.is_web() {
        skips.extend(WORKER_SKIPS);
    }
    if crate::facts::secrets::any_operator_synced(design) {
        skips.push(&SECRETS_AS_ENV_SKIP);
    }
    skips
}

pub(super) fn policy_annotations(design: &Design, service: &Service) -> String {
    let block = |name: &str, skips: &[&PolicySkip]| {
        let mut out = format!("{{{{- define \"@chart@.{name}\" -}}}}\n");
        for (index, skip) in skips.iter().enumerate() {
            let value = format!("{}={}", skip.id, skip.reason);
            out.push_str(&format!(
                "checkov.io/skip{}: {}\n",
                index + 1,
                serde_json::to_string(&value).unwrap_or_default()
            ));
        }
        out.push_str("{{- end }}\n");
        out
    };
    let mut out = format!(
        "\n{{{{/*\nPolicy-scanner checks the chart does not meet on purpose, each with its reason\n\
         (checkov's inline skip syntax; also listed in Slipway's docs/checkov-skips.md).\n*/}}}}\n{}\n{}",
        block("policyAnnotations", &[&NAMESPACE_SKIP]),
        block("workloadPolicyAnnotations", &workload_skips(design, service)),
    );
    if crate::facts::gitops::smoke_tested_after_sync(design, service) {
        out.push('\n');
        out.push_str(&block(
            "smokeTestPolicyAnnotations",
            &[&NAMESPACE_SKIP, &SMOKE_TEST_IMAGE_SKIP],
        ));
    }
    out
}
