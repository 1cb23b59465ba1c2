use crate::model::{Design, Triggers};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct ScheduledSecurityScan;

impl Rule for ScheduledSecurityScan {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-007",
        name: "scheduled-security-scan",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "A scheduled security workflow catches new vulnerabilities",
        what: "The design sets a schedule for the separate security workflow (default weekly, \
               `0 0 * * 0`) and allows starting workflows by hand (`workflow_dispatch`), so the \
               audits and the image scan run even when nobody pushes.",
        why: "New CVEs are published against code that has not changed. A service that is quiet \
              for a month is scanned for a month-old vulnerability list unless something scans it \
              on a timer; the manual trigger lets the team rescan the day a big advisory lands.",
        incorrect: "# security.yml\non:\n  push:\n    branches: [main]",
        correct:
            "# security.yml\non:\n  schedule:\n    - cron: \"0 0 * * 0\"\n  workflow_dispatch:",
        fix: "Sets the weekly schedule when it is empty and turns on the manual trigger.",
        source: "000 · GitHub Actions CI/CD Example › Security Scan (security.yml); Repository \
                 Structure",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let triggers = &context.design.pipeline.triggers;
        let mut violations = Vec::new();
        if triggers.security_schedule.trim().is_empty() {
            violations.push(Violation::new(
                "pipeline.triggers.security_schedule",
                "The security workflow has no schedule: dependencies are only rescanned when code is pushed.",
            ));
        }
        if !triggers.manual {
            violations.push(Violation::new(
                "pipeline.triggers.manual",
                "The security scan cannot be started by hand (no `workflow_dispatch`).",
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Scan weekly and on demand",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut unscheduled = Design::default();
        unscheduled.pipeline.triggers.security_schedule.clear();
        let mut no_dispatch = Design::default();
        no_dispatch.pipeline.triggers.manual = false;
        vec![unscheduled, no_dispatch]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let triggers = &mut design.pipeline.triggers;
    if triggers.security_schedule.trim().is_empty() {
        triggers.security_schedule = Triggers::default().security_schedule;
    }
    triggers.manual = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_weekly_default() {
        assert!(fields(&ScheduledSecurityScan, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_schedule_or_manual_trigger() {
        let reported: Vec<Vec<String>> = ScheduledSecurityScan::failing_examples()
            .iter()
            .map(|design| fields(&ScheduledSecurityScan, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.triggers.security_schedule"]);
        assert_eq!(reported[1], ["pipeline.triggers.manual"]);
    }
}
