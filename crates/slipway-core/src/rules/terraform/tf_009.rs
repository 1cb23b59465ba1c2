use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::terraform;

pub struct DbAutomatedBackups;

fn retention(design: &Design) -> Option<u32> {
    let infrastructure = terraform(design)?;
    let days = infrastructure.rds.backup_retention_days;
    (infrastructure.rds.enabled && !(7..=35).contains(&days)).then_some(days)
}

impl Rule for DbAutomatedBackups {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-009",
        name: "db-automated-backups",
        severity: Severity::High,
        area: Area::Terraform,
        title: "The database keeps at least a week of automated backups",
        what: "RDS `backup_retention_period` is between 7 (the default) and 35 days, the range \
               that gives daily automated backups with point-in-time recovery that AWS accepts.",
        why: "With less than a week, a bad migration or a deleted table noticed on Monday after \
              a long weekend can no longer be undone. 0 turns backups and point-in-time recovery \
              off entirely; AWS rejects more than 35.",
        incorrect: "backup_retention_period = 0",
        correct: "backup_retention_period = 7",
        fix: "Sets 7 days (or 35 when above the maximum).",
        source:
            "004 · Infrastructure as Code (Terraform); DevOps Checklist (\"Backup and disaster \
                 recovery plan\"); 000 · Production Readiness Checklist › Data (\"backups \
                 automated (daily)\", \"Point-in-time recovery enabled\")",
        equivalents: &["checkov CKV_AWS_133"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        retention(context.design)
            .map(|days| {
                Violation::new(
                    "infrastructure.rds.backup_retention_days",
                    if days > 35 {
                        format!("{days} days of backups is above the 35 AWS accepts.")
                    } else {
                        format!(
                            "{days} days of backups: keep at least 7 for point-in-time recovery."
                        )
                    },
                )
            })
            .into_iter()
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Keep 7 days of backups",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_infrastructure(|infrastructure| {
                infrastructure.rds.backup_retention_days = 0
            }),
            super::with_infrastructure(|infrastructure| {
                infrastructure.rds.backup_retention_days = 90
            }),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if let Some(days) = retention(design) {
        design.infrastructure.rds.backup_retention_days = if days > 35 { 35 } else { 7 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&DbAutomatedBackups, &Design::default()).is_empty());
    }

    #[test]
    fn fails_outside_the_range() {
        for design in DbAutomatedBackups::failing_examples() {
            assert_eq!(
                fields(&DbAutomatedBackups, &design),
                ["infrastructure.rds.backup_retention_days"]
            );
        }
    }
}
