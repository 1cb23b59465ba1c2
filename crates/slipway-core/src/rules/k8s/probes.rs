//! The health probes' settings.

use crate::model::Probe;

/// A probe's usable settings: enabled, with a path and a period.
pub(super) fn probe_gaps(probe: &Probe) -> Vec<&'static str> {
    let mut gaps = Vec::new();
    if !probe.enabled {
        gaps.push("is disabled");
        return gaps;
    }
    if probe.path.trim().is_empty() {
        gaps.push("has no path");
    }
    if probe.period_seconds == 0 {
        gaps.push("has no period");
    }
    if probe.failure_threshold == 0 {
        gaps.push("has no failure threshold");
    }
    gaps
}
