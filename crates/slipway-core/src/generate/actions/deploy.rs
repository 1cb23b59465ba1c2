//! `.github/workflows/deploy.yml`: the design's deploy, migrate, smoke and notify jobs, as a
//! reusable workflow that CI calls after its build on a deploy branch, deploying the image that
//! run built, with Helm.
//!
//! Which branch deploys where: each job runs for the branch of its environment
//! (`environments[].branch`) and for the branches of every job that waits for it. With the
//! default design, `dev` deploys to staging; `main` deploys to staging and then, after the
//! approval, to production, so production only ever receives the exact image staging ran
//! (PIPELINE-008, PIPELINE-012). Only generated when Kubernetes is the target: a Railway-only
//! design is deployed by Railway's own GitHub integration.
//!
//! Why a call rather than `workflow_run`: a `workflow_run` workflow runs with the base
//! repository's secrets whatever started the run it follows, the classic way a fork's code
//! reaches a deploy key. Called from CI (`on: workflow_call`), the deploy is part of CI's own
//! push run: same commit, same event, and only the secrets CI hands over by name.

use super::jobs::{deploys, plan, Plan};
use super::{
    block, checkout, command_label, deploy_order, deploys_by_digest, design_env, digest_key,
    image_repository, image_variables, inert, own_service, primary_web_service, run,
    toolchain_steps, uses, verifies_images, ActionRef, AwsRole, Teach,
};
use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::changes::{has_gate, per_service_runs, ServiceFiles};
use crate::facts::cloud;
use crate::facts::deploys::{deploys_read_registry, generated_deploy};
use crate::facts::gitops::{
    argocd_folder, delivered_by_gitops, deploy_branch, release_file, smoke_tested_after_sync,
};
use crate::facts::naming::chart_name;
use crate::formats::markdown;
use crate::formats::yaml::{document, Map, Node};
use crate::model::{Design, Environment, Job, JobKind, Service};
use crate::text::identifier;

/// Path of the generated workflow.
pub const PATH: &str = ".github/workflows/deploy.yml";

/// Helm release of Helm 3: `--atomic` is spelled `--rollback-on-failure` in Helm 4.
pub(super) const HELM_VERSION: &str = "v3.16.4";

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    if !deploys(design) {
        return Vec::new();
    }
    vec![GeneratedFile::new(PATH, Syntax::Yaml, render(design))]
}

/// The README's steps for `deploy.yml` (Markdown): the GitHub environments it needs.
pub fn how_to_apply(design: &Design) -> Option<String> {
    let services: Vec<&Service> = deploy_order(design)
        .into_iter()
        .map(|index| &design.services[index])
        .collect();
    let charts: Vec<String> = services
        .iter()
        .map(|service| format!("`charts/{}/`", chart_name(service)))
        .collect();
    let mut namespaces: Vec<String> = Vec::new();
    for service in &services {
        let namespace = format!("`{}`", namespace(service));
        if !namespaces.contains(&namespace) {
            namespaces.push(namespace);
        }
    }
    let namespaces = match namespaces.len() {
        1 => format!("namespace {}", namespaces[0]),
        _ => format!("namespaces {}", namespaces.join(", ")),
    };
    let environments: Vec<String> = design
        .environments
        .iter()
        .map(|env| {
            let gate = if env.requires_approval {
                " — add required reviewers (Settings → Environments → Deployment protection rules) so the deploy waits for an approval"
            } else {
                ""
            };
            let reads = cloud::image_read_role(design, env).then(|| format!("environment variable `{}` (not a secret): the `image_read_role_arn` output of its Terraform state, the read-only role GitHub's OIDC token assumes to read the images CI pushed", cloud::READ_ROLE_VARIABLE));
            let access = if env.gitops() {
                let store = reads.map_or("nothing to store".to_owned(), |reads| format!("{reads}; nothing else to store"));
                return format!("- `{}`: {store} — Argo CD delivers it from the `{}` branch, and the deploy job only pushes there{}", markdown::escape(&env.name), crate::facts::gitops::deploy_branch(env), if env.requires_approval { " (through a pull request: protect the branch with a required review, see the Argo CD section)" } else { "" });
            } else {
                match cloud::cluster(design, &env.name) {
                Some(cluster) => format!("environment variable `{}` (not a secret): the `deploy_role_arn` output of its Terraform state, the role GitHub's OIDC token assumes to reach cluster `{cluster}`, with rights on {namespaces} only", cloud::ROLE_VARIABLE),
                None => {
                    let secret = format!("environment secret `KUBECONFIG` (the kubeconfig of that cluster, with rights on {namespaces} only)");
                    match reads {
                        Some(reads) => format!("{secret} and {reads}"),
                        None => secret,
                    }
                }
                }
            };
            format!("- `{}`: {access}{gate}", markdown::escape(&env.name))
        })
        .collect();
    let keyless = cloud::keyless(design);
    let charts = match charts.len() {
        1 => format!("the Helm chart in {}", charts[0]),
        _ => format!("the Helm charts in {}", charts.join(", ")),
    };
    let reads: Vec<&Environment> = design
        .environments
        .iter()
        .filter(|env| cloud::image_read_role(design, env))
        .collect();
    let secrets = design
        .environments
        .iter()
        .any(|env| !env.gitops() && cloud::cluster(design, &env.name).is_none());
    let variables = keyless || !reads.is_empty();
    let reviewed = design
        .environments
        .iter()
        .any(|env| env.requires_approval && !env.gitops());
    let mut closing: Vec<String> = Vec::new();
    if reviewed {
        closing.push(
            "Without reviewers on production, PIPELINE-010's approval is only a label.".to_owned(),
        );
    }
    if keyless {
        closing.push(format!("The deploys hold no cloud key: each job trades GitHub's OIDC token for one-hour credentials of its environment's role, which trusts only `repo:{}:environment:<name>` (SECRETS-007, CONSIST-005). Create the {namespaces} once as the cluster's creator (`kubectl create namespace …`): the role may edit inside it, not create it.", markdown::escape(design.repository.slug.trim())));
    }
    if !reads.is_empty() {
        closing.push(format!("The jobs that read the registry without a deploy role hold no registry password either: each trades GitHub's OIDC token for one-hour credentials of its environment's image read role, which trusts only `repo:{}:environment:<name>` and may only pull the services' images (SECRETS-007, CONSIST-005).", markdown::escape(design.repository.slug.trim())));
    }
    closing.push("Redeploy by hand with *Run workflow* on the branch.".to_owned());
    Some(format!(
        "Commit `.github/workflows/deploy.yml` next to {charts}. CI calls it after the image build on a deploy branch (its `{CALL_JOB}` job) and it deploys that commit's image; create these GitHub environments (Settings → Environments, or Terraform's `github_repository_environment`){}:\n\n{}\n\n{}",
        match (secrets, variables) {
            (false, false) => "",
            (false, true) => " with their variables",
            (true, false) => " with their secrets",
            (true, true) => " with their secrets and variables",
        },
        environments.join("\n"),
        closing.join(" ")
    ))
}

fn render(design: &Design) -> String {
    let plan = plan(design);
    let on = Map::new()
        .entry("workflow_call", workflow_call(design, &plan))
        .note(
            "CI calls this workflow after its build on a deploy branch (PIPELINE-008): the \
             deploy is part of that push's run, so it never starts for a pull request or for \
             another workflow's run.",
        )
        .entry("workflow_dispatch", Map::new())
        .note(
            "A manual re-deploy of the selected branch's head, which CI must have built. No \
             inputs: nothing typed by hand reaches the deploy.",
        );
    let mut env = Map::new();
    let variables = image_variables(design);
    for index in deploy_order(design) {
        env.push(
            variables[index].clone(),
            image_repository(design, &design.services[index]),
        );
    }
    let root = Map::new()
        .entry("name", "Deploy")
        .entry("run-name", "Deploy ${{ github.sha }}")
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
            env.entry("IMAGE_TAG", "${{ github.sha }}").note(
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
        "ci.yml calls this workflow after the image build on a deploy branch; it also runs by \
         hand (Run workflow) to redeploy a branch's head.",
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
        let rendered = deploy_job(
            design,
            (*index, &plan.ids[position]),
            job,
            needs,
            &plan.branches[position],
        );
        map = map.entry(plan.ids[position].clone(), rendered).gap();
    }
    map
}

/// The `if:` that runs a job for pushes to one of `branches` (CI's run, which calls this
/// workflow after its build) or for a manual run of one of them. A called workflow sees the
/// caller's event and ref; a fork's pull request can carry a branch called `main`, but never
/// the ref `refs/heads/main`, hence the event check.
fn event_guard(branches: &[String]) -> String {
    let tests: Vec<String> = branches
        .iter()
        .map(|branch| {
            let literal = super::expression_literal(branch);
            format!("github.ref == 'refs/heads/{}'", literal.trim_matches('\''))
        })
        .collect();
    let refs = if tests.len() == 1 {
        tests[0].clone()
    } else {
        format!("({})", tests.join(" || "))
    };
    format!("(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && {refs}")
}

/// The id of CI's job that calls this workflow.
pub const CALL_JOB: &str = "deploy";

/// The branches any job of this workflow runs for: those CI calls it on.
pub(crate) fn call_branches(design: &Design) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for set in plan(design).branches {
        for branch in set {
            if !all.contains(&branch) {
                all.push(branch);
            }
        }
    }
    all
}

/// `on.workflow_call`: the secrets the jobs read, which CI passes by name (never `secrets:
/// inherit`, which would hand every repository secret to every job). Environment secrets such as
/// `KUBECONFIG` need no passing: a job with an `environment` reads them itself, and they win over
/// a passed secret of the same name.
fn workflow_call(design: &Design, plan: &Plan) -> Map {
    let mut call = Map::new();
    if deploys_by_digest(design) {
        let mut inputs = Map::new();
        for index in deploy_order(design) {
            inputs.push(
                digest_key(design, index),
                Map::new()
                    .entry("type", "string")
                    .entry("required", false)
                    .entry("default", ""),
            );
        }
        call = call.entry("inputs", inputs).note(
            "The digest CI pushed for each image; empty (a manual run) deploys the commit's tag.",
        );
    }
    let names = secret_names(&jobs(design, plan));
    if names.is_empty() {
        return call;
    }
    let mut secrets = Map::new();
    for name in names {
        secrets.push(name, Map::new().entry("required", false));
    }
    call.entry("secrets", secrets)
}

/// The repository secrets the deploy jobs read, which CI's calling job passes on.
pub(crate) fn passed_secrets(design: &Design) -> Vec<String> {
    secret_names(&jobs(design, &plan(design)))
}

/// The names in `${{ secrets.NAME }}` references of the jobs, sorted, except the job token and
/// the environments' `KUBECONFIG`. Inert design text never matches: its `${{` is rewritten.
fn secret_names(jobs: &Map) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    jobs.visit_text(&mut |text| {
        for part in text.split("${{ secrets.").skip(1) {
            let length = part
                .bytes()
                .take_while(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
                .count();
            let name = &part[..length];
            if part[length..].starts_with(" }}")
                && !name.is_empty()
                && name != "GITHUB_TOKEN"
                && name != "KUBECONFIG"
            {
                names.push(name.to_owned());
            }
        }
    });
    names.sort();
    names.dedup();
    names
}

/// The permissions of CI's calling job: a called workflow's jobs get at most what the caller
/// grants, so for each scope the most any deploy job asks for (their own maps, so the two
/// cannot drift apart), in a fixed order and with the reason the caller needs it.
pub(crate) fn call_permissions(design: &Design) -> Map {
    const SCOPES: [(&str, &str); 5] = [
        (
            "contents",
            "GitOps: the deploy commits the new version to the environments' deploy branches",
        ),
        (
            "pull-requests",
            "GitOps: the deploy opens the pull request whose merge approves a promotion",
        ),
        (
            "id-token",
            "the deploy jobs trade GitHub's OIDC token for short-lived AWS credentials",
        ),
        (
            "attestations",
            "the deploy verifies each image's provenance and SBOM (PIPELINE-023)",
        ),
        (
            "packages",
            "the deploy looks up which images CI pushed for this commit",
        ),
    ];
    let asked: Vec<Map> = plan(design)
        .jobs
        .iter()
        .map(|(_, job)| deploy_permissions(design, job))
        .collect();
    let access = |scope: &str| {
        let levels = asked
            .iter()
            .flat_map(Map::entries)
            .filter(|entry| entry.key == scope)
            .filter_map(|entry| match &entry.value {
                Node::Str(level) => Some(level.as_str()),
                _ => None,
            });
        levels.fold(None, |most: Option<&str>, level| match (most, level) {
            (Some("write"), _) | (_, "write") => Some("write"),
            _ => Some(level),
        })
    };
    let mut permissions = Map::new();
    for (scope, reason) in SCOPES {
        match (scope, access(scope)) {
            // Every caller may read the repository; writing it is the GitOps promotions'.
            ("contents", None | Some("read")) => permissions = permissions.entry(scope, "read"),
            (_, None) => {}
            (_, Some(level)) => permissions = permissions.entry(scope, level).trailing(reason),
        }
    }
    permissions
}

fn deploy_job(
    design: &Design,
    (index, id): (usize, &str),
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
    // The services deploy one after the other: the job outlasts all their Helm timeouts.
    let helm_timeout: u32 = deploy_order(design)
        .into_iter()
        .map(|index| helm_timeout_seconds(&design.services[index]))
        .sum();
    let timeout = if job.kind == JobKind::Deploy {
        job.timeout_minutes
            .max(helm_timeout / 60 + 5 + super::analysis::extra_minutes(design))
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
        .entry("permissions", deploy_permissions(design, job));
    if !environment.is_empty() {
        let mut environment_map = Map::new().entry("name", inert(environment));
        if let Some(url) = env.map(|env| env.url.trim()).filter(|url| !url.is_empty()) {
            environment_map = environment_map.entry("url", inert(url));
        }
        let approval = env.is_some_and(|env| env.requires_approval);
        map = map
            .entry("environment", environment_map)
            .note(if promotes(design, job).is_some() {
                "The environment records each promotion; Argo CD delivers it, and where it needs \
             approval the approval is the merge of the promotion's pull request (PIPELINE-010)."
            } else if approval {
                "Required reviewers on this environment hold the job until someone approves \
             (PIPELINE-010); its secrets are scoped to it (SECRETS-002)."
            } else {
                "Environment-scoped secrets and an optional protection rule (PIPELINE-011)."
            });
        map = map
            .entry("concurrency", concurrency(environment, id))
            .note("One deploy per environment at a time, and never cancelled halfway (A20).");
    } else {
        map = map
            .entry("concurrency", concurrency(environment, id))
            .note("One run of this job per branch at a time, never cancelled halfway (A20).");
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

/// The concurrency of the deploy job `id` to `environment` (empty: none), which the rollback
/// of that environment shares, so the two never run at once.
pub(super) fn concurrency(environment: &str, id: &str) -> Map {
    let group = if environment.is_empty() {
        format!("deploy-{id}-${{{{ github.ref }}}}")
    } else {
        format!("deploy-{}", identifier(environment, "environment"))
    };
    Map::new()
        .entry("group", group)
        .entry("cancel-in-progress", false)
}

/// Read the code; a Helm deploy of a design whose CI builds only the changed services also
/// reads the registry, to find which images this commit has.
fn deploy_permissions(design: &Design, job: &Job) -> Map {
    if let Some(env) = promotes(design, job) {
        return promotion_permissions(design, job, env);
    }
    let mut permissions = Map::new().entry("contents", "read");
    if keyless_job(design, job) {
        permissions = permissions
            .entry("id-token", "write")
            .trailing("GitHub's OIDC token, for the deploy role (SECRETS-007)");
    }
    permissions = image_read_token(design, job, permissions);
    if verifies(design, job) {
        permissions = permissions.entry("attestations", "read").trailing(
            "verifies the image's provenance and SBOM before deploying it (PIPELINE-023)",
        );
    }
    if reads_registry(design, job) {
        permissions
            .entry("packages", "read")
            .trailing("looks up which images CI pushed for this commit")
    } else {
        permissions
    }
}

/// Whether a job is a Helm deploy (or GitOps promotion) of the generated steps.
fn helm_deploy(job: &Job) -> bool {
    generated_deploy(job)
}

/// The GitOps environment a generated deploy job promotes to, instead of deploying with Helm.
pub(super) fn promotes<'a>(design: &'a Design, job: &Job) -> Option<&'a Environment> {
    if !helm_deploy(job) {
        return None;
    }
    crate::facts::deploys::target_environment(design, job)
        .map(|(_, env)| env)
        .filter(|env| env.gitops() && design.uses_kubernetes())
}

/// A promotion writes the environment's deploy branch, through a pull request when the
/// environment needs approval; it never reaches the cluster.
fn promotion_permissions(design: &Design, job: &Job, environment: &Environment) -> Map {
    let mut permissions = image_read_token(
        design,
        job,
        deploy_branch_permissions(environment, "the new version"),
    );
    let verify = verifies_images(design);
    if verify {
        permissions = permissions.entry("attestations", "read").trailing(
            "verifies the image's provenance and SBOM before promoting it (PIPELINE-023)",
        );
    }
    if (has_gate(design) || verify) && super::registry_host(design) == "ghcr.io" {
        permissions = permissions
            .entry("packages", "read")
            .trailing("looks up which images CI pushed for this commit");
    }
    permissions
}

/// The token permissions of a job that commits `what` to a GitOps environment's deploy branch:
/// directly, or through a pull request where the environment needs approval.
pub(super) fn deploy_branch_permissions(environment: &Environment, what: &str) -> Map {
    let permissions = Map::new()
        .entry("contents", "write")
        .trailing(format!("commits {what} to the deploy branch"));
    if environment.requires_approval {
        permissions
            .entry("pull-requests", "write")
            .trailing("opens the pull request whose merge is the approval")
    } else {
        permissions
    }
}

/// The start of a script that commits to a deploy branch: the job's token reaches git through
/// gh's credential helper, and the commits are the Actions bot's.
pub(super) const GIT_AS_ACTIONS_BOT: &str = "gh auth setup-git\ngit config --global user.name 'github-actions[bot]'\ngit config --global user.email '41898282+github-actions[bot]@users.noreply.github.com'\n";

/// The step that checks out the environment's deploy branch into `$RUNNER_TEMP/deploy-branch`
/// (an empty one on the first promotion) with the built commit's charts and Argo CD files;
/// it follows [`GIT_AS_ACTIONS_BOT`].
const DEPLOY_BRANCH_SCRIPT: &str = r#"work="$RUNNER_TEMP/deploy-branch"
status=0
git ls-remote --exit-code --heads origin "refs/heads/$BRANCH" > /dev/null || status=$?
if [ "$status" = 0 ]; then
  git fetch --no-tags --depth 1 origin "refs/heads/$BRANCH"
  git worktree add --detach "$work" FETCH_HEAD
elif [ "$status" = 2 ]; then
  # The first promotion: the branch starts empty.
  git worktree add --orphan -b deploy-branch "$work"
  git -C "$work" commit --quiet --allow-empty --message "Start $BRANCH"
  git -C "$work" push --quiet origin "HEAD:refs/heads/$BRANCH"
else
  echo "::error::Cannot read the $BRANCH branch."
  exit 1
fi
rm -rf "$work/charts" "$work/${ARGOCD_FOLDER:?}"
mkdir -p "$work/releases" "$work/argocd"
cp -R charts "$work/charts"
cp -R "$ARGOCD_FOLDER" "$work/$ARGOCD_FOLDER""#;

/// The steps of a GitOps deploy: copy the built commit's charts and Argo CD files to the
/// environment's deploy branch, pin each image CI built, and push (or open a pull request).
fn promotion_steps(design: &Design, job: &Job, environment: &Environment) -> Vec<Node> {
    let name = identifier(&environment.name, "staging");
    let variables = image_variables(design);
    let order = deploy_order(design);
    let per_service = per_service_runs(design);
    let verify = verifies_images(design);
    let mut steps: Vec<Node> = vec![checkout(design, Some("${{ env.IMAGE_TAG }}"))
        .note("The charts and Argo CD files of the commit being promoted.")
        .into()];
    if per_service.is_some() || verify {
        steps.extend(super::registry_login(design, aws_role(design, job)));
    }
    if let Some(services) = &per_service {
        steps.push(built_images_step(&variables, services).into());
    }
    let git_env = Map::new()
        .entry("GH_TOKEN", "${{ github.token }}")
        .entry("BRANCH", deploy_branch(environment));
    steps.push(
        run(
            "Check out the deploy branch",
            &format!("{GIT_AS_ACTIONS_BOT}{DEPLOY_BRANCH_SCRIPT}"),
        )
            .note("The job's token reaches git through gh's credential helper, never .git/config or a URL. The branch keeps releases/: the image each service runs there.")
            .entry("env", git_env.clone().entry("ARGOCD_FOLDER", argocd_folder(environment)))
            .into(),
    );
    for &index in &order {
        let service = &design.services[index];
        let chart = chart_name(service);
        let only_if = per_service
            .as_deref()
            .and_then(|services| services.iter().find(|files| files.service == index))
            .map(|files| format!("steps.built.outputs.{} == 'true'", files.key));
        let digest = format!("${{{{ inputs.{} }}}}", digest_key(design, index));
        let variable = &variables[index];
        if verify {
            steps.push(verify_step(&chart, variable, only_if.clone(), digest.clone()).into());
        }
        let mut env = Map::new().entry("RELEASE_FILE", release_file(service));
        if deploys_by_digest(design) {
            env = env.entry("IMAGE_DIGEST", digest);
        }
        let script = format!(
            "{{\n  echo \"# The image of {chart} in {name}, pinned by the deploy workflow for $IMAGE_TAG.\"\n  echo 'image:'\n  echo \"  repository: \\\"${variable}\\\"\"\n  echo \"  tag: \\\"$IMAGE_TAG\\\"\"\n  echo \"  digest: \\\"${{IMAGE_DIGEST:-}}\\\"\"\n}} > \"$RUNNER_TEMP/deploy-branch/$RELEASE_FILE\""
        );
        let step = Map::new()
            .entry("name", format!("Pin the {chart} image"))
            .optional("if", only_if)
            .entry("run", block(&script));
        let step = if index == order[0] {
            step.note("Argo CD deploys what releases/ names: the image CI built, tested and scanned (PIPELINE-012), by digest.")
        } else {
            step
        };
        steps.push(step.entry("env", env).into());
    }
    let pins: Vec<String> = order
        .iter()
        .map(|&index| release_file(&design.services[index]))
        .collect();
    let mut script = format!(
        "cd \"$RUNNER_TEMP/deploy-branch\"\nfor pin in {}; do\n  if [ ! -f \"$pin\" ]; then\n    echo \"::error::$pin is missing: CI has not built that service's image yet, so Argo CD would have nothing to run.\"\n    exit 1\n  fi\ndone\ngit add --all\nif git diff --cached --quiet; then\n  echo \"::notice::{name} already runs this commit.\"\n  exit 0\nfi\ngit commit --quiet --message \"Deploy $IMAGE_TAG to {name}\"\n",
        pins.join(" ")
    );
    let note = if environment.requires_approval {
        script.push_str(&format!("head=\"promote/{name}-$IMAGE_TAG\"\ngit push --quiet --force origin \"HEAD:refs/heads/$head\"\nif ! gh pr view \"$head\" --repo \"$GITHUB_REPOSITORY\" > /dev/null 2>&1; then\n  gh pr create --repo \"$GITHUB_REPOSITORY\" --base \"$BRANCH\" --head \"$head\" \\\n    --title \"Deploy $IMAGE_TAG to {name}\" \\\n    --body \"Merging this pull request deploys $IMAGE_TAG to {name}: Argo CD syncs $BRANCH.\"\nfi\necho \"::notice::Merge the pull request into $BRANCH to deploy to {name}.\""));
        "The environment needs approval: the promotion is a pull request into its deploy branch, and merging it is the approval (PIPELINE-010). Argo CD syncs what is merged; CI never writes to the cluster (HELM-006)."
    } else {
        script.push_str("git push --quiet origin \"HEAD:refs/heads/$BRANCH\"\necho \"::notice::Argo CD syncs $BRANCH: its Applications show the rollout.\"");
        "Argo CD syncs the deploy branch; CI never writes to the cluster (HELM-006)."
    };
    // No smoke request follows: it would run before the sync and test the version still running.
    let note = if smoke_tested_by_argocd(design, &environment.name) {
        format!("{note} No smoke request follows, as it would run before the sync: the charts' PostSync hook smoke-tests the new version in the cluster once Argo CD has synced it (PIPELINE-019).")
    } else {
        note.to_owned()
    };
    let label = if environment.requires_approval {
        "Open the promotion pull request"
    } else {
        "Promote"
    };
    steps.push(run(label, &script).note(&note).entry("env", git_env).into());
    steps
}

/// Whether a deploy job logs in to the registry with the repository secrets although CI pushes
/// keylessly: one that reads the registry with no AWS role, which only a deploy to an
/// environment the design does not declare lacks (no state creates its image read role,
/// CONSIST-005).
pub(crate) fn reads_registry_with_secrets(design: &Design) -> bool {
    deploys_read_registry(design)
        && plan(design)
            .jobs
            .iter()
            .any(|(_, job)| helm_deploy(job) && aws_role(design, job) == AwsRole::None)
}

/// Whether a job verifies the provenance of the images it deploys.
fn verifies(design: &Design, job: &Job) -> bool {
    helm_deploy(job) && verifies_images(design)
}

/// Whether a job reads the registry: a Helm deploy that looks up which images CI built, or
/// verifies their provenance.
fn reads_registry(design: &Design, job: &Job) -> bool {
    helm_deploy(job)
        && (has_gate(design) || verifies(design, job))
        && super::registry_host(design) == "ghcr.io"
}

/// `helm --timeout`: beyond the Deployment's progress deadline, so Kubernetes marks a stalled
/// rollout as failed before Helm gives up (ROLLOUT-002); at least ten minutes.
pub(super) fn helm_timeout_seconds(service: &Service) -> u32 {
    (service.kubernetes.rollout.progress_deadline_seconds + 120).max(600)
}

pub(super) use crate::facts::cloud::namespace;

/// Cluster credentials. Keyless (an environment whose EKS cluster the design's Terraform
/// creates, `pipeline.cloud_auth: oidc`, SECRETS-007): GitHub's OIDC token buys one-hour
/// credentials of the environment's deploy role, and `aws eks update-kubeconfig` writes a
/// kubeconfig that holds no secret. Otherwise the environment's `KUBECONFIG` secret is written
/// to a private file, reaching the script only through `env`. Either way the file sits in the
/// runner's temporary folder and no step puts it in `$GITHUB_ENV`: every later step names it
/// in its own `env` ([`cluster_env`]), so no step can redirect another's cluster.
pub(super) fn cluster_access(design: &Design, environment: &str) -> Vec<Node> {
    let Some(cluster) = cloud::cluster(design, environment) else {
        return vec![run(
            "Configure cluster access",
            "if [ -z \"$KUBECONFIG_CONTENT\" ]; then\n  echo \"::error::The KUBECONFIG secret of this environment is empty.\"\n  exit 1\nfi\numask 077\nprintf '%s\\n' \"$KUBECONFIG_CONTENT\" > \"$RUNNER_TEMP/kubeconfig\"",
        )
        .note("A private file, never $GITHUB_ENV: each step that talks to the cluster names it in its own env.")
        .entry("env", Map::new().entry("KUBECONFIG_CONTENT", "${{ secrets.KUBECONFIG }}"))
        .into()];
    };
    let region = inert(&cloud::region(design));
    let kubeconfig = run(
        "Configure cluster access",
        &format!("aws eks update-kubeconfig --name {cluster} --region \"$AWS_REGION\" --kubeconfig \"$RUNNER_TEMP/kubeconfig\""),
    )
    .note("The kubeconfig holds no secret: `aws eks get-token` signs with the one-hour credentials.")
    .entry("env", cluster_env().entry("AWS_REGION", region.clone()));
    vec![
        super::aws_credentials(
            design,
            cloud::ROLE_VARIABLE,
            "This environment's deploy role (infra/ output deploy_role_arn), which trusts only this repository's jobs in this environment: no stored key (SECRETS-007, CONSIST-005).",
            region,
        ),
        kubeconfig.into(),
    ]
}

/// The `env` of a step that talks to the cluster: the kubeconfig file [`cluster_access`] wrote.
pub(super) fn cluster_env() -> Map {
    Map::new().entry("KUBECONFIG", "${{ runner.temp }}/kubeconfig")
}

/// Whether a job holds its environment's deploy role: a keyless deploy.
pub(super) fn keyless_job(design: &Design, job: &Job) -> bool {
    job.kind == JobKind::Deploy
        && cloud::cluster(design, &job.environment).is_some()
        && promotes(design, job).is_none()
}

/// The AWS role a deploy job reads the registry with: its deploy role, its environment's
/// image read role (a job without a deploy role that reads a keyless Amazon ECR), or none.
fn aws_role(design: &Design, job: &Job) -> AwsRole {
    if keyless_job(design, job) {
        AwsRole::Deploy
    } else if cloud::image_reader(design, job).is_some() {
        AwsRole::ImageRead
    } else {
        AwsRole::None
    }
}

/// The `id-token: write` of a job that assumes its environment's image read role.
fn image_read_token(design: &Design, job: &Job, permissions: Map) -> Map {
    if aws_role(design, job) == AwsRole::ImageRead {
        permissions
            .entry("id-token", "write")
            .trailing("GitHub's OIDC token, for the image read role (SECRETS-007)")
    } else {
        permissions
    }
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
    if let Some(env) = promotes(design, job) {
        return promotion_steps(design, job, env);
    }
    let mut steps: Vec<Node> = vec![
        checkout(design, Some("${{ env.IMAGE_TAG }}"))
            .note("The chart and values of the commit being deployed.")
            .into(),
        uses(design, "Set up Helm", ActionRef::SetupHelm)
            .entry("with", Map::new().entry("version", HELM_VERSION))
            .into(),
    ];
    steps.extend(cluster_access(design, &job.environment));
    if !job.commands.is_empty() {
        steps.extend(
            crate::facts::jobs::job_commands(design, index, job)
                .into_iter()
                .map(|command| {
                    run(&command_label(&command.text), &command.text)
                        .entry("env", cluster_env())
                        .into()
                }),
        );
        return steps;
    }
    let values = identifier(environment.unwrap_or(&job.environment), "staging");
    let variables = image_variables(design);
    let order = deploy_order(design);
    let several = order.len() > 1;
    let per_service = per_service_runs(design);
    let verify = verifies_images(design);
    if per_service.is_some() || verify {
        steps.extend(super::registry_login(design, aws_role(design, job)));
    }
    if let Some(services) = &per_service {
        steps.push(built_images_step(&variables, services).into());
    }
    let by_digest = deploys_by_digest(design);
    for (position, index) in order.into_iter().enumerate() {
        let service = &design.services[index];
        let only_if = per_service
            .as_deref()
            .and_then(|services| services.iter().find(|files| files.service == index))
            .map(|files| format!("steps.built.outputs.{} == 'true'", files.key));
        let chart = chart_name(service);
        let namespace = namespace(service);
        let variable = &variables[index];
        let script = format!(
            "helm upgrade --install {chart} charts/{chart} \\\n  --namespace {namespace} \\\n  --values charts/{chart}/values/{values}.yaml \\\n  --set-string image.repository=\"${variable}\" \\\n  --set-string image.tag=\"$IMAGE_TAG\" \\\n{}  --atomic --wait --timeout {}s \\\n  --history-max 10",
            if by_digest { "  --set-string image.digest=\"$IMAGE_DIGEST\" \\\n" } else { "" },
            helm_timeout_seconds(service)
        );
        let mut env = cluster_env();
        if by_digest {
            env = env.entry(
                "IMAGE_DIGEST",
                format!("${{{{ inputs.{} }}}}", digest_key(design, index)),
            );
        }
        if verify {
            let digest = format!("${{{{ inputs.{} }}}}", digest_key(design, index));
            steps.push(verify_step(&chart, variable, only_if.clone(), digest).into());
        }
        let label = if several {
            format!("Deploy {chart} with Helm")
        } else {
            "Deploy with Helm".to_owned()
        };
        let judge =
            super::analysis::idle_colour_step(design, service, only_if.clone(), cluster_env());
        let step = Map::new()
            .entry("name", label)
            .optional("if", only_if)
            .entry("run", block(&script));
        let step = if position == 0 {
            step.note(
                "--wait returns once the new pods are ready, --atomic rolls a failed or stalled \
                 release back (PIPELINE-019, ROLLOUT-002); earlier revisions stay for `helm \
                 rollback` (HELM-004). Per-environment settings live in the values file (HELM-002).",
            )
        } else {
            step
        };
        steps.push(step.entry("env", env).into());
        steps.extend(judge.map(Node::from));
    }
    if let Some(url) = environment.and_then(|name| smoke_url(design, name)) {
        steps.push(smoke_step(url).into());
    }
    steps
}

/// The SBOM attestation's predicate type: an SPDX 2.3 document, what CI's SBOM step writes.
pub(crate) const SBOM_PREDICATE: &str = "https://spdx.dev/Document/v2.3";

/// The step that checks an image's build provenance and SBOM attestations before it is
/// deployed or promoted: only an image this repository's CI built and attested passes
/// (PIPELINE-023).
fn verify_step(chart: &str, variable: &str, only_if: Option<String>, digest: String) -> Map {
    Map::new()
        .entry("name", format!("Verify the {chart} image's provenance and SBOM"))
        .optional("if", only_if)
        .entry("run", block(&format!(
            "image=\"${variable}@$IMAGE_DIGEST\"\nif [ -z \"$IMAGE_DIGEST\" ]; then image=\"${variable}:$IMAGE_TAG\"; fi\ngh attestation verify \"oci://$image\" --repo \"$GITHUB_REPOSITORY\"\ngh attestation verify \"oci://$image\" --repo \"$GITHUB_REPOSITORY\" --predicate-type {SBOM_PREDICATE}"
        )))
        .note("Refuses an image this repository's CI did not build and attest, and one without its signed SBOM (PIPELINE-023).")
        .entry("env", Map::new()
            .entry("GH_TOKEN", "${{ github.token }}")
            .entry("IMAGE_DIGEST", digest))
}

/// The step that tells which services CI built an image of for this commit: CI builds only
/// the services a change touched, and the others keep the version they run.
fn built_images_step(variables: &[String], services: &[ServiceFiles]) -> Map {
    let mut script = vec![
        "# CI builds only the services this commit touched; the others keep the version they run."
            .to_owned(),
    ];
    for files in services {
        let variable = &variables[files.service];
        script.push(format!(
            "if found=\"$(docker buildx imagetools inspect \"${variable}:$IMAGE_TAG\" 2>&1)\"; then\n  echo \"{key}=true\" >> \"$GITHUB_OUTPUT\"\nelif grep -qi 'not found' <<< \"$found\"; then\n  echo \"::notice::{key} did not change in this commit: its running version stays.\"\nelse\n  printf '%s\\n' \"$found\" >&2\n  echo \"::error::Cannot read the {key} image from the registry.\"\n  exit 1\nfi",
            key = files.key
        ));
    }
    Map::new()
        .entry("name", "Find the images CI built for this commit")
        .entry("id", "built")
        .entry("run", block(&script.join("\n")))
}

/// The public health URL of an environment, for web services with a URL: the environment's
/// URL is the design's main web service's (see [`primary_web_service`]).
fn smoke_url(design: &Design, environment: &str) -> Option<String> {
    let service = primary_web_service(design)?;
    let env = design
        .environments
        .iter()
        .find(|env| env.name == environment)?;
    let base = env.url.trim().trim_end_matches('/');
    if base.is_empty() {
        return None;
    }
    Some(format!(
        "{base}{}",
        crate::facts::workload::health_path(service)
    ))
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
    let install = own_service(design, job)
        .map(|service| service.commands.install.trim().to_owned())
        .unwrap_or_default();
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
    if job.commands.is_empty() && smoke_tested_by_argocd(design, &job.environment) {
        return vec![in_cluster_smoke_step(job.environment.trim()).into()];
    }
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

/// The smoke job of an environment Argo CD delivers: the deploy job before it only committed
/// the new version to the deploy branch (or opened the pull request whose merge deploys it), so
/// a request from here would test the version still running. The charts' PostSync hook tests the
/// new one once Argo CD has synced it; this step says so in the job summary.
fn in_cluster_smoke_step(environment: &str) -> Map {
    run(
        "Tell where the smoke test runs",
        "{\n  echo '### Smoke test'\n  printf 'Argo CD delivers %s: this run only committed the new version to its deploy branch, or opened the pull request whose merge deploys it. ' \"$ENVIRONMENT\"\n  echo 'The smoke test runs in the cluster once Argo CD has synced it: the PostSync hook Job of each web service chart (templates/smoke-test.yaml) requests its health endpoint, and a failure marks the sync failed. Argo CD shows the result on the Applications.'\n} >> \"$GITHUB_STEP_SUMMARY\"",
    )
    .note(
        "CI only promotes to this environment and ends before Argo CD syncs: a request from here \
         would test the version still running. The charts' PostSync hook tests the new one in \
         the cluster (PIPELINE-019).",
    )
    .entry("env", Map::new().entry("ENVIRONMENT", inert(environment)))
}

/// Whether Argo CD smoke-tests an environment after its syncs: it delivers the environment and
/// a web service's chart has the PostSync hook (`smokeTest.enabled` in that environment's
/// values).
fn smoke_tested_by_argocd(design: &Design, environment: &str) -> bool {
    delivered_by_gitops(design, environment)
        && design
            .services
            .iter()
            .any(|service| smoke_tested_after_sync(design, service))
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
