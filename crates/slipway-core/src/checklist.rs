//! The production-readiness checklist (`CHK-…` items): facts about the team and the running
//! system that no design can show. Answers, with an owner and a done date, live in the design.

use crate::model::{ChecklistAnswer, Design};

/// When in the life of a release an item matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    BeforeDeploy,
    DuringDeploy,
    AfterDeploy,
    Security,
    Testing,
    Data,
    Operations,
    Reliability,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::BeforeDeploy,
        Phase::DuringDeploy,
        Phase::AfterDeploy,
        Phase::Security,
        Phase::Testing,
        Phase::Data,
        Phase::Operations,
        Phase::Reliability,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Phase::BeforeDeploy => "Before a deploy",
            Phase::DuringDeploy => "During a deploy",
            Phase::AfterDeploy => "After a deploy",
            Phase::Security => "Security",
            Phase::Testing => "Testing",
            Phase::Data => "Data",
            Phase::Operations => "Documentation and operations",
            Phase::Reliability => "Reliability",
        }
    }
}

/// One checklist item.
pub struct Item {
    pub id: &'static str,
    pub phase: Phase,
    pub text: &'static str,
    /// Rules that check part of the item automatically.
    pub related: &'static [&'static str],
}

const fn item(
    id: &'static str,
    phase: Phase,
    text: &'static str,
    related: &'static [&'static str],
) -> Item {
    Item {
        id,
        phase,
        text,
        related,
    }
}

use Phase::*;

/// Every item, in catalog order.
pub static ITEMS: &[Item] = &[
    item("CHK-001", BeforeDeploy, "CI is green for the commit being deployed", &["BRANCH-002", "PIPELINE-008"]),
    item("CHK-002", BeforeDeploy, "Security scans are clean, by a written definition of clean", &["PIPELINE-005", "PIPELINE-006"]),
    item("CHK-003", BeforeDeploy, "Migrations are ready, and a person reviewed any generated migration", &[]),
    item("CHK-004", BeforeDeploy, "A rollback plan is written down and its owner knows it", &["ROLLOUT-003"]),
    item("CHK-005", DuringDeploy, "Someone follows the deployment while it runs", &["PIPELINE-019"]),
    item("CHK-006", DuringDeploy, "Someone watches the error rate during the rollout", &["OBS-003", "ROLLOUT-008"]),
    item("CHK-007", DuringDeploy, "Health checks pass once the rollout finishes", &["PIPELINE-019"]),
    item("CHK-008", AfterDeploy, "Metrics look as usual after the deploy", &["OBS-010"]),
    item("CHK-009", AfterDeploy, "The logs were read for new errors", &["OBS-007", "OBS-008"]),
    item("CHK-010", AfterDeploy, "The status page says what changed", &[]),
    item("CHK-011", Security, "Queries are parameterised everywhere (no SQL injection)", &[]),
    item("CHK-012", Security, "Output is encoded and a Content-Security-Policy is set (no XSS)", &["READY-002"]),
    item("CHK-013", Testing, "A security test ran against the app (for example OWASP ZAP)", &[]),
    item("CHK-014", Testing, "A load test ran and its baseline is recorded (k6, Locust)", &[]),
    item("CHK-015", Testing, "CI gives test feedback in under five minutes, measured", &["CACHE-001"]),
    item("CHK-016", Reliability, "Feature flags guard risky changes: deploying is not releasing", &["ROLLOUT-007"]),
    item("CHK-017", Reliability, "The rollback procedure was tested recently, not assumed", &[]),
    item("CHK-018", Data, "Restoring a backup was tested", &["TF-009"]),
    item("CHK-019", Data, "Data retention periods are decided", &[]),
    item("CHK-020", Data, "Handling of personal data is documented (GDPR, CCPA)", &[]),
    item("CHK-021", Data, "A backup and disaster-recovery plan is written", &["TF-009", "TF-012"]),
    item("CHK-022", Security, "DDoS protection is on", &["READY-004"]),
    item("CHK-023", Operations, "The API is documented (OpenAPI) and published", &[]),
    item("CHK-024", Operations, "An architecture diagram exists", &[]),
    item("CHK-025", Operations, "A runbook covers the common problems", &[]),
    item("CHK-026", Operations, "An incident response playbook exists", &[]),
    item("CHK-027", Operations, "An on-call rotation is staffed", &[]),
    item("CHK-028", Operations, "SLOs are written down, and alert thresholds follow from them", &["OBS-003", "OBS-004"]),
    item("CHK-029", Reliability, "The app drains in-flight requests on SIGTERM", &["DOCKER-017"]),
    item("CHK-030", Reliability, "Database connections are pooled", &[]),
    item("CHK-031", Reliability, "Calls to other services go through circuit breakers", &[]),
    item("CHK-032", Reliability, "Retries back off exponentially", &[]),
    item("CHK-033", Reliability, "Every call to another service has a timeout", &[]),
    item("CHK-034", Reliability, "Chaos experiments were run (optional)", &[]),
    item("CHK-035", Operations, "Feature branches start from `dev` and return to it by pull request", &["BRANCH-006"]),
    item("CHK-036", Testing, "End-to-end tests cover the critical user paths, not just exist", &["PIPELINE-021"]),
    item("CHK-037", BeforeDeploy, "Pre-launch checks by hand: dependency audit, TLS, /health, logs flowing, /metrics answering", &["PIPELINE-005", "OBS-001"]),
    item("CHK-038", Data, "Production data on Railway-managed databases has backups (a paid-plan feature)", &[]),
];

/// The item with this id.
pub fn find(id: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|item| item.id == id)
}

/// The design's answer to an item, if it has one.
pub fn answer<'a>(design: &'a Design, id: &str) -> Option<&'a ChecklistAnswer> {
    design.checklist.iter().find(|answer| answer.id == id)
}

/// The answer to an item, created on first use, for editing.
pub fn answer_mut<'a>(design: &'a mut Design, id: &str) -> &'a mut ChecklistAnswer {
    let index = match design.checklist.iter().position(|answer| answer.id == id) {
        Some(index) => index,
        None => {
            design.checklist.push(ChecklistAnswer {
                id: id.to_owned(),
                ..ChecklistAnswer::default()
            });
            design.checklist.len() - 1
        }
    };
    &mut design.checklist[index]
}

/// Done items and the total, counting only items of this catalog.
pub fn score(design: &Design) -> (usize, usize) {
    let done = ITEMS
        .iter()
        .filter(|item| answer(design, item.id).is_some_and(|answer| answer.done))
        .count();
    (done, ITEMS.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_in_order() {
        for (index, item) in ITEMS.iter().enumerate() {
            assert_eq!(item.id, format!("CHK-{:03}", index + 1));
        }
    }

    #[test]
    fn related_rules_use_catalog_id_shapes() {
        for item in ITEMS {
            for rule in item.related {
                let (area, number) = rule.split_once('-').unwrap();
                assert!(
                    area.chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()),
                    "{rule}"
                );
                assert_eq!(number.len(), 3, "{rule}");
            }
        }
    }

    #[test]
    fn the_score_counts_done_answers_once() {
        let mut design = Design::default();
        assert_eq!(score(&design), (0, ITEMS.len()));
        answer_mut(&mut design, "CHK-004").done = true;
        answer_mut(&mut design, "CHK-004").owner = "sam".into();
        answer_mut(&mut design, "CHK-010").done = false;
        design.checklist.push(ChecklistAnswer {
            id: "CHK-999".into(),
            done: true,
            ..ChecklistAnswer::default()
        });
        assert_eq!(score(&design), (1, ITEMS.len()));
        assert_eq!(
            design
                .checklist
                .iter()
                .filter(|a| a.id == "CHK-004")
                .count(),
            1
        );
    }
}
