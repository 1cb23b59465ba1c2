use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::infrastructure::terraform;

pub struct MultiAz;

fn gaps(design: &Design) -> Vec<(&'static str, String)> {
    let Some(infrastructure) = terraform(design) else {
        return Vec::new();
    };
    if design.production().is_none() {
        return Vec::new();
    }
    let mut found = Vec::new();
    if infrastructure.rds.enabled && !infrastructure.rds.multi_az {
        found.push((
            "infrastructure.rds.multi_az",
            "The production database is single-AZ.".to_owned(),
        ));
    }
    if infrastructure.redis.enabled && infrastructure.redis.nodes < 2 {
        found.push((
            "infrastructure.redis.nodes",
            format!(
                "Redis has {} node(s): no replica to fail over to.",
                infrastructure.redis.nodes
            ),
        ));
    }
    if infrastructure.vpc.enabled && infrastructure.vpc.availability_zones < 2 {
        found.push((
            "infrastructure.vpc.availability_zones",
            format!(
                "The VPC spans {} availability zone(s).",
                infrastructure.vpc.availability_zones
            ),
        ));
    }
    if infrastructure.eks.enabled && infrastructure.eks.min_nodes < 2 {
        found.push((
            "infrastructure.eks.min_nodes",
            format!(
                "The node group may shrink to {} node(s), all in one zone.",
                infrastructure.eks.min_nodes
            ),
        ));
    }
    found
}

impl Rule for MultiAz {
    const DOC: RuleDoc = RuleDoc {
        id: "TF-012",
        name: "multi-az",
        severity: Severity::Medium,
        area: Area::Terraform,
        title: "Production survives the loss of an availability zone",
        what: "When the design has a production environment: RDS runs Multi-AZ; the Redis \
               replication group has at least 2 nodes (with automatic failover); the VPC's \
               subnets span at least 2 availability zones; the EKS node group keeps at least 2 \
               nodes so it can span them.",
        why: "An availability zone does go down. With a single-AZ database, one node of Redis or \
              every node in one zone, production is down for as long as AWS takes, and the \
              database may come back from the last backup. The seed's 004 examples are single-AZ \
              and single-node (A17); the checklist asks for Multi-AZ.",
        incorrect: "multi_az = false\nnum_cache_clusters = 1",
        correct: "multi_az                   = true\nnum_cache_clusters         = 2\nautomatic_failover_enabled = true",
        fix: "Turns Multi-AZ on, raises Redis to 2 nodes, the VPC to 2 zones and the node group \
              floor to 2.",
        source: "000 · Production Readiness Checklist › Infrastructure (\"Multi-AZ deployment\"); \
                 A17",
        equivalents: &["checkov CKV_AWS_157", "checkov CKV_AWS_191"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        gaps(context.design)
            .into_iter()
            .map(|(field, message)| Violation::new(field, message))
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Span two availability zones",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![super::with_infrastructure(|infrastructure| {
            infrastructure.rds.multi_az = false;
            infrastructure.redis.enabled = true;
            infrastructure.redis.nodes = 1;
            infrastructure.vpc.availability_zones = 1;
            infrastructure.eks.min_nodes = 1;
        })]
    }
}

fn apply(design: &mut Design, _service: usize) {
    if gaps(design).is_empty() {
        return;
    }
    let infrastructure = &mut design.infrastructure;
    infrastructure.rds.multi_az = true;
    infrastructure.redis.nodes = infrastructure.redis.nodes.max(2);
    infrastructure.vpc.availability_zones = infrastructure.vpc.availability_zones.max(2);
    infrastructure.eks.min_nodes = infrastructure.eks.min_nodes.max(2);
    infrastructure.eks.max_nodes = infrastructure
        .eks
        .max_nodes
        .max(infrastructure.eks.min_nodes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default_and_without_production() {
        assert!(fields(&MultiAz, &Design::default()).is_empty());
        let mut staging_only = MultiAz::failing_examples().remove(0);
        staging_only.environments.truncate(1);
        assert!(fields(&MultiAz, &staging_only).is_empty());
    }

    #[test]
    fn fails_for_each_single_zone_part() {
        assert_eq!(fields(&MultiAz, &MultiAz::failing_examples()[0]).len(), 4);
    }
}
