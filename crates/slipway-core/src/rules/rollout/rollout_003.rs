use crate::facts::jobs::jobs_of;
use crate::facts::shell::{command_words, simple_commands, tool_and_args};
#[cfg(test)]
use crate::model::Design;
use crate::model::JobKind;
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

pub struct RollbackProcedure;

/// The rollback action of one simple deploy command, when Slipway knows the tool.
fn rollback_of(segment: &str) -> Option<&'static str> {
    let (tool, args) = tool_and_args(segment)?;
    let first = args.first().copied().unwrap_or("");
    let second = args.get(1).copied().unwrap_or("");
    match tool {
        "helm" if matches!(first, "upgrade" | "install") => Some("helm rollback"),
        "kubectl" if first == "argo" && second == "rollouts" => Some("kubectl argo rollouts undo"),
        "kubectl"
            if matches!(first, "apply" | "replace" | "patch" | "create")
                || (first == "set" && second == "image")
                || first == "rollout" =>
        {
            Some("kubectl rollout undo")
        }
        "railway" if matches!(first, "up" | "redeploy") => {
            Some("redeploy the previous Railway deployment")
        }
        "aws" if first == "ecs" => Some("update the ECS service to the previous task definition"),
        "gcloud" if first == "run" => Some("move Cloud Run traffic back to the previous revision"),
        "fly" | "flyctl" if first == "deploy" => Some("fly deploy --image <previous image>"),
        "heroku" => Some("heroku releases:rollback"),
        "vercel" | "netlify" => Some("promote the previous deployment"),
        _ => None,
    }
}

/// Whether a command line deploys with a tool of known rollback (`git push heroku` too).
fn known_rollback(line: &str) -> bool {
    simple_commands(line).into_iter().any(|segment| {
        rollback_of(segment).is_some() || {
            let words = command_words(segment);
            words.first() == Some(&"git")
                && words.get(1) == Some(&"push")
                && words.get(2) == Some(&"heroku")
        }
    })
}

impl Rule for RollbackProcedure {
    const DOC: RuleDoc = RuleDoc {
        id: "ROLLOUT-003",
        name: "rollback-procedure",
        severity: Severity::High,
        area: Area::Rollout,
        title: "Every deploy has a known way back",
        what: "Each layer the design deploys has a defined rollback action: Helm releases `helm \
               rollback <release> <revision>` (history kept, HELM-004), plain Kubernetes `kubectl \
               rollout undo`, blue-green switching the selector back, Railway redeploying the \
               previous deployment, the database the migration tool's downgrade (exercised by \
               MIGRATION-008). Slipway's own deploy steps use these tools, and the export's \
               `rollback.yml` runs them by hand (environment, service, optional revision) with the \
               deploy's environment and secrets; a deploy job with custom commands must deploy \
               with a tool whose rollback is known (Helm, kubectl, Argo Rollouts, Railway, ECS, \
               Cloud Run, Fly, Heroku, Vercel, Netlify).",
        why: "A rollback is needed at the worst moment, under pressure. When the deploy is a \
              bespoke script, nobody knows how to undo it until they have to invent it during the \
              incident; with a known tool, the way back is one documented command.",
        incorrect: "- id: deploy-production\n  kind: deploy\n  commands: [./scripts/deploy.sh production]",
        correct: "- id: deploy-production\n  kind: deploy\n  commands: []   # Slipway's Helm deploy: `helm rollback` undoes it",
        fix: "Deploy with Slipway's generated steps (clear the custom commands) or with a tool whose \
              rollback is known. If the script has its own documented rollback, waive the finding \
              with that procedure as the reason.",
        source: "000 · Environment Management › Rollback Procedures; Deployment Checklist › \
                 Pre-Deployment (\"Rollback plan documented\"); Production Readiness Checklist › \
                 Deployment (\"Rollback procedure documented and tested\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        jobs_of(design, JobKind::Deploy)
            .into_iter()
            .filter(|index| {
                let job = &design.pipeline.jobs[*index];
                !job.commands.is_empty() && !job.commands.iter().any(|line| known_rollback(line))
            })
            .map(|index| {
                Violation::new(
                    format!("pipeline.jobs[{index}].commands"),
                    format!(
                        "Deploy job `{}` runs custom commands with no known rollback: nobody can say how to undo this deploy.",
                        design.pipeline.jobs[index].id
                    ),
                )
            })
            .collect()
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut script = Design::default();
        script.pipeline.jobs[5].commands = vec!["./scripts/deploy.sh production".into()];
        vec![script]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_generated_deploys_and_known_tools() {
        for id in ["node-api", "worker-cron", "static-site"] {
            assert!(fields(&RollbackProcedure, &preset(id)).is_empty(), "{id}");
        }
        for line in [
            "helm upgrade --install app charts/app --atomic",
            "kubectl apply -f k8s/ && kubectl rollout status deployment/app",
            "railway link --project \"$ID\" && railway up --detach",
            "aws ecs update-service --cluster prod --service app --force-new-deployment",
            "git push heroku main",
        ] {
            let mut design = Design::default();
            design.pipeline.jobs[5].commands = vec![line.into()];
            assert!(fields(&RollbackProcedure, &design).is_empty(), "{line}");
        }
    }

    /// The generated `rollback.yml` undoes each service the way its strategy requires.
    #[test]
    fn the_export_has_a_rollback_workflow_per_strategy() {
        use crate::model::RolloutStrategy;
        let mut design = preset("web-api-worker");
        let strategies = [
            (RolloutStrategy::Rolling, "helm rollback web "),
            (RolloutStrategy::BlueGreen, "helm rollback api "),
            (
                RolloutStrategy::Canary,
                "kubectl argo rollouts undo worker ",
            ),
        ];
        for (service, (strategy, _)) in design.services.iter_mut().zip(strategies) {
            service.kubernetes.rollout.strategy = strategy;
        }
        let bundle = crate::generate(&design);
        let text = &bundle
            .file(".github/workflows/rollback.yml")
            .expect("rollback.yml")
            .contents;
        let workflow: serde_json::Value = serde_norway::from_str(text).unwrap();
        let steps = workflow["jobs"]["rollback-production"]["steps"]
            .as_array()
            .unwrap();
        for (name, (_, command)) in ["web", "api", "worker"].into_iter().zip(strategies) {
            let step = steps
                .iter()
                .find(|step| step["name"] == format!("Roll back {name}"))
                .unwrap_or_else(|| panic!("{name}\n{text}"));
            assert!(
                step["run"].as_str().unwrap().contains(command),
                "{name}\n{text}"
            );
        }
        for service in &mut design.services {
            service.kubernetes.enabled = false;
            service.railway.enabled = false;
        }
        assert!(crate::generate(&design)
            .file(".github/workflows/rollback.yml")
            .is_none());
    }

    #[test]
    fn fails_for_an_opaque_deploy_script() {
        assert_eq!(
            fields(
                &RollbackProcedure,
                &RollbackProcedure::failing_examples()[0]
            ),
            ["pipeline.jobs[5].commands"]
        );
        assert_eq!(
            rollback_of("helm upgrade app ./chart"),
            Some("helm rollback")
        );
        assert_eq!(rollback_of("helm template app ./chart"), None);
    }
}
