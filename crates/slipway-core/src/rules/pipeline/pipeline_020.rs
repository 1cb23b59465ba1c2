use crate::facts::jobs::{fresh_job_id, jobs_of};
use crate::facts::needs::{add_need, depends_on, Needs};
use crate::model::{Design, EnvVar, Job, JobKind, Secret, SecretSource};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::secrets::is_reference;

pub struct DeployNotifications;

const WEBHOOK: &str = "SLACK_WEBHOOK_URL";

fn is_literal_webhook(value: &str) -> bool {
    let value = value.trim();
    !is_reference(value)
        && (value.contains("hooks.slack.com")
            || value.contains("webhook.office.com")
            || value.contains("/webhook"))
}

impl Rule for DeployNotifications {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-020",
        name: "deploy-notifications",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "Deploys are announced in chat, whether they pass or fail",
        what: "When the pipeline deploys, a notify job depends on every deploy job (the \
               generated job runs with `if: always()`, so failures are announced too) and reads \
               its Slack or Teams webhook from `secrets.*`, never from a literal URL.",
        why: "A deploy nobody hears about is a deploy nobody watches. Announcing each one, and \
              especially the failed ones, tells the team when to look at dashboards and who to \
              ask when behaviour changes. A webhook URL is a credential: anyone who has it can \
              post into the channel.",
        incorrect: "deploy-production:\n  steps: [...]   # nothing tells the team",
        correct: "notify:\n  needs: [deploy-staging, deploy-production]\n  if: always()\n  env:\n    SLACK_WEBHOOK_URL: ${{ secrets.SLACK_WEBHOOK_URL }}",
        fix: "Adds a notify job after every deploy (declaring the `SLACK_WEBHOOK_URL` secret), or \
              links the existing one to the deploys it misses; literal webhook URLs become \
              secret references. Unsafe: a literal webhook value is removed from the design.",
        source: "000 · Production Readiness Checklist › Deployment (\"Deployment notifications \
                 (Slack/Teams)\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let deploys = jobs_of(design, JobKind::Deploy);
        let notifies = jobs_of(design, JobKind::Notify);
        let mut violations = Vec::new();
        for &notify in &notifies {
            let job = &design.pipeline.jobs[notify];
            for (k, variable) in job.env.iter().enumerate() {
                if is_literal_webhook(&variable.value) {
                    violations.push(Violation::new(
                        format!("pipeline.jobs[{notify}].env[{k}].value"),
                        format!(
                            "`{}` holds a literal webhook URL; read it from `secrets.*`.",
                            variable.name
                        ),
                    ));
                }
            }
        }
        if deploys.is_empty() {
            return violations;
        }
        let Some(&first) = notifies.first() else {
            violations.push(Violation::new(
                "pipeline.jobs",
                "No notify job announces the deploys.",
            ));
            return violations;
        };
        let needs = Needs::new(design);
        let announced: std::collections::HashSet<usize> = notifies
            .iter()
            .flat_map(|notify| needs.ancestors(*notify))
            .collect();
        let unannounced: Vec<String> = deploys
            .iter()
            .filter(|deploy| !announced.contains(deploy))
            .map(|deploy| format!("`{}`", design.pipeline.jobs[*deploy].id))
            .collect();
        if !unannounced.is_empty() {
            violations.push(Violation::new(
                format!("pipeline.jobs[{first}].needs"),
                format!("No notify job reports on {}.", unannounced.join(", ")),
            ));
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Announce deploys",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let none = Design::default();
        let mut partial = Design::default();
        let mut notify = Job::new("notify", JobKind::Notify, &["deploy-staging"]);
        notify.env.push(EnvVar::new(
            "SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T000/B000/XXXX",
        ));
        partial.pipeline.jobs.push(notify);
        vec![none, partial]
    }
}

fn record_secret(design: &mut Design, name: &str) {
    if !design.secrets.iter().any(|secret| secret.name == name) {
        design.secrets.push(Secret {
            name: name.to_owned(),
            source: SecretSource::GithubActions,
            remote_key: String::new(),
            description: "Chat webhook the notify job posts deploy results to.".to_owned(),
        });
    }
}

fn apply(design: &mut Design, _service: usize) {
    let mut moved = Vec::new();
    for job in &mut design.pipeline.jobs {
        if job.kind != JobKind::Notify {
            continue;
        }
        for variable in &mut job.env {
            if is_literal_webhook(&variable.value) {
                let name = crate::text::env_name(&variable.name);
                variable.value = format!("${{{{ secrets.{name} }}}}");
                moved.push(name);
            }
        }
    }
    for name in moved {
        record_secret(design, &name);
    }
    let deploys = jobs_of(design, JobKind::Deploy);
    if deploys.is_empty() {
        return;
    }
    if jobs_of(design, JobKind::Notify).is_empty() {
        let ids: Vec<String> = deploys
            .iter()
            .map(|index| design.pipeline.jobs[*index].id.clone())
            .collect();
        let needs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut job = Job::new(&fresh_job_id(design, "notify"), JobKind::Notify, &needs);
        job.env.push(EnvVar::new(
            WEBHOOK,
            &format!("${{{{ secrets.{WEBHOOK} }}}}"),
        ));
        design.pipeline.jobs.push(job);
        record_secret(design, WEBHOOK);
        return;
    }
    let notify = jobs_of(design, JobKind::Notify)[0];
    for deploy in jobs_of(design, JobKind::Deploy) {
        let announced = jobs_of(design, JobKind::Notify)
            .into_iter()
            .any(|n| depends_on(design, n, deploy));
        if !announced {
            add_need(design, notify, deploy);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_once_every_deploy_is_announced() {
        let mut design = Design::default();
        apply(&mut design, 0);
        assert!(fields(&DeployNotifications, &design).is_empty());
        assert!(design.secrets.iter().any(|secret| secret.name == WEBHOOK));
    }

    #[test]
    fn fails_without_notifications_or_with_a_literal_webhook() {
        let reported: Vec<Vec<String>> = DeployNotifications::failing_examples()
            .iter()
            .map(|design| fields(&DeployNotifications, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs"]);
        assert_eq!(
            reported[1],
            ["pipeline.jobs[6].env[0].value", "pipeline.jobs[6].needs"]
        );
    }
}
