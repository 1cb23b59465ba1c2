//! Findings the team accepted on purpose.

use crate::model::{Design, Waiver};

/// The shortest reason accepted: a word or two is not a reason.
pub const MIN_REASON: usize = 12;

/// Why a reason is not good enough, if it is not.
pub fn reason_problem(reason: &str) -> Option<String> {
    let length = reason.trim().chars().count();
    (length < MIN_REASON).then(|| {
        format!("Say why in at least {MIN_REASON} characters: the reason is kept in the design and its README.")
    })
}

/// Waives `rule` with the written `reason` (trimmed), replacing an earlier waiver of it.
pub fn waive(design: &mut Design, rule: &str, reason: &str) {
    remove_waiver(design, rule);
    design.waivers.push(Waiver {
        rule: rule.to_owned(),
        reason: reason.trim().to_owned(),
    });
}

/// Withdraws the waiver of `rule`, if any.
pub fn remove_waiver(design: &mut Design, rule: &str) {
    design.waivers.retain(|waiver| waiver.rule != rule);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_must_say_something() {
        assert!(reason_problem("ok").is_some());
        assert!(reason_problem("            ").is_some());
        assert!(reason_problem("Internal tool, no user data; rolling is enough.").is_none());
    }

    #[test]
    fn a_rule_is_waived_once_with_the_latest_reason() {
        let mut design = Design::default();
        waive(&mut design, "DOCKER-001", " legacy base image ");
        waive(&mut design, "DOCKER-001", "vendor image runs as root");
        assert_eq!(design.waivers.len(), 1);
        assert_eq!(design.waivers[0].reason, "vendor image runs as root");
        assert!(design.is_waived("DOCKER-001"));
        remove_waiver(&mut design, "DOCKER-001");
        assert!(!design.is_waived("DOCKER-001"));
    }
}
