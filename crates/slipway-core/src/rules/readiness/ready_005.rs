use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct EncryptionInTransitInternal;

fn problems(design: &Design) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let infrastructure = &design.infrastructure;
    if infrastructure.enabled {
        if infrastructure.rds.enabled && !infrastructure.rds.force_ssl {
            found.push((
                "infrastructure.rds.force_ssl".to_owned(),
                "The database accepts unencrypted connections.".to_owned(),
            ));
        }
        if infrastructure.redis.enabled && !infrastructure.redis.transit_encryption {
            found.push((
                "infrastructure.redis.transit_encryption".to_owned(),
                "The cache accepts unencrypted connections.".to_owned(),
            ));
        }
    }
    for (i, env) in design.environments.iter().enumerate() {
        for (j, value) in env.values.iter().enumerate() {
            if value.value.contains("sslmode=disable") {
                found.push((
                    format!("environments[{i}].values[{j}]"),
                    format!(
                        "`{}` in `{}` turns TLS off (`sslmode=disable`).",
                        value.name, env.name
                    ),
                ));
            }
        }
    }
    found
}

impl Rule for EncryptionInTransitInternal {
    const DOC: RuleDoc = RuleDoc {
        id: "READY-005",
        name: "encryption-in-transit-internal",
        severity: Severity::Medium,
        area: Area::Readiness,
        title: "Database and cache connections require TLS",
        what: "The RDS parameter group sets `rds.force_ssl = 1`; the Redis replication group has \
               `transit_encryption_enabled = true` (VALID-019); no environment's connection \
               string turns TLS off (`sslmode=disable`).",
        why: "Inside a VPC traffic still crosses shared infrastructure; credentials and \
              personal data in clear text can be captured by anything that reaches the \
              subnet. Forcing TLS on the server side means a misconfigured client fails \
              instead of silently falling back.",
        incorrect: "force_ssl: false\nDATABASE_URL=postgresql://…/app?sslmode=disable",
        correct:
            "parameter { name = \"rds.force_ssl\", value = \"1\" }\ntransit_encryption_enabled = true",
        fix: "Forces TLS on the database and the cache and rewrites `sslmode=disable` to \
              `sslmode=require`.",
        source: "000 · Production Readiness Checklist › Data (\"Encryption in transit (TLS)\")",
        equivalents: &["checkov CKV_AWS_30"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.design)
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Require TLS to data stores",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        design.infrastructure.rds.force_ssl = false;
        design.infrastructure.redis.enabled = true;
        design.infrastructure.redis.transit_encryption = false;
        design.environments[0]
            .values
            .push(crate::model::EnvVar::new(
                "DATABASE_URL",
                "postgresql://db.internal:5432/app?sslmode=disable",
            ));
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    design.infrastructure.rds.force_ssl = true;
    design.infrastructure.redis.transit_encryption = true;
    for env in &mut design.environments {
        for value in &mut env.values {
            value.value = value.value.replace("sslmode=disable", "sslmode=require");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&EncryptionInTransitInternal, &Design::default()).is_empty());
    }

    #[test]
    fn fails_for_each_plaintext_connection() {
        assert_eq!(
            fields(
                &EncryptionInTransitInternal,
                &EncryptionInTransitInternal::failing_examples()[0]
            ),
            [
                "infrastructure.rds.force_ssl",
                "infrastructure.redis.transit_encryption",
                "environments[0].values[1]"
            ]
        );
    }
}
