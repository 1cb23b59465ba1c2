use crate::facts::gitops::delivered_by_gitops;
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::deploys::custom_deploy_commands;

pub struct GitopsSingleWriter;

/// What a command does to a cluster Argo CD owns, if it writes to it: `kubectl` or `helm` at
/// the start of one of its simple commands (after `sudo` and variable assignments).
fn writes_cluster(command: &str) -> Option<&'static str> {
    command
        .split([';', '|', '&', '(', ')', '\n'])
        .find_map(|simple| {
            let mut words = simple
                .split_whitespace()
                .skip_while(|word| *word == "sudo" || word.contains('='));
            let tool = words.next()?.rsplit('/').next()?;
            let verb = words.next().unwrap_or("");
            let object = words.next().unwrap_or("");
            match (tool, verb, object) {
                ("kubectl", "set", "image") => Some("kubectl set image"),
                ("kubectl", "apply" | "create" | "replace" | "patch" | "edit" | "scale", _) => {
                    Some("kubectl")
                }
                ("kubectl", "rollout", "restart" | "undo") => Some("kubectl rollout"),
                ("helm", "upgrade" | "install" | "rollback" | "uninstall", _) => Some("helm"),
                _ => None,
            }
        })
}

impl Rule for GitopsSingleWriter {
    const DOC: RuleDoc = RuleDoc {
        id: "HELM-006",
        name: "gitops-single-writer",
        severity: Severity::Medium,
        area: Area::Helm,
        title: "In GitOps environments only Argo CD writes to the cluster",
        what: "A deploy job to an environment delivered by GitOps runs no `kubectl apply`, \
               `kubectl set image`, `kubectl patch` or `helm upgrade`/`install`/`rollback` of \
               its own. The generated deploy commits the new version to the environment's \
               deploy branch instead, and Argo CD syncs it.",
        why: "Argo CD's self-heal undoes every change the deploy branch does not hold, so a CI \
              job that writes to the cluster either fights Argo CD (the new image comes and \
              goes) or wins only because self-heal is off, and then the branch no longer says \
              what runs. Two writers also mean CI keeps cluster credentials GitOps exists to \
              take away.",
        incorrect: "environments:\n- name: production\n  delivery: gitops\npipeline:\n  jobs:\n  - id: deploy-production\n    kind: deploy\n    environment: production\n    commands:\n    - kubectl set image deployment/app app=ghcr.io/acme/app:$GITHUB_SHA",
        correct: "pipeline:\n  jobs:\n  - id: deploy-production\n    kind: deploy\n    environment: production\n    commands: []  # the generated promotion: a commit to deploy/production",
        fix: "Clears the deploy job's own commands, so it runs the generated promotion to the \
              deploy branch. Unsafe: the commands are discarded.",
        source: "000 · Environment Management › GitOps with ArgoCD (self-heal, drift detection); 004 · CI/CD Pipelines (kubectl set image)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        custom_deploy_commands(design)
            .into_iter()
            .filter(|(_, _, job, _)| delivered_by_gitops(design, &job.environment))
            .filter_map(|(i, j, job, command)| {
                writes_cluster(command).map(|tool| {
                    Violation::new(
                        format!("pipeline.jobs[{i}].commands[{j}]"),
                        format!(
                            "Deploy job `{}` writes to the cluster with {tool}, but Argo CD delivers `{}`: its self-heal undoes the change, or the deploy branch stops saying what runs.",
                            job.id,
                            job.environment.trim()
                        ),
                    )
                })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Promote through the deploy branch",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = super::helm_005::gitops_design();
        let index = deploy_to(&design, "production");
        design.pipeline.jobs[index].commands =
            vec!["kubectl set image deployment/app app=ghcr.io/acme/app:$GITHUB_SHA".to_owned()];
        vec![design]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let jobs: Vec<usize> = custom_deploy_commands(design)
        .into_iter()
        .filter(|(_, _, job, command)| {
            delivered_by_gitops(design, &job.environment) && writes_cluster(command).is_some()
        })
        .map(|(i, ..)| i)
        .collect();
    for i in jobs {
        design.pipeline.jobs[i].commands.clear();
    }
}

#[cfg(test)]
fn deploy_to(design: &Design, environment: &str) -> usize {
    design
        .pipeline
        .jobs
        .iter()
        .position(|job| job.kind == crate::model::JobKind::Deploy && job.environment == environment)
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_generated_promotions_and_for_push_delivery() {
        assert!(fields(
            &GitopsSingleWriter,
            &super::super::helm_005::gitops_design()
        )
        .is_empty());
        let mut push = Design::default();
        let index = deploy_to(&push, "production");
        push.pipeline.jobs[index].commands =
            vec!["helm upgrade --install app charts/app".to_owned()];
        assert!(fields(&GitopsSingleWriter, &push).is_empty());
    }

    #[test]
    fn fails_when_ci_writes_to_a_cluster_argo_cd_owns() {
        let design = GitopsSingleWriter::failing_examples().remove(0);
        let index = deploy_to(&design, "production");
        assert_eq!(
            fields(&GitopsSingleWriter, &design),
            [format!("pipeline.jobs[{index}].commands[0]")]
        );
        for command in [
            "helm upgrade --install app charts/app",
            "cd deploy && /usr/local/bin/kubectl apply -f .",
            "kubectl rollout restart deployment/app",
            "KUBECONFIG=k sudo helm rollback app",
        ] {
            assert!(writes_cluster(command).is_some(), "{command}");
        }
        for command in [
            "kubectl get pods",
            "helm template app charts/app",
            "echo helm upgrade",
        ] {
            assert!(writes_cluster(command).is_none(), "{command}");
        }
        let mut fixed = design.clone();
        apply(&mut fixed, 0);
        assert!(fixed.pipeline.jobs[index].commands.is_empty());
        assert!(fields(&GitopsSingleWriter, &fixed).is_empty());
    }
}
