use crate::facts::deploys::has_deploy_workflow;
use crate::facts::jobs::{fresh_job_id, jobs_of};
use crate::facts::needs::add_need;
use crate::model::{Design, Job, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::text::identifier;

pub struct NothingDeploys;

/// Kubernetes is a service's deploy target, yet nothing deploys it: no deploy job (so no deploy
/// workflow) and no Railway deploying it from the repository. A design with neither Kubernetes
/// nor Railway has no target on purpose (CI only) and is left alone.
fn nothing_deploys(design: &Design) -> bool {
    let cluster_only = design
        .services
        .iter()
        .any(|service| service.kubernetes.enabled && !service.railway.enabled);
    cluster_only && !has_deploy_workflow(design)
}

impl Rule for NothingDeploys {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-022",
        name: "nothing-deploys",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Something deploys the Kubernetes target",
        what: "When Kubernetes is a deploy target (`kubernetes.enabled`), the pipeline has at \
               least one deploy job, so the export includes a deploy workflow that installs the \
               Helm chart with the image CI built. A design whose Railway service is on is \
               deployed by Railway from the repository and passes; a design with neither \
               Kubernetes nor Railway has no deploy target on purpose (checks only) and passes \
               too.",
        why: "Without a deploy job the export has a Helm chart, per-environment values and an \
              image pushed on every merge, but no workflow ever installs them: the design looks \
              like a delivery pipeline and delivers nothing, and releases fall back to someone \
              running `helm upgrade` from a laptop, with no approval, no record and no tested \
              image.",
        incorrect: "kubernetes: {enabled: true}\npipeline:\n  jobs: [lint, test, security, build]",
        correct: "kubernetes: {enabled: true}\npipeline:\n  jobs:\n  - {id: build, kind: build, needs: [lint, test, security]}\n  - {id: deploy-staging, kind: deploy, environment: staging, needs: [build]}",
        fix: "Adds a deploy job for the first environment that waits for the build job (or the \
              last job when there is none). Unsafe: once exported, pushes to that environment's \
              branch deploy, and the environment needs its `KUBECONFIG` secret.",
        source: "Not in the documents; every example pipeline of the catalog ends in a deploy, \
                 and a Kubernetes target nothing deploys to is a design left half done",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !nothing_deploys(design) {
            return Vec::new();
        }
        vec![Violation::new(
            "pipeline.jobs",
            "Kubernetes is the deploy target, but no job deploys to it: the pipeline has no \
             deploy job, so the export has no deploy workflow and the Helm chart is only ever \
             installed by hand.",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add a deploy job after the build",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut checks_only = Design::default();
        checks_only
            .pipeline
            .jobs
            .retain(|job| job.kind != JobKind::Deploy);
        checks_only.services[0].railway.enabled = false;
        vec![crate::presets::blank(), checks_only]
    }
}

/// A deploy job for the first environment, after the build (or the last job).
fn apply(design: &mut Design, _service: usize) {
    if !nothing_deploys(design) {
        return;
    }
    let environment = design
        .environments
        .first()
        .map(|env| env.name.trim().to_owned())
        .filter(|name| !name.is_empty());
    let base = match &environment {
        Some(name) => format!("deploy-{}", identifier(name, "env")),
        None => "deploy".to_owned(),
    };
    let mut job = Job::new(&fresh_job_id(design, &base), JobKind::Deploy, &[]);
    if let Some(name) = environment {
        job.name = format!("Deploy to {name}");
        job.environment = name;
    }
    let after = jobs_of(design, JobKind::Build)
        .last()
        .copied()
        .or_else(|| design.pipeline.jobs.len().checked_sub(1));
    design.pipeline.jobs.push(job);
    if let Some(after) = after {
        add_need(design, design.pipeline.jobs.len() - 1, after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_on_every_preset() {
        for each in crate::presets::all() {
            assert!(
                fields(&NothingDeploys, &preset(each.id)).is_empty(),
                "{}",
                each.id
            );
        }
    }

    #[test]
    fn fails_on_the_blank_design_and_a_checks_only_pipeline() {
        for design in NothingDeploys::failing_examples() {
            assert_eq!(fields(&NothingDeploys, &design), ["pipeline.jobs"]);
        }
    }

    #[test]
    fn railway_or_no_target_at_all_passes() {
        let mut railway = crate::presets::blank();
        railway.services[0].railway.enabled = true;
        assert!(fields(&NothingDeploys, &railway).is_empty());
        let mut checks_only = crate::presets::blank();
        checks_only.services[0].kubernetes.enabled = false;
        assert!(fields(&NothingDeploys, &checks_only).is_empty());
    }

    #[test]
    fn the_fix_deploys_the_first_environment_after_the_build() {
        let mut design = NothingDeploys::failing_examples().remove(1);
        apply(&mut design, 0);
        assert!(fields(&NothingDeploys, &design).is_empty());
        let deploy = design.pipeline.jobs.last().unwrap();
        assert_eq!(deploy.id, "deploy-staging");
        assert_eq!(deploy.environment, "staging");
        assert_eq!(deploy.needs, ["build"]);
        let jobs = design.pipeline.jobs.len();
        apply(&mut design, 0);
        assert_eq!(design.pipeline.jobs.len(), jobs);

        let mut blank = crate::presets::blank();
        apply(&mut blank, 0);
        assert_eq!(blank.pipeline.jobs.len(), 1);
        assert!(blank.pipeline.jobs[0].needs.is_empty());
        assert!(crate::generate(&blank)
            .file(".github/workflows/deploy.yml")
            .is_some());
    }
}
