use super::*;
use crate::model::JobKind;

const WORKFLOW: &str = r#"name: CI
on:
  push:
    branches: [main, dev]
    paths: ["api/**"]
  pull_request:
  schedule:
    - cron: "0 3 * * 1"
  workflow_dispatch:
concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true
jobs:
  lint:
    name: Lint & type-check
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: api
    steps:
      - uses: actions/setup-node@v4
        with:
          cache: npm
          cache-dependency-path: api/package-lock.json
      - run: npm ci
      - run: |
          npm run lint

          # types
          npx tsc \
            --noEmit
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22]
        include:
          - node: 23
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: test
        options: >-
          --health-cmd "pg_isready -U postgres" --health-interval 10s
    env:
      DATABASE_URL: postgresql://postgres:test@localhost:5432/test
    steps:
      - uses: actions/cache@v4
        with:
          path: ~/.npm
          key: ${{ runner.os }}-npm-${{ hashFiles('**/package-lock.json', 'x.txt') }}
      - run: npm test -- --coverage
        continue-on-error: true
  image:
    needs: [lint, test]
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: |
            ghcr.io/acme/api:${{ github.sha }}
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          image-ref: ghcr.io/acme/api:${{ github.sha }}
          exit-code: "1"
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          image-ref: ghcr.io/acme/api:${{ github.sha }}
          format: sarif
          output: trivy.sarif
  release:
    needs: image
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://example.com
    steps:
      - run: helm upgrade --install api chart --wait
"#;

fn imported() -> ImportedWorkflow {
    parse(WORKFLOW).unwrap()
}

#[test]
fn triggers_concurrency_and_facts_are_read() {
    let workflow = imported();
    let triggers = &workflow.pipeline.triggers;
    assert_eq!(triggers.push_branches, ["main", "dev"]);
    assert_eq!(triggers.pull_request_branches, ["**"]);
    assert_eq!(triggers.security_schedule, "0 3 * * 1");
    assert!(triggers.manual);
    assert_eq!(workflow.pipeline.paths, ["api/**"]);
    assert!(workflow.pipeline.cancel_in_progress);
    assert_eq!(workflow.runtime, Some(Runtime::Node));
    assert_eq!(workflow.package_manager, Some(PackageManager::Npm));
    assert_eq!(workflow.image.as_deref(), Some("ghcr.io/acme/api"));
    assert_eq!(workflow.environments, ["production"]);
    assert!(workflow.events.push && workflow.events.schedule && !workflow.events.workflow_run);
}

#[test]
fn job_kinds_come_from_what_jobs_run_and_their_names() {
    let kinds: Vec<JobKind> = imported()
        .pipeline
        .jobs
        .iter()
        .map(|job| job.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            JobKind::Lint,
            JobKind::Test,
            JobKind::Build,
            JobKind::Deploy
        ]
    );
}

#[test]
fn scripts_become_commands_at_their_own_lines() {
    let workflow = imported();
    let lint = &workflow.pipeline.jobs[0];
    assert_eq!(
        lint.commands,
        ["npm ci", "npm run lint", "npx tsc --noEmit"]
    );
    assert_eq!(lint.working_directory, "api");
    assert_eq!(workflow.line_of("pipeline.jobs[0].commands[0]"), Some(25));
    assert_eq!(workflow.line_of("pipeline.jobs[0].commands[1]"), Some(27));
    assert_eq!(workflow.line_of("pipeline.jobs[0].commands[2]"), Some(30));
    assert_eq!(
        workflow.line_of("pipeline.jobs[0].cache.key_files"),
        Some(24)
    );
    // No `needs:` in the test job: its own line.
    assert_eq!(workflow.line_of("pipeline.jobs[1].needs"), Some(32));
    assert_eq!(workflow.line_of("pipeline.jobs[2].needs"), Some(56));
    assert_eq!(workflow.line_of("pipeline.jobs[3].environment"), Some(76));
    assert_eq!(workflow.line_of("pipeline.triggers.push_branches"), Some(4));
}

#[test]
fn caches_services_matrix_and_env_are_read() {
    let workflow = imported();
    let lint = &workflow.pipeline.jobs[0];
    assert!(lint.cache.enabled && !lint.cache.restore_keys);
    assert_eq!(lint.cache.key_files, ["api/package-lock.json"]);
    let test = &workflow.pipeline.jobs[1];
    assert_eq!(test.cache.paths, ["~/.npm"]);
    assert_eq!(test.cache.key_files, ["**/package-lock.json", "x.txt"]);
    assert!(!test.cache.restore_keys);
    assert_eq!(test.services[0].health_cmd, "pg_isready -U postgres");
    assert_eq!(test.services[0].image, "postgres:16");
    assert_eq!(test.matrix.len(), 1);
    // `include` adds a combination with a value the axis did not have.
    assert_eq!(test.matrix[0].values, ["20", "22", "23"]);
    assert_eq!(test.env[0].name, "DATABASE_URL");
    // continue-on-error hides the step's failure like `|| true` does.
    assert_eq!(test.commands, ["npm test -- --coverage || true"]);
}

#[test]
fn actions_become_the_commands_they_stand_for() {
    let workflow = imported();
    let image = &workflow.pipeline.jobs[2];
    assert_eq!(
        image.commands,
        [
            "docker buildx build --push -t ghcr.io/acme/api:${{ github.sha }} .",
            "trivy image --exit-code 1 ghcr.io/acme/api:${{ github.sha }}",
        ],
        "the SARIF report scan is not a gate and is left out"
    );
    assert_eq!(workflow.line_of("pipeline.jobs[2].commands[1]"), Some(64));
}

#[test]
fn anything_but_a_workflow_is_refused_with_a_location() {
    assert!(parse("jobs: 3\n").is_err());
    let error = parse("on: push\njobs:\n  a:\n    steps: [\n").unwrap_err();
    assert!(error.line.is_some(), "{error}");
    assert!(parse(&"#".repeat(MAX_DESIGN_BYTES + 1)).is_err());
    for text in [
        "",
        "- a\n- b\n",
        "jobs:\n  ? [a]\n  : b\n",
        "jobs:\n  a: &x [*x]\n",
    ] {
        let _ = parse(text);
    }
}

#[test]
fn every_generated_workflow_reads_back() {
    for preset in crate::presets::all() {
        let bundle = crate::generate(&(preset.build)());
        for file in bundle
            .files
            .iter()
            .filter(|file| file.path.starts_with(".github/workflows/"))
        {
            let workflow = parse(&file.contents).unwrap();
            assert!(!workflow.pipeline.jobs.is_empty(), "{}", file.path);
            for (field, line) in &workflow.lines {
                assert!(
                    *line >= 1 && *line <= file.contents.lines().count(),
                    "{field}"
                );
            }
        }
    }
}
