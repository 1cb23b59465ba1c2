//! Property tests over random valid designs: any preset, switched to any runtime and service
//! kind, with up to three more services of any language and kind (some sharing the first
//! service's folder), any rollout strategy, extra environments, jobs removed, features toggled, and
//! optionally every one-click fix applied. Every generated artifact parses and passes the
//! structural checks below, and the design survives its own file format and a share link.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;
use slipway_core::model::{Instruction, RolloutStrategy, Runtime, ServiceKind};
use slipway_core::{edits, generate, io, pipeline_graph, presets, rules, share, Design, Syntax};

/// What a random design is made of.
#[derive(Debug, Clone)]
struct Choices {
    preset: usize,
    runtime: Option<Runtime>,
    kind: Option<ServiceKind>,
    strategy: RolloutStrategy,
    extra_environments: usize,
    keep_job: Vec<bool>,
    healthcheck: bool,
    tests_in_builder: bool,
    kubernetes: bool,
    railway: bool,
    infrastructure: bool,
    apply_every_fix: bool,
    /// More services: language, kind, and whether it shares the first service's folder.
    extra_services: Vec<(Runtime, ServiceKind, bool)>,
}

fn choices() -> impl Strategy<Value = Choices> {
    let runtimes = proptest::option::of(proptest::sample::select(Runtime::ALL.to_vec()));
    let kinds = proptest::option::of(proptest::sample::select(vec![
        ServiceKind::WebService,
        ServiceKind::Worker,
        ServiceKind::StaticSite,
    ]));
    let strategies = proptest::sample::select(vec![
        RolloutStrategy::Rolling,
        RolloutStrategy::BlueGreen,
        RolloutStrategy::Canary,
    ]);
    (
        (
            0..presets::all().len(),
            runtimes,
            kinds,
            strategies,
            0usize..3,
        ),
        proptest::collection::vec(proptest::bool::weighted(0.8), 12),
        proptest::array::uniform6(any::<bool>()),
        proptest::collection::vec(
            (
                proptest::sample::select(Runtime::ALL.to_vec()),
                proptest::sample::select(vec![
                    ServiceKind::WebService,
                    ServiceKind::Worker,
                    ServiceKind::StaticSite,
                ]),
                proptest::bool::weighted(0.25),
            ),
            0..4,
        ),
    )
        .prop_map(
            |(
                (preset, runtime, kind, strategy, extra_environments),
                keep_job,
                flags,
                extra_services,
            )| Choices {
                preset,
                runtime,
                kind,
                strategy,
                extra_environments,
                keep_job,
                healthcheck: flags[0],
                tests_in_builder: flags[1],
                kubernetes: flags[2],
                railway: flags[3],
                infrastructure: flags[4],
                apply_every_fix: flags[5],
                extra_services,
            },
        )
}

fn build(choices: &Choices) -> Design {
    let mut design = (presets::all()[choices.preset].build)();
    if let Some(runtime) = choices.runtime {
        edits::set_runtime(&mut design.services[0], runtime);
    }
    if let Some(kind) = choices.kind {
        edits::set_service_kind(&mut design.services[0], kind);
    }
    design.services[0].kubernetes.rollout.strategy = choices.strategy;
    for (runtime, kind, shared_folder) in &choices.extra_services {
        let name = edits::fresh_service_name(&design, "extra");
        let mut service = edits::new_service(&name, *runtime, *kind);
        if *shared_folder {
            service.directory = design.services[0].directory.clone();
        }
        design.services.push(service);
    }
    for _ in 0..choices.extra_environments {
        edits::add_environment(&mut design);
    }
    let dropped: Vec<String> = design
        .pipeline
        .jobs
        .iter()
        .zip(&choices.keep_job)
        .filter(|(_, keep)| !**keep)
        .map(|(job, _)| job.id.clone())
        .collect();
    for id in dropped {
        pipeline_graph::remove_job(&mut design, &id);
    }
    design.services[0].container.healthcheck.enabled &= choices.healthcheck;
    design.services[0].container.run_tests_in_builder = choices.tests_in_builder;
    design.services[0].kubernetes.enabled = choices.kubernetes;
    design.services[0].railway.enabled = choices.railway;
    design.infrastructure.enabled = choices.infrastructure;
    if choices.apply_every_fix {
        // A fix can reveal another finding; a few rounds reach the fixed point.
        for _ in 0..4 {
            let fixable: Vec<&str> = rules::check(&design)
                .iter()
                .filter(|finding| finding.fix.is_some())
                .map(|finding| finding.rule)
                .collect();
            if fixable.is_empty() {
                break;
            }
            for rule in fixable {
                rules::apply_fix(&mut design, rule);
            }
        }
    }
    design
}

fn parse_yaml(path: &str, contents: &str) -> Result<Value, String> {
    serde_norway::from_str(contents)
        .map_err(|error| format!("{path}: YAML does not parse: {error}"))
}

fn is_job_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A GitHub Actions workflow: triggers, jobs with runners and steps, `needs` inside the file.
fn check_workflow(path: &str, workflow: &Value) -> Result<(), String> {
    if workflow.get("on").is_none() {
        return Err(format!("{path}: no `on` triggers"));
    }
    let jobs = workflow
        .get("jobs")
        .and_then(Value::as_object)
        .filter(|jobs| !jobs.is_empty())
        .ok_or_else(|| format!("{path}: no jobs"))?;
    for (id, job) in jobs {
        if !is_job_id(id) {
            return Err(format!("{path}: job id `{id}` is not a valid identifier"));
        }
        if job.get("uses").is_none() {
            if job.get("runs-on").is_none() {
                return Err(format!("{path}: job `{id}` has no runs-on"));
            }
            let steps = job
                .get("steps")
                .and_then(Value::as_array)
                .filter(|steps| !steps.is_empty())
                .ok_or_else(|| format!("{path}: job `{id}` has no steps"))?;
            for step in steps {
                if step.get("run").is_none() && step.get("uses").is_none() {
                    return Err(format!("{path}: a step of `{id}` neither runs nor uses"));
                }
            }
        }
        let needs: Vec<&str> = match job.get("needs") {
            None => Vec::new(),
            Some(Value::String(need)) => vec![need.as_str()],
            Some(Value::Array(needs)) => needs.iter().filter_map(Value::as_str).collect(),
            Some(other) => return Err(format!("{path}: `{id}` needs {other}")),
        };
        for need in &needs {
            if !jobs.contains_key(*need) {
                return Err(format!(
                    "{path}: `{id}` needs `{need}`, not in this workflow"
                ));
            }
        }
        check_change_outputs(path, jobs, id, job, &needs)?;
    }
    if let Some(gate) = jobs.get("ci-passed") {
        let needs: BTreeSet<&str> = gate["needs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        // The call of deploy.yml runs only on pushes to deploy branches, after the build: the
        // gate is the pull request's check and does not wait for deploys or their approvals.
        let others: BTreeSet<&str> = jobs
            .iter()
            .filter(|(id, job)| *id != "ci-passed" && job.get("uses").is_none())
            .map(|(id, _)| id.as_str())
            .collect();
        if needs != others || gate["if"] != "always()" {
            return Err(format!(
                "{path}: the gate must always run and need every other job ({others:?}), needs {needs:?}"
            ));
        }
    }
    Ok(())
}

/// Every `needs.changes.outputs.<service>` a job or step reads is an output of the `changes`
/// job, which the job needs.
fn check_change_outputs(
    path: &str,
    jobs: &serde_json::Map<String, Value>,
    id: &str,
    job: &Value,
    needs: &[&str],
) -> Result<(), String> {
    let mut conditions: Vec<&str> = job["if"].as_str().into_iter().collect();
    for step in job["steps"].as_array().into_iter().flatten() {
        conditions.extend(step["if"].as_str());
    }
    for condition in conditions {
        const OUTPUT: &str = "needs.changes.outputs.";
        for (at, _) in condition.match_indices(OUTPUT) {
            let key: String = condition[at + OUTPUT.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            let declared = jobs
                .get("changes")
                .and_then(|changes| changes["outputs"].get(&key))
                .is_some();
            if !declared || !needs.contains(&"changes") {
                return Err(format!(
                    "{path}: `{id}` reads the `{key}` output of `changes` without needing a job that declares it"
                ));
            }
        }
    }
    Ok(())
}

/// A Dockerfile: stages parse, `COPY --from` names an earlier stage, the final stage runs as a
/// named non-root user.
fn check_dockerfile(path: &str, contents: &str) -> Result<(), String> {
    let stages = slipway_core::import::dockerfile::parse(contents)
        .map_err(|error| format!("{path}: does not parse: {error:?}"))?;
    let mut earlier = BTreeSet::new();
    for parsed in &stages {
        for instruction in &parsed.stage.instructions {
            if let Instruction::Copy { from, .. } = instruction {
                if !from.is_empty() && !earlier.contains(from.as_str()) {
                    return Err(format!("{path}: COPY --from={from} names no earlier stage"));
                }
            }
        }
        earlier.insert(parsed.stage.name.as_str());
    }
    let last = stages.last().ok_or_else(|| format!("{path}: no stage"))?;
    let user = last
        .stage
        .instructions
        .iter()
        .rev()
        .find_map(|instruction| match instruction {
            Instruction::User { user } => Some(user.as_str()),
            _ => None,
        })
        .ok_or_else(|| format!("{path}: the final stage sets no USER"))?;
    let name = user.split(':').next().unwrap_or_default();
    if name == "root" || name == "0" {
        return Err(format!("{path}: the final stage runs as root"));
    }
    Ok(())
}

fn check_artifacts(design: &Design) -> Result<(), String> {
    let bundle = generate(design);
    for file in &bundle.files {
        let path = file.path.as_str();
        let contents = file.contents.as_str();
        // Helm renders its templates before YAML reads them.
        if path.contains("/templates/") {
            continue;
        }
        match file.syntax {
            Syntax::Yaml => {
                let value = parse_yaml(path, contents)?;
                if path.starts_with(".github/workflows/") {
                    check_workflow(path, &value)?;
                } else if path.ends_with("/Chart.yaml") {
                    for key in ["apiVersion", "name", "version"] {
                        if value.get(key).is_none() {
                            return Err(format!("{path}: no `{key}`"));
                        }
                    }
                } else if path == "compose.yaml"
                    && value
                        .get("services")
                        .and_then(Value::as_object)
                        .is_none_or(|services| services.is_empty())
                {
                    return Err(format!("{path}: no services"));
                }
            }
            Syntax::Json => {
                let value: Value = serde_json::from_str(contents)
                    .map_err(|error| format!("{path}: JSON does not parse: {error}"))?;
                let name = path.rsplit('/').next().unwrap_or(path);
                if name.starts_with("railway") && value.get("deploy").is_none() {
                    return Err(format!("{path}: no deploy section"));
                }
            }
            Syntax::Dockerfile => check_dockerfile(path, contents)?,
            Syntax::Hcl => {
                hcl::from_str::<hcl::Body>(contents)
                    .map_err(|error| format!("{path}: HCL does not parse: {error}"))?;
            }
            Syntax::Toml | Syntax::Markdown | Syntax::Text => {}
        }
    }
    for required in [".github/workflows/ci.yml", "slipway.yaml"] {
        if bundle.file(required).is_none() {
            return Err(format!("no {required} in the bundle"));
        }
    }
    let dockerfiles = bundle
        .files
        .iter()
        .filter(|file| file.syntax == Syntax::Dockerfile)
        .count();
    if dockerfiles != design.services.len() {
        return Err(format!(
            "{dockerfiles} Dockerfiles for {} services",
            design.services.len()
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_artifact_of_a_random_design_parses_and_is_well_formed(choices in choices()) {
        let design = build(&choices);
        check_artifacts(&design).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn a_random_design_survives_its_file_and_a_share_link(choices in choices()) {
        let design = build(&choices);
        let read = io::parse_design(&io::to_yaml(&design))
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(&read, &design);
        let shared = share::decode(&share::encode(&design))
            .map_err(|error| TestCaseError::fail(error.to_string()))?;
        prop_assert_eq!(&shared, &design);
    }
}

/// One edit an editor might make: which service (modulo their number) and what.
fn apply_edit(design: &mut Design, service: usize, edit: u8) {
    let index = service % design.services.len();
    let count = design.services.len();
    let target = &mut design.services[index];
    match edit % 19 {
        0 => target.container.port = target.container.port.wrapping_add(1).max(1),
        1 => target.commands.start = vec![format!("node server-{service}.js")],
        2 => target.kubernetes.resources.limits_memory = format!("{}Mi", 256 + service),
        3 => target.kubernetes.probes.readiness.path = format!("/ready-{service}"),
        4 => target.railway.healthcheck_path = "/healthz".into(),
        5 => target.kubernetes.ingress.host = format!("s{service}.example.com"),
        6 => edits::set_runtime(target, Runtime::ALL[service % Runtime::ALL.len()]),
        7 => edits::set_service_kind(target, ServiceKind::Worker),
        8 => target.name = format!("svc-{service}"),
        9 => target
            .container
            .dockerignore
            .push(format!("tmp-{service}/")),
        10 => {
            let other = design.services[(index + 1) % count].name.clone();
            design.services[index].talks_to.push(other);
        }
        11 => design.project.name = format!("system-{service}"),
        14 => target.container.healthcheck.interval_seconds = 10 + (service % 50) as u32,
        15 => target.container.runtime_image = format!("node:{}-alpine", 18 + service % 6),
        16 => target.container.user.uid = 2000 + service as u32,
        17 => target
            .container
            .env
            .push(slipway_core::model::EnvVar::new("FEATURE", "on")),
        18 => target.container.healthcheck.path = format!("/health-{service}"),
        12 => {
            if let Some(environment) = design.environments.first_mut() {
                environment.replicas = 2 + (service % 3) as u32;
            }
        }
        _ => {
            let fixable: Vec<&str> = rules::check(design)
                .iter()
                .filter(|finding| finding.fix.is_some())
                .map(|finding| finding.rule)
                .collect();
            if let Some(rule) = fixable.get(service % fixable.len().max(1)) {
                rules::apply_fix(design, rule);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The editor's incremental check and generation give exactly the full ones, edit after
    /// edit.
    #[test]
    fn incremental_results_equal_full_ones_over_random_edits(
        choices in choices(),
        edits in proptest::collection::vec((0usize..8, any::<u8>()), 1..8),
    ) {
        let mut design = build(&choices);
        let mut incremental = slipway_core::incremental::Incremental::new();
        let first = incremental.check(&design);
        incremental.generate(&design, &first);
        for (service, edit) in edits {
            apply_edit(&mut design, service, edit);
            let findings = incremental.check(&design);
            prop_assert_eq!(&findings, &rules::check(&design));
            let full = generate(&design);
            if let Some(readme) = incremental.readme(&design, &findings) {
                prop_assert_eq!(Some(&readme), full.file("README.md"));
            }
            let bundle = incremental.generate(&design, &findings);
            prop_assert_eq!(&bundle, &full);
        }
    }
}

#[test]
fn the_structural_checks_catch_what_they_claim() {
    let dangling = parse_yaml(
        "ci.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    needs: build\n    steps:\n      - run: make\n",
    )
    .unwrap();
    assert!(check_workflow("ci.yml", &dangling)
        .unwrap_err()
        .contains("needs `build`"));
    let stepless = parse_yaml("ci.yml", "on: push\njobs:\n  test:\n    runs-on: x\n").unwrap();
    assert!(check_workflow("ci.yml", &stepless).is_err());
    assert!(check_dockerfile("Dockerfile", "FROM node:20\nUSER root\n")
        .unwrap_err()
        .contains("root"));
    assert!(check_dockerfile(
        "Dockerfile",
        "FROM node:20 AS a\nCOPY --from=b /x /x\nUSER app\n"
    )
    .unwrap_err()
    .contains("--from=b"));
    assert!(check_dockerfile("Dockerfile", "FROM node:20\nUSER 1001\n").is_ok());
}
