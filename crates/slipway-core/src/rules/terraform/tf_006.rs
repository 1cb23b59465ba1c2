use crate::model::{Design, VpcModule};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::terraform;

pub struct NetworkPlacement;

fn valid_cidr(cidr: &str) -> bool {
    let Some((address, prefix)) = cidr.trim().split_once('/') else {
        return false;
    };
    let octets: Vec<&str> = address.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|octet| octet.parse::<u8>().is_ok())
        && prefix
            .parse::<u8>()
            .is_ok_and(|prefix| (16..=24).contains(&prefix))
}

fn problems(design: &Design) -> Vec<(&'static str, String)> {
    let Some(infrastructure) = terraform(design) else {
        return Vec::new();
    };
    let vpc = &infrastructure.vpc;
    let dependants: Vec<&str> = [
        ("EKS", infrastructure.eks.enabled),
        ("RDS", infrastructure.rds.enabled),
        ("Redis", infrastructure.redis.enabled),
    ]
    .into_iter()
    .filter_map(|(name, enabled)| enabled.then_some(name))
    .collect();
    if dependants.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    if !vpc.enabled {
        found.push((
            "infrastructure.vpc.enabled",
            format!(
                "{} need a VPC but the VPC module is off: their subnets would be literals.",
                dependants.join(", ")
            ),
        ));
        return found;
    }
    if !valid_cidr(&vpc.cidr) {
        found.push((
            "infrastructure.vpc.cidr",
            format!("`{}` is not an IPv4 CIDR between /16 and /24.", vpc.cidr),
        ));
    }
    if vpc.availability_zones == 0 {
        found.push((
            "infrastructure.vpc.availability_zones",
            "The VPC spans no availability zone.".to_owned(),
        ));
    }
    found
}

impl Rule for NetworkPlacement {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-006",
        name: "network-placement",
        severity: Severity::Medium,
        area: Area::Terraform,
        title: "Cluster, database and cache sit in the generated VPC",
        what: "When the design creates EKS, RDS or Redis, it also creates the VPC they are wired \
               to (`vpc_id = module.vpc.vpc_id`, EKS in `private_subnets`, RDS and Redis in \
               `database_subnets`), with a valid IPv4 CIDR between /16 and /24 (default \
               `10.0.0.0/16`) across at least one availability zone.",
        why: "Without the VPC module the other modules need VPC and subnet IDs written as \
              literals: copied from a console, different per account, and silently placing the \
              database in whatever subnet the ID names, possibly a public one. An invalid CIDR \
              fails the plan.",
        incorrect: "vpc: {enabled: false}\nrds: {enabled: true}   # subnet_ids = [\"subnet-0a1b…\"]",
        correct: "module \"rds\" {\n  vpc_id     = module.vpc.vpc_id\n  subnet_ids = module.vpc.database_subnets\n}",
        fix: "Enables the VPC module, resets an invalid CIDR to `10.0.0.0/16` and uses 3 \
              availability zones when none is set.",
        source: "000 · Environment Management › Infrastructure as Code (Terraform)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        problems(context.design)
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Place everything in the VPC",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_infrastructure(|infrastructure| infrastructure.vpc.enabled = false),
            super::with_infrastructure(|infrastructure| {
                infrastructure.vpc.cidr = "10.0.0.0/8".into();
                infrastructure.vpc.availability_zones = 0;
            }),
        ]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if problems(design).is_empty() {
        return;
    }
    let defaults = VpcModule::default();
    let vpc = &mut design.infrastructure.vpc;
    vpc.enabled = true;
    if !valid_cidr(&vpc.cidr) {
        vpc.cidr = defaults.cidr;
    }
    if vpc.availability_zones == 0 {
        vpc.availability_zones = defaults.availability_zones;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&NetworkPlacement, &Design::default()).is_empty());
        assert!(valid_cidr("172.16.0.0/20"));
        assert!(!valid_cidr("10.0.0/16"));
    }

    #[test]
    fn fails_without_a_vpc_or_with_a_bad_cidr() {
        assert_eq!(
            fields(&NetworkPlacement, &NetworkPlacement::failing_examples()[0]),
            ["infrastructure.vpc.enabled"]
        );
        assert_eq!(
            fields(&NetworkPlacement, &NetworkPlacement::failing_examples()[1]),
            [
                "infrastructure.vpc.cidr",
                "infrastructure.vpc.availability_zones"
            ]
        );
    }
}
