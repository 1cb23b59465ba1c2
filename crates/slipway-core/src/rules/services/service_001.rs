use std::collections::HashSet;

use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::text::identifier;

pub struct UniqueServiceNames;

/// Whether `name` is a DNS-1123 label: lowercase letters, digits and `-`, starting and ending
/// with a letter or digit, at most 63 characters.
pub(crate) fn is_dns_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

impl Rule for UniqueServiceNames {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-001",
        name: "unique-service-names",
        severity: Severity::High,
        area: Area::Services,
        title: "Every service has its own DNS-1123 name",
        what: "Each service's `name` is a DNS-1123 label (lowercase letters, digits and `-`, \
               starting and ending with a letter or digit, at most 63 characters) and no two \
               services share one.",
        why: "A service's name becomes its image repository, Helm chart and release, Kubernetes \
              Deployment and Service, compose service and Railway service. Kubernetes refuses \
              names that are not DNS-1123 labels, and two services with one name overwrite \
              each other's chart, image and compose entry: one of them is silently never \
              shipped.",
        incorrect: "services:\n  - name: API\n  - name: api",
        correct: "services:\n  - name: api\n  - name: worker",
        fix: "Rewrites each name as a DNS-1123 label and gives a repeated name a numbered \
              suffix (`api-2`). References in `talks_to` follow the rename.",
        source: "Kubernetes › Object Names and IDs (DNS-1123 label names); the catalog's \
                 multi-service setups name each service once (Multi-Service Setup on Railway)",
        equivalents: &["kube-linter dnsconfig", "kubeconform (metadata.name)"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (index, service) in context.design.services.iter().enumerate() {
            let field = format!("services[{index}].name");
            if !is_dns_label(&service.name) {
                out.push(Violation::new(
                    field.clone(),
                    format!(
                        "The service name `{}` is not a DNS-1123 label (lowercase letters, digits \
                         and `-`, at most 63 characters): Kubernetes refuses it as the name of \
                         the Deployment and Service.",
                        service.name
                    ),
                ));
            }
            if !seen.insert(service.name.as_str()) {
                out.push(Violation::new(
                    field,
                    format!(
                        "Two services are named `{}`: their images, charts and compose entries \
                         would overwrite each other.",
                        service.name
                    ),
                ));
            }
        }
        out
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Give every service its own DNS-1123 name",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let duplicate = super::with_worker(|worker| worker.name = "app".to_owned());
        let mut invalid = Design::default();
        invalid.services[0].name = "My API".to_owned();
        vec![duplicate, invalid]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for service in &mut design.services {
        let base: String = identifier(&service.name, "service")
            .chars()
            .take(56)
            .collect();
        let base = base.trim_end_matches('-').to_owned();
        let name = crate::text::first_free(&base, |name| taken.contains(name));
        taken.insert(name.clone());
        if name != service.name {
            renames.push((service.name.clone(), name.clone()));
            service.name = name;
        }
    }
    // A reference follows a rename only when no service keeps the old name (a duplicate's
    // first holder keeps it, and references meant it).
    renames.retain(|(old, _)| !design.services.iter().any(|service| &service.name == old));
    for service in &mut design.services {
        for target in &mut service.talks_to {
            if let Some((_, new)) = renames.iter().find(|(old, _)| old == target) {
                *target = new.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::violations;

    #[test]
    fn passes_distinct_labels() {
        assert!(violations(&UniqueServiceNames, &super::super::with_worker(|_| {})).is_empty());
    }

    #[test]
    fn fails_a_repeated_or_invalid_name_and_the_fix_renames() {
        for design in UniqueServiceNames::failing_examples() {
            assert_eq!(violations(&UniqueServiceNames, &design).len(), 1);
        }
        let mut design = super::super::with_worker(|worker| worker.name = "app".to_owned());
        design.services[0].talks_to.push("app".to_owned());
        apply(&mut design, 0);
        assert_eq!(design.services[1].name, "app-2");
        assert_eq!(design.services[0].talks_to, ["app"]);
        assert!(is_dns_label("a-1") && !is_dns_label("-a") && !is_dns_label("A"));
    }
}
