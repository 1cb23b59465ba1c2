use super::audit as run;
use super::*;

fn rules_of(audit: &Audit) -> Vec<(&'static str, Option<usize>)> {
    audit
        .findings
        .iter()
        .map(|finding| (finding.finding.rule, finding.line))
        .collect()
}

#[test]
fn files_are_recognised_by_name_and_content() {
    assert_eq!(
        detect("build/Dockerfile", ""),
        Some(ArtifactKind::Dockerfile)
    );
    assert_eq!(detect("api.Dockerfile", ""), Some(ArtifactKind::Dockerfile));
    assert_eq!(
        detect("pasted", "# syntax=docker/dockerfile:1\nFROM node:20\n"),
        Some(ArtifactKind::Dockerfile)
    );
    assert_eq!(
        detect("railway.json", "{}"),
        Some(ArtifactKind::RailwayJson)
    );
    assert_eq!(
        detect("values-prod.yaml", ""),
        Some(ArtifactKind::HelmValues)
    );
    assert_eq!(
        detect("x", "replicaCount: 2\n"),
        Some(ArtifactKind::HelmValues)
    );
    assert_eq!(detect("slipway.yaml", ""), Some(ArtifactKind::Design));
    assert_eq!(detect("notes.txt", "hello"), None);
    assert_eq!(
        detect("team/orders.yaml", "name: x\n"),
        Some(ArtifactKind::Design)
    );
}

#[test]
fn a_root_dockerfile_is_reported_at_its_lines() {
    let text = "FROM node:latest\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD npm start\n";
    let audit = run("Dockerfile", text).unwrap();
    let found = rules_of(&audit);
    assert!(
        found.iter().all(|(rule, _)| rule.starts_with("DOCKER-")),
        "{found:?}"
    );
    assert!(found.contains(&("DOCKER-001", Some(1))), "{found:?}");
    assert!(
        found
            .iter()
            .any(|(rule, line)| *rule == "DOCKER-007" && *line == Some(1)),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(rule, _)| *rule == "DOCKER-003"),
        "needs the .dockerignore"
    );
}

#[test]
fn railway_json_is_checked_at_its_keys() {
    let text = "{\n  \"build\": { \"builder\": \"NIXPACKS\" },\n  \"deploy\": {\n    \"startCommand\": \"npm start\",\n    \"restartPolicyType\": \"ALWAYS\"\n  }\n}\n";
    let audit = run("railway.json", text).unwrap();
    assert_eq!(audit.kind, ArtifactKind::RailwayJson);
    let found = rules_of(&audit);
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .all(|(rule, line)| rule.starts_with("RAILWAY-") && line.is_some()),
        "{found:?}"
    );
    // No health check: reported on the `deploy` section.
    let deploy_line = Some(3);
    assert!(
        found.iter().any(|(_, line)| *line == deploy_line),
        "{found:?}"
    );
}

#[test]
fn helm_values_are_checked_in_both_layouts() {
    let conventional =
        "replicaCount: 1\nimage:\n  repository: nginx\nsecurityContext: {}\nresources: {}\n";
    let audit = run("values.yaml", conventional).unwrap();
    let found = rules_of(&audit);
    for rule in ["K8S-001", "K8S-006", "K8S-007", "K8S-009"] {
        assert!(
            found.iter().any(|(id, _)| *id == rule),
            "{rule} missing: {found:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|(id, line)| *id == "K8S-009" && *line == Some(5)),
        "{found:?}"
    );
    // Slipway's own values for the node-api preset pass the same rules its design passes.
    let design = crate::presets::find("node-api").unwrap();
    let bundle = crate::generate(&(design.build)());
    let values = bundle.file("charts/node-api/values.yaml").unwrap();
    let ours = run("values.yaml", &values.contents).unwrap();
    let failing: Vec<_> = rules_of(&ours);
    assert!(
        !failing.iter().any(|(rule, _)| [
            "K8S-001", "K8S-002", "K8S-003", "K8S-004", "K8S-005", "K8S-006", "K8S-007", "K8S-009"
        ]
        .contains(rule)),
        "{failing:?}"
    );
}

#[test]
fn malformed_input_gets_a_located_error() {
    let error = audit(
        "railway.json",
        "{\n  \"deploy\": {\n    \"numReplicas\": ,\n  }\n}",
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3), "{error}");
    let error = run("values.yaml", "replicaCount: 1\nresources: [\n").unwrap_err();
    assert!(error.line.is_some(), "{error}");
    let error = run("Dockerfile", "FROM node:20\nCOPY\n").unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
    assert!(run("notes.txt", "hello")
        .unwrap_err()
        .message
        .contains("Dockerfile"));
    assert!(run("Dockerfile", &"#".repeat(crate::io::MAX_DESIGN_BYTES + 1)).is_err());
}

#[test]
fn truncated_files_never_panic() {
    let bundle = crate::generate(&crate::presets::for_runtime(crate::model::Runtime::Node));
    for (name, path) in [
        ("Dockerfile", "Dockerfile"),
        ("railway.json", "railway.json"),
        ("values.yaml", "charts/app/values.yaml"),
    ] {
        let Some(file) = bundle.file(path) else {
            continue;
        };
        let text = &file.contents;
        for cut in (0..text.len())
            .step_by(7)
            .filter(|cut| text.is_char_boundary(*cut))
        {
            let _ = audit(name, &text[..cut]);
        }
    }
}

/// Findings the audit makes on generated files although the design passes the rule, because
/// the design's check cannot see them. Each one is a gap of a generator, not of the audit.
const KNOWN_GENERATOR_GAPS: &[(&str, &str, &str)] = &[];

/// Whether a generated file is a whole artifact audit mode reads (per-environment values
/// files are partial overrides of values.yaml, not audited alone).
fn audited_artifact(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "Dockerfile"
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerignore")
        || name == "railway.json"
        || path == "slipway.yaml"
        || path.starts_with(".github/workflows/")
        || (path.starts_with("charts/") && path.ends_with("/values.yaml"))
}

/// Every audited file generated for every preset: no finding the design itself does not
/// have, and no critical or high one.
#[test]
fn generated_files_audit_clean_where_the_design_is_clean() {
    let mut problems = Vec::new();
    for preset in crate::presets::all() {
        let design = (preset.build)();
        let open: Vec<&str> = rules::check(&design)
            .iter()
            .filter(|finding| !finding.waived)
            .map(|finding| finding.rule)
            .collect();
        let bundle = crate::generate(&design);
        let files: Vec<_> = bundle
            .files
            .iter()
            .filter(|file| audited_artifact(&file.path))
            .collect();
        assert!(files.len() >= 4, "{}: {} files", preset.id, files.len());
        for file in files {
            let audited = run(&file.path, &file.contents)
                .unwrap_or_else(|error| panic!("{} {}: {error}", preset.id, file.path));
            for finding in &audited.findings {
                let known = KNOWN_GENERATOR_GAPS.contains(&(
                    preset.id,
                    file.path.as_str(),
                    finding.finding.rule,
                ));
                let serious = finding.finding.severity <= crate::rules::Severity::High
                    && !finding.finding.waived;
                if !known && (serious || !open.contains(&finding.finding.rule)) {
                    problems.push(format!(
                        "{} {} ({}): {} line {:?} {} ({})",
                        preset.id,
                        file.path,
                        audited.kind.label(),
                        finding.finding.rule,
                        finding.line,
                        finding.finding.message,
                        finding.finding.field
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A workflow with one problem per rule the audit finds in workflows.
const BAD_WORKFLOW: &str = r#"name: CI
on:
  push:
    branches: ["**"]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install
      - name: Test
        run: |
          npm test || true
          echo done
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t ghcr.io/acme/api:latest .
      - run: docker push ghcr.io/acme/api:latest
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: kubectl apply -f k8s/
        env:
          API_TOKEN: sk_live_abcdefghijklmnop1234
"#;

#[test]
fn a_bad_workflow_is_reported_at_its_lines() {
    let audited = run(".github/workflows/ci.yml", BAD_WORKFLOW).unwrap();
    assert_eq!(audited.kind, ArtifactKind::GithubWorkflow);
    let found = rules_of(&audited);
    for expected in [
        ("BRANCH-008", Some(4)),   // push on every branch
        ("PIPELINE-001", Some(2)), // no pull_request trigger
        ("CACHE-001", Some(6)),    // npm install without a cache
        ("CACHE-006", Some(13)),   // npm install, not npm ci
        ("PIPELINE-003", Some(16)),
        ("PIPELINE-014", Some(16)), // || true
        ("PIPELINE-008", Some(18)), // build does not wait for test
        ("PIPELINE-013", Some(22)), // :latest
        ("PIPELINE-006", Some(23)), // push before a scan
        ("PIPELINE-009", Some(24)), // deploy to no environment
        ("PIPELINE-019", Some(27)), // no rollout wait, no smoke test
        ("SECRETS-001", Some(30)),  // literal token
    ] {
        assert!(found.contains(&expected), "{expected:?} missing: {found:?}");
    }
    assert!(
        !found
            .iter()
            .any(|(rule, _)| rule.starts_with("DOCKER-") || rule.starts_with("K8S-")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(rule, _)| *rule == "PIPELINE-007"),
        "a CI workflow is not the scheduled scan: {found:?}"
    );
    // "Nothing lints", "no security job": the repository's other workflows may have them.
    assert!(
        !found
            .iter()
            .any(|(rule, _)| *rule == "PIPELINE-002" || *rule == "PIPELINE-005"),
        "{found:?}"
    );
}

#[test]
fn what_a_workflow_is_decides_the_rules_about_the_whole_pipeline() {
    // A release on tags is not CI: no cancel-in-progress or pull-request trigger is asked of it.
    let release = "on:\n  push:\n    tags: ['v*']\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo test\n      - run: cargo build --release\n";
    let found = rules_of(&run(".github/workflows/release.yml", release).unwrap());
    for absent in ["PIPELINE-001", "PIPELINE-015", "BRANCH-008"] {
        assert!(
            !found.iter().any(|(rule, _)| *rule == absent),
            "{absent}: {found:?}"
        );
    }
    // Nightly tests on a schedule are not the security scan.
    let nightly = "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n";
    let found = rules_of(&run(".github/workflows/nightly.yml", nightly).unwrap());
    assert!(
        !found.iter().any(|(rule, _)| *rule == "PIPELINE-007"),
        "{found:?}"
    );
    // CI on every pushed branch deploys nothing: its push filter is no concern.
    let ci = "on: [push, pull_request]\nconcurrency:\n  group: ${{ github.ref }}\n  cancel-in-progress: true\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: go test ./...\n";
    let found = rules_of(&run(".github/workflows/ci.yml", ci).unwrap());
    assert!(
        !found.iter().any(|(rule, _)| *rule == "BRANCH-008"),
        "{found:?}"
    );
    // A scheduled security scan still is one.
    let scan = "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  audit:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm audit --audit-level=high\n";
    let found = rules_of(&run(".github/workflows/scan.yml", scan).unwrap());
    assert!(
        found.iter().any(|(rule, _)| *rule == "PIPELINE-007"),
        "{found:?}"
    );
}

#[test]
fn workflows_are_recognised_by_path_and_content() {
    assert_eq!(
        detect(".github/workflows/release.yaml", ""),
        Some(ArtifactKind::GithubWorkflow)
    );
    assert_eq!(
        detect("pasted", "name: CI\n\"on\": [push]\njobs:\n  a: {}\n"),
        Some(ArtifactKind::GithubWorkflow)
    );
    assert_eq!(
        detect("ci.yml", BAD_WORKFLOW),
        Some(ArtifactKind::GithubWorkflow)
    );
    assert_eq!(
        detect("x/.dockerignore", ""),
        Some(ArtifactKind::Dockerignore)
    );
}

#[test]
fn malformed_workflows_get_a_located_error() {
    let error = run(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  test:\n    steps: [unclosed\n",
    )
    .unwrap_err();
    assert!(error.line.is_some() && error.column.is_some(), "{error}");
    let error = run(".github/workflows/ci.yml", "on: push\nname: no jobs\n").unwrap_err();
    assert!(error.message.contains("jobs"), "{error}");
    let error = run(".github/workflows/ci.yml", "on: push\njobs: [a, b]\n").unwrap_err();
    assert_eq!(error.line, Some(2), "{error}");
}

#[test]
fn a_dockerignore_alone_is_checked_for_the_required_entries() {
    let audited = run(".dockerignore", "node_modules\n# secrets\n.env\n").unwrap();
    assert_eq!(audited.kind, ArtifactKind::Dockerignore);
    assert_eq!(rules_of(&audited), [("DOCKER-003", None)]);
    for preset in crate::presets::all() {
        let bundle = crate::generate(&(preset.build)());
        let file = bundle
            .files
            .iter()
            .find(|file| file.path.ends_with(".dockerignore"))
            .unwrap();
        let audited = run(".dockerignore", &file.contents).unwrap();
        assert!(
            audited.findings.is_empty(),
            "{}: {:?}",
            preset.id,
            rules_of(&audited)
        );
    }
}

#[test]
fn truncated_workflows_never_panic() {
    for preset in crate::presets::all() {
        let bundle = crate::generate(&(preset.build)());
        for file in bundle.files.iter().filter(|file| {
            file.path.starts_with(".github/workflows/") || file.path == ".dockerignore"
        }) {
            let text = &file.contents;
            for cut in (0..text.len())
                .step_by(31)
                .filter(|cut| text.is_char_boundary(*cut))
            {
                let _ = run(&file.path, &text[..cut]);
            }
        }
    }
    for cut in (0..BAD_WORKFLOW.len()).filter(|cut| BAD_WORKFLOW.is_char_boundary(*cut)) {
        let _ = run(".github/workflows/ci.yml", &BAD_WORKFLOW[..cut]);
    }
}

#[test]
fn conventional_helm_values_are_checked_for_rollout_and_validity_at_their_lines() {
    let text = "replicaCount: 1\nimage:\n  repository: nginx\nstrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxSurge: 0\n    maxUnavailable: 1\nsecurityContext:\n  readOnlyRootFilesystem: true\nresources:\n  limits:\n    cpu: 100m\n  requests:\n    cpu: 500m\n";
    let found = rules_of(&run("values.yaml", text).unwrap());
    for expected in [
        ("K8S-012", Some(1)),     // one pod in production
        ("ROLLOUT-001", Some(8)), // maxUnavailable: 1
        ("K8S-001", Some(9)),
        ("VALID-012", Some(9)),  // read-only root without a writable /tmp
        ("VALID-006", Some(11)), // request above limit
        ("K8S-009", Some(11)),
        ("K8S-006", None), // no liveness probe at all: no line to point at
    ] {
        assert!(found.contains(&expected), "{expected:?} missing: {found:?}");
    }
    assert!(
        found
            .iter()
            .all(|(rule, _)| !rule.starts_with("PIPELINE") && *rule != "K8S-015"),
        "{found:?}"
    );
}

#[test]
fn railway_findings_point_at_the_keys_of_their_section() {
    let text = "{\n  \"environments\": {\"staging\": {\"deploy\": {\"restartPolicyType\": \"ALWAYS\"}}},\n  \"build\": {\n    \"builder\": \"NIXPACKS\",\n    \"buildCommand\": \"npm install\"\n  },\n  \"deploy\": {\n    \"startCommand\": \"npm start\",\n    \"restartPolicyType\": \"NEVER\"\n  }\n}\n";
    let found = rules_of(&run("railway.json", text).unwrap());
    for expected in [
        ("RAILWAY-002", Some(7)), // no health check: the deploy section
        ("RAILWAY-004", Some(9)), // NEVER restarts, not the override on line 2
        ("CACHE-006", Some(5)),   // npm install re-resolves versions
    ] {
        assert!(found.contains(&expected), "{expected:?} missing: {found:?}");
    }
    // A cron service is judged as the worker it is.
    let cron = "{\"deploy\": {\"cronSchedule\": \"0 * * * *\", \"restartPolicyType\": \"NEVER\"}}";
    assert!(rules_of(&run("railway.json", cron).unwrap()).is_empty());
}

#[test]
fn a_deploy_workflow_is_judged_by_its_deploy_commands_alone() {
    let text = "name: Deploy\non:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  deploy-production:\n    runs-on: ubuntu-latest\n    steps:\n      - run: helm upgrade --install api charts/api --history-max 0\n";
    let found = rules_of(&run(".github/workflows/deploy.yml", text).unwrap());
    for expected in [
        ("PIPELINE-010", Some(7)), // production deploy without an environment
        ("ROLLOUT-002", Some(10)), // no --atomic
        ("HELM-004", Some(10)),    // no release history
        ("PIPELINE-019", Some(9)), // no rollout wait or smoke test
    ] {
        assert!(found.contains(&expected), "{expected:?} missing: {found:?}");
    }
    for absent in [
        "PIPELINE-001",
        "PIPELINE-005",
        "PIPELINE-008",
        "PIPELINE-015",
        "BRANCH-008",
    ] {
        assert!(
            !found.iter().any(|(rule, _)| *rule == absent),
            "{absent} is about CI workflows: {found:?}"
        );
    }
}

#[test]
fn matrices_github_accepts_are_not_invalid() {
    let workflow = r#"on: push
jobs:
  include-only:
    runs-on: ${{ matrix.os }}
    env:
      PYTHON: ${{ matrix.python }}
    strategy:
      matrix:
        include:
          - {python: '3.13', os: ubuntu-latest}
          - {python: '3.12', os: windows-latest}
    steps:
      - run: echo hi
  mapping-values:
    runs-on: ${{ matrix.job.os }}
    strategy:
      matrix:
        job:
          - {target: x86_64-unknown-linux-gnu, os: ubuntu-latest}
          - {target: aarch64-apple-darwin, os: macos-latest}
    steps:
      - run: echo hi
  computed:
    runs-on: ${{ matrix.runner }}
    strategy:
      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}
    steps:
      - run: echo ${{ matrix.target }}
  computed-include:
    runs-on: ${{ matrix.runner }}
    strategy:
      matrix:
        go: [stable]
        include: ${{ fromJSON(needs.plan.outputs.include) }}
    steps:
      - run: go test ./...
"#;
    let audit = run(".github/workflows/ci.yml", workflow).unwrap();
    let found = rules_of(&audit);
    assert!(
        !found.iter().any(|(rule, _)| *rule == "VALID-009"),
        "{found:?}"
    );
    // A read of an axis that is nowhere is still invalid.
    let broken = "on: push\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        node: [20]\n    steps:\n      - run: npm test\n";
    let found = rules_of(&run(".github/workflows/ci.yml", broken).unwrap());
    assert!(found.contains(&("VALID-009", Some(4))), "{found:?}");
}

#[test]
fn a_dockerfile_is_judged_for_the_language_its_images_are_for() {
    let has = |text: &str, rule: &str| {
        rules_of(&run("Dockerfile", text).unwrap())
            .iter()
            .any(|(found, _)| *found == rule)
    };
    // A compiled Go binary on distroless needs no dependencies stage.
    let go = "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app\nFROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /\nUSER nonroot\nCMD [\"/app\"]\n";
    assert!(!has(go, "DOCKER-009"));
    // A Node app still does.
    let node = "FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20-alpine\nCOPY --from=build /app ./\nUSER node\nCMD [\"node\", \"dist/main.js\"]\n";
    assert!(has(node, "DOCKER-009"));
    // An image of no known language (a database built on Debian) is not told it lacks one.
    let database = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y redis\nUSER redis\nCMD [\"redis-server\"]\n";
    assert!(!has(database, "DOCKER-009"));
    // Windows Nano Server is the minimal Windows image.
    let nano =
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\nCMD [\"cmd\"]\n";
    assert!(!has(nano, "DOCKER-006"));
}

#[test]
fn bitnami_style_values_are_read_as_the_chart_renders_them() {
    let values = "image:\n  repository: bitnami/postgresql\nprimary:\n  replicaCount: 3\n  resourcesPreset: \"nano\"\n  extraVolumeMounts: []\n  resources: {}\n  podSecurityContext:\n    enabled: true\n    fsGroup: 1001\n    seccompProfile:\n      type: RuntimeDefault\n  containerSecurityContext:\n    enabled: true\n    runAsUser: 1001\n    runAsNonRoot: true\n    allowPrivilegeEscalation: false\n    readOnlyRootFilesystem: true\n    capabilities:\n      drop: [\"ALL\"]\n  livenessProbe:\n    enabled: true\n    periodSeconds: 10\n    failureThreshold: 6\n  readinessProbe:\n    enabled: true\n    periodSeconds: 10\n  pdb:\n    create: true\nmetrics:\n  enabled: false\n  containerSecurityContext:\n    enabled: false\n";
    let audit = run("values.yaml", values).unwrap();
    let found = rules_of(&audit);
    for absent in [
        "K8S-001", "K8S-002", "K8S-003", "K8S-004", "K8S-009", "K8S-013",
    ] {
        assert!(
            !found.iter().any(|(rule, _)| *rule == absent),
            "{absent}: {found:?}"
        );
    }
    // The probes' handlers are in the chart's templates: no "has no path".
    assert!(
        !audit
            .findings
            .iter()
            .any(|item| item.finding.message.contains("has no path")),
        "{found:?}"
    );
    // A container context turned off is as good as none.
    let off = "securityContext:\n  enabled: false\n  runAsNonRoot: true\n  readOnlyRootFilesystem: true\n";
    let found = rules_of(&run("values.yaml", off).unwrap());
    assert!(
        found.iter().any(|(rule, _)| *rule == "K8S-003"),
        "{found:?}"
    );
}

#[test]
fn test_clusters_and_global_flags_are_read_for_what_they_are() {
    // A chart test in a throwaway kind cluster is not a production deploy.
    let kind = "on: pull_request\njobs:\n  chart-test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: helm/kind-action@v1\n      - run: helm install api ./chart --wait\n";
    let found = rules_of(&run(".github/workflows/test.yml", kind).unwrap());
    for absent in ["ROLLOUT-002", "PIPELINE-019", "PIPELINE-020", "HELM-004"] {
        assert!(
            !found.iter().any(|(rule, _)| *rule == absent),
            "{absent}: {found:?}"
        );
    }
    // `--kubeconfig` before the subcommand still waits for the rollout.
    let waits = "on:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: kubectl --kubeconfig kube.yml apply -f k8s/\n      - run: kubectl --kubeconfig kube.yml rollout status deploy/api --timeout=5m\n";
    let audit = run(".github/workflows/deploy.yml", waits).unwrap();
    assert!(
        !audit
            .findings
            .iter()
            .any(|item| item.finding.rule == "PIPELINE-019"
                && item.finding.message.contains("rollout")),
        "{:?}",
        rules_of(&audit)
    );
}

/// A job that only commits the new version for Argo CD (or Flux) to sync is a GitOps promotion:
/// the cluster waits for the rollout, so PIPELINE-019 does not ask the job to; a job that also
/// writes to the cluster is judged as a deploy.
#[test]
fn gitops_promotions_are_not_asked_to_wait_for_the_rollout() {
    let promote = "on: push\njobs:\n  promote:\n    environment: production\n    runs-on: ubuntu-latest\n    steps:\n      - run: git push origin HEAD:refs/heads/deploy/production\n";
    let rules: Vec<_> = rules_of(&run(".github/workflows/deploy.yml", promote).unwrap())
        .into_iter()
        .map(|(rule, _)| rule)
        .collect();
    assert!(!rules.contains(&"PIPELINE-019"), "{rules:?}");
    let both = promote.replace(
        "      - run: git push",
        "      - run: kubectl apply -f k8s/\n      - run: git push",
    );
    let rules: Vec<_> = rules_of(&run(".github/workflows/deploy.yml", &both).unwrap())
        .into_iter()
        .map(|(rule, _)| rule)
        .collect();
    assert!(rules.contains(&"PIPELINE-019"), "{rules:?}");
}

/// A job that rolls a release back names its environment, but it is no deploy: the rules
/// about deploys (waiting for the build, verifying the rollout) do not judge it.
#[test]
fn rollback_jobs_are_not_deploys() {
    for command in [
        "helm rollback api 3 --wait",
        "kubectl rollout undo deployment/api",
        "kubectl argo rollouts undo api",
    ] {
        let text = format!("on: workflow_dispatch\njobs:\n  rollback:\n    environment: production\n    runs-on: ubuntu-latest\n    steps:\n      - run: {command}\n");
        let rules: Vec<_> = rules_of(&run(".github/workflows/rollback.yml", &text).unwrap())
            .into_iter()
            .map(|(rule, _)| rule)
            .collect();
        assert!(
            !rules.contains(&"PIPELINE-008") && !rules.contains(&"PIPELINE-019"),
            "{command}: {rules:?}"
        );
    }
}
