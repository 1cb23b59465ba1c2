//! Importing real repositories (`tests/repos/`, origins in its SOURCES.md, the facts checked
//! here written down by hand in its EXPECTED.md): the services, their languages, ports and
//! health paths, the CI jobs and environments come out as the files say; every file read
//! has a report; the imported design checks and exports without a refusal.

use std::path::Path;

use slipway_core::import::repository::{self, Limits, Outcome};
use slipway_core::model::{Design, PackageManager, Runtime, ServiceKind};

fn import(fixture: &str, name: &str) -> repository::RepositoryImport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/repos")
        .join(fixture);
    let (collector, _) = repository::from_folder(&root, Limits::default()).unwrap();
    assert!(collector.skipped.is_empty(), "{:?}", collector.skipped);
    let files = collector.files.len();
    let imported = repository::import(name, collector);
    assert_eq!(
        imported.report.files.len(),
        files,
        "every file read has a report"
    );
    for file in &imported.report.files {
        assert!(file.error.is_none(), "{}: {:?}", file.path, file.error);
        assert!(
            !file.entries.is_empty(),
            "{} has an empty report",
            file.path
        );
    }
    imported
}

/// (name, directory, kind, runtime, port, health path or "" when no file states one).
fn services(design: &Design) -> Vec<(String, String, ServiceKind, Runtime, u16, String)> {
    design
        .services
        .iter()
        .map(|service| {
            let health = if service.railway.enabled {
                service.railway.healthcheck_path.clone()
            } else {
                service.container.healthcheck.path.clone()
            };
            (
                service.name.clone(),
                service.directory.clone(),
                service.kind,
                service.runtime,
                service.container.port,
                health,
            )
        })
        .collect()
}

fn job_ids(design: &Design) -> Vec<&str> {
    design
        .pipeline
        .jobs
        .iter()
        .map(|job| job.id.as_str())
        .collect()
}

fn exports_cleanly(design: &Design) {
    assert_eq!(slipway_core::facts::limits::refusal(design), None);
    let bundle = slipway_core::generate(design);
    assert!(bundle.file(".github/workflows/ci.yml").is_some());
    let _ = slipway_core::rules::check(design);
    let text = slipway_core::io::to_yaml(design);
    assert_eq!(&slipway_core::io::parse_design(&text).unwrap(), design);
}

fn owned(
    items: &[(&str, &str, ServiceKind, Runtime, u16, &str)],
) -> Vec<(String, String, ServiceKind, Runtime, u16, String)> {
    items
        .iter()
        .map(|(a, b, c, d, e, f)| (a.to_string(), b.to_string(), *c, *d, *e, f.to_string()))
        .collect()
}

#[test]
fn single_service_node_app() {
    let imported = import("single-service", "excalidraw-room");
    let design = &imported.design;
    assert_eq!(
        services(design),
        owned(&[(
            "excalidraw-room",
            ".",
            ServiceKind::WebService,
            Runtime::Node,
            80,
            ""
        )])
    );
    let service = &design.services[0];
    assert_eq!(service.package_manager, PackageManager::Yarn);
    assert_eq!(
        service.runtime_version, "12",
        "the Dockerfile's node:12-alpine runs"
    );
    assert_eq!(service.commands.start, ["yarn", "start"]);
    assert_eq!(job_ids(design), ["lint", "publish-docker", "test"]);
    assert!(
        design.environments.is_empty(),
        "publishing an image deploys nowhere"
    );
    exports_cleanly(design);
}

#[test]
fn monorepo_with_frontend_and_backend() {
    let imported = import("monorepo-frontend-backend", "full-stack-fastapi-template");
    let design = &imported.design;
    assert_eq!(
        services(design),
        owned(&[
            (
                "prestart",
                "backend",
                ServiceKind::Worker,
                Runtime::Python,
                8000,
                ""
            ),
            (
                "backend",
                "backend",
                ServiceKind::WebService,
                Runtime::Python,
                8000,
                "/api/v1/utils/health-check/"
            ),
            (
                "frontend",
                "frontend",
                ServiceKind::StaticSite,
                Runtime::Node,
                80,
                ""
            ),
        ])
    );
    assert_eq!(design.services[1].lockfile, "../uv.lock");
    assert_eq!(design.services[1].runtime_version, "3.14");
    assert_eq!(design.services[1].talks_to, ["prestart"]);
    let environments: Vec<&str> = design
        .environments
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(environments, ["production", "staging"]);
    let deploys: Vec<(&str, &str)> = design
        .pipeline
        .jobs
        .iter()
        .filter(|job| !job.environment.is_empty())
        .map(|job| (job.id.as_str(), job.environment.as_str()))
        .collect();
    assert_eq!(
        deploys,
        [
            ("deploy", "production"),
            ("deploy-staging-deploy", "staging")
        ]
    );
    // The test runner image and the local override are reported, not imported.
    let report = &imported.report;
    let playwright = report
        .files
        .iter()
        .find(|f| f.path == "frontend/Dockerfile.playwright")
        .unwrap();
    assert_eq!(playwright.count(Outcome::Mapped), 0);
    let labeler = report
        .files
        .iter()
        .find(|f| f.path == ".github/workflows/labeler.yml")
        .unwrap();
    assert_eq!(labeler.role, "automation workflow");
    exports_cleanly(design);
}

#[test]
fn railway_monorepo() {
    let imported = import("railway-monorepo", "bnh-template");
    let design = &imported.design;
    let names: Vec<(&str, &str, ServiceKind)> = design
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.directory.as_str(), s.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("proxy", "infra/proxy", ServiceKind::StaticSite),
            ("api", "apps/api", ServiceKind::WebService),
            ("cron", "apps/cron", ServiceKind::Worker),
            ("migrate", "apps/migrate", ServiceKind::Worker),
            ("web", "apps/web", ServiceKind::WebService),
            ("ws", "apps/ws", ServiceKind::WebService),
        ]
    );
    assert!(design
        .services
        .iter()
        .all(|s| s.railway.enabled && !s.kubernetes.enabled));
    let api = &design.services[1];
    assert_eq!(api.railway.healthcheck_path, "/api/health");
    assert_eq!(api.lockfile, "../../bun.lock");
    assert_eq!(design.services[2].railway.cron_schedule, "0 3,15 * * *");
    assert_eq!(design.services[5].railway.healthcheck_path, "/health");
    // The Caddy proxy's folder has no manifest: its language is not guessed from the
    // workspace's package.json.
    assert!(design.services[0].commands.test.is_empty());
    assert_eq!(job_ids(design), ["lint", "build", "test", "docker"]);
    assert!(design.pipeline.cancel_in_progress);
    exports_cleanly(design);
}

#[test]
fn chart_based_go_service() {
    let imported = import("chart-based-service", "podinfo");
    let design = &imported.design;
    assert_eq!(
        services(design),
        owned(&[(
            "podinfo",
            ".",
            ServiceKind::WebService,
            Runtime::Go,
            9898,
            ""
        )])
    );
    let service = &design.services[0];
    assert!(service.kubernetes.enabled);
    assert_eq!(service.kubernetes.replicas, 1);
    assert_eq!(service.runtime_version, "1.26");
    let report = &imported.report;
    let otel = report
        .files
        .iter()
        .find(|f| f.path == "otel/docker-compose.yaml")
        .unwrap();
    assert_eq!(otel.role, "auxiliary stack");
    let release = report
        .files
        .iter()
        .find(|f| f.path == ".github/workflows/release.yml")
        .unwrap();
    assert_eq!(release.role, "release workflow");
    exports_cleanly(design);
}

#[test]
fn compose_app_with_a_worker_in_another_language() {
    let imported = import("compose-worker-app", "example-voting-app");
    let design = &imported.design;
    let found: Vec<(&str, ServiceKind, u16)> = design
        .services
        .iter()
        .map(|s| (s.name.as_str(), s.kind, s.container.port))
        .filter(|(_, kind, _)| *kind != ServiceKind::Worker)
        .collect();
    assert_eq!(
        found,
        [
            ("vote", ServiceKind::WebService, 80),
            ("result", ServiceKind::WebService, 80)
        ]
    );
    let worker = design.service_named("worker").unwrap();
    assert_eq!(worker.kind, ServiceKind::Worker);
    assert!(
        worker.commands.test.is_empty() && worker.lockfile.is_empty(),
        ".NET is not guessed"
    );
    assert_eq!(
        design.service_named("vote").unwrap().runtime_version,
        "3.11"
    );
    assert_eq!(
        design.service_named("result").unwrap().package_manager,
        PackageManager::Npm
    );
    // Every job calls a reusable workflow: reported, none imported.
    assert!(design.pipeline.jobs.is_empty());
    let report = &imported.report;
    let call = report
        .files
        .iter()
        .find(|f| f.path == ".github/workflows/call-docker-build-vote.yaml")
        .unwrap();
    assert!(call
        .entries
        .iter()
        .any(|e| e.text.contains("reusable workflow")));
    exports_cleanly(design);
}

/// Findings per rule when each repository is audited as a whole (`slipway lint PATH`), kept
/// in `tests/repos/findings.txt` so a change in precision shows up in review. Regenerate with
/// `UPDATE_REPOS=1 cargo test -p slipway-core --test repo_import`.
#[test]
fn findings_per_rule_on_the_repositories_match_the_committed_counts() {
    use std::collections::BTreeMap;
    let fixtures = [
        "single-service",
        "monorepo-frontend-backend",
        "railway-monorepo",
        "chart-based-service",
        "compose-worker-app",
    ];
    let mut counts: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (column, fixture) in fixtures.iter().enumerate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/repos")
            .join(fixture);
        let (collector, name) = repository::from_folder(&root, Limits::default()).unwrap();
        let audit = slipway_core::audit::repository::audit_repository(&name, collector);
        for file in &audit.files {
            assert!(
                file.result.is_ok(),
                "{fixture}/{}: {:?}",
                file.path,
                file.result
            );
        }
        for (_, found) in audit.findings() {
            counts
                .entry(found.finding.rule)
                .or_insert_with(|| vec![0; fixtures.len()])[column] += 1;
        }
    }
    let mut table = String::from(
        "# Findings per rule when each repository of tests/repos is audited as a whole.\n\
         # Columns: single-service, monorepo-frontend-backend, railway-monorepo,\n\
         # chart-based-service, compose-worker-app, total.\n",
    );
    let mut totals = vec![0; fixtures.len()];
    for (rule, row) in &counts {
        let cells: Vec<String> = row.iter().map(|n| format!("{n:>4}")).collect();
        let sum: usize = row.iter().sum();
        table.push_str(&format!("{rule:<14}{} {sum:>5}\n", cells.join("")));
        for (total, n) in totals.iter_mut().zip(row) {
            *total += n;
        }
    }
    let cells: Vec<String> = totals.iter().map(|n| format!("{n:>4}")).collect();
    table.push_str(&format!(
        "{:<14}{} {:>5}\n",
        "total",
        cells.join(""),
        totals.iter().sum::<usize>()
    ));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/repos/findings.txt");
    if std::env::var_os("UPDATE_REPOS").is_some() {
        std::fs::write(&path, &table).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, table,
        "the findings on tests/repos changed; if intended, run \
         `UPDATE_REPOS=1 cargo test -p slipway-core --test repo_import` and commit the counts"
    );
}
