use serde::{Deserialize, Serialize};

use super::EnvVar;

/// The container image: a multi-stage Dockerfile and its `.dockerignore`.
///
/// By default the stages come from the runtime template (deps → builder → runner) and follow
/// the settings below. A design that lists `stages` explicitly owns them instruction by
/// instruction instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Container {
    /// Image of the dependency and build stages, e.g. `node:20-alpine`.
    pub build_image: String,
    /// Image of the final stage.
    pub runtime_image: String,
    pub workdir: String,
    /// The single port the service listens on.
    pub port: u16,
    /// The unprivileged user the final stage runs as.
    pub user: ContainerUser,
    pub healthcheck: Healthcheck,
    /// Non-secret runtime environment of the final stage.
    pub env: Vec<EnvVar>,
    /// Build arguments (never secrets: they stay visible in `docker history`).
    pub build_args: Vec<EnvVar>,
    /// Run the test suite in the builder stage (needs the tests in the build context).
    pub run_tests_in_builder: bool,
    /// Patterns kept out of the build context.
    pub dockerignore: Vec<String>,
    /// Explicit stages; empty means "derive from the runtime template".
    pub stages: Vec<Stage>,
}

impl Default for Container {
    fn default() -> Self {
        Container {
            build_image: "node:20-alpine".to_owned(),
            runtime_image: "node:20-alpine".to_owned(),
            workdir: "/app".to_owned(),
            port: 3000,
            user: ContainerUser::default(),
            healthcheck: Healthcheck::default(),
            env: Vec::new(),
            build_args: Vec::new(),
            run_tests_in_builder: false,
            dockerignore: default_dockerignore(),
            stages: Vec::new(),
        }
    }
}

/// The required entries plus the recommended ones (DOCKER-003, docs/defaults.md#container-image).
pub fn default_dockerignore() -> Vec<String> {
    [
        ".git",
        ".github",
        ".env",
        ".env.*",
        "node_modules",
        "*.md",
        "tests/",
        ".vscode/",
        "coverage/",
        "Dockerfile",
        ".dockerignore",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

/// User `nodejs`, uid and gid 1001, used by number (VALID-002, docs/defaults.md#a2-numeric-user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContainerUser {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

impl Default for ContainerUser {
    fn default() -> Self {
        ContainerUser {
            name: "nodejs".to_owned(),
            uid: 1001,
            gid: 1001,
        }
    }
}

/// Docker `HEALTHCHECK` settings; the command is derived from the runtime and `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Healthcheck {
    pub enabled: bool,
    /// HTTP path probed on `port`.
    pub path: String,
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
    pub start_period_seconds: u32,
    pub retries: u32,
}

impl Default for Healthcheck {
    fn default() -> Self {
        Healthcheck {
            enabled: true,
            path: "/health".to_owned(),
            interval_seconds: 30,
            timeout_seconds: 3,
            start_period_seconds: 10,
            retries: 3,
        }
    }
}

/// One `FROM` block of the Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    pub image: String,
    pub role: StageRole,
    pub instructions: Vec<Instruction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum StageRole {
    /// Installs production dependencies only.
    Deps,
    /// Full install, build (and optionally tests).
    Builder,
    /// The minimal final image.
    Runner,
    #[default]
    Other,
}

/// One Dockerfile instruction, typed so that rules can reason about it and the generator can
/// quote every user string for the Dockerfile grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Instruction {
    Workdir {
        path: String,
    },
    Copy {
        /// Source stage (`COPY --from=`); empty copies from the build context.
        #[serde(default)]
        from: String,
        sources: Vec<String>,
        destination: String,
        #[serde(default)]
        chown: String,
    },
    Run {
        command: String,
    },
    Env {
        name: String,
        value: String,
    },
    Arg {
        name: String,
        #[serde(default)]
        default: String,
    },
    User {
        user: String,
    },
    Expose {
        port: u16,
    },
    Healthcheck {
        interval_seconds: u32,
        timeout_seconds: u32,
        start_period_seconds: u32,
        retries: u32,
        command: Vec<String>,
    },
    Cmd {
        args: Vec<String>,
    },
    Entrypoint {
        args: Vec<String>,
    },
    /// Any other instruction, kept as written (imported Dockerfiles).
    Other {
        keyword: String,
        arguments: String,
    },
}
