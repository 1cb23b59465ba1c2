use serde::{Deserialize, Serialize};

/// Railway deployment (`railway.json`, and `nixpacks.toml` for that builder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Railway {
    pub enabled: bool,
    pub builder: RailwayBuilder,
    /// Empty: the project's build command.
    pub build_command: String,
    /// Empty: the project's start command.
    pub start_command: String,
    /// Runs once per deploy before the new version starts (migrations belong here).
    pub pre_deploy_command: String,
    pub healthcheck_path: String,
    pub healthcheck_timeout_seconds: u32,
    pub restart_policy: RestartPolicy,
    pub restart_max_retries: u32,
    pub replicas: u32,
    /// Cron schedule for a cron service; empty for a long-running service.
    pub cron_schedule: String,
    pub sleep_application: bool,
    pub watch_patterns: Vec<String>,
    pub overrides: Vec<RailwayOverride>,
}

impl Default for Railway {
    /// Dockerfile as builder, so the multi-stage rules hold (docs/defaults.md#a18-railway).
    fn default() -> Self {
        Railway {
            enabled: true,
            builder: RailwayBuilder::Dockerfile,
            build_command: String::new(),
            start_command: String::new(),
            pre_deploy_command: String::new(),
            healthcheck_path: "/health".to_owned(),
            healthcheck_timeout_seconds: 30,
            restart_policy: RestartPolicy::OnFailure,
            restart_max_retries: 3,
            replicas: 1,
            cron_schedule: String::new(),
            sleep_application: false,
            watch_patterns: Vec::new(),
            overrides: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RailwayBuilder {
    #[default]
    Dockerfile,
    Nixpacks,
    Railpack,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RestartPolicy {
    #[default]
    OnFailure,
    Always,
    Never,
}

/// Per-environment values that differ from the service defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct RailwayOverride {
    pub environment: String,
    /// 0 keeps the service default.
    pub replicas: u32,
    pub start_command: String,
}
