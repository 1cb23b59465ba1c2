use crate::model::{Design, RestartPolicy as Policy, Service};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::{is_cron, railway};

pub struct RestartPolicy;

fn problem(service: &Service) -> Option<(&'static str, String)> {
    let railway = railway(service)?;
    let policy = railway.restart_policy;
    if is_cron(railway) {
        return (policy != Policy::Never).then(|| {
            (
                "railway.restart_policy",
                "The cron service restarts on failure: its job would run again outside the schedule.".to_owned(),
            )
        });
    }
    match policy {
        Policy::Never => Some((
            "railway.restart_policy",
            "The long-running service never restarts: one crash takes it down.".to_owned(),
        )),
        Policy::OnFailure if railway.restart_max_retries == 0 => Some((
            "railway.restart_max_retries",
            "`ON_FAILURE` with 0 retries never restarts the service.".to_owned(),
        )),
        _ => None,
    }
}

impl Rule for RestartPolicy {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-004",
        name: "restart-policy",
        severity: Severity::High,
        area: Area::Railway,
        title: "Long-running services restart on failure; cron jobs never",
        what: "A long-running service sets `restartPolicyType` `ON_FAILURE` with \
               `restartPolicyMaxRetries` above 0 (default 3), or `ALWAYS`. A cron service sets \
               `NEVER`.",
        why: "Without restarts one crash takes the service down until someone notices. A cron \
              job that restarts on failure runs its work again and again outside its schedule, \
              sending the nightly report mail five times.",
        incorrect: "\"restartPolicyType\": \"NEVER\"   # on an API",
        correct: "\"restartPolicyType\": \"ON_FAILURE\",\n\"restartPolicyMaxRetries\": 3",
        fix: "Sets `ON_FAILURE` with 3 retries, or `NEVER` for a cron service.",
        source: "000 · Railway Deployment Patterns › Anti-Patterns (Correct: \"Set restart policy \
                 for resilience\"); railway.json Configuration › Deploy Settings, Examples (Cron \
                 Worker)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problem(context.service())
            .map(|(field, message)| Violation::new(field, message))
            .into_iter()
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Set the restart policy",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        vec![
            super::with_railway(|railway| railway.restart_policy = Policy::Never),
            super::with_railway(|railway| railway.restart_max_retries = 0),
            super::with_railway(|railway| railway.cron_schedule = "0 3 * * *".into()),
        ]
    }
}

fn apply(design: &mut Design, index: usize) {
    if problem(&design.services[index]).is_none() {
        return;
    }
    let railway = &mut design.services[index].railway;
    if is_cron(railway) {
        railway.restart_policy = Policy::Never;
    } else {
        railway.restart_policy = Policy::OnFailure;
        railway.restart_max_retries = railway.restart_max_retries.max(3);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_by_default_and_for_the_cron_preset() {
        assert!(fields(&RestartPolicy, &Design::default()).is_empty());
        assert!(fields(&RestartPolicy, &preset("worker-cron")).is_empty());
    }

    #[test]
    fn fails_on_the_wrong_policy() {
        let reported: Vec<Vec<String>> = RestartPolicy::failing_examples()
            .iter()
            .map(|design| fields(&RestartPolicy, design))
            .collect();
        assert_eq!(reported[0], ["railway.restart_policy"]);
        assert_eq!(reported[1], ["railway.restart_max_retries"]);
        assert_eq!(reported[2], ["railway.restart_policy"]);
    }
}
