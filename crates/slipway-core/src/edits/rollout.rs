//! The rollout: replica counts, surge limits and canary steps.

use crate::model::{CanaryStep, Design, IntOrPercent};

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
pub fn replicas(design: &Design) -> u32 {
    let kubernetes = &design.kubernetes;
    if kubernetes.hpa.enabled {
        kubernetes.hpa.min_replicas
    } else {
        kubernetes.replicas
    }
}

/// Sets the count [`replicas`] reads, raising the autoscaler's maximum to stay above it.
pub fn set_replicas(design: &mut Design, value: u32) {
    let kubernetes = &mut design.kubernetes;
    if kubernetes.hpa.enabled {
        kubernetes.hpa.min_replicas = value;
        kubernetes.hpa.max_replicas = kubernetes.hpa.max_replicas.max(value);
    } else {
        kubernetes.replicas = value;
    }
}

/// Appends a canary step at twice the last step's weight (capped at 100 %), pausing 5 minutes.
pub fn add_canary_step(design: &mut Design) {
    let steps = &mut design.kubernetes.rollout.canary_steps;
    let last = steps.last().map_or(0, |step| step.weight);
    steps.push(CanaryStep {
        weight: (last * 2).clamp(1, 100),
        pause_seconds: 300,
    });
}

/// Sets step `index`'s traffic share, kept within 1–100 %.
pub fn set_canary_weight(design: &mut Design, index: usize, weight: u32) {
    if let Some(step) = design.kubernetes.rollout.canary_steps.get_mut(index) {
        step.weight = weight.clamp(1, 100);
    }
}

/// Sets how long step `index` waits; 0 waits for a manual promotion.
pub fn set_canary_pause(design: &mut Design, index: usize, seconds: u32) {
    if let Some(step) = design.kubernetes.rollout.canary_steps.get_mut(index) {
        step.pause_seconds = seconds;
    }
}

/// Removes step `index`, if there is one.
pub fn remove_canary_step(design: &mut Design, index: usize) {
    let steps = &mut design.kubernetes.rollout.canary_steps;
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
        let mut design = Design::default();
        design.kubernetes.hpa.enabled = false;
        set_replicas(&mut design, 4);
        assert_eq!((design.kubernetes.replicas, replicas(&design)), (4, 4));
        design.kubernetes.hpa.enabled = true;
        design.kubernetes.hpa.max_replicas = 5;
        set_replicas(&mut design, 7);
        assert_eq!(replicas(&design), 7);
        assert_eq!(design.kubernetes.hpa.max_replicas, 7);
        assert_eq!(design.kubernetes.replicas, 4);
    }

    #[test]
    fn canary_steps_double_and_stay_within_bounds() {
        let mut design = Design::default();
        design.kubernetes.rollout.canary_steps.clear();
        add_canary_step(&mut design);
        add_canary_step(&mut design);
        set_canary_pause(&mut design, 1, 0);
        let steps = &design.kubernetes.rollout.canary_steps;
        assert_eq!(
            (steps[0].weight, steps[1].weight, steps[1].pause_seconds),
            (1, 2, 0)
        );
        set_canary_weight(&mut design, 0, 500);
        set_canary_weight(&mut design, 9, 5);
        assert_eq!(design.kubernetes.rollout.canary_steps[0].weight, 100);
        remove_canary_step(&mut design, 0);
        remove_canary_step(&mut design, 9);
        assert_eq!(design.kubernetes.rollout.canary_steps.len(), 1);
    }
}
