use crate::facts::commands::builds_app;
use crate::facts::jobs::jobs_of;
use crate::facts::shell::simple_commands;
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct BuildOnceDeploySameArtifact;

fn rebuilding_lines(design: &Design, commands: &[String]) -> Vec<usize> {
    commands
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            simple_commands(line)
                .into_iter()
                .any(|s| builds_app(design, s))
        })
        .map(|(position, _)| position)
        .collect()
}

impl Rule for BuildOnceDeploySameArtifact {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-012",
        name: "build-once-deploy-same-artifact",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Deploys ship the tested artifact instead of rebuilding",
        what: "Deploy jobs contain no build step: no `docker build`, no `npm run build`, no \
               `go build`, `cargo build` or Maven/Gradle package, and not a service's own build \
               command. They deploy the image tag `${{ github.sha }}` the build job pushed (or the \
               `build-${{ github.sha }}` artifact).",
        why: "A rebuild at deploy time produces a different artifact from the one that was \
              tested and scanned: new base-image layers, newly resolved dependencies. Deploying \
              the exact bytes the pipeline checked is what makes the checks mean anything.",
        incorrect: "deploy-production:\n  steps:\n    - run: docker build -t app . && docker push app",
        correct: "deploy-production:\n  needs: deploy-staging\n  steps:\n    - run: helm upgrade app ./chart --set image.tag=${{ github.sha }} --atomic --wait",
        fix: "Removes the build commands from deploy jobs (the build job already produces the \
              image). Unsafe: those command lines are deleted.",
        source: "000 · CI/CD Pipelines › Artifact Management (\"avoid rebuilding\", \"deploy exact \
                 tested artifact\"); contradiction A14 (000's own deploy.yml rebuilds)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        jobs_of(design, JobKind::Deploy)
            .into_iter()
            .flat_map(|index| {
                let job = &design.pipeline.jobs[index];
                rebuilding_lines(design, &job.commands)
                    .into_iter()
                    .map(move |position| {
                        Violation::new(
                            format!("pipeline.jobs[{index}].commands[{position}]"),
                            format!(
                                "Deploy job `{}` rebuilds instead of deploying the tested image: `{}`.",
                                job.id, job.commands[position]
                            ),
                        )
                    })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Deploy the built image",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let docker = super::with_job("deploy-production", |job| {
            job.commands = vec![
                "docker build -t app . && docker push app".into(),
                "helm upgrade app ./chart --atomic --wait".into(),
            ]
        });
        let npm = super::with_job("deploy-staging", |job| {
            job.commands = vec!["npm run build".into(), "railway up".into()]
        });
        vec![docker, npm]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for index in jobs_of(design, JobKind::Deploy) {
        let lines = rebuilding_lines(design, &design.pipeline.jobs[index].commands);
        let job = &mut design.pipeline.jobs[index];
        for position in lines.into_iter().rev() {
            job.commands.remove(position);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_deploys_that_only_deploy() {
        let design = super::super::with_job("deploy-production", |job| {
            job.commands = vec![
                "helm upgrade app ./chart --set image.tag=${{ github.sha }} --atomic --wait".into(),
            ]
        });
        assert!(fields(&BuildOnceDeploySameArtifact, &design).is_empty());
    }

    #[test]
    fn fails_when_a_deploy_rebuilds() {
        let reported: Vec<Vec<String>> = BuildOnceDeploySameArtifact::failing_examples()
            .iter()
            .map(|design| fields(&BuildOnceDeploySameArtifact, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs[5].commands[0]"]);
        assert_eq!(reported[1], ["pipeline.jobs[4].commands[0]"]);
    }
}
