//! `.github/workflows/deploy.yml`: the design's deploy, migrate, smoke and notify jobs, started
//! by a successful CI run and deploying the image that run built, with Helm.
//!
//! Which branch deploys where: each job runs for the branch of its environment
//! (`environments[].branch`) and for the branches of every job that waits for it. With the
//! default design, `dev` deploys to staging; `main` deploys to staging and then, after the
//! approval, to production, so production only ever receives the exact image staging ran
//! (PIPELINE-008, PIPELINE-012). Only generated when Kubernetes is the target: a Railway-only
//! design is deployed by Railway's own GitHub integration.

use super::{
    checkout, command_label, design_env, inert, job_ids, needs_graph, run, toolchain_steps, uses,
    ActionRef, Teach,
};
use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::jobs::job_runtime;
use crate::generate::yaml::{document, Map, Node};
use crate::model::{Design, Job, JobKind};
use crate::text::identifier;

/// Path of the generated workflow.
pub const PATH: &str = ".github/workflows/deploy.yml";

/// Helm release of Helm 3: `--atomic` is spelled `--rollback-on-failure` in Helm 4.
const HELM_VERSION: &str = "v3.16.4";

/// Whether the design deploys with this workflow: Kubernetes is enabled and the pipeline has
/// a deploy job.
pub fn deploys(design: &Design) -> bool {
    design.kubernetes.enabled
        && design
            .pipeline
            .jobs
            .iter()
            .any(|job| job.kind == JobKind::Deploy)
}

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    if !deploys(design) {
        return Vec::new();
    }
    vec![GeneratedFile::new(PATH, Syntax::Yaml, render(design))]
}

/// The jobs of the deploy workflow, their ids, `needs` and the branches each runs for.
struct Plan<'a> {
    jobs: Vec<(usize, &'a Job)>,
    ids: Vec<String>,
    graph: Vec<Vec<usize>>,
    branches: Vec<Vec<String>>,
}

fn default_branch(design: &Design) -> String {
    let branch = design.repository.default_branch.trim();
    if branch.is_empty() {
        "main".to_owned()
    } else {
        branch.to_owned()
    }
}

fn plan(design: &Design) -> Plan<'_> {
    let jobs: Vec<(usize, &Job)> = design
        .pipeline
        .jobs
        .iter()
        .enumerate()
        .filter(|(_, job)| !super::ci::is_ci_job(job))
        .collect();
    let refs: Vec<&Job> = jobs.iter().map(|(_, job)| *job).collect();
    let ids = job_ids(&refs);
    let graph = needs_graph(&refs);
    let default = default_branch(design);
    let own: Vec<Vec<String>> = refs
        .iter()
        .map(|job| {
            let name = job.environment.trim();
            if name.is_empty() {
                return Vec::new();
            }
            let branch = design
                .environments
                .iter()
                .find(|env| env.name == name)
                .map(|env| env.branch.trim())
                .filter(|branch| !branch.is_empty())
                .unwrap_or(&default);
            vec![branch.to_owned()]
        })
        .collect();
    // A job also runs for every branch a job that waits for it runs for (the promotion
    // chain), and a job without an environment (notify) for the branches of what it waits for.
    // One pass each in dependency order keeps this linear in the number of `needs`.
    let order = dependents_first(&graph);
    let mut branches = own;
    for &from in &order {
        for &to in &graph[from] {
            let add: Vec<String> = branches[from]
                .iter()
                .filter(|b| !branches[to].contains(b))
                .cloned()
                .collect();
            branches[to].extend(add);
        }
    }
    for &from in order.iter().rev() {
        if branches[from].is_empty() {
            let mut inherited: Vec<String> = Vec::new();
            for &to in &graph[from] {
                for branch in &branches[to] {
                    if !inherited.contains(branch) {
                        inherited.push(branch.clone());
                    }
                }
            }
            branches[from] = inherited;
        }
    }
    for set in &mut branches {
        if set.is_empty() {
            set.push(default.clone());
        }
        set.sort_by_key(|branch| (branch != &default, branch.clone()));
    }
    Plan {
        jobs,
        ids,
        graph,
        branches,
    }
}

/// Job positions with every job before the jobs it needs (`graph` has no cycles).
fn dependents_first(graph: &[Vec<usize>]) -> Vec<usize> {
    let mut needed_by = vec![0usize; graph.len()];
    for needs in graph {
        for &to in needs {
            needed_by[to] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..graph.len())
        .rev()
        .filter(|&job| needed_by[job] == 0)
        .collect();
    let mut order = Vec::with_capacity(graph.len());
    while let Some(from) = ready.pop() {
        order.push(from);
        for &to in &graph[from] {
            needed_by[to] -= 1;
            if needed_by[to] == 0 {
                ready.push(to);
            }
        }
    }
    order
}

/// The branches whose pushes run the deploy-workflow job at `index` in `pipeline.jobs`, or
/// `None` when it is not a deploy-workflow job. The trigger simulator uses this, so it shows
/// exactly what the generated workflow does.
pub fn branches_of_job(design: &Design, index: usize) -> Option<Vec<String>> {
    let plan = plan(design);
    let position = plan
        .jobs
        .iter()
        .position(|(job_index, _)| *job_index == index)?;
    plan.branches.get(position).cloned()
}

/// Branches whose pushes build and push an image: those the deploy workflow deploys, or the
/// default branch when nothing deploys from CI.
pub fn image_branches(design: &Design) -> Vec<String> {
    let default = default_branch(design);
    let mut all = vec![default.clone()];
    if deploys(design) {
        for set in plan(design).branches {
            for branch in set {
                if !all.contains(&branch) {
                    all.push(branch);
                }
            }
        }
    }
    all
}

fn render(design: &Design) -> String {
    let plan = plan(design);
    let mut all_branches: Vec<String> = Vec::new();
    for set in &plan.branches {
        for branch in set {
            if !all_branches.contains(branch) {
                all_branches.push(branch.clone());
            }
        }
    }
    let on = Map::new()
        .entry(
            "workflow_run",
            Map::new()
                .entry("workflows", vec![super::ci::WORKFLOW_NAME])
                .entry("types", vec!["completed"])
                .entry("branches", all_branches),
        )
        .note("Starts after CI finished on a deploy branch; each job checks that CI passed (PIPELINE-008).")
        .entry("workflow_dispatch", Map::new())
        .note(
            "A manual re-deploy of the selected branch's head, which CI must have built. No \
             inputs: nothing typed by hand reaches the deploy.",
        );
    let root = Map::new()
        .entry("name", "Deploy")
        .entry(
            "run-name",
            "Deploy ${{ github.event.workflow_run.head_sha || github.sha }}",
        )
        .entry("on", on)
        .gap()
        .entry("permissions", Map::new())
        .note("No token permissions by default; each job asks for the least it needs.")
        .gap()
        .entry(
            "defaults",
            Map::new().entry("run", Map::new().entry("shell", "bash")),
        )
        .gap()
        .entry(
            "env",
            Map::new()
                .entry("IMAGE_REPOSITORY", super::image_repository(design))
                .entry(
                    "IMAGE_TAG",
                    "${{ github.event.workflow_run.head_sha || github.sha }}",
                )
                .note(
                    "The commit CI built: its SHA is the image tag, so every environment gets the \
                     bytes CI tested and scanned, never a rebuild (PIPELINE-012, PIPELINE-013).",
                ),
        )
        .gap()
        .entry("jobs", jobs(design, &plan))
        .gap();
    let header = super::header(&[
        "Deploy: ships the image CI built to each environment with Helm. Generated by Slipway \
         from slipway.yaml; change the design and export again rather than editing this file.",
        "Nothing here builds, restores a cache or rebuilds: every job deploys the image tagged \
         with the commit CI tested. Production waits for staging and for a reviewer \
         (environment protection, PIPELINE-010).",
    ]);
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    document(&header_refs, root)
}

fn jobs(design: &Design, plan: &Plan) -> Map {
    let mut map = Map::new();
    for (position, (index, job)) in plan.jobs.iter().enumerate() {
        let needs: Vec<String> = plan.graph[position]
            .iter()
            .map(|need| plan.ids[*need].clone())
            .collect();
        let rendered = deploy_job(design, *index, job, needs, &plan.branches[position]);
        map = map.entry(plan.ids[position].clone(), rendered).gap();
    }
    map
}

/// The `if:` that runs a job only after a successful CI run on a push to one of `branches`
/// (a fork's pull request can carry a branch called `main`, hence the event check), or for a
/// manual run of one of them.
fn event_guard(branches: &[String]) -> String {
    let any = |subject: &str, prefix: &str| {
        let tests: Vec<String> = branches
            .iter()
            .map(|branch| {
                let literal = super::expression_literal(branch);
                format!("{subject} == '{prefix}{}'", literal.trim_matches('\''))
            })
            .collect();
        if tests.len() == 1 {
            tests[0].clone()
        } else {
            format!("({})", tests.join(" || "))
        }
    };
    format!(
        "(github.event_name == 'workflow_run' && github.event.workflow_run.conclusion == 'success' && github.event.workflow_run.event == 'push' && {}) || (github.event_name == 'workflow_dispatch' && {})",
        any("github.event.workflow_run.head_branch", ""),
        any("github.ref", "refs/heads/")
    )
}

fn deploy_job(
    design: &Design,
    index: usize,
    job: &Job,
    needs: Vec<String>,
    branches: &[String],
) -> Map {
    let name = if job.name.trim().is_empty() {
        job.kind.label().to_owned()
    } else {
        crate::text::single_line(job.name.trim()).into_owned()
    };
    let mut map = Map::new().entry("name", inert(&name));
    if !needs.is_empty() {
        map = map.entry("needs", needs);
    }
    let guard = event_guard(branches);
    map = if job.kind == JobKind::Notify {
        map.entry("if", format!("always() && ({guard})"))
            .note("always(): failed deploys are announced too (PIPELINE-020).")
    } else {
        map.entry("if", guard)
    };
    let environment = job.environment.trim();
    let env = design
        .environments
        .iter()
        .find(|env| env.name == environment);
    let helm_timeout = helm_timeout_seconds(design);
    let timeout = if job.kind == JobKind::Deploy {
        job.timeout_minutes.max(helm_timeout / 60 + 5)
    } else {
        job.timeout_minutes.max(1)
    };
    let runs_on = if job.runs_on.trim().is_empty() {
        "ubuntu-latest".to_owned()
    } else {
        inert(job.runs_on.trim())
    };
    map = map
        .entry("runs-on", runs_on)
        .entry("timeout-minutes", timeout)
        .entry("permissions", Map::new().entry("contents", "read"));
    if !environment.is_empty() {
        let mut environment_map = Map::new().entry("name", inert(environment));
        if let Some(url) = env.map(|env| env.url.trim()).filter(|url| !url.is_empty()) {
            environment_map = environment_map.entry("url", inert(url));
        }
        let approval = env.is_some_and(|env| env.requires_approval);
        map = map.entry("environment", environment_map).note(if approval {
            "Required reviewers on this environment hold the job until someone approves \
             (PIPELINE-010); its secrets are scoped to it (SECRETS-002)."
        } else {
            "Environment-scoped secrets and an optional protection rule (PIPELINE-011)."
        });
        map = map
            .entry(
                "concurrency",
                Map::new()
                    .entry(
                        "group",
                        format!("deploy-{}", identifier(environment, "environment")),
                    )
                    .entry("cancel-in-progress", false),
            )
            .note("One deploy per environment at a time, and never cancelled halfway (A20).");
    }
    let env_map = design_env(job, &[]);
    if !env_map.is_empty() {
        map = map.entry("env", env_map);
    }
    let steps = match job.kind {
        JobKind::Deploy => deploy_steps(design, index, job, env.map(|e| e.name.as_str())),
        JobKind::Migrate => migrate_steps(design, index, job),
        JobKind::Smoke => smoke_steps(design, index, job),
        _ => notify_steps(job),
    };
    map.entry("steps", steps)
}

/// `helm --timeout`: beyond the Deployment's progress deadline, so Kubernetes marks a stalled
/// rollout as failed before Helm gives up (ROLLOUT-002); at least ten minutes.
fn helm_timeout_seconds(design: &Design) -> u32 {
    (design.kubernetes.rollout.progress_deadline_seconds + 120).max(600)
}

/// Cluster credentials: the environment's `KUBECONFIG` secret written to a private file. The
/// secret reaches the script only through `env` (never interpolated into it).
fn cluster_access() -> Map {
    run(
        "Configure cluster access",
        "if [ -z \"$KUBECONFIG_CONTENT\" ]; then\n  echo \"::error::The KUBECONFIG secret of this environment is empty.\"\n  exit 1\nfi\numask 077\nprintf '%s\\n' \"$KUBECONFIG_CONTENT\" > \"$RUNNER_TEMP/kubeconfig\"\necho \"KUBECONFIG=$RUNNER_TEMP/kubeconfig\" >> \"$GITHUB_ENV\"",
    )
    .entry(
        "env",
        Map::new().entry("KUBECONFIG_CONTENT", "${{ secrets.KUBECONFIG }}"),
    )
}

fn design_commands(design: &Design, index: usize, job: &Job) -> Vec<Node> {
    crate::facts::jobs::job_commands(design, index, job)
        .into_iter()
        .map(|command| run(&command_label(&command.text), &command.text).into())
        .collect()
}

/// A step that fails the job with an explanation, for a job the design left without commands.
fn missing_commands(index: usize, what: &str) -> Node {
    run(
        "Explain the missing commands",
        &format!(
            "echo \"::error::{what} Set pipeline.jobs[{index}].commands in slipway.yaml.\"\nexit 1"
        ),
    )
    .into()
}

fn deploy_steps(design: &Design, index: usize, job: &Job, environment: Option<&str>) -> Vec<Node> {
    let mut steps: Vec<Node> = vec![
        checkout(design, Some("${{ env.IMAGE_TAG }}"))
            .note("The chart and values of the commit being deployed.")
            .into(),
        uses(design, "Set up Helm", ActionRef::SetupHelm)
            .entry("with", Map::new().entry("version", HELM_VERSION))
            .into(),
        cluster_access().into(),
    ];
    if !job.commands.is_empty() {
        steps.extend(design_commands(design, index, job));
        return steps;
    }
    let chart = identifier(&design.project.name, "app");
    let namespace = identifier(&design.kubernetes.namespace, &chart);
    let values = identifier(environment.unwrap_or(&job.environment), "staging");
    let script = format!(
        "helm upgrade --install {chart} charts/{chart} \\\n  --namespace {namespace} \\\n  --values charts/{chart}/values/{values}.yaml \\\n  --set-string image.repository=\"$IMAGE_REPOSITORY\" \\\n  --set-string image.tag=\"$IMAGE_TAG\" \\\n  --atomic --wait --timeout {}s \\\n  --history-max 10",
        helm_timeout_seconds(design)
    );
    steps.push(
        run("Deploy with Helm", &script)
            .note(
                "--wait returns once the new pods are ready, --atomic rolls a failed or stalled \
                 release back (PIPELINE-019, ROLLOUT-002); earlier revisions stay for `helm \
                 rollback` (HELM-004). Per-environment settings live in the values file (HELM-002).",
            )
            .into(),
    );
    if let Some(url) = environment.and_then(|name| smoke_url(design, name)) {
        steps.push(smoke_step(url).into());
    }
    steps
}

/// The public health URL of an environment, for web services with a URL.
fn smoke_url(design: &Design, environment: &str) -> Option<String> {
    if !design.project.kind.is_web() {
        return None;
    }
    let env = design
        .environments
        .iter()
        .find(|env| env.name == environment)?;
    let base = env.url.trim().trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    let probe = &design.kubernetes.probes.readiness;
    let path = if probe.enabled && !probe.path.trim().is_empty() {
        probe.path.trim()
    } else {
        design.container.healthcheck.path.trim()
    };
    Some(format!("{base}{}", crate::text::url_path(path)))
}

/// A request to the health endpoint that fails the job on an error status (PIPELINE-019).
fn smoke_step(url: String) -> Map {
    run(
        "Smoke-test the health endpoint",
        "curl --fail --silent --show-error --retry 5 --retry-delay 10 --retry-all-errors --max-time 10 \"$SMOKE_URL\"",
    )
    .entry("env", Map::new().entry("SMOKE_URL", inert(&url)))
}

fn migrate_steps(design: &Design, index: usize, job: &Job) -> Vec<Node> {
    let mut steps: Vec<Node> = vec![checkout(design, Some("${{ env.IMAGE_TAG }}")).into()];
    if job.commands.is_empty() {
        steps.push(missing_commands(
            index,
            "This migrate job has no migration command.",
        ));
        return steps;
    }
    steps.extend(toolchain_steps(design, job));
    let install = if job_runtime(design, job) == design.project.runtime {
        design.project.commands.install.trim().to_owned()
    } else {
        String::new()
    };
    if !install.is_empty() {
        steps.push(
            run("Install dependencies", &install)
                .note("No cache restore: a deploy-time job runs from a clean install.")
                .into(),
        );
    }
    steps.extend(design_commands(design, index, job));
    steps
}

fn smoke_steps(design: &Design, index: usize, job: &Job) -> Vec<Node> {
    let mut steps: Vec<Node> = vec![checkout(design, Some("${{ env.IMAGE_TAG }}")).into()];
    if !job.commands.is_empty() {
        steps.extend(design_commands(design, index, job));
        return steps;
    }
    match smoke_url(design, job.environment.trim()) {
        Some(url) => steps.push(smoke_step(url).into()),
        None => steps.push(missing_commands(
            index,
            "This smoke job has no commands and its environment no URL to probe.",
        )),
    }
    steps
}

fn notify_steps(job: &Job) -> Vec<Node> {
    if !job.commands.is_empty() {
        return job
            .commands
            .iter()
            .map(|command| run(&command_label(command), command).into())
            .collect();
    }
    let webhook = job
        .env
        .iter()
        .find(|variable| crate::text::env_name(variable.name.trim()) == "SLACK_WEBHOOK_URL")
        .map(|variable| super::env_value(&variable.value))
        .unwrap_or_else(|| "${{ secrets.SLACK_WEBHOOK_URL }}".to_owned());
    vec![run(
        "Announce the result",
        "text=\"Deploy of $GITHUB_REPOSITORY at $IMAGE_TAG: $DEPLOY_RESULT\"\npayload=\"$(jq -n --arg text \"$text\" '{text: $text}')\"\ncurl --fail --silent --show-error -X POST -H 'Content-Type: application/json' --data \"$payload\" \"$SLACK_WEBHOOK_URL\"",
    )
    .entry(
        "env",
        Map::new()
            .entry("SLACK_WEBHOOK_URL", webhook)
            .entry(
                "DEPLOY_RESULT",
                "${{ contains(needs.*.result, 'failure') && 'failure' || 'success' }}",
            ),
    )
    .into()]
}
