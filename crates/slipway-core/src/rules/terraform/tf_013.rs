use crate::model::{Design, SecretSource};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct InfrastructureAsCodeCoverage;

fn needs_secret_store(design: &Design, name: &str) -> bool {
    design.secrets.iter().any(|secret| {
        secret.name == name
            && secret.source != SecretSource::Railway
            && secret.source != SecretSource::GithubActions
    })
}

fn missing(design: &Design) -> Vec<(&'static str, &'static str)> {
    let infrastructure = &design.infrastructure;
    let mut found = Vec::new();
    if design.uses_kubernetes() && !(infrastructure.enabled && infrastructure.eks.enabled) {
        found.push(("infrastructure.eks.enabled", "the Kubernetes cluster"));
    }
    if needs_secret_store(design, "DATABASE_URL")
        && !(infrastructure.enabled && infrastructure.rds.enabled)
    {
        found.push((
            "infrastructure.rds.enabled",
            "the database behind `DATABASE_URL`",
        ));
    }
    if needs_secret_store(design, "REDIS_URL")
        && !(infrastructure.enabled && infrastructure.redis.enabled)
    {
        found.push((
            "infrastructure.redis.enabled",
            "the cache behind `REDIS_URL`",
        ));
    }
    found
}

impl Rule for InfrastructureAsCodeCoverage {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-013",
        name: "infrastructure-as-code-coverage",
        severity: Severity::Low,
        area: Area::Terraform,
        title: "Every cloud resource the service needs is declared in Terraform",
        what: "What the design depends on is in the generated Terraform: the EKS cluster when it \
               deploys to Kubernetes, the RDS database when it reads `DATABASE_URL` from AWS \
               Secrets Manager or Vault, the Redis cache when it reads `REDIS_URL` from there. \
               Railway-provided data stores are exempt.",
        why: "A resource created by hand has no review, no history and no second copy: staging \
              and production drift apart, and after an incident nobody can rebuild it the way it \
              was.",
        incorrect: "kubernetes: {enabled: true}\ninfrastructure: {eks: {enabled: false}}",
        correct: "kubernetes: {enabled: true}\ninfrastructure: {eks: {enabled: true}}",
        fix: "Turns on Terraform and the missing modules.",
        source: "000 · Production Readiness Checklist › Infrastructure (\"Infrastructure as \
                 Code\"); 004 · DevOps Checklist",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        missing(context.design)
            .into_iter()
            .map(|(field, what)| {
                Violation::new(
                    field,
                    format!(
                        "{} is not declared in the generated Terraform.",
                        capitalise(what)
                    ),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Declare it in Terraform",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let cluster =
            super::with_infrastructure(|infrastructure| infrastructure.eks.enabled = false);
        let mut database = crate::rules::support::preset("node-api");
        database.infrastructure.rds.enabled = false;
        vec![cluster, database]
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn apply(design: &mut Design, _service: usize) {
    for (field, _) in missing(design) {
        let infrastructure = &mut design.infrastructure;
        infrastructure.enabled = true;
        match field {
            "infrastructure.eks.enabled" => {
                infrastructure.eks.enabled = true;
                infrastructure.vpc.enabled = true;
            }
            "infrastructure.rds.enabled" => {
                infrastructure.rds.enabled = true;
                infrastructure.vpc.enabled = true;
            }
            _ => {
                infrastructure.redis.enabled = true;
                infrastructure.vpc.enabled = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_every_preset() {
        for preset in crate::presets::all() {
            assert!(
                fields(&InfrastructureAsCodeCoverage, &(preset.build)()).is_empty(),
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn fails_when_a_dependency_is_created_by_hand() {
        assert_eq!(
            fields(
                &InfrastructureAsCodeCoverage,
                &InfrastructureAsCodeCoverage::failing_examples()[0]
            ),
            ["infrastructure.eks.enabled"]
        );
        assert_eq!(
            fields(
                &InfrastructureAsCodeCoverage,
                &InfrastructureAsCodeCoverage::failing_examples()[1]
            ),
            ["infrastructure.rds.enabled"]
        );
    }
}
