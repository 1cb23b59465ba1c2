use crate::model::{Design, Ingress};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use crate::facts::workload::web_workload;

pub struct IngressWithTls;

impl Rule for IngressWithTls {
    const DOC: RuleDoc = RuleDoc {
        id: "K8S-011",
        name: "ingress-with-tls",
        severity: Severity::High,
        area: Area::K8s,
        title: "The public endpoint is served over TLS",
        what: "When the service is exposed through an Ingress, the Ingress names its host and has \
               TLS on, with a cert-manager issuer (default `letsencrypt-prod`) providing the \
               certificate for that host.",
        why: "Without TLS every request, session cookie and token crosses the internet in clear \
              text and can be read or altered on the way. An Ingress without a host matches every \
              name pointed at the cluster and cannot get a certificate at all.",
        incorrect: "ingress:\n  host: api.example.com\n  tls: false",
        correct: "metadata:\n  annotations: {cert-manager.io/cluster-issuer: letsencrypt-prod}\nspec:\n  tls:\n    - hosts: [api.example.com]\n      secretName: app-tls",
        fix: "Turns TLS on with the default cert-manager issuer, and sets a placeholder host \
              (`<service>.example.com`) if none is set.",
        source: "000 · Key Concepts › Kubernetes Deployment (\"Ingress for external access with \
                 TLS\"); Production Readiness Checklist › Security (\"HTTPS enforced\") and › Data \
                 (\"Encryption in transit (TLS)\")",
        equivalents: &["kube-score ingress-targets-service (partly)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some(k8s) = web_workload(context.service()) else {
            return Vec::new();
        };
        let ingress = &k8s.ingress;
        if !ingress.enabled {
            return Vec::new();
        }
        let mut violations = Vec::new();
        if ingress.host.trim().is_empty() {
            violations.push(Violation::new(
                "kubernetes.ingress.host",
                "The Ingress names no host, so it matches every name and no certificate can cover it.",
            ));
        }
        if !ingress.tls {
            violations.push(Violation::new(
                "kubernetes.ingress.tls",
                "The Ingress serves plain HTTP: TLS is off.",
            ));
        } else if ingress.cluster_issuer.trim().is_empty() {
            violations.push(Violation::new(
                "kubernetes.ingress.cluster_issuer",
                "TLS is on but no cert-manager issuer provides the certificate.",
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Serve over TLS",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let plain = super::with_k8s(|k8s| k8s.ingress.tls = false);
        let hostless = super::with_k8s(|k8s| {
            k8s.ingress.host.clear();
            k8s.ingress.cluster_issuer.clear();
        });
        vec![plain, hostless]
    }
}

fn apply(design: &mut Design, index: usize) {
    let name = crate::text::identifier(&design.services[index].name, "app");
    let ingress = &mut design.services[index].kubernetes.ingress;
    ingress.tls = true;
    if ingress.cluster_issuer.trim().is_empty() {
        ingress.cluster_issuer = Ingress::default().cluster_issuer;
    }
    if ingress.host.trim().is_empty() {
        ingress.host = format!("{name}.example.com");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_tls_and_for_internal_services() {
        assert!(fields(&IngressWithTls, &preset("node-api")).is_empty());
        let internal = super::super::with_k8s(|k8s| {
            k8s.ingress.enabled = false;
            k8s.ingress.tls = false;
        });
        assert!(fields(&IngressWithTls, &internal).is_empty());
    }

    #[test]
    fn fails_without_tls_host_or_issuer() {
        let reported: Vec<Vec<String>> = IngressWithTls::failing_examples()
            .iter()
            .map(|design| fields(&IngressWithTls, design))
            .collect();
        assert_eq!(reported[0], ["kubernetes.ingress.tls"]);
        assert_eq!(
            reported[1],
            [
                "kubernetes.ingress.host",
                "kubernetes.ingress.cluster_issuer"
            ]
        );
    }
}
