use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct RdsUsernameNotReserved;

fn problem(username: &str) -> Option<&'static str> {
    let lower = username.to_ascii_lowercase();
    if username.is_empty() {
        return Some("is empty");
    }
    if ["admin", "rdsadmin", "rdsrepladmin"].contains(&lower.as_str())
        || lower.starts_with("pg_")
        || lower.starts_with("rds_")
    {
        return Some("is reserved by RDS PostgreSQL");
    }
    if !username.starts_with(|c: char| c.is_ascii_alphabetic())
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        || username.len() > 63
    {
        return Some("is not 1 to 63 letters, digits or underscores starting with a letter");
    }
    None
}

impl Rule for RdsUsernameNotReserved {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-013",
        name: "rds-username-not-reserved",
        severity: Severity::Critical,
        area: Area::Validity,
        title: "The database master username is one RDS accepts",
        what: "The RDS PostgreSQL master username starts with a letter, has 1 to 63 letters, \
               digits or underscores, and is not reserved: `admin`, `rdsadmin`, `rdsrepladmin`, \
               or a name starting with `pg_` or `rds_`.",
        why: "AWS rejects a reserved or malformed master username when it creates the instance, \
              so `terraform apply` fails halfway through the first environment. The seed's own \
              example uses `username = \"admin\"` on PostgreSQL (A17).",
        incorrect: "engine   = \"postgres\"\nusername = \"admin\"",
        correct: "engine   = \"postgres\"\nusername = \"app_admin\"",
        fix: "Sets the username to `app_admin`.",
        source: "Not in the documents (docs/defaults.md#a17-terraform): 004 · Infrastructure as \
                 Code (Terraform) (`username = \"admin\"`)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let infrastructure = &context.design.infrastructure;
        if !infrastructure.enabled || !infrastructure.rds.enabled {
            return Vec::new();
        }
        let username = &infrastructure.rds.username;
        problem(username)
            .map(|why| {
                Violation::new(
                    "infrastructure.rds.username",
                    format!("The master username `{username}` {why}: creating the database fails."),
                )
            })
            .into_iter()
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use app_admin",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        ["admin", "pg_owner", "1app"]
            .into_iter()
            .map(|name| {
                let mut design = Design::default();
                design.infrastructure.rds.username = name.into();
                design
            })
            .collect()
    }
}

fn apply(design: &mut Design, _service: usize) {
    if problem(&design.infrastructure.rds.username).is_some() {
        design.infrastructure.rds.username = "app_admin".to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&RdsUsernameNotReserved, &Design::default()).is_empty());
        assert_eq!(problem("postgres"), None);
    }

    #[test]
    fn fails_on_reserved_or_malformed_names() {
        for design in RdsUsernameNotReserved::failing_examples() {
            assert_eq!(
                fields(&RdsUsernameNotReserved, &design),
                ["infrastructure.rds.username"]
            );
        }
    }
}
