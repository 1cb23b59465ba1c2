#[cfg(test)]
use crate::model::Design;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

pub struct PrivateNetworking;

fn browser_facing(name: &str) -> bool {
    ["VITE_", "NEXT_PUBLIC_", "REACT_APP_", "PUBLIC_"]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

impl Rule for PrivateNetworking {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-011",
        name: "private-networking",
        severity: Severity::Medium,
        area: Area::Railway,
        title: "Services call each other over Railway's private network",
        what: "No environment value points the service at another service's public Railway \
               domain (`*.up.railway.app`); service-to-service URLs use \
               `http://${{<svc>.RAILWAY_PRIVATE_DOMAIN}}:${{<svc>.PORT}}`. Values meant for the \
               browser (`VITE_*`, `NEXT_PUBLIC_*`, `REACT_APP_*`, `PUBLIC_*`) are exempt.",
        why: "A call to the public domain leaves Railway and comes back through its edge: extra \
              latency, egress billed, TLS for nothing, and the internal API exposed to the \
              internet so that the call can work at all.",
        incorrect: "API_URL=https://api-production-4f2a.up.railway.app",
        correct: "API_URL=http://${{api.RAILWAY_PRIVATE_DOMAIN}}:${{api.PORT}}",
        fix: "Manual: replace the public URL with the service's private domain reference.",
        source: "000 · Railway Deployment Patterns › Multi-Service Setup; Multi-Service Setup on \
                 Railway › Private Networking",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !design.uses_railway() {
            return Vec::new();
        }
        let mut found = Vec::new();
        for (i, env) in design.environments.iter().enumerate() {
            for (j, value) in env.values.iter().enumerate() {
                if !browser_facing(value.name.trim()) && value.value.contains(".up.railway.app") {
                    found.push(Violation::new(
                        format!("environments[{i}].values[{j}]"),
                        format!(
                            "`{}` in `{}` calls a public Railway domain; use the private domain reference.",
                            value.name, env.name
                        ),
                    ));
                }
            }
        }
        found
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.environments[0]
            .values
            .push(crate::model::EnvVar::new(
                "PAYMENTS_URL",
                "https://payments-production.up.railway.app",
            ));
        vec![design]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_for_browser_values() {
        assert!(fields(&PrivateNetworking, &Design::default()).is_empty());
        let mut browser = Design::default();
        browser.environments[0]
            .values
            .push(crate::model::EnvVar::new(
                "VITE_API_URL",
                "https://api-production.up.railway.app",
            ));
        assert!(fields(&PrivateNetworking, &browser).is_empty());
    }

    #[test]
    fn fails_on_public_domains() {
        assert_eq!(
            fields(
                &PrivateNetworking,
                &PrivateNetworking::failing_examples()[0]
            ),
            ["environments[0].values[1]"]
        );
    }
}
