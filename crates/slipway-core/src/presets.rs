//! Starting points: real-world designs a user picks and then shapes.

use crate::model::{
    Cache, Design, EnvVar, Instruction, Job, JobKind, MatrixAxis, MigrationOperation,
    MigrationPhase, OperationKind, RestartPolicy, Runtime, Secret, SecretSource, ServiceContainer,
    ServiceKind, Stage,
};

/// A named starting design.
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub build: fn() -> Design,
}

static PRESETS: &[Preset] = &[
    Preset {
        id: "node-api",
        name: "Node API",
        description: "TypeScript HTTP API on Node 20: npm, tests with PostgreSQL, rolling updates.",
        build: node_api,
    },
    Preset {
        id: "fastapi-react",
        name: "Python FastAPI + React",
        description: "The seed's monorepo: a FastAPI API with Poetry and PostgreSQL and a React \
                      front end served as a static site, CI on pull requests, production \
                      behind approval.",
        build: fastapi_react,
    },
    Preset {
        id: "web-api-worker",
        name: "Web + API + worker",
        description: "A Node monorepo of three services (a Vite front end, an API and a queue \
                      worker) with PostgreSQL and Redis, on Kubernetes and Railway.",
        build: web_api_worker,
    },
    Preset {
        id: "go-service",
        name: "Go service",
        description:
            "A Go HTTP service in a static binary on Alpine, canary releases with Argo Rollouts, \
             delivered by GitOps with Argo CD.",
        build: go_service,
    },
    Preset {
        id: "rust-service",
        name: "Rust service",
        description: "An axum-style Rust HTTP service, built with --locked, blue-green releases.",
        build: rust_service,
    },
    Preset {
        id: "java-spring",
        name: "Java / Spring service",
        description: "A Spring Boot service built with Maven, running on a JRE-only Alpine image.",
        build: java_spring,
    },
    Preset {
        id: "worker-cron",
        name: "Worker with cron",
        description: "A Node background job on Railway's cron schedule: no HTTP, no ingress.",
        build: worker_cron,
    },
    Preset {
        id: "static-site",
        name: "Static site",
        description: "A React front end built once and served by unprivileged nginx.",
        build: static_site,
    },
];

pub fn all() -> &'static [Preset] {
    PRESETS
}

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

/// A blank design: a web service with the documented defaults but no pipeline jobs, no
/// secrets and no infrastructure, to compose from scratch.
pub fn blank() -> Design {
    let mut design = Design::default();
    name(&mut design, "new-service");
    design.repository.slug = "acme/new-service".to_owned();
    design.pipeline.jobs.clear();
    design.infrastructure.enabled = false;
    design.services[0].railway.enabled = false;
    design
}

/// Names the system and its one service.
fn name(design: &mut Design, name: &str) {
    design.project.name = name.to_owned();
    if let Some(service) = design.services.first_mut() {
        service.name = name.to_owned();
    }
}

/// A complete design for `runtime` with every documented default.
pub fn for_runtime(runtime: Runtime) -> Design {
    let mut design = Design::default();
    crate::edits::set_runtime(&mut design.services[0], runtime);
    design
}

fn node_api() -> Design {
    let mut design = for_runtime(Runtime::Node);
    name(&mut design, "node-api");
    design.project.description = "Orders API".to_owned();
    design.repository.slug = "acme/node-api".to_owned();
    design.services[0].kubernetes.namespace = "node-api".to_owned();
    design.services[0].kubernetes.ingress.host = "api.example.com".to_owned();
    if let Some(test) = design
        .pipeline
        .jobs
        .iter_mut()
        .find(|job| job.kind == JobKind::Test)
    {
        test.services.push(ServiceContainer::postgres());
        test.env.push(EnvVar::new(
            "DATABASE_URL",
            "postgresql://postgres:test@localhost:5432/test",
        ));
        test.matrix.push(MatrixAxis {
            name: "node-version".to_owned(),
            values: vec!["20".to_owned(), "22".to_owned()],
        });
    }
    design.secrets.push(database_secret("node-api"));
    design
}

fn fastapi_react() -> Design {
    let mut design = for_runtime(Runtime::Python);
    name(&mut design, "fastapi-react");
    design.project.description = "FastAPI backend and React frontend in one repository".to_owned();
    design.services[0].name = "api".to_owned();
    design.services[0].directory = "backend".to_owned();
    design.repository.slug = "acme/fastapi-react".to_owned();
    // Third-party actions pinned to commit SHAs: a moved tag cannot change what CI runs.
    design.pipeline.pin_actions_to_sha = true;

    let mut backend_lint = Job::new("backend-lint", JobKind::Lint, &[]);
    backend_lint.name = "Backend lint & type-check".to_owned();
    backend_lint.working_directory = "backend".to_owned();
    backend_lint.commands = vec![
        "poetry install --no-interaction".to_owned(),
        "poetry run ruff format --check app/".to_owned(),
        "poetry run ruff check app/".to_owned(),
        "poetry run mypy app/ --ignore-missing-imports".to_owned(),
    ];
    backend_lint.cache = python_cache();

    let mut backend_test = Job::new("backend-test", JobKind::Test, &[]);
    backend_test.name = "Backend tests".to_owned();
    backend_test.working_directory = "backend".to_owned();
    backend_test.services.push(ServiceContainer::postgres());
    backend_test.env.push(EnvVar::new(
        "DATABASE_URL",
        "postgresql://postgres:test@localhost:5432/test",
    ));
    backend_test.commands = vec![
        "poetry install --no-interaction".to_owned(),
        "poetry run pytest --cov=app --cov-report=xml --cov-fail-under=80 -v".to_owned(),
    ];
    backend_test.cache = python_cache();

    let mut frontend_test = Job::new("frontend-test", JobKind::Test, &[]);
    frontend_test.name = "Frontend lint, tests & build".to_owned();
    frontend_test.runtime = Some(Runtime::Node);
    frontend_test.working_directory = "frontend".to_owned();
    frontend_test.commands = vec![
        "npm ci".to_owned(),
        "npm run lint".to_owned(),
        "npm run typecheck".to_owned(),
        "npm run test:coverage".to_owned(),
        "npm run build".to_owned(),
    ];
    frontend_test.cache = Cache {
        key_files: vec!["frontend/package-lock.json".to_owned()],
        ..Cache::default()
    };
    frontend_test.matrix.push(MatrixAxis {
        name: "node-version".to_owned(),
        values: vec!["20".to_owned(), "22".to_owned()],
    });

    let mut security = Job::new("security", JobKind::Security, &[]);
    security.working_directory = "backend".to_owned();
    // Each half of the monorepo audits its own lockfile (PIPELINE-005).
    let mut frontend_security = Job::new("frontend-security", JobKind::Security, &[]);
    frontend_security.runtime = Some(Runtime::Node);
    frontend_security.working_directory = "frontend".to_owned();
    frontend_security.cache = Cache {
        key_files: vec!["frontend/package-lock.json".to_owned()],
        ..Cache::default()
    };
    let build = Job::new(
        "build",
        JobKind::Build,
        &[
            "backend-lint",
            "backend-test",
            "frontend-test",
            "security",
            "frontend-security",
        ],
    );
    let deploys: Vec<Job> = Job::standard_set()
        .into_iter()
        .filter(|job| job.kind == JobKind::Deploy)
        .collect();
    design.pipeline.jobs = [
        backend_lint,
        backend_test,
        frontend_test,
        security,
        frontend_security,
        build,
    ]
    .into_iter()
    .chain(deploys)
    .collect();

    // Railway routes to `$PORT`; the Dockerfile builder runs the start command in exec form,
    // so a shell expands it (RAILWAY-009). Kubernetes keeps the image's fixed port 8000.
    design.services[0].railway.start_command =
        "/bin/sh -c \"exec uvicorn app.main:app --host 0.0.0.0 --port $PORT\"".to_owned();
    design.services[0].kubernetes.namespace = "fastapi-react".to_owned();
    design.services[0].kubernetes.ingress.host = "api.example.com".to_owned();
    // The React front end, built once and served by unprivileged nginx; browsers call the
    // API at its own host.
    let mut frontend =
        crate::edits::new_service("frontend", Runtime::Node, ServiceKind::StaticSite);
    frontend.kubernetes.namespace = "fastapi-react".to_owned();
    frontend.kubernetes.ingress.host = "app.example.com".to_owned();
    frontend.railway.healthcheck_path = "/".to_owned();
    design.services.push(frontend);
    design.infrastructure.redis.enabled = true;
    design.secrets.push(database_secret("fastapi-react"));
    design.secrets.push(Secret {
        name: "REDIS_URL".to_owned(),
        source: SecretSource::AwsSecretsManager,
        remote_key: "fastapi-react/redis".to_owned(),
        description: "Redis connection string".to_owned(),
    });
    // CI runs each half's checks only when its folder changed; the always-running gate is the
    // one check that says they all passed (facts::changes).
    require_the_gate(&mut design);
    design
}

fn go_service() -> Design {
    let mut design = for_runtime(Runtime::Go);
    name(&mut design, "go-service");
    design.project.description = "Inventory service".to_owned();
    design.repository.slug = "acme/go-service".to_owned();
    design.services[0].kubernetes.namespace = "go-service".to_owned();
    design.services[0].kubernetes.ingress.host = "inventory.example.com".to_owned();
    design.services[0].kubernetes.rollout.strategy = crate::model::RolloutStrategy::Canary;
    design.infrastructure.rds.enabled = false;
    // Argo CD syncs each environment from its deploy branch; production's promotion is a pull
    // request, approved by merging it.
    for environment in &mut design.environments {
        environment.delivery = crate::model::Delivery::Gitops;
    }
    design
}

fn rust_service() -> Design {
    let mut design = for_runtime(Runtime::Rust);
    name(&mut design, "rust-service");
    design.project.description = "Pricing service".to_owned();
    design.repository.slug = "acme/rust-service".to_owned();
    design.services[0].kubernetes.namespace = "rust-service".to_owned();
    design.services[0].kubernetes.ingress.host = "pricing.example.com".to_owned();
    design.services[0].kubernetes.rollout.strategy = crate::model::RolloutStrategy::BlueGreen;
    design
}

fn java_spring() -> Design {
    let mut design = for_runtime(Runtime::Java);
    name(&mut design, "java-spring");
    design.project.description = "Billing service (Spring Boot)".to_owned();
    design.repository.slug = "acme/java-spring".to_owned();
    // Spring Boot Actuator's health groups: one root for Docker and Railway, the liveness
    // and readiness groups for the probes (CONSIST-001).
    design.services[0].container.healthcheck.path = "/actuator/health".to_owned();
    design.services[0].railway.healthcheck_path = "/actuator/health".to_owned();
    design.services[0].kubernetes.probes.startup.path = "/actuator/health/liveness".to_owned();
    design.services[0].kubernetes.probes.liveness.path = "/actuator/health/liveness".to_owned();
    design.services[0].kubernetes.probes.readiness.path = "/actuator/health/readiness".to_owned();
    design.services[0].kubernetes.namespace = "billing".to_owned();
    design.services[0].kubernetes.ingress.host = "billing.example.com".to_owned();
    design.services[0].kubernetes.resources.requests_memory = "512Mi".to_owned();
    design.services[0].kubernetes.resources.limits_memory = "1Gi".to_owned();
    design.secrets.push(database_secret("java-spring"));
    design
}

fn worker_cron() -> Design {
    let mut design = for_runtime(Runtime::Node);
    crate::edits::set_service_kind(&mut design.services[0], ServiceKind::Worker);
    name(&mut design, "worker-cron");
    design.project.description = "Nightly report mailer".to_owned();
    design.services[0].commands.start = vec!["node".to_owned(), "dist/worker.js".to_owned()];
    design.repository.slug = "acme/worker-cron".to_owned();
    design.services[0].kubernetes.enabled = false;
    design.services[0].kubernetes.namespace = "worker-cron".to_owned();
    design.services[0].railway.cron_schedule = "*/15 * * * *".to_owned();
    design.services[0].railway.restart_policy = RestartPolicy::Never;
    design.services[0].railway.healthcheck_path = String::new();
    design.infrastructure.eks.enabled = false;
    // Railway is the only runtime target: its variables hold the secret (SECRETS-006).
    design.secrets.push(Secret {
        source: SecretSource::Railway,
        remote_key: String::new(),
        ..database_secret("worker-cron")
    });
    design
}

/// The documents' monorepo (Multi-Service Setup on Railway): `apps/web`, `apps/api` and
/// `apps/worker`, each its own service with its own root, checks and image; PostgreSQL and
/// Redis shared.
fn web_api_worker() -> Design {
    let mut design = for_runtime(Runtime::Node);
    design.project.name = "shop".to_owned();
    design.project.description = "Web shop: front end, API and order worker".to_owned();
    design.repository.slug = "acme/shop".to_owned();
    design.infrastructure.redis.enabled = true;

    let mut web = crate::edits::new_service("web", Runtime::Node, ServiceKind::StaticSite);
    web.directory = "apps/web".to_owned();
    web.kubernetes.ingress.host = "shop.example.com".to_owned();
    web.railway.healthcheck_path = "/".to_owned();
    web.talks_to = vec!["api".to_owned()];

    let mut api = crate::edits::new_service("api", Runtime::Node, ServiceKind::WebService);
    api.directory = "apps/api".to_owned();
    api.kubernetes.ingress.host = "api.shop.example.com".to_owned();
    api.container.port = 3001;
    // The schema changes once per deploy, before the new version starts: the chart's
    // pre-upgrade hook Job and Railway's pre-deploy command run it (MIGRATION-005, RAILWAY-014).
    api.migrations.command = "npx knex migrate:latest".to_owned();
    api.migrations.operations = email_verified_in_three_releases();

    let mut worker = crate::edits::new_service("worker", Runtime::Node, ServiceKind::Worker);
    worker.directory = "apps/worker".to_owned();
    worker.container.port = 3002;
    worker.commands.start = vec!["node".to_owned(), "dist/worker.js".to_owned()];
    worker.railway.healthcheck_path = String::new();

    let services = [web, api, worker];
    for service in &services {
        let mut service = service.clone();
        service.kubernetes.namespace = "shop".to_owned();
        design.services.push(service);
    }
    design.services.remove(0);

    checks_per_service(&mut design);
    migrate_in_tests(&mut design);
    design.secrets.push(database_secret("shop"));
    design.secrets.push(Secret {
        name: "REDIS_URL".to_owned(),
        source: SecretSource::AwsSecretsManager,
        remote_key: "shop/redis".to_owned(),
        description: "Redis connection string (the queue)".to_owned(),
    });
    design
}

/// A NOT NULL `users.email_verified` in three releases (MIGRATION-002): added nullable, then
/// written by the new code and backfilled (verified, MIGRATION-007), then constrained; the
/// release that constrains it also drops `users.legacy_status`, which release 2's code no
/// longer reads (MIGRATION-004).
fn email_verified_in_three_releases() -> Vec<MigrationOperation> {
    let column = |kind, release, phase| {
        MigrationOperation::new(kind, "users", "email_verified", release, phase)
    };
    let mut backfill = column(OperationKind::Backfill, 2, MigrationPhase::Migrate);
    backfill.verified = true;
    let mut drop = MigrationOperation::new(
        OperationKind::DropColumn,
        "users",
        "legacy_status",
        3,
        MigrationPhase::Contract,
    );
    drop.readers_moved_in = 2;
    vec![
        column(OperationKind::AddColumn, 1, MigrationPhase::Expand),
        backfill,
        column(OperationKind::SetNotNull, 3, MigrationPhase::Contract),
        drop,
    ]
}

/// The test job of each service that migrates a database before it starts runs against a
/// Postgres service container and takes every migration up, down and up again (MIGRATION-008).
fn migrate_in_tests(design: &mut Design) {
    let migrating: Vec<String> = design
        .services
        .iter()
        .filter(|service| crate::facts::migrations::command(service).is_some())
        .map(|service| format!("{}-test", service.name))
        .collect();
    for job in &mut design.pipeline.jobs {
        if !migrating.contains(&job.id) {
            continue;
        }
        job.services.push(ServiceContainer::postgres());
        job.env.push(EnvVar::new(
            "DATABASE_URL",
            "postgresql://postgres:test@localhost:5432/test",
        ));
        job.commands = vec![
            "npm ci".to_owned(),
            "npx knex migrate:latest && npx knex migrate:rollback && npx knex migrate:latest"
                .to_owned(),
            "npm run test:coverage".to_owned(),
        ];
    }
}

/// Gives every service its own lint, test and security jobs in its folder, one build job
/// that waits for all of them, the standard deploys, and branch protection that requires the
/// gate that needs them all (or, without a gate, `main` all three kinds, `dev` lint and tests).
fn checks_per_service(design: &mut Design) {
    let checks: Vec<Job> = design
        .services
        .iter()
        .flat_map(|service| {
            [
                (JobKind::Lint, "lint"),
                (JobKind::Test, "test"),
                (JobKind::Security, "security"),
            ]
            .map(|(kind, suffix)| {
                let mut job = Job::new(&format!("{}-{suffix}", service.name), kind, &[]);
                job.name = format!("{} {}", service.name, kind.label().to_ascii_lowercase());
                job.working_directory = service.directory.clone();
                job.cache.key_files = vec![format!("{}/package-lock.json", service.directory)];
                job
            })
        })
        .collect();
    let ids: Vec<String> = checks.iter().map(|job| job.id.clone()).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let build = Job::new("build", JobKind::Build, &id_refs);
    let deploys = Job::standard_set()
        .into_iter()
        .filter(|job| job.kind == JobKind::Deploy);
    design.pipeline.jobs = checks.into_iter().chain([build]).chain(deploys).collect();
    design.repository.branches[0].protection.required_checks = ids.clone();
    design.repository.branches[1].protection.required_checks = ids
        .into_iter()
        .filter(|id| !id.ends_with("-security"))
        .collect();
    require_the_gate(design);
}

/// Protected branches require the CI gate, which needs every check: each service's checks
/// run only when the service changed, and a skipped check counts as passed on GitHub. A
/// design whose CI has no gate keeps the checks it requires.
fn require_the_gate(design: &mut Design) {
    if !crate::facts::changes::has_gate(design) {
        return;
    }
    for branch in &mut design.repository.branches {
        branch.protection.required_checks = vec![crate::facts::changes::GATE_JOB.to_owned()];
    }
}

/// The web + API + worker preset grown to `count` services (copies of its three, each with its
/// own name, folder, port, host and checks), for the scaling benchmark and profiles.
#[doc(hidden)]
pub fn with_services(count: usize) -> Design {
    let mut design = web_api_worker();
    let template = design.services.clone();
    design.services = (0..count)
        .map(|index| {
            let round = index / template.len();
            let renamed = |name: &str| {
                if round == 0 {
                    name.to_owned()
                } else {
                    format!("{name}-{}", round + 1)
                }
            };
            let mut service = template[index % template.len()].clone();
            service.name = renamed(&service.name);
            service.directory = format!("apps/{}", service.name);
            service.container.port = 3000 + u16::try_from(index).unwrap_or(0);
            if service.kubernetes.ingress.enabled {
                service.kubernetes.ingress.host = format!("{}.shop.example.com", service.name);
            }
            service.talks_to = service.talks_to.iter().map(|name| renamed(name)).collect();
            service
        })
        .collect();
    let known: Vec<String> = design
        .services
        .iter()
        .map(|service| service.name.clone())
        .collect();
    for service in &mut design.services {
        service.talks_to.retain(|name| known.contains(name));
    }
    checks_per_service(&mut design);
    migrate_in_tests(&mut design);
    design
}

fn static_site() -> Design {
    let mut design = for_runtime(Runtime::Node);
    crate::edits::set_service_kind(&mut design.services[0], ServiceKind::StaticSite);
    name(&mut design, "static-site");
    design.project.description = "Marketing site (React, Vite)".to_owned();
    design.repository.slug = "acme/static-site".to_owned();
    design.services[0].kubernetes.namespace = "static-site".to_owned();
    design.services[0].kubernetes.ingress.host = "www.example.com".to_owned();
    design.services[0].railway.healthcheck_path = "/".to_owned();
    design.infrastructure.rds.enabled = false;
    design
}

fn python_cache() -> Cache {
    Cache {
        paths: vec!["backend/.venv".to_owned()],
        key_files: vec!["backend/poetry.lock".to_owned()],
        ..Cache::default()
    }
}

fn database_secret(project: &str) -> Secret {
    Secret {
        name: "DATABASE_URL".to_owned(),
        source: SecretSource::AwsSecretsManager,
        remote_key: format!("{project}/database"),
        description: "PostgreSQL connection string".to_owned(),
    }
}

/// The largest preset copied `factor` times over (jobs with their `needs`, Dockerfile stages
/// with their `COPY --from` sources, environments with their secret prefixes, secrets), for the
/// scaling benchmark and profiles.
#[doc(hidden)]
pub fn scaled(factor: usize) -> Design {
    let base = fastapi_react();
    let mut design = base.clone();
    design.services[0].container.stages =
        scaled_stages(&crate::facts::stages::resolve(&base.services[0]), factor);
    for copy in 1..factor {
        for job in &base.pipeline.jobs {
            let mut job = job.clone();
            job.id = format!("{}-{copy}", job.id);
            job.needs = job
                .needs
                .iter()
                .map(|need| format!("{need}-{copy}"))
                .collect();
            design.pipeline.jobs.push(job);
        }
        for environment in &base.environments {
            let mut environment = environment.clone();
            environment.name = format!("{}-{copy}", environment.name);
            environment.secret_prefix = format!("{}-{copy}", environment.secret_prefix);
            design.environments.push(environment);
        }
        for secret in &base.secrets {
            let mut secret = secret.clone();
            secret.name = format!("{}_{copy}", secret.name);
            design.secrets.push(secret);
        }
    }
    design
}

/// The template's stages, with `factor - 1` renamed copies of every stage but the final one
/// inserted before it. A copy builds from and copies out of the other stages of its own copy.
fn scaled_stages(template: &[Stage], factor: usize) -> Vec<Stage> {
    let Some((runner, earlier)) = template.split_last() else {
        return Vec::new();
    };
    let names: Vec<&str> = earlier.iter().map(|stage| stage.name.as_str()).collect();
    let renamed = |name: &str, copy: usize| {
        if names.contains(&name) {
            format!("{name}-{copy}")
        } else {
            name.to_owned()
        }
    };
    let mut stages = earlier.to_vec();
    for copy in 1..factor {
        for stage in earlier {
            let mut stage = stage.clone();
            stage.name = format!("{}-{copy}", stage.name);
            stage.image = renamed(&stage.image, copy);
            for instruction in &mut stage.instructions {
                if let Instruction::Copy { from, .. } = instruction {
                    *from = renamed(from, copy);
                }
            }
            stages.push(stage);
        }
    }
    stages.push(runner.clone());
    stages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_design_with_many_services_is_as_clean_as_the_preset() {
        let serious = |design: &Design| {
            crate::rules::check(design)
                .into_iter()
                .filter(|finding| finding.severity <= crate::rules::Severity::High)
                .count()
        };
        for count in [1, 3, 10] {
            let design = with_services(count);
            assert_eq!(design.services.len(), count);
            assert_eq!(design.pipeline.jobs.len(), 3 * count + 3);
            assert_eq!(serious(&design), 0, "{count} services");
        }
        let names: std::collections::HashSet<_> = with_services(10)
            .services
            .into_iter()
            .map(|service| service.name)
            .collect();
        assert_eq!(names.len(), 10);
    }

    #[test]
    fn a_scaled_design_copies_jobs_stages_and_environments() {
        let base = fastapi_react();
        let stages = crate::facts::stages::resolve(&base.services[0]).len();
        let design = scaled(10);
        assert_eq!(design.pipeline.jobs.len(), 10 * base.pipeline.jobs.len());
        assert_eq!(design.environments.len(), 10 * base.environments.len());
        assert_eq!(
            design.services[0].container.stages.len(),
            10 * (stages - 1) + 1
        );
        // A copy builds from its own copy of an earlier stage (Go: `FROM deps AS builder`).
        let go = crate::facts::stages::resolve(&for_runtime(Runtime::Go).services[0]);
        let copied = scaled_stages(&go, 3);
        let builder = copied
            .iter()
            .find(|stage| stage.name == "builder-2")
            .unwrap();
        assert_eq!(builder.image, "deps-2");
        assert_eq!(copied.last(), go.last());
        assert_eq!(
            scaled(1).services[0].container.stages,
            crate::facts::stages::resolve(&base.services[0])
        );
    }

    #[test]
    fn preset_ids_are_unique_and_findable() {
        for preset in all() {
            assert_eq!(find(preset.id).map(|p| p.name), Some(preset.name));
        }
        assert!(find("fastapi-react").is_some());
        assert!(find("nope").is_none());
    }

    #[test]
    fn the_fastapi_preset_mirrors_the_seed_example() {
        let design = fastapi_react();
        let test = design
            .pipeline
            .jobs
            .iter()
            .find(|job| job.id == "backend-test")
            .unwrap();
        assert_eq!(test.services[0].image, "postgres:15");
        assert_eq!(design.services[0].lockfile, "poetry.lock");
        assert_eq!(design.services[0].container.port, 8000);
    }
}
