//! `.github/workflows/rollback.yml`: the way back from the last deploy (ROLLOUT-003), a manual
//! workflow that undoes it service by service, the way each service's rollout strategy requires,
//! with the deploy's own environment, secret and concurrency group.

use super::deploy::{
    cluster_access, cluster_env, concurrency, deploy_branch_permissions, helm_timeout_seconds,
    keyless_job, namespace, promotes, GIT_AS_ACTIONS_BOT, HELM_VERSION,
};
use super::jobs::{deploys, plan};
use super::{deploy_order, inert, run, uses, ActionRef, Teach};
use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::deploys::something_deploys;
use crate::facts::gitops::{argocd_folder, deploy_branch, gitops_environments, release_file};
use crate::facts::naming::chart_name;
use crate::formats::yaml::{document, Map, Node};
use crate::model::{CanaryEngine, Design, Environment, Job, JobKind, RolloutStrategy, Service};
use crate::text::identifier;

/// Path of the generated workflow.
pub const PATH: &str = ".github/workflows/rollback.yml";

/// The kubectl plugin of Argo Rollouts and the SHA-256 of its linux-amd64 binary, as listed in
/// that release's `argo-rollouts-checksums.txt`.
const ARGO_PLUGIN: (&str, &str) = (
    "v1.8.2",
    "b77e4d3d8e0b5d42aaac987a6f3d035c24efcf4f3cfd07f18285b76dbf5b9a53",
);

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    if !something_deploys(design) {
        return Vec::new();
    }
    vec![GeneratedFile::new(PATH, Syntax::Yaml, render(design))]
}

/// The README's steps for `rollback.yml` (Markdown).
pub fn how_to_apply(design: &Design) -> Option<String> {
    let mut out = String::from(
        "Commit `.github/workflows/rollback.yml` and, when a deploy goes wrong, run it (Actions → Rollback → Run workflow) for the environment and service to undo.",
    );
    let gitops = gitops_environments(design);
    if !gitops.is_empty() {
        out.push_str(&format!(" For {}, delivered by GitOps, it commits to the environment's deploy branch what it held that many promotions ago (a revision is a count; none goes one back), or opens a pull request where the environment needs approval; Argo CD syncs it like any promotion.", gitops.iter().map(|env| format!("`{}`", crate::formats::markdown::escape(&env.name))).collect::<Vec<_>>().join(", ")));
    }
    if deploys(design) && gitops.len() < design.environments.len() {
        let access = if crate::facts::cloud::keyless(design) {
            "deploy roles (`AWS_DEPLOY_ROLE_ARN`)"
        } else {
            "`KUBECONFIG` secrets"
        };
        out.push_str(&format!(" Give a revision from the history its first step prints, or none for the previous one. It uses the deploy's GitHub environments and {access}, waits for the same reviewers, and never runs while a deploy of that environment does."));
    }
    if design.uses_railway() {
        out.push_str(" Railway services are rolled back in Railway's dashboard (Deployments → ⋯ → Rollback): the workflow says so and fails rather than pretend.");
    }
    Some(out)
}

/// The environment a deploy job deploys to, as a choice: its sanitised name (the job's id
/// when it has no environment).
fn choice(id: &str, job: &Job) -> String {
    let name = job.environment.trim();
    identifier(if name.is_empty() { id } else { name }, "production")
}

/// `inputs.service` selects one of `names` (or `all`).
fn selects(names: &[String]) -> String {
    let tests: Vec<String> = names
        .iter()
        .map(|name| format!(" || inputs.service == '{name}'"))
        .collect();
    format!("inputs.service == 'all'{}", tests.concat())
}

fn render(design: &Design) -> String {
    let plan = plan(design);
    // One job per environment a deploy job deploys to (the first deploy job to it).
    let mut targets: Vec<(String, usize)> = Vec::new();
    for (position, (_, job)) in plan.jobs.iter().enumerate() {
        let choice = choice(&plan.ids[position], job);
        if job.kind == JobKind::Deploy && !targets.iter().any(|(c, _)| *c == choice) {
            targets.push((choice, position));
        }
    }
    // Dependents go back first: the reverse of the deploy order.
    let helm: Vec<&Service> = if deploys(design) {
        let order = deploy_order(design);
        order.iter().rev().map(|&i| &design.services[i]).collect()
    } else {
        Vec::new()
    };
    let railway: Vec<String> = design
        .services
        .iter()
        .filter(|service| service.railway.enabled)
        .map(chart_name)
        .collect();
    let mut names: Vec<String> = helm.iter().map(|service| chart_name(service)).collect();
    names.extend(
        railway
            .iter()
            .filter(|name| !names.contains(name))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let several = names.len() > 1;
    let mut choices: Vec<String> = targets.iter().map(|(choice, _)| choice.clone()).collect();
    if helm.is_empty() {
        choices = design
            .environments
            .iter()
            .map(|env| identifier(&env.name, "production"))
            .collect();
    }
    if choices.is_empty() {
        choices.push("production".to_owned());
    }

    let input = |description: &str, kind: &str| {
        Map::new()
            .entry("description", description)
            .entry("required", kind == "choice")
            .entry("type", kind)
    };
    let mut inputs = Map::new().entry(
        "environment",
        input("Environment to roll back", "choice").entry("options", choices),
    );
    if several {
        let mut options = vec!["all".to_owned()];
        options.extend(names);
        inputs = inputs.entry(
            "service",
            input("Service to roll back", "choice")
                .entry("default", "all")
                .entry("options", options),
        );
    }
    if !helm.is_empty() {
        let description = if gitops_environments(design).is_empty() {
            "Revision to return to, from the history the job prints first; empty: the previous one"
        } else {
            "Revision to return to, from the history the job prints first (for a GitOps environment: how many promotions back); empty: the previous one"
        };
        inputs = inputs.entry(
            "revision",
            input(description, "string").entry("default", ""),
        );
    }
    let on = Map::new()
        .entry("workflow_dispatch", Map::new().entry("inputs", inputs))
        .note("By hand only. The inputs reach the scripts as environment variables, never pasted into them; checkov:skip=CKV_GHA_7:a rollback needs to know what to roll back, and the inputs are choices or a checked number.");

    let mut jobs = Map::new();
    if !helm.is_empty() {
        for (choice, position) in &targets {
            let (_, deploy) = plan.jobs[*position];
            if let Some(environment) = promotes(design, deploy) {
                let job = gitops_job(
                    design,
                    &helm,
                    environment,
                    choice,
                    &plan.ids[*position],
                    several,
                );
                jobs = jobs.entry(format!("rollback-{choice}"), job).gap();
                continue;
            }
            let job = kubernetes_job(
                design,
                &helm,
                choice,
                (&plan.ids[*position], plan.jobs[*position]),
                several,
            );
            jobs = jobs.entry(format!("rollback-{choice}"), job).gap();
        }
    }
    if !railway.is_empty() {
        let mut job = Map::new().entry("name", "Roll back on Railway");
        if several {
            job = job.entry("if", selects(&railway));
        }
        let script = format!(
            "echo \"::error::Railway's CLI has no rollback command, and railway redeploy repeats the latest deployment rather than the previous one.\"\necho \"Roll back {} in the Railway dashboard: the service, this environment, Deployments, then ⋯ on the last good deployment → Rollback. Railway restores that deployment's image and variables.\"\nexit 1",
            railway.join(", ")
        );
        job = job
            .entry("runs-on", "ubuntu-latest")
            .entry("timeout-minutes", 5u32)
            .entry("permissions", Map::new())
            .entry(
                "concurrency",
                Map::new()
                    .entry("group", "rollback-railway")
                    .entry("cancel-in-progress", true),
            )
            .entry(
                "steps",
                vec![Node::from(run("Explain the Railway rollback", &script))],
            )
            .note("Fails on purpose: a green run must never be mistaken for a rollback that did not happen.");
        jobs = jobs.entry("railway", job).gap();
    }

    let run_name = if several {
        "Rollback ${{ inputs.service }} in ${{ inputs.environment }}"
    } else {
        "Rollback ${{ inputs.environment }}"
    };
    let root = Map::new()
        .entry("name", "Rollback")
        .entry("run-name", run_name)
        .entry("on", on)
        .gap()
        .entry("permissions", Map::new())
        .note("No token permissions: a rollback reads nothing from the repository.")
        .gap()
        .entry(
            "defaults",
            Map::new().entry("run", Map::new().entry("shell", "bash")),
        )
        .gap()
        .entry("jobs", jobs)
        .gap();
    let header = super::header(&[
        "Rollback: undoes the last deploy of an environment, by hand (Actions → Rollback → Run \
         workflow). Generated by Slipway from slipway.yaml; change the design and export again \
         rather than editing this file.",
        "Each service goes back the way its rollout strategy requires (ROLLOUT-003): `helm \
         rollback` for a Helm release (rolling update, blue-green, replica-ratio canary, cron), \
         abort then undo for an Argo Rollouts canary. The deploy's environment, secret and \
         concurrency group apply.",
    ]);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header, root)
}

/// The rollback of one environment that the deploy job `(id, job)` deploys to with Helm.
fn kubernetes_job(
    design: &Design,
    services: &[&Service],
    choice: &str,
    (id, (index, job)): (&str, (usize, &Job)),
    several: bool,
) -> Map {
    let environment = job.environment.trim();
    let timeout: u32 = services.iter().map(|s| helm_timeout_seconds(s)).sum();
    let runs_on = match job.runs_on.trim() {
        "" => "ubuntu-latest".to_owned(),
        runs_on => inert(runs_on),
    };
    let mut map = Map::new()
        .entry("name", format!("Roll back {choice}"))
        .entry("if", format!("inputs.environment == '{choice}'"))
        .entry("runs-on", runs_on)
        .note("The deploy's runner, which can reach the cluster.")
        .entry("timeout-minutes", timeout / 60 + 5);
    let keyless = keyless_job(design, job) && job.commands.is_empty();
    map = if keyless {
        let token = Map::new()
            .entry("id-token", "write")
            .trailing("GitHub's OIDC token, for the deploy role (SECRETS-007)");
        map.entry("permissions", token)
            .note("A rollback reads nothing from the repository: it needs only the OIDC token.")
    } else {
        map.entry("permissions", Map::new())
    };
    if !environment.is_empty() {
        map = map
            .entry("environment", Map::new().entry("name", inert(environment)))
            .note(if keyless {
                "The deploy's environment: its deploy role, and its reviewers approve a rollback as they approve a deploy (PIPELINE-010)."
            } else {
                "The deploy's environment: its KUBECONFIG secret, and its reviewers approve a rollback as they approve a deploy (PIPELINE-010)."
            });
    }
    let mut env = Map::new().entry("REVISION", "${{ inputs.revision }}");
    if several {
        env = env.entry("SERVICE", "${{ inputs.service }}");
    }
    map = map
        .entry("concurrency", concurrency(environment, id))
        .note("The deploy's own group: a rollback and a deploy of this environment never run at once (A20).")
        .entry("env", env);
    let mut check = "if [ -n \"$REVISION\" ] && ! [[ \"$REVISION\" =~ ^[0-9]+$ ]]; then\n  echo \"::error::The revision is a number from the history, or empty for the previous one.\"\n  exit 1\nfi".to_owned();
    if several {
        check.push_str("\nif [ -n \"$REVISION\" ] && [ \"$SERVICE\" = all ]; then\n  echo \"::error::A revision belongs to one service's history: choose that service.\"\n  exit 1\nfi");
    }
    let mut steps: Vec<Node> = vec![run("Check the inputs", &check).into()];
    if !job.commands.is_empty() {
        steps.push(run("Explain the custom deploy", &format!("echo \"::error::This environment deploys with its own commands (pipeline.jobs[{index}].commands): undo them with that tool's rollback (ROLLOUT-003).\"\nexit 1")).into());
        return map.entry("steps", steps);
    }
    steps.push(
        uses(design, "Set up Helm", ActionRef::SetupHelm)
            .entry("with", Map::new().entry("version", HELM_VERSION))
            .into(),
    );
    steps.extend(cluster_access(design, environment));
    let argo = |service: &&Service| {
        let rollout = &service.kubernetes.rollout;
        rollout.strategy == RolloutStrategy::Canary
            && rollout.canary_engine == CanaryEngine::ArgoRollouts
            && !cron(service)
    };
    if services.iter().any(argo) {
        let (version, sha) = ARGO_PLUGIN;
        steps.push(run(
            "Install the Argo Rollouts kubectl plugin",
            &format!("curl --fail --silent --show-error --location --output \"$RUNNER_TEMP/kubectl-argo-rollouts\" \\\n  https://github.com/argoproj/argo-rollouts/releases/download/{version}/kubectl-argo-rollouts-linux-amd64\necho \"{sha}  $RUNNER_TEMP/kubectl-argo-rollouts\" | sha256sum --check --strict\nsudo install -m 0755 \"$RUNNER_TEMP/kubectl-argo-rollouts\" /usr/local/bin/kubectl-argo-rollouts"),
        ).note("A pinned release, checked against its published SHA-256 before it runs.").into());
    }
    for service in services {
        let name = chart_name(service);
        let ns = namespace(service);
        let seconds = helm_timeout_seconds(service);
        let (script, note) = if argo(service) {
            (format!("kubectl argo rollouts get rollout {name} --namespace {ns}\nkubectl argo rollouts abort {name} --namespace {ns}\nkubectl argo rollouts undo {name} --namespace {ns} ${{REVISION:+--to-revision=\"$REVISION\"}}\ngeneration=\"$(kubectl get rollout {name} --namespace {ns} --output jsonpath='{{.metadata.generation}}')\"\nkubectl wait rollout/{name} --namespace {ns} --for=jsonpath='{{.status.observedGeneration}}'=\"$generation\" --timeout 60s\nkubectl argo rollouts promote {name} --namespace {ns} --full\nkubectl argo rollouts status {name} --namespace {ns} --timeout {seconds}s"),
             "Canary on Argo Rollouts: abort sends all traffic back to the stable pods, undo returns the template to the previous revision, and a full promotion skips the canary steps (that version already served everyone). Then wait until the Rollout is healthy.")
        } else {
            let history = format!("helm history {name} --namespace {ns} --max 10\n# Empty revision: the newest one that was live before the current one.\nrevision=\"${{REVISION:-$(helm history {name} --namespace {ns} --output json | jq -r '[.[] | select(.status == \"superseded\")] | last | .revision // empty')}}\"\nif [ -z \"$revision\" ]; then\n  echo \"::error::{name} has no earlier revision to return to.\"\n  exit 1\nfi\nhelm rollback {name} \"$revision\" --namespace {ns} --wait --timeout {seconds}s --history-max 10");
            if service.kubernetes.rollout.strategy == RolloutStrategy::BlueGreen
                && !cron(service)
                && service.kind.is_web()
            {
                let colour = format!("kubectl get service {name} --namespace {ns} --output jsonpath='{{.spec.selector.version}}'");
                (format!("echo \"Live colour: $({colour})\"\n{history}\necho \"Live colour now: $({colour})\""),
                 "Blue-green: the Service selector follows blueGreen.activeColor and every deploy re-images the idle colour, so switching the selector alone would send traffic to the new version again. Rolling the release back restores the previous colour with its image (ROLLOUT-004).")
            } else {
                (history, "The release's previous revision, waited for like a deploy; the chart keeps ten (HELM-004).")
            }
        };
        let step = Map::new()
            .entry("name", format!("Roll back {name}"))
            .optional("if", several.then(|| selects(std::slice::from_ref(&name))))
            .entry("run", super::block(&script))
            .note(note)
            .entry("env", cluster_env());
        steps.push(step.into());
    }
    map.entry("steps", steps)
}

/// The rollback of an environment Argo CD delivers: a commit to its deploy branch that brings
/// back what it held some promotions ago (a pull request when the environment needs
/// approval). CI still never talks to the cluster (HELM-006).
fn gitops_job(
    design: &Design,
    services: &[&Service],
    environment: &Environment,
    choice: &str,
    id: &str,
    several: bool,
) -> Map {
    let name = environment.name.trim();
    let permissions = deploy_branch_permissions(environment, "the rollback");
    let mut env = Map::new()
        .entry("REVISION", "${{ inputs.revision }}")
        .entry("BRANCH", deploy_branch(environment))
        .entry("GH_TOKEN", "${{ github.token }}");
    let check = "if [ -n \"$REVISION\" ] && ! [[ \"$REVISION\" =~ ^[0-9]+$ ]]; then\n  echo \"::error::The revision is how many promotions back, or empty for the previous one.\"\n  exit 1\nfi".to_owned();
    let mut paths: Vec<String> = Vec::new();
    let mut case = String::new();
    if several {
        env = env.entry("SERVICE", "${{ inputs.service }}");
        case.push_str("case \"$SERVICE\" in\n");
        for service in services {
            let chart = chart_name(service);
            case.push_str(&format!(
                "  {chart}) paths=(charts/{chart} {}/apps/{chart}.yaml {}) ;;\n",
                argocd_folder(environment),
                release_file(service)
            ));
        }
        case.push_str("  *) paths=(.) ;;\nesac\n");
    } else {
        paths.push(".".to_owned());
    }
    let restore = if several {
        case
    } else {
        format!("paths=({})\n", paths.join(" "))
    };
    let script = format!(
        "{GIT_AS_ACTIONS_BOT}git log --first-parent --format='%h %s (%cr)' -n 10\nback=\"${{REVISION:-1}}\"\nif ! target=\"$(git rev-parse --verify --quiet \"HEAD~$back\")\"; then\n  echo \"::error::$BRANCH has no promotion $back back.\"\n  exit 1\nfi\n{restore}git rm -r -q --ignore-unmatch -- \"${{paths[@]}}\"\ngit checkout \"$target\" -- \"${{paths[@]}}\"\ngit add --all\nif git diff --cached --quiet; then\n  echo \"::notice::Nothing to roll back: $BRANCH already holds that version.\"\n  exit 0\nfi\ngit commit --quiet --message \"Roll back {choice} to $(git rev-parse --short \"$target\")\"\n{}",
        if environment.requires_approval {
            format!("head=\"rollback/{choice}-$(git rev-parse --short HEAD)\"\ngit push --quiet --force origin \"HEAD:refs/heads/$head\"\ngh pr create --repo \"$GITHUB_REPOSITORY\" --base \"$BRANCH\" --head \"$head\" \\\n  --title \"Roll back {choice}\" \\\n  --body \"Merging this pull request brings back what $BRANCH held before: Argo CD syncs it.\"\necho \"::notice::Merge the pull request into $BRANCH to roll back {choice}.\"")
        } else {
            "git push --quiet origin \"HEAD:refs/heads/$BRANCH\"\necho \"::notice::Argo CD syncs $BRANCH: its Applications show the rollback.\"".to_owned()
        }
    );
    let checkout = uses(design, "Check out the deploy branch", ActionRef::Checkout).entry(
        "with",
        Map::new()
            .entry("ref", deploy_branch(environment))
            .entry("fetch-depth", 0u32)
            .entry("persist-credentials", false),
    );
    let steps: Vec<Node> = vec![
        run("Check the inputs", &check).into(),
        checkout.into(),
        run(&format!("Roll back {choice}"), &script)
            .note("Argo CD delivers this environment: the way back is the deploy branch as it was before, synced like any promotion (HELM-006). The database layer's way back is MIGRATION-008's.")
            .into(),
    ];
    let mut map = Map::new()
        .entry("name", format!("Roll back {choice}"))
        .entry("if", format!("inputs.environment == '{choice}'"))
        .entry("runs-on", "ubuntu-latest")
        .entry("timeout-minutes", 10u32)
        .entry("permissions", permissions);
    if !name.is_empty() {
        map = map.entry("environment", Map::new().entry("name", inert(name)));
    }
    map.entry("concurrency", concurrency(name, id))
        .note("The deploy's own group: a rollback and a promotion of this environment never run at once (A20).")
        .entry("env", env)
        .entry("steps", steps)
}

/// A scheduled worker runs as a CronJob, whatever its rollout strategy.
fn cron(service: &Service) -> bool {
    !service.kind.is_web() && !service.railway.cron_schedule.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::tests::two_service_design;
    use serde_json::Value;

    fn rollback(design: &Design) -> Option<Value> {
        let bundle = crate::generate(design);
        let file = bundle.file(PATH)?;
        Some(
            serde_norway::from_str(&file.contents)
                .unwrap_or_else(|e| panic!("{e}\n{}", file.contents)),
        )
    }

    fn steps(workflow: &Value, job: &str) -> Vec<Value> {
        workflow["jobs"][job]["steps"].as_array().unwrap().clone()
    }

    fn script(workflow: &Value, job: &str, name: &str) -> String {
        let step = steps(workflow, job)
            .into_iter()
            .find(|step| step["name"] == name);
        step.unwrap_or_else(|| panic!("{job}: no step {name}"))["run"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn inputs_reach_the_scripts_only_through_env() {
        for preset in crate::presets::all() {
            let Some(workflow) = rollback(&(preset.build)()) else {
                continue;
            };
            let text = serde_json::to_string(&workflow["jobs"]).unwrap();
            for (id, job) in workflow["jobs"].as_object().unwrap() {
                // Nothing but GitHub's OIDC token, for a keyless rollback, or for a GitOps
                // one the right to commit to the deploy branch (through a pull request).
                let permissions = job["permissions"].as_object().unwrap();
                assert!(
                    permissions.iter().all(|(k, v)| v == "write"
                        && (k == "id-token" || k == "contents" || k == "pull-requests")),
                    "{id}"
                );
                assert!(
                    !(permissions.contains_key("id-token") && permissions.contains_key("contents")),
                    "{id}"
                );
                for step in job["steps"].as_array().unwrap() {
                    let run = step["run"].as_str().unwrap_or("");
                    assert!(!run.contains("${{"), "{} {id}: {run}", preset.id);
                    for (name, value) in step["env"].as_object().into_iter().flatten() {
                        assert!(!value.as_str().unwrap().contains("inputs."), "{id} {name}");
                    }
                }
                if let Some(env) = job["env"].as_object() {
                    assert_eq!(env["REVISION"], "${{ inputs.revision }}", "{id}");
                    assert!(
                        text.contains("=~ ^[0-9]+$"),
                        "{}: the revision is checked",
                        preset.id
                    );
                }
            }
        }
    }

    #[test]
    fn each_strategy_gets_its_own_way_back() {
        let mut design = two_service_design();
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::BlueGreen;
        design.services[1].kubernetes.rollout.strategy = RolloutStrategy::Canary;
        let workflow = rollback(&design).unwrap();
        let inputs = &workflow["on"]["workflow_dispatch"]["inputs"];
        assert_eq!(
            inputs["environment"]["options"],
            serde_json::json!(["staging", "production"])
        );
        assert_eq!(
            inputs["service"]["options"],
            serde_json::json!(["all", "worker", "fastapi-react"])
        );
        let job = &workflow["jobs"]["rollback-production"];
        assert_eq!(job["environment"]["name"], "production");
        assert_eq!(job["concurrency"]["group"], "deploy-production");
        let blue_green = script(&workflow, "rollback-production", "Roll back fastapi-react");
        assert!(
            blue_green.contains("helm rollback fastapi-react \"$revision\" --namespace"),
            "{blue_green}"
        );
        assert!(
            blue_green.contains("jsonpath='{.spec.selector.version}'"),
            "{blue_green}"
        );
        let canary = script(&workflow, "rollback-production", "Roll back worker");
        let order: Vec<usize> = [
            "rollouts abort worker",
            "rollouts undo worker",
            "promote worker",
            "rollouts status worker",
        ]
        .iter()
        .map(|command| {
            canary
                .find(command)
                .unwrap_or_else(|| panic!("{command}\n{canary}"))
        })
        .collect();
        assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{canary}");
        assert!(script(
            &workflow,
            "rollback-production",
            "Install the Argo Rollouts kubectl plugin"
        )
        .contains("sha256sum --check"));

        design.services[1].kubernetes.rollout.canary_engine = CanaryEngine::ReplicaRatio;
        design.services[0].kubernetes.rollout.strategy = RolloutStrategy::Rolling;
        let workflow = rollback(&design).unwrap();
        for name in ["worker", "fastapi-react"] {
            let text = script(&workflow, "rollback-staging", &format!("Roll back {name}"));
            assert!(text.starts_with(&format!("helm history {name} ")), "{text}");
            assert!(text.contains("--wait --timeout"), "{text}");
        }
        assert!(steps(&workflow, "rollback-staging")
            .iter()
            .all(|step| step["name"] != "Install the Argo Rollouts kubectl plugin"));
        let railway = script(&workflow, "railway", "Explain the Railway rollback");
        assert!(
            railway.starts_with("echo \"::error::") && railway.ends_with("exit 1\n"),
            "{railway}"
        );
    }

    #[test]
    fn nothing_deploys_nothing_to_roll_back() {
        let mut design = two_service_design();
        for service in &mut design.services {
            service.railway.enabled = false;
        }
        let workflow = rollback(&design).unwrap();
        assert!(workflow["jobs"].get("railway").is_none());
        design
            .pipeline
            .jobs
            .retain(|job| job.kind != JobKind::Deploy);
        assert!(rollback(&design).is_none());
        design.services[0].railway.enabled = true;
        let workflow = rollback(&design).unwrap();
        assert_eq!(workflow["jobs"].as_object().unwrap().len(), 1, "{workflow}");
    }

    #[test]
    fn hostile_environment_and_service_names_stay_inert() {
        const HOSTILE: &str =
            "x' || true || '\"\n  evil: true\n${{ secrets.KUBECONFIG }} $(rm -rf /)";
        let mut design = two_service_design();
        design.services[1].name = HOSTILE.to_owned();
        design.environments[1].name = HOSTILE.to_owned();
        for job in &mut design.pipeline.jobs {
            if job.environment == "production" {
                job.environment = HOSTILE.to_owned();
            }
        }
        let text = crate::generate(&design)
            .file(PATH)
            .unwrap()
            .contents
            .clone();
        let workflow = rollback(&design).unwrap();
        // Design text is inert: the only expressions are the generator's own.
        for part in text.split("${{").skip(1) {
            let expression = part.split("}}").next().unwrap().trim();
            assert!(
                [
                    "'$'",
                    "inputs.revision",
                    "inputs.service",
                    "inputs.environment",
                    "secrets.KUBECONFIG",
                    "vars.AWS_DEPLOY_ROLE_ARN",
                    "runner.temp"
                ]
                .contains(&expression),
                "`{expression}`\n{text}"
            );
        }
        for (id, job) in workflow["jobs"].as_object().unwrap() {
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{id}"
            );
            assert!(job.get("evil").is_none(), "{id}");
            let guard = job["if"].as_str().unwrap_or("");
            assert!(
                !guard.contains("}}") && !guard.contains('"'),
                "{id}: {guard}"
            );
            for step in job["steps"].as_array().unwrap() {
                assert!(!step["run"].as_str().unwrap_or("").contains("${{"), "{id}");
            }
        }
        let inputs = &workflow["on"]["workflow_dispatch"]["inputs"];
        for input in ["environment", "service"] {
            for option in inputs[input]["options"].as_array().unwrap() {
                let option = option.as_str().unwrap();
                assert!(
                    option
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-'),
                    "{option}"
                );
            }
        }
    }
}
