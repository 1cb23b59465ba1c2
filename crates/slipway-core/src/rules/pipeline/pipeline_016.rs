use crate::model::{Design, EnvVar, Job, JobKind, ServiceContainer};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

pub struct TestServiceContainers;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Store {
    Postgres,
    Mysql,
    Redis,
    Mongo,
}

impl Store {
    fn of_image(image: &str) -> Option<Store> {
        let repository = image
            .split(':')
            .next()
            .unwrap_or(image)
            .to_ascii_lowercase();
        let name = repository.rsplit('/').next().unwrap_or(&repository);
        if name.contains("postgres") || name.contains("pgvector") || name.contains("postgis") {
            Some(Store::Postgres)
        } else if name.contains("mysql") || name.contains("mariadb") {
            Some(Store::Mysql)
        } else if name.contains("redis") || name.contains("valkey") {
            Some(Store::Redis)
        } else if name.contains("mongo") {
            Some(Store::Mongo)
        } else {
            None
        }
    }

    fn of_url(value: &str) -> Option<Store> {
        let scheme = value.split("://").next()?.to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" | "postgresql+asyncpg" | "postgresql+psycopg" => {
                Some(Store::Postgres)
            }
            "mysql" | "mysql+pymysql" | "mariadb" => Some(Store::Mysql),
            "redis" | "rediss" => Some(Store::Redis),
            "mongodb" => Some(Store::Mongo),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Store::Postgres => "PostgreSQL",
            Store::Mysql => "MySQL",
            Store::Redis => "Redis",
            Store::Mongo => "MongoDB",
        }
    }

    fn health_cmd(self) -> &'static str {
        match self {
            Store::Postgres => "pg_isready",
            Store::Mysql => "mysqladmin ping -h 127.0.0.1",
            Store::Redis => "redis-cli ping",
            Store::Mongo => "mongosh --quiet --eval 'db.adminCommand({ping: 1})'",
        }
    }

    fn url_name(self) -> &'static str {
        match self {
            Store::Postgres | Store::Mysql => "DATABASE_URL",
            Store::Redis => "REDIS_URL",
            Store::Mongo => "MONGODB_URI",
        }
    }

    fn default_port(self) -> &'static str {
        match self {
            Store::Postgres => "5432",
            Store::Mysql => "3306",
            Store::Redis => "6379",
            Store::Mongo => "27017",
        }
    }

    /// Whether an env var name reads as this store's connection setting.
    fn names(self, name: &str) -> bool {
        let name = name.to_ascii_uppercase();
        match self {
            Store::Postgres | Store::Mysql => {
                name.contains("DATABASE")
                    || name.starts_with("DB_")
                    || name.contains("_DB")
                    || name.starts_with("PG")
            }
            Store::Redis => name.contains("REDIS"),
            Store::Mongo => name.contains("MONGO"),
        }
    }
}

fn is_local(url: &str) -> bool {
    url.contains("localhost") || url.contains("127.0.0.1")
}

fn host_port(service: &ServiceContainer, store: Store) -> String {
    service
        .ports
        .first()
        .and_then(|mapping| mapping.split(':').next())
        .filter(|port| !port.is_empty())
        .unwrap_or(store.default_port())
        .to_owned()
}

fn service_env<'a>(service: &'a ServiceContainer, name: &str) -> Option<&'a str> {
    service
        .env
        .iter()
        .find(|variable| variable.name == name)
        .map(|variable| variable.value.as_str())
}

fn url_for(service: &ServiceContainer, store: Store) -> String {
    let port = host_port(service, store);
    match store {
        Store::Postgres => {
            let user = service_env(service, "POSTGRES_USER").unwrap_or("postgres");
            let password = service_env(service, "POSTGRES_PASSWORD").unwrap_or("test");
            let database = service_env(service, "POSTGRES_DB").unwrap_or("test");
            format!("postgresql://{user}:{password}@localhost:{port}/{database}")
        }
        Store::Mysql => {
            let password = service_env(service, "MYSQL_ROOT_PASSWORD").unwrap_or("test");
            let database = service_env(service, "MYSQL_DATABASE").unwrap_or("test");
            format!("mysql://root:{password}@127.0.0.1:{port}/{database}")
        }
        Store::Redis => format!("redis://localhost:{port}"),
        Store::Mongo => format!("mongodb://localhost:{port}/test"),
    }
}

fn service_for(store: Store) -> ServiceContainer {
    match store {
        Store::Postgres => ServiceContainer::postgres(),
        Store::Mysql => ServiceContainer {
            name: "mysql".into(),
            image: "mysql:8.4".into(),
            env: vec![
                EnvVar::new("MYSQL_ROOT_PASSWORD", "test"),
                EnvVar::new("MYSQL_DATABASE", "test"),
            ],
            ports: vec!["3306:3306".into()],
            health_cmd: store.health_cmd().into(),
        },
        Store::Redis => ServiceContainer {
            name: "redis".into(),
            image: "redis:7-alpine".into(),
            env: Vec::new(),
            ports: vec!["6379:6379".into()],
            health_cmd: store.health_cmd().into(),
        },
        Store::Mongo => ServiceContainer {
            name: "mongo".into(),
            image: "mongo:7".into(),
            env: Vec::new(),
            ports: vec!["27017:27017".into()],
            health_cmd: store.health_cmd().into(),
        },
    }
}

enum Problem {
    Unhealthy(usize, Store),
    UrlMissing(usize, Store),
    ServiceMissing(Store, String),
}

fn problems(job: &Job) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut served = Vec::new();
    for (k, service) in job.services.iter().enumerate() {
        let Some(store) = Store::of_image(&service.image) else {
            continue;
        };
        served.push(store);
        if service.health_cmd.trim().is_empty() {
            problems.push(Problem::Unhealthy(k, store));
        }
        if !job.env.iter().any(|variable| store.names(&variable.name)) {
            problems.push(Problem::UrlMissing(k, store));
        }
    }
    for variable in &job.env {
        if let Some(store) = Store::of_url(&variable.value) {
            let same_family = |other: &Store| {
                *other == store
                    || (matches!(store, Store::Postgres | Store::Mysql)
                        && matches!(other, Store::Postgres | Store::Mysql))
            };
            if is_local(&variable.value) && !served.iter().any(same_family) {
                problems.push(Problem::ServiceMissing(store, variable.name.clone()));
            }
        }
    }
    problems
}

impl Rule for TestServiceContainers {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-016",
        name: "test-service-containers",
        severity: Severity::Low,
        area: Area::Pipeline,
        title: "Integration tests get a healthy database container and its URL",
        what: "A test job that runs against a database or cache declares it under `services` \
               with a health command (`pg_isready` for PostgreSQL, `redis-cli ping` for Redis), \
               and passes the connection URL to the tests through `env` (`DATABASE_URL`, \
               `REDIS_URL`). A URL to localhost without the matching service is flagged too.",
        why: "Without the health check the tests start while the database is still booting and \
              fail at random; without the URL in `env` the tests fall back to whatever default the \
              code has and silently test something else. Both make CI flaky in ways that erode \
              trust in red builds.",
        incorrect: "services:\n  postgres:\n    image: postgres:15\n# no health options, no DATABASE_URL",
        correct: "services:\n  postgres:\n    image: postgres:15\n    options: --health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5\nenv:\n  DATABASE_URL: postgresql://postgres:test@localhost:5432/test",
        fix: "Adds the health command, the connection URL, or the missing service container.",
        source: "000 · GitHub Actions CI/CD Example › CI Pipeline (ci.yml); Key Patterns \
                 (\"Services\")",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut violations = Vec::new();
        for (index, job) in context.design.pipeline.jobs.iter().enumerate() {
            if job.kind != JobKind::Test {
                continue;
            }
            for problem in problems(job) {
                violations.push(match problem {
                    Problem::Unhealthy(k, store) => Violation::new(
                        format!("pipeline.jobs[{index}].services[{k}].health_cmd"),
                        format!(
                            "The {} service of `{}` has no health check, so tests may start before it accepts connections.",
                            store.label(),
                            job.id
                        ),
                    ),
                    Problem::UrlMissing(_, store) => Violation::new(
                        format!("pipeline.jobs[{index}].env"),
                        format!(
                            "`{}` starts a {} service but passes no `{}` to the tests.",
                            job.id,
                            store.label(),
                            store.url_name()
                        ),
                    ),
                    Problem::ServiceMissing(store, name) => Violation::new(
                        format!("pipeline.jobs[{index}].services"),
                        format!(
                            "`{}` points `{name}` at a local {} but starts no such service.",
                            job.id,
                            store.label()
                        ),
                    ),
                });
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Wire up the test database",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let unhealthy = super::with_job("test", |job| {
            let mut postgres = ServiceContainer::postgres();
            postgres.health_cmd.clear();
            job.services.push(postgres);
            job.env.push(EnvVar::new(
                "DATABASE_URL",
                "postgresql://postgres:test@localhost:5432/test",
            ));
        });
        let no_url = super::with_job("test", |job| {
            job.services.push(ServiceContainer::postgres())
        });
        let no_service = super::with_job("test", |job| {
            job.env
                .push(EnvVar::new("REDIS_URL", "redis://localhost:6379"))
        });
        vec![unhealthy, no_url, no_service]
    }
}

fn apply(design: &mut Design, _service: usize) {
    for job in &mut design.pipeline.jobs {
        if job.kind != JobKind::Test {
            continue;
        }
        for problem in problems(job) {
            match problem {
                Problem::Unhealthy(k, store) => {
                    job.services[k].health_cmd = store.health_cmd().to_owned();
                }
                Problem::UrlMissing(k, store) => {
                    let url = url_for(&job.services[k], store);
                    job.env.push(EnvVar::new(store.url_name(), &url));
                }
                Problem::ServiceMissing(store, _) => {
                    if !job
                        .services
                        .iter()
                        .any(|s| Store::of_image(&s.image) == Some(store))
                    {
                        job.services.push(service_for(store));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_seed_setup_and_without_databases() {
        assert!(fields(&TestServiceContainers, &preset("fastapi-react")).is_empty());
        assert!(fields(&TestServiceContainers, &Design::default()).is_empty());
    }

    #[test]
    fn fails_without_health_url_or_service() {
        let reported: Vec<Vec<String>> = TestServiceContainers::failing_examples()
            .iter()
            .map(|design| fields(&TestServiceContainers, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs[1].services[0].health_cmd"]);
        assert_eq!(reported[1], ["pipeline.jobs[1].env"]);
        assert_eq!(reported[2], ["pipeline.jobs[1].services"]);
    }

    #[test]
    fn the_url_follows_the_service_settings() {
        assert_eq!(
            url_for(&ServiceContainer::postgres(), Store::Postgres),
            "postgresql://postgres:test@localhost:5432/test"
        );
    }
}
