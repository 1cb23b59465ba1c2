use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct KnownServiceReferences;

impl Rule for KnownServiceReferences {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-002",
        name: "known-service-references",
        severity: Severity::High,
        area: Area::Services,
        title: "A service talks only to services of the design",
        what: "Every name in a service's `talks_to` is another service of the design.",
        why: "`talks_to` becomes the compose `depends_on` and the `<NAME>_URL` a service reaches \
              the other by. A name no service has makes `docker compose up` fail (\"depends on \
              undefined service\"), and a service that lists itself waits for itself forever.",
        incorrect: "services:\n  - name: web\n    talks_to: [api]   # no service is named api",
        correct: "services:\n  - name: web\n    talks_to: [api]\n  - name: api",
        fix: "Removes the names no other service has. Unsafe: if a service was renamed, rename \
              the reference instead.",
        source: "Docker Compose › depends_on (a dependency must be a service of the file); \
                 Multi-Service Setup on Railway › Private Networking (services reach each other \
                 by name)",
        equivalents: &["docker compose config (undefined service)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let service = context.service();
        service
            .talks_to
            .iter()
            .enumerate()
            .filter(|(_, target)| !is_known(context.design, &service.name, target))
            .map(|(position, target)| {
                let message = if *target == service.name {
                    format!("`{target}` lists itself in `talks_to`.")
                } else {
                    format!(
                        "`{}` talks to `{target}`, but no service is named so.",
                        service.name
                    )
                };
                Violation::new(format!("talks_to[{position}]"), message)
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Remove references to unknown services",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut unknown = Design::default();
        unknown.services[0].talks_to.push("api".to_owned());
        let mut itself = Design::default();
        itself.services[0].talks_to.push("app".to_owned());
        vec![unknown, itself]
    }
}

fn is_known(design: &Design, name: &str, target: &str) -> bool {
    target != name && design.services.iter().any(|service| service.name == target)
}

fn apply(design: &mut Design, index: usize) {
    let Some(service) = design.services.get(index) else {
        return;
    };
    let name = service.name.clone();
    let known: Vec<String> = service
        .talks_to
        .iter()
        .filter(|target| is_known(design, &name, target))
        .cloned()
        .collect();
    design.services[index].talks_to = known;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::violations;

    #[test]
    fn passes_a_reference_to_another_service() {
        let mut design = super::super::with_worker(|_| {});
        design.services[0].talks_to.push("worker".to_owned());
        assert!(violations(&KnownServiceReferences, &design).is_empty());
    }

    #[test]
    fn fails_unknown_and_self_references() {
        for design in KnownServiceReferences::failing_examples() {
            assert_eq!(violations(&KnownServiceReferences, &design).len(), 1);
        }
    }
}
