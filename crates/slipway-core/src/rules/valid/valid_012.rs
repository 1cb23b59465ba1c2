use crate::model::{Design, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct ReadonlyFsWritableMounts;

fn has_tmp(service: &Service) -> bool {
    service
        .kubernetes
        .writable_paths
        .iter()
        .any(|path| path.trim().trim_end_matches('/') == "/tmp")
}

impl Rule for ReadonlyFsWritableMounts {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-012",
        name: "readonly-fs-writable-mounts",
        severity: Severity::Medium,
        area: Area::Validity,
        title: "A read-only root filesystem keeps a writable /tmp",
        what: "When `readOnlyRootFilesystem` is on, the writable paths (mounted as `emptyDir`) \
               include `/tmp`, and every writable path is absolute.",
        why: "Most runtimes and libraries write temporary files (uploads, Python bytecode, \
              Node's and the JVM's temp dirs). On a read-only root without a writable `/tmp` the \
              app crashes at its first temp file, usually in production under load. Kubernetes \
              rejects a relative `mountPath`.",
        incorrect: "readOnlyRootFilesystem: true\nvolumeMounts: []",
        correct: "readOnlyRootFilesystem: true\nvolumeMounts:\n  - {name: tmp, mountPath: /tmp}\nvolumes:\n  - {name: tmp, emptyDir: {}}",
        fix: "Adds `/tmp` to the writable paths and drops relative ones. Unsafe when a relative \
              path is dropped.",
        source: "Not in the documents; 000 · Kubernetes Basics › Security Context \
                 (`readOnlyRootFilesystem: true`)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let k8s = &context.service().kubernetes;
        if !k8s.enabled || !k8s.security_context.read_only_root_filesystem {
            return Vec::new();
        }
        let mut found: Vec<Violation> = k8s
            .writable_paths
            .iter()
            .enumerate()
            .filter(|(_, path)| !path.trim().starts_with('/'))
            .map(|(i, path)| {
                Violation::new(
                    format!("kubernetes.writable_paths[{i}]"),
                    format!(
                        "Writable path `{path}` is not absolute: Kubernetes rejects the mount."
                    ),
                )
            })
            .collect();
        if !has_tmp(context.service()) {
            found.push(Violation::new(
                "kubernetes.writable_paths",
                "The root filesystem is read-only and `/tmp` is not mounted writable.",
            ));
        }
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Mount a writable /tmp",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut missing = Design::default();
        missing.services[0].kubernetes.writable_paths.clear();
        let mut relative = Design::default();
        relative.services[0]
            .kubernetes
            .writable_paths
            .push("cache".into());
        vec![missing, relative]
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    service
        .kubernetes
        .writable_paths
        .retain(|path| path.trim().starts_with('/'));
    if !has_tmp(service) {
        service.kubernetes.writable_paths.push("/tmp".to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_with_a_writable_root() {
        assert!(fields(&ReadonlyFsWritableMounts, &Design::default()).is_empty());
        let mut writable = ReadonlyFsWritableMounts::failing_examples().remove(0);
        writable.services[0]
            .kubernetes
            .security_context
            .read_only_root_filesystem = false;
        assert!(fields(&ReadonlyFsWritableMounts, &writable).is_empty());
    }

    #[test]
    fn fails_without_tmp_or_with_a_relative_path() {
        assert_eq!(
            fields(
                &ReadonlyFsWritableMounts,
                &ReadonlyFsWritableMounts::failing_examples()[0]
            ),
            ["kubernetes.writable_paths"]
        );
        assert_eq!(
            fields(
                &ReadonlyFsWritableMounts,
                &ReadonlyFsWritableMounts::failing_examples()[1]
            ),
            ["kubernetes.writable_paths[1]"]
        );
    }
}
