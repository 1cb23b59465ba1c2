use serde::{Deserialize, Serialize};

/// The system as a whole: its name (used for the repository-wide resources: Terraform, the
/// bundle, the Argo CD project) and what it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Project {
    pub name: String,
    pub description: String,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            name: "app".to_owned(),
            description: String::new(),
        }
    }
}

/// A web service (docs/defaults.md#conventions) gets HTTP traffic. Workers and cron jobs are not
/// web services: they get no Service, Ingress or HTTP probes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// An HTTP API or server.
    #[default]
    WebService,
    /// A background worker or scheduled job (`railway.cron_schedule`).
    Worker,
    /// A front end built to static files and served by an unprivileged web server.
    StaticSite,
}

impl ServiceKind {
    pub fn is_web(self) -> bool {
        !matches!(self, ServiceKind::Worker)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    #[default]
    Node,
    Python,
    Go,
    Rust,
    Java,
}

impl Runtime {
    /// Node 20, Python 3.12; current stable releases for the others (docs/defaults.md#ci-cd).
    pub fn default_version(self) -> &'static str {
        match self {
            Runtime::Node => "20",
            Runtime::Python => "3.12",
            Runtime::Go => "1.23",
            Runtime::Rust => "1.83",
            Runtime::Java => "21",
        }
    }

    pub fn default_package_manager(self) -> PackageManager {
        match self {
            Runtime::Node => PackageManager::Npm,
            Runtime::Python => PackageManager::Poetry,
            Runtime::Go => PackageManager::GoModules,
            Runtime::Rust => PackageManager::Cargo,
            Runtime::Java => PackageManager::Maven,
        }
    }

    /// The port the runtime's conventional server listens on.
    pub fn default_port(self) -> u16 {
        match self {
            Runtime::Node => 3000,
            Runtime::Python => 8000,
            Runtime::Go | Runtime::Rust | Runtime::Java => 8080,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum PackageManager {
    #[default]
    Npm,
    Pnpm,
    Yarn,
    Poetry,
    Pip,
    GoModules,
    Cargo,
    Maven,
    Gradle,
}

impl PackageManager {
    pub fn lockfile(self) -> &'static str {
        match self {
            PackageManager::Npm => "package-lock.json",
            PackageManager::Pnpm => "pnpm-lock.yaml",
            PackageManager::Yarn => "yarn.lock",
            PackageManager::Poetry => "poetry.lock",
            PackageManager::Pip => "requirements.txt",
            PackageManager::GoModules => "go.sum",
            PackageManager::Cargo => "Cargo.lock",
            PackageManager::Maven => "pom.xml",
            PackageManager::Gradle => "gradle.lockfile",
        }
    }

    /// The runtime this package manager belongs to.
    pub fn runtime(self) -> Runtime {
        match self {
            PackageManager::Npm | PackageManager::Pnpm | PackageManager::Yarn => Runtime::Node,
            PackageManager::Poetry | PackageManager::Pip => Runtime::Python,
            PackageManager::GoModules => Runtime::Go,
            PackageManager::Cargo => Runtime::Rust,
            PackageManager::Maven | PackageManager::Gradle => Runtime::Java,
        }
    }
}

/// The commands CI, the container and Railway run for this service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Commands {
    /// Reproducible install from the lockfile (`npm ci`, `poetry install`, ...).
    pub install: String,
    pub lint: String,
    pub typecheck: String,
    pub test: String,
    pub build: String,
    /// How the service starts, as an argument vector (exec form: the app runs as PID 1).
    pub start: Vec<String>,
}

impl Commands {
    /// The shell commands (every one but `start`, an argument vector), with their field names.
    pub fn shell_lines(&self) -> [(&'static str, &String); 5] {
        [
            ("install", &self.install),
            ("lint", &self.lint),
            ("typecheck", &self.typecheck),
            ("test", &self.test),
            ("build", &self.build),
        ]
    }

    /// [`Commands::shell_lines`], to rewrite them.
    pub fn shell_lines_mut(&mut self) -> [&mut String; 5] {
        [
            &mut self.install,
            &mut self.lint,
            &mut self.typecheck,
            &mut self.test,
            &mut self.build,
        ]
    }

    pub fn for_runtime(runtime: Runtime, manager: PackageManager) -> Self {
        let words = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        match runtime {
            Runtime::Node => Commands {
                install: match manager {
                    PackageManager::Pnpm => "pnpm install --frozen-lockfile",
                    PackageManager::Yarn => "yarn install --frozen-lockfile",
                    _ => "npm ci",
                }
                .to_owned(),
                lint: "npm run lint".to_owned(),
                typecheck: "npm run typecheck".to_owned(),
                test: "npm run test:coverage".to_owned(),
                build: "npm run build".to_owned(),
                start: words(&["node", "dist/main.js"]),
            },
            Runtime::Python => Commands {
                install: match manager {
                    PackageManager::Pip => "pip install -r requirements.txt",
                    _ => "poetry install --no-interaction",
                }
                .to_owned(),
                lint: "ruff format --check app/ && ruff check app/".to_owned(),
                typecheck: "mypy app/ --ignore-missing-imports".to_owned(),
                test: "pytest --cov=app --cov-report=xml".to_owned(),
                build: String::new(),
                start: words(&[
                    "uvicorn",
                    "app.main:app",
                    "--host",
                    "0.0.0.0",
                    "--port",
                    "8000",
                ]),
            },
            Runtime::Go => Commands {
                install: "go mod download".to_owned(),
                lint: "go vet ./...".to_owned(),
                typecheck: String::new(),
                test: "go test -race -coverprofile=coverage.out ./...".to_owned(),
                build: "CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/server ./cmd/server"
                    .to_owned(),
                start: words(&["/app/server"]),
            },
            Runtime::Rust => Commands {
                install: "cargo fetch --locked".to_owned(),
                lint: "cargo fmt --check && cargo clippy --locked -- -D warnings".to_owned(),
                typecheck: String::new(),
                test: "cargo test --locked".to_owned(),
                build: "cargo build --release --locked".to_owned(),
                start: words(&["/app/server"]),
            },
            Runtime::Java => Commands {
                install: "./mvnw -B dependency:go-offline".to_owned(),
                lint: "./mvnw -B spotless:check".to_owned(),
                typecheck: String::new(),
                test: "./mvnw -B verify".to_owned(),
                build: "./mvnw -B -DskipTests package".to_owned(),
                start: words(&["java", "-jar", "/app/app.jar"]),
            },
        }
    }
}

/// The Git repository: branches and how they are protected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Repository {
    /// `owner/name` on GitHub, used by branch protection as code.
    pub slug: String,
    pub default_branch: String,
    pub branches: Vec<Branch>,
}

impl Default for Repository {
    fn default() -> Self {
        Repository {
            slug: "acme/app".to_owned(),
            default_branch: "main".to_owned(),
            branches: vec![Branch::main(), Branch::dev()],
        }
    }
}

/// A long-lived branch, the environment it deploys to and its protection rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Branch {
    pub name: String,
    /// Environment a push to this branch deploys to (`production` for `main`).
    pub deploys_to: String,
    pub protection: Protection,
}

impl Branch {
    /// `main` needs two approvals and the lint, test and security checks (BRANCH-001, BRANCH-002).
    pub fn main() -> Self {
        Branch {
            name: "main".to_owned(),
            deploys_to: "production".to_owned(),
            protection: Protection {
                require_pull_request: true,
                required_approvals: 2,
                required_checks: vec!["lint".into(), "test".into(), "security".into()],
                require_up_to_date: true,
                allow_force_push: false,
                allow_deletion: false,
                require_linear_history: true,
            },
        }
    }

    /// `dev` needs one approval: the stricter reading of docs/defaults.md#a3-branch-strategy.
    pub fn dev() -> Self {
        Branch {
            name: "dev".to_owned(),
            deploys_to: "staging".to_owned(),
            protection: Protection {
                require_pull_request: true,
                required_approvals: 1,
                required_checks: vec!["lint".into(), "test".into()],
                require_up_to_date: true,
                allow_force_push: false,
                allow_deletion: false,
                require_linear_history: false,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Protection {
    pub require_pull_request: bool,
    pub required_approvals: u8,
    pub required_checks: Vec<String>,
    pub require_up_to_date: bool,
    pub allow_force_push: bool,
    pub allow_deletion: bool,
    pub require_linear_history: bool,
}
