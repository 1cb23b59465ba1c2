use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct ReferenceVariables;

/// The reference a shared name should hold.
fn reference(name: &str) -> Option<&'static str> {
    match name {
        "DATABASE_URL" => Some("${{Postgres.DATABASE_URL}}"),
        "REDIS_URL" => Some("${{Redis.REDIS_URL}}"),
        "API_URL" => Some("http://${{api.RAILWAY_PRIVATE_DOMAIN}}:${{api.PORT}}"),
        _ => None,
    }
}

fn literals(design: &Design) -> Vec<(usize, usize)> {
    if !design.uses_railway() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (i, env) in design.environments.iter().enumerate() {
        for (j, value) in env.values.iter().enumerate() {
            if reference(value.name.trim()).is_some()
                && !value.value.trim().is_empty()
                && !value.value.contains("${{")
            {
                found.push((i, j));
            }
        }
    }
    found
}

impl Rule for ReferenceVariables {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-010",
        name: "reference-variables",
        severity: Severity::High,
        area: Area::Railway,
        title: "Values shared between Railway services are reference variables",
        what: "An environment's `DATABASE_URL`, `REDIS_URL` and `API_URL` values are Railway \
               reference variables (`${{Postgres.DATABASE_URL}}`, `${{Redis.REDIS_URL}}`, \
               `http://${{api.RAILWAY_PRIVATE_DOMAIN}}:${{api.PORT}}`, `${{shared.X}}`), not \
               pasted literals. (Whether `NODE_ENV` and `LOG_LEVEL` are shared variables is a \
               Railway project setting the design does not hold.)",
        why: "A pasted connection string goes stale the moment Railway rotates the database \
              password or moves the service, and the app fails in production with no change of \
              its own. A reference is resolved at every deploy.",
        incorrect:
            "DATABASE_URL=postgresql://postgres:pw@containers-us-west-1.railway.app:6543/railway",
        correct: "DATABASE_URL=${{Postgres.DATABASE_URL}}",
        fix: "Replaces each literal with the matching reference. Unsafe: the literal is \
              discarded.",
        source: "000 · Railway Deployment Patterns › Environment Variables; Anti-Patterns (Correct: \
                 \"Use shared variables for cross-service config\"); Multi-Service Setup on Railway \
                 › Shared Environment Variables",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        literals(design)
            .into_iter()
            .map(|(i, j)| {
                let env = &design.environments[i];
                let name = env.values[j].name.trim();
                Violation::new(
                    format!("environments[{i}].values[{j}]"),
                    format!(
                        "`{name}` in `{}` is a pasted literal; use `{}`.",
                        env.name,
                        reference(name).unwrap_or_default()
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use reference variables",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.environments[1]
            .values
            .push(crate::model::EnvVar::new(
                "DATABASE_URL",
                "postgresql://postgres:pw@db.railway.internal:5432/railway",
            ));
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for (i, j) in literals(design) {
        let value = &mut design.environments[i].values[j];
        if let Some(reference) = reference(value.name.trim()) {
            value.value = reference.to_owned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_references() {
        let mut design = Design::default();
        design.environments[1]
            .values
            .push(crate::model::EnvVar::new(
                "DATABASE_URL",
                "${{Postgres.DATABASE_URL}}",
            ));
        assert!(fields(&ReferenceVariables, &design).is_empty());
    }

    #[test]
    fn fails_on_pasted_literals() {
        assert_eq!(
            fields(
                &ReferenceVariables,
                &ReferenceVariables::failing_examples()[0]
            ),
            ["environments[1].values[1]"]
        );
    }
}
