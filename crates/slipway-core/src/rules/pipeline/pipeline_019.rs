use crate::facts::jobs::{fresh_job_id, jobs_of};
use crate::facts::needs::depends_on;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, Job, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct PostDeployVerification;

fn waits(segment: &str) -> bool {
    let Some((tool, args)) = tool_and_args(segment) else {
        return false;
    };
    let first = args.first().copied().unwrap_or("");
    match tool {
        "kubectl" => {
            (first == "rollout" && args.get(1) == Some(&"status"))
                || (first == "argo" && args.contains(&"status"))
                || first == "wait"
        }
        "helm" => {
            matches!(first, "upgrade" | "install")
                && args
                    .iter()
                    .any(|arg| matches!(*arg, "--wait" | "--atomic" | "--rollback-on-failure"))
        }
        "railway" => first == "up" && !args.iter().any(|arg| matches!(*arg, "--detach" | "-d")),
        "aws" => args.contains(&"wait"),
        "argocd" => first == "app" && args.get(1) == Some(&"wait"),
        _ => false,
    }
}

/// A curl that exits non-zero on an HTTP error.
fn curl_fails(args: &[&str]) -> bool {
    args.iter().any(|arg| {
        matches!(*arg, "--fail" | "--fail-with-body")
            || (arg.starts_with('-') && !arg.starts_with("--") && arg.contains('f'))
    })
}

/// Some(true) for a smoke request that can fail the job, Some(false) for one that cannot.
fn smoke(segment: &str) -> Option<bool> {
    let (tool, args) = tool_and_args(segment)?;
    match tool {
        "curl" => Some(curl_fails(&args)),
        "wget" => Some(true),
        "http" | "https" => Some(args.contains(&"--check-status")),
        _ => None,
    }
}

struct Gaps {
    no_wait: bool,
    soft_curl: bool,
    no_smoke: bool,
}

fn gaps(design: &Design, index: usize) -> Option<Gaps> {
    let job = &design.pipeline.jobs[index];
    if job.commands.is_empty()
        || crate::facts::gitops::delivered_by_gitops(design, &job.environment)
    {
        return None;
    }
    let all: Vec<&str> = job
        .commands
        .iter()
        .flat_map(|line| simple_commands(line))
        .collect();
    let smoke_job = jobs_of(design, JobKind::Smoke)
        .into_iter()
        .any(|smoke| depends_on(design, smoke, index));
    let smokes: Vec<bool> = all.iter().filter_map(|segment| smoke(segment)).collect();
    let gaps = Gaps {
        no_wait: !all.iter().any(|segment| waits(segment)),
        soft_curl: smokes.contains(&false),
        no_smoke: !smoke_job && !smokes.contains(&true),
    };
    (gaps.no_wait || gaps.soft_curl || gaps.no_smoke).then_some(gaps)
}

impl Rule for PostDeployVerification {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-019",
        name: "post-deploy-verification",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Every deploy waits for the rollout and smoke-tests the result",
        what: "After applying, each deploy job waits for the rollout to finish (`kubectl rollout \
               status --timeout`, `helm upgrade --wait`/`--atomic`, `railway up` without \
               `--detach`) and a smoke request hits the health endpoint and fails on an error \
               (`curl --fail`, `wget`, or a smoke job that needs the deploy). The generated deploy \
               job does both; custom deploy commands must keep them. A deploy job to an \
               environment delivered by GitOps only commits the new version and ends before \
               Argo CD syncs it, so a smoke request from CI would test the version still \
               running: Argo CD waits for the rollout and judges its health, and the generated \
               chart's PostSync hook smoke-tests the new version in the cluster after each sync. \
               The rule does not judge that job.",
        why: "`kubectl apply` and `helm upgrade` return as soon as the API accepted the change, \
              long before a pod is ready. Without waiting and probing, the pipeline reports a \
              successful deploy of a version that is crash-looping, and the next stage \
              (production) goes ahead.",
        incorrect: "- run: kubectl apply -f k8s/\n- run: curl https://app.example.com/health",
        correct: "- run: kubectl apply -f k8s/\n- run: kubectl rollout status deployment/app --timeout=600s\n- run: curl --fail --retry 5 https://app.example.com/health",
        fix: "Appends a `kubectl rollout status` wait (undoing the rollout if it fails), adds \
              `--fail` to smoke `curl`s, and adds a smoke job after deploys that have none.",
        source: "004 · CI/CD Pipelines › GitHub Actions (`kubectl rollout status`); 000 · \
                 Deployment Checklist › During Deployment (\"Verify health checks passing\"); \
                 Production Readiness Checklist › Testing (\"Smoke tests for deployment \
                 verification\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        for index in jobs_of(design, JobKind::Deploy) {
            let Some(gaps) = gaps(design, index) else {
                continue;
            };
            let id = &design.pipeline.jobs[index].id;
            let field = format!("pipeline.jobs[{index}].commands");
            if gaps.no_wait {
                violations.push(Violation::new(
                    field.clone(),
                    format!("Deploy job `{id}` does not wait for the rollout to finish."),
                ));
            }
            if gaps.soft_curl {
                violations.push(Violation::new(
                    field.clone(),
                    format!("Deploy job `{id}` smoke-tests with a request that cannot fail (`curl` without `--fail`)."),
                ));
            } else if gaps.no_smoke {
                violations.push(Violation::new(
                    field,
                    format!("Deploy job `{id}` runs no smoke request against the health endpoint."),
                ));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Wait for the rollout and smoke-test it",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut apply_only = super::with_job("deploy-staging", |job| {
            job.commands = vec!["kubectl apply -f k8s/".into()]
        });
        apply_only.services[0].kubernetes.enabled = true;
        let soft = super::with_job("deploy-production", |job| {
            job.commands = vec![
                "helm upgrade app ./chart --atomic --wait".into(),
                "curl -s https://app.example.com/health".into(),
            ]
        });
        vec![apply_only, soft]
    }
}

fn with_fail_flag(line: &str) -> String {
    let mut out = line.to_owned();
    for segment in simple_commands(line) {
        if smoke(segment) == Some(false) && segment.trim_start().starts_with("curl") {
            let fixed = segment.replacen("curl", "curl --fail", 1);
            out = out.replacen(segment, &fixed, 1);
        }
    }
    out
}

fn apply(design: &mut Design, _service: usize) {
    let deploys: Vec<String> = jobs_of(design, JobKind::Deploy)
        .into_iter()
        .map(|index| design.pipeline.jobs[index].id.clone())
        .collect();
    for deploy_id in deploys {
        let Some(index) = crate::facts::jobs::job_index(design, &deploy_id) else {
            continue;
        };
        let Some(gaps) = gaps(design, index) else {
            continue;
        };
        // The deployment of the service the job rolls out.
        let service = crate::rules::rollout::deploys::rolled_out_service(
            design,
            &design.pipeline.jobs[index],
        )
        .map(|service| &design.services[service]);
        if let Some(service) = service.filter(|_| gaps.no_wait) {
            let name = crate::text::identifier(&service.name, "app");
            let namespace = crate::text::identifier(&service.kubernetes.namespace, "default");
            let timeout = service.kubernetes.rollout.progress_deadline_seconds.max(60);
            // Waits, and undoes the rollout when it fails (ROLLOUT-002).
            design.pipeline.jobs[index].commands.push(format!(
                "kubectl rollout status deployment/{name} -n {namespace} --timeout={timeout}s || {{ kubectl rollout undo deployment/{name} -n {namespace}; exit 1; }}"
            ));
        }
        if gaps.soft_curl {
            let job = &mut design.pipeline.jobs[index];
            for line in &mut job.commands {
                *line = with_fail_flag(line);
            }
        } else if gaps.no_smoke {
            let deploy = design.pipeline.jobs[index].clone();
            let id = fresh_job_id(design, &format!("smoke-{}", deploy.environment.trim()));
            let mut job = Job::new(&id, JobKind::Smoke, &[&deploy.id]);
            job.environment = deploy.environment.clone();
            design.pipeline.jobs.insert(index + 1, job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_generated_deploys_and_a_verified_custom_one() {
        assert!(fields(&PostDeployVerification, &Design::default()).is_empty());
        let verified = super::super::with_job("deploy-staging", |job| {
            job.commands = vec![
                "kubectl apply -f k8s/".into(),
                "kubectl rollout status deployment/app --timeout=600s".into(),
                "curl -fsS https://staging.app.example.com/health".into(),
            ]
        });
        assert!(fields(&PostDeployVerification, &verified).is_empty());
    }

    #[test]
    fn leaves_gitops_promotions_to_argo_cd() {
        let mut design = Design::default();
        let index = design
            .pipeline
            .jobs
            .iter()
            .position(|job| job.environment == "production")
            .unwrap();
        design.pipeline.jobs[index].commands =
            vec!["git push origin HEAD:deploy/production".to_owned()];
        assert!(!fields(&PostDeployVerification, &design).is_empty());
        design.environments[1].delivery = crate::model::Delivery::Gitops;
        assert!(fields(&PostDeployVerification, &design).is_empty());
    }

    #[test]
    fn fails_without_a_wait_or_a_failing_smoke_request() {
        let reported: Vec<Vec<String>> = PostDeployVerification::failing_examples()
            .iter()
            .map(|design| fields(&PostDeployVerification, design))
            .collect();
        assert_eq!(
            reported[0],
            ["pipeline.jobs[4].commands", "pipeline.jobs[4].commands"]
        );
        assert_eq!(reported[1], ["pipeline.jobs[5].commands"]);
    }
}
