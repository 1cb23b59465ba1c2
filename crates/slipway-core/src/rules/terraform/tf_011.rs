use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::terraform;

pub struct EncryptionAtRest;

fn unencrypted(design: &Design) -> Vec<(&'static str, &'static str)> {
    let Some(infrastructure) = terraform(design) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if infrastructure.rds.enabled && !infrastructure.rds.storage_encrypted {
        found.push((
            "infrastructure.rds.storage_encrypted",
            "the database storage",
        ));
    }
    if infrastructure.redis.enabled && !infrastructure.redis.at_rest_encryption {
        found.push(("infrastructure.redis.at_rest_encryption", "the Redis cache"));
    }
    if !infrastructure.state.encrypt {
        found.push(("infrastructure.state.encrypt", "the Terraform state"));
    }
    found
}

impl Rule for EncryptionAtRest {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-011",
        name: "encryption-at-rest",
        severity: Severity::High,
        area: Area::Terraform,
        title: "Database, cache and state are encrypted at rest",
        what: "RDS has `storage_encrypted = true`; the Redis replication group has \
               `at_rest_encryption_enabled = true` (VALID-019: only a replication group can); the \
               state backend has `encrypt = true`.",
        why: "Disks, snapshots and state files outlive the instances that wrote them: they are \
              copied, shared and restored. Encryption at rest keeps a leaked snapshot or state \
              file (which holds the database password) unreadable. It can only be set when the \
              resource is created; turning it on later means a migration.",
        incorrect: "storage_encrypted = false",
        correct: "storage_encrypted = true",
        fix: "Turns encryption on for the database, the cache and the state.",
        source: "000 · Production Readiness Checklist › Data (\"Encryption at rest enabled\")",
        equivalents: &[
            "checkov CKV_AWS_16",
            "checkov CKV_AWS_29",
            "checkov CKV_AWS_119",
        ],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        unencrypted(context.design)
            .into_iter()
            .map(|(field, what)| {
                Violation::new(field, format!("Encryption at rest is off for {what}."))
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Encrypt at rest",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_infrastructure(|infrastructure| {
            infrastructure.rds.storage_encrypted = false;
            infrastructure.redis.enabled = true;
            infrastructure.redis.at_rest_encryption = false;
            infrastructure.state.encrypt = false;
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let infrastructure = &mut design.infrastructure;
    infrastructure.rds.storage_encrypted = true;
    infrastructure.redis.at_rest_encryption = true;
    infrastructure.state.encrypt = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&EncryptionAtRest, &Design::default()).is_empty());
    }

    #[test]
    fn fails_for_each_unencrypted_store() {
        assert_eq!(
            fields(&EncryptionAtRest, &EncryptionAtRest::failing_examples()[0]),
            [
                "infrastructure.rds.storage_encrypted",
                "infrastructure.redis.at_rest_encryption",
                "infrastructure.state.encrypt"
            ]
        );
    }
}
