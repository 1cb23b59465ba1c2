use crate::facts::gitops::gitops_environments;
use crate::model::{Delivery, Design, SyncMode};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct GitopsAutomatedSync;

impl Rule for GitopsAutomatedSync {
    const DOC: RuleDoc = RuleDoc {
        id: "HELM-005",
        name: "gitops-automated-sync",
        severity: Severity::Medium,
        area: Area::Helm,
        title: "Argo CD syncs GitOps environments by itself, pruning and healing drift",
        what: "For environments delivered by GitOps (`environments[].delivery: gitops`), each \
               Argo CD Application syncs automatically with `prune` and `selfHeal` and retries \
               a failed sync (`pipeline.gitops.retry_limit`, backoff 5 s up to 3 min). Manual \
               sync is accepted only for an environment that needs approval. The generated \
               Applications point at the environment's values file and deploy into the \
               service's namespace.",
        why: "GitOps means the cluster is what the deploy branch says. Without automated sync a \
              promotion waits until someone presses Sync; without prune, objects removed from \
              the chart live on; without self-heal, a hand-made `kubectl edit` stays until the \
              next release silently reverts it; without retries, a sync that lost a race with a \
              CRD or a webhook stays failed.",
        incorrect: "environments:\n- name: staging\n  delivery: gitops\n  sync: manual\npipeline:\n  gitops:\n    prune: false\n    retry_limit: 0",
        correct: "environments:\n- name: staging\n  delivery: gitops\n  sync: automated\npipeline:\n  gitops:\n    prune: true\n    self_heal: true\n    retry_limit: 5",
        fix: "Turns on prune and self-heal, sets five retries where there were none, and \
              syncs automatically every GitOps environment that needs no approval.",
        source: "000 · Environment Management › GitOps with ArgoCD",
        equivalents: &["Argo CD Application syncPolicy.automated (prune, selfHeal) and retry"],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let environments = gitops_environments(design);
        if environments.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (index, env) in design.environments.iter().enumerate() {
            if env.delivery == Delivery::Gitops
                && env.sync == SyncMode::Manual
                && !env.requires_approval
            {
                out.push(Violation::new(
                    format!("environments[{index}].sync"),
                    format!(
                        "Environment `{}` is delivered by GitOps but syncs by hand and needs no approval: every promotion waits for someone to press Sync, and drift stays.",
                        env.name
                    ),
                ));
            }
        }
        let gitops = &design.pipeline.gitops;
        if environments
            .iter()
            .any(|env| env.sync == SyncMode::Automated)
        {
            if !gitops.prune {
                out.push(Violation::new(
                    "pipeline.gitops.prune",
                    "Automated sync without prune: objects removed from a chart keep running.",
                ));
            }
            if !gitops.self_heal {
                out.push(Violation::new(
                    "pipeline.gitops.self_heal",
                    "Automated sync without self-heal: changes made to the cluster by hand stay until the next release.",
                ));
            }
        }
        if gitops.retry_limit == 0 {
            out.push(Violation::new(
                "pipeline.gitops.retry_limit",
                "A failed sync is never retried: one lost race with a webhook or a CRD leaves the environment out of sync.",
            ));
        }
        out
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Sync automatically with prune, self-heal and retries",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut manual = gitops_design();
        manual.environments[0].sync = SyncMode::Manual;
        let mut loose = gitops_design();
        loose.pipeline.gitops.prune = false;
        loose.pipeline.gitops.self_heal = false;
        loose.pipeline.gitops.retry_limit = 0;
        vec![manual, loose]
    }
}

fn apply(design: &mut Design, _service: usize) {
    let gitops = &mut design.pipeline.gitops;
    gitops.prune = true;
    gitops.self_heal = true;
    if gitops.retry_limit == 0 {
        gitops.retry_limit = 5;
    }
    for env in &mut design.environments {
        if env.delivery == Delivery::Gitops && !env.requires_approval {
            env.sync = SyncMode::Automated;
        }
    }
}

/// The default design with every environment delivered by GitOps.
#[cfg(test)]
pub(super) fn gitops_design() -> Design {
    let mut design = Design::default();
    for env in &mut design.environments {
        env.delivery = Delivery::Gitops;
    }
    design
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_push_delivery_and_the_gitops_defaults() {
        assert!(fields(&GitopsAutomatedSync, &Design::default()).is_empty());
        assert!(fields(&GitopsAutomatedSync, &gitops_design()).is_empty());
        let mut approved = gitops_design();
        approved.environments[1].sync = SyncMode::Manual;
        assert!(approved.environments[1].requires_approval);
        assert!(fields(&GitopsAutomatedSync, &approved).is_empty());
        let mut push = Design::default();
        push.pipeline.gitops.prune = false;
        assert!(fields(&GitopsAutomatedSync, &push).is_empty());
    }

    #[test]
    fn fails_on_manual_sync_without_approval_and_on_loose_policies() {
        let examples = GitopsAutomatedSync::failing_examples();
        assert_eq!(
            fields(&GitopsAutomatedSync, &examples[0]),
            ["environments[0].sync"]
        );
        assert_eq!(
            fields(&GitopsAutomatedSync, &examples[1]),
            [
                "pipeline.gitops.prune",
                "pipeline.gitops.self_heal",
                "pipeline.gitops.retry_limit"
            ]
        );
        for mut design in examples {
            apply(&mut design, 0);
            assert!(fields(&GitopsAutomatedSync, &design).is_empty());
        }
    }
}
