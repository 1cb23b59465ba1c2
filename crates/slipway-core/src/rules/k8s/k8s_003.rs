use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::workload;

pub struct ReadOnlyRootFilesystem;

impl Rule for ReadOnlyRootFilesystem {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-003",
        name: "read-only-root-filesystem",
        severity: Severity::Critical,
        area: Area::K8s,
        title: "The container's root filesystem is read-only",
        what: "Every container sets `readOnlyRootFilesystem: true`; the paths the app writes to \
               are mounted as `emptyDir` volumes (VALID-012). The documents say \"where \
               possible\", so an app that truly must write to its image can waive this finding \
               with a written reason.",
        why: "An attacker who gets code execution usually wants to write: drop a binary, modify \
              the app, plant a web shell. A read-only root filesystem makes all of that fail and \
              keeps every running pod identical to the image that was scanned.",
        incorrect: "securityContext:\n  readOnlyRootFilesystem: false",
        correct: "securityContext:\n  readOnlyRootFilesystem: true\nvolumeMounts:\n  - {name: tmp, mountPath: /tmp}",
        fix: "Sets `readOnlyRootFilesystem: true` and mounts `/tmp` as a writable volume.",
        source: "000 · Docker: Layer Security (key rules); Key Concepts › Container Best \
                 Practices; Docker Patterns › Security Hardening; Kubernetes Basics › Security \
                 Context",
        equivalents: &["checkov CKV_K8S_22", "kube-linter no-read-only-root-fs"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        match workload(context.service()) {
            Some(k8s) if !k8s.security_context.read_only_root_filesystem => {
                vec![Violation::new(
                    "kubernetes.security_context.read_only_root_filesystem",
                    "The container can write anywhere in its image's filesystem.",
                )]
            }
            _ => Vec::new(),
        }
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Make the root filesystem read-only",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_k8s(|k8s| {
            k8s.security_context.read_only_root_filesystem = false;
            k8s.writable_paths.clear();
        })]
    }
}

fn apply(design: &mut Design, index: usize) {
    let k8s = &mut design.services[index].kubernetes;
    k8s.security_context.read_only_root_filesystem = true;
    if !k8s
        .writable_paths
        .iter()
        .any(|path| path.trim_end_matches('/') == "/tmp")
    {
        k8s.writable_paths.push("/tmp".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&ReadOnlyRootFilesystem, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_a_writable_root() {
        assert_eq!(
            fields(
                &ReadOnlyRootFilesystem,
                &ReadOnlyRootFilesystem::failing_examples()[0]
            ),
            ["kubernetes.security_context.read_only_root_filesystem"]
        );
    }
}
