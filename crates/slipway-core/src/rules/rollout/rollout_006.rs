use crate::facts::quantity::quantity;
use crate::facts::workload::{production_size, workload};
use crate::model::{Design, RolloutStrategy, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct BlueGreenCapacity;

/// vCPUs and GiB of memory of common EKS instance types.
fn instance_capacity(instance_type: &str) -> Option<(f64, f64)> {
    let (family, size) = instance_type.trim().split_once('.')?;
    let class = family.chars().next()?;
    let cores = match size {
        "micro" | "small" | "medium" | "large" => 2.0,
        "xlarge" => 4.0,
        "2xlarge" => 8.0,
        "4xlarge" => 16.0,
        "8xlarge" => 32.0,
        _ => return None,
    };
    let memory_per_core = match class {
        't' => match size {
            "micro" => return Some((2.0, 1.0)),
            "small" => return Some((2.0, 2.0)),
            "medium" => return Some((2.0, 4.0)),
            _ => 4.0,
        },
        'm' => 4.0,
        'c' => 2.0,
        'r' => 8.0,
        _ => return None,
    };
    Some((cores, cores * memory_per_core))
}

/// Nodes needed for both colours, and the nodes the group may have.
fn shortfall(design: &Design, service: &Service) -> Option<(u32, u32, String)> {
    let k8s = workload(service)?;
    let infrastructure = &design.infrastructure;
    if k8s.rollout.strategy != RolloutStrategy::BlueGreen
        || !infrastructure.enabled
        || !infrastructure.eks.enabled
    {
        return None;
    }
    let (cores, memory_gib) = instance_capacity(&infrastructure.eks.instance_type)?;
    // Keep back what the kubelet, the OS and the cluster's own pods use.
    let usable_cores = cores - 0.2;
    let usable_bytes = memory_gib * 0.85 * 1024.0 * 1024.0 * 1024.0;
    let pods = f64::from(2 * production_size(design, service).largest(k8s.hpa.enabled));
    let cpu = quantity(&k8s.resources.requests_cpu)? * pods;
    let memory = quantity(&k8s.resources.requests_memory)? * pods;
    let needed = (cpu / usable_cores).max(memory / usable_bytes).ceil() as u32;
    let available = infrastructure.eks.max_nodes;
    (needed > available).then(|| {
        let what = if cpu / usable_cores >= memory / usable_bytes {
            "CPU"
        } else {
            "memory"
        };
        (needed, available, what.to_owned())
    })
}

impl Rule for BlueGreenCapacity {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-006",
        name: "blue-green-capacity",
        severity: Severity::Low,
        area: Area::Rollout,
        title: "The cluster can hold both colours during a blue-green switch",
        what: "With blue-green and the EKS module, the node group at its maximum size can hold \
               twice production's largest pod count times the CPU and memory requests, even if \
               the service were the only workload. (The namespace quota side is K8S-015.) \
               Node capacity is approximated from the instance type, minus a system reserve.",
        why: "Both colours run side by side until the switch is verified. If the nodes cannot \
              hold the second set, the new colour's pods stay Pending, the deploy times out, and \
              the cheapest strategy to roll back becomes one that cannot roll forward.",
        incorrect: "eks: {instance_type: t3.medium, max_nodes: 2}\nproduction: {hpa_max_replicas: 10}\nrequests: {memory: 512Mi}   # 2 × 10 × 512Mi > 2 × 4Gi",
        correct: "eks: {instance_type: t3.medium, max_nodes: 4}",
        fix: "Raises the node group's maximum size to what both colours need.",
        source: "000 · Key Concepts › Deployment Strategies table (\"double resources\"); \
                 Deployment Strategies › Blue-Green (cons: \"2x resources\"); 004 · Blue-Green \
                 (cons)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((needed, available, what)) = shortfall(context.design, context.service()) else {
            return Vec::new();
        };
        vec![Violation::new(
            "infrastructure.eks.max_nodes",
            format!(
                "Both colours need about {needed} `{}` nodes of {what}; the node group stops at {available}.",
                context.design.infrastructure.eks.instance_type
            ),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Make room for both colours",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = super::with_strategy(RolloutStrategy::BlueGreen);
        design.services[0].kubernetes.resources.requests_memory = "1Gi".into();
        design.infrastructure.eks.max_nodes = 2;
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    if let Some((needed, _, _)) = shortfall(design, &design.services[index]) {
        design.infrastructure.eks.max_nodes = needed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_for_the_blue_green_preset() {
        assert!(fields(&BlueGreenCapacity, &preset("rust-service")).is_empty());
        assert_eq!(instance_capacity("m5.xlarge"), Some((4.0, 16.0)));
        assert_eq!(instance_capacity("weird"), None);
    }

    #[test]
    fn fails_when_the_nodes_cannot_hold_both_colours() {
        assert_eq!(
            fields(
                &BlueGreenCapacity,
                &BlueGreenCapacity::failing_examples()[0]
            ),
            ["infrastructure.eks.max_nodes"]
        );
    }
}
