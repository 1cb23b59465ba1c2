//! The rollout: replica counts, surge limits and canary steps.

use crate::model::{CanaryStep, IntOrPercent, Service};

/// Reads a surge or unavailability limit: a count (`1`) or a percentage up to 100 (`25%`).
pub fn parse_quantity(text: &str) -> Option<IntOrPercent> {
    let text = text.trim();
    if let Some(percent) = text.strip_suffix('%') {
        let value: u32 = percent.trim().parse().ok()?;
        (value <= 100).then(|| IntOrPercent::percent(value))
    } else {
        text.parse().ok().map(IntOrPercent::Int)
    }
}

/// The replica count a rollout starts from: the autoscaler's minimum when it is on.
pub fn replicas(service: &Service) -> u32 {
    let kubernetes = &service.kubernetes;
    if kubernetes.hpa.enabled {
        kubernetes.hpa.min_replicas
    } else {
        kubernetes.replicas
    }
}

/// Sets the count [`replicas`] reads, raising the autoscaler's maximum to stay above it.
pub fn set_replicas(service: &mut Service, value: u32) {
    let kubernetes = &mut service.kubernetes;
    if kubernetes.hpa.enabled {
        kubernetes.hpa.min_replicas = value;
        kubernetes.hpa.max_replicas = kubernetes.hpa.max_replicas.max(value);
    } else {
        kubernetes.replicas = value;
    }
}

/// Appends a canary step at twice the last step's weight (capped at 100 %), pausing 5 minutes.
pub fn add_canary_step(service: &mut Service) {
    let steps = &mut service.kubernetes.rollout.canary_steps;
    let last = steps.last().map_or(0, |step| step.weight);
    steps.push(CanaryStep {
        weight: (last * 2).clamp(1, 100),
        pause_seconds: 300,
    });
}

/// Sets step `index`'s traffic share, kept within 1–100 %.
pub fn set_canary_weight(service: &mut Service, index: usize, weight: u32) {
    if let Some(step) = service.kubernetes.rollout.canary_steps.get_mut(index) {
        step.weight = weight.clamp(1, 100);
    }
}

/// Sets how long step `index` waits; 0 waits for a manual promotion.
pub fn set_canary_pause(service: &mut Service, index: usize, seconds: u32) {
    if let Some(step) = service.kubernetes.rollout.canary_steps.get_mut(index) {
        step.pause_seconds = seconds;
    }
}

/// Removes step `index`, if there is one.
pub fn remove_canary_step(service: &mut Service, index: usize) {
    let steps = &mut service.kubernetes.rollout.canary_steps;
    if index < steps.len() {
        steps.remove(index);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_counts_or_percentages_up_to_100() {
        assert_eq!(parse_quantity(" 2 "), Some(IntOrPercent::Int(2)));
        assert_eq!(parse_quantity("25 %"), Some(IntOrPercent::percent(25)));
        assert_eq!(parse_quantity("100%"), Some(IntOrPercent::percent(100)));
        assert_eq!(parse_quantity("101%"), None);
        assert_eq!(parse_quantity("-1"), None);
        assert_eq!(parse_quantity("a%"), None);
    }

    #[test]
    fn replicas_follow_the_autoscaler_when_it_is_on() {
        let mut design = crate::model::Design::default();
        design.services[0].kubernetes.hpa.enabled = false;
        set_replicas(&mut design.services[0], 4);
        assert_eq!(
            (
                design.services[0].kubernetes.replicas,
                replicas(&design.services[0])
            ),
            (4, 4)
        );
        design.services[0].kubernetes.hpa.enabled = true;
        design.services[0].kubernetes.hpa.max_replicas = 5;
        set_replicas(&mut design.services[0], 7);
        assert_eq!(replicas(&design.services[0]), 7);
        assert_eq!(design.services[0].kubernetes.hpa.max_replicas, 7);
        assert_eq!(design.services[0].kubernetes.replicas, 4);
    }

    #[test]
    fn canary_steps_double_and_stay_within_bounds() {
        let mut design = crate::model::Design::default();
        design.services[0].kubernetes.rollout.canary_steps.clear();
        add_canary_step(&mut design.services[0]);
        add_canary_step(&mut design.services[0]);
        set_canary_pause(&mut design.services[0], 1, 0);
        let steps = &design.services[0].kubernetes.rollout.canary_steps;
        assert_eq!(
            (steps[0].weight, steps[1].weight, steps[1].pause_seconds),
            (1, 2, 0)
        );
        set_canary_weight(&mut design.services[0], 0, 500);
        set_canary_weight(&mut design.services[0], 9, 5);
        assert_eq!(
            design.services[0].kubernetes.rollout.canary_steps[0].weight,
            100
        );
        remove_canary_step(&mut design.services[0], 0);
        remove_canary_step(&mut design.services[0], 9);
        assert_eq!(design.services[0].kubernetes.rollout.canary_steps.len(), 1);
    }
}
