use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct KnownServiceSizes;

/// The per-service sizes that name no service, or a service already sized in the same
/// environment: (environment index, entry index, why).
fn stray_sizes(design: &Design) -> Vec<(usize, usize, String)> {
    let mut stray = Vec::new();
    for (i, environment) in design.environments.iter().enumerate() {
        for (j, size) in environment.services.iter().enumerate() {
            let name = size.service.trim();
            if design.service_named(name).is_none() {
                stray.push((
                    i,
                    j,
                    format!(
                        "`{}` sizes `{name}`, but no service is named so: the sizes apply to nothing.",
                        environment.name
                    ),
                ));
            } else if environment.services[..j]
                .iter()
                .any(|earlier| earlier.service.trim() == name)
            {
                stray.push((
                    i,
                    j,
                    format!(
                        "`{}` sizes `{name}` twice: only the first entry applies.",
                        environment.name
                    ),
                ));
            }
        }
    }
    stray
}

impl Rule for KnownServiceSizes {
    const DOC: RuleDoc = RuleDoc {
        id: "SERVICE-007",
        name: "known-service-sizes",
        severity: Severity::Medium,
        area: Area::Services,
        title: "An environment's per-service sizes name services of the design, once each",
        what: "Each entry of `environments[].services` (a service's replicas and autoscaling \
               bounds in that environment) names a service of the design, and no service has \
               two entries in one environment.",
        why: "A size that names no service (a typo, or a service renamed by hand) is silently \
              ignored: the service runs with the environment's default pod counts, which is \
              exactly what the entry was written to change, for example a production worker \
              that needed 6 pods runs 3.",
        incorrect: "services: [{name: api}, {name: worker}]\nenvironments:\n  - name: production\n    services:\n      - {service: workers, replicas: 6}",
        correct: "environments:\n  - name: production\n    services:\n      - {service: worker, replicas: 6}",
        fix: "Removes the entries that name no service and the repeated ones. Unsafe: if a \
              service was renamed, rename the entry instead.",
        source: "Cross-artifact check: per-environment values of a chart apply to the release \
                 they are written for (Helm › Values files)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Design;

    fn check(&self, context: &Context) -> Vec<Violation> {
        stray_sizes(context.design)
            .into_iter()
            .map(|(i, j, message)| {
                Violation::new(format!("environments[{i}].services[{j}].service"), message)
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Remove sizes of unknown services",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.environments[1]
            .services
            .push(crate::model::ServiceSize {
                service: "workers".into(),
                replicas: 6,
                ..Default::default()
            });
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (i, j, _) in stray_sizes(design).into_iter().rev() {
        design.environments[i].services.remove(j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceSize;
    use crate::rules::support::fields;

    fn sized(names: &[&str]) -> Design {
        let mut design = Design::default();
        design.environments[1].services = names
            .iter()
            .map(|name| ServiceSize {
                service: (*name).into(),
                replicas: 4,
                ..Default::default()
            })
            .collect();
        design
    }

    #[test]
    fn passes_a_size_of_a_service() {
        assert!(fields(&KnownServiceSizes, &sized(&["app"])).is_empty());
    }

    #[test]
    fn fails_unknown_and_repeated_sizes_and_the_fix_keeps_the_first() {
        let mut design = sized(&["app", "workers", "app"]);
        assert_eq!(
            fields(&KnownServiceSizes, &design),
            [
                "environments[1].services[1].service",
                "environments[1].services[2].service"
            ]
        );
        apply(&mut design, 0);
        assert_eq!(design.environments[1].services.len(), 1);
        assert!(fields(&KnownServiceSizes, &design).is_empty());
    }
}
