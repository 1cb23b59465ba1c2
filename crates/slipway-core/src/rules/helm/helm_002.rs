use crate::facts::naming::{chart_name, values_file_name};
use crate::rules::{Area, Context, Rule, RuleDoc, Severity, Violation};

use super::deploys::{custom_deploy_commands, runs_helm_upgrade};

pub struct ValuesFilePerEnvironment;

impl Rule for ValuesFilePerEnvironment {
    const DOC: RuleDoc = RuleDoc {
        id: "HELM-002",
        name: "per-environment-values",
        severity: Severity::Medium,
        area: Area::Helm,
        title: "Each environment deploys with its own values file",
        what: "Every environment gets its own `values/<env>.yaml` (two environment names that map \
               to the same file name would share one), and a deploy job that writes its own \
               `helm upgrade` command passes that environment's values file with `-f`/`--values`.",
        why: "The values files are where environments differ (replicas, hosts, resources). Two \
              environments sharing a file silently deploy the first one's settings to both; a \
              `helm upgrade` without the environment's file deploys the chart defaults, e.g. \
              staging sizes and hosts to production.",
        incorrect: "jobs:\n- id: deploy-production\n  kind: deploy\n  environment: production\n  commands:\n  - helm upgrade --install app charts/app",
        correct: "jobs:\n- id: deploy-production\n  kind: deploy\n  environment: production\n  commands:\n  - helm upgrade --install app charts/app -f charts/app/values/production.yaml",
        fix: "Rename one of the colliding environments, or add `-f charts/<chart>/values/<env>.yaml` \
              to the command (or clear the job's commands to use the generated deploy step).",
        source: "000 · Helm Chart Structure (values-staging.yaml, values-production.yaml)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        if !design.uses_kubernetes() {
            return Vec::new();
        }
        let mut violations = Vec::new();
        let mut first_with: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for (i, environment) in design.environments.iter().enumerate() {
            let file = values_file_name(environment);
            let first = *first_with.entry(file.clone()).or_insert(i);
            if first != i {
                let earlier = &design.environments[first];
                violations.push(Violation::new(
                    format!("environments[{i}].name"),
                    format!(
                        "Environments `{}` and `{}` would share `values/{file}.yaml`: the chart \
                         writes one file, with `{}`'s settings.",
                        earlier.name, environment.name, earlier.name
                    ),
                ));
            }
        }
        for (i, j, job, command) in custom_deploy_commands(design) {
            if !runs_helm_upgrade(command) {
                continue;
            }
            // The chart of the service the job rolls out.
            let chart = crate::rules::rollout::deploys::rolled_out_service(design, job)
                .map_or_else(
                    || "app".to_owned(),
                    |index| chart_name(&design.services[index]),
                );
            let Some(environment) = design
                .environments
                .iter()
                .find(|env| env.name == job.environment.trim())
            else {
                continue;
            };
            let file = format!("values/{}.yaml", values_file_name(environment));
            if !command.contains(&file) {
                violations.push(Violation::new(
                    format!("pipeline.jobs[{i}].commands[{j}]"),
                    format!(
                        "Job `{}` runs `helm upgrade` without `-f charts/{chart}/{file}`: it \
                         deploys the chart defaults to `{}`.",
                        job.id, environment.name
                    ),
                ));
            }
        }
        violations
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<crate::model::Design> {
        use crate::model::Design;
        let mut shared = Design::default();
        shared.environments[1].name = "Staging".to_owned();
        let mut no_values = Design::default();
        no_values.pipeline.jobs[5].commands =
            vec!["helm upgrade --install app charts/app --set image.tag=$IMAGE_TAG".to_owned()];
        vec![shared, no_values]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Design;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_by_default_and_with_the_values_file() {
        assert!(fields(&ValuesFilePerEnvironment, &preset("node-api")).is_empty());
        let mut design = Design::default();
        design.pipeline.jobs[5].commands = vec![
            "helm upgrade --install app charts/app -f charts/app/values/production.yaml".into(),
        ];
        assert!(fields(&ValuesFilePerEnvironment, &design).is_empty());
    }

    #[test]
    fn fails_on_shared_files_and_a_missing_flag() {
        let examples = ValuesFilePerEnvironment::failing_examples();
        assert_eq!(
            fields(&ValuesFilePerEnvironment, &examples[0]),
            ["environments[1].name"]
        );
        assert_eq!(
            fields(&ValuesFilePerEnvironment, &examples[1]),
            ["pipeline.jobs[5].commands[0]"]
        );
    }
}
