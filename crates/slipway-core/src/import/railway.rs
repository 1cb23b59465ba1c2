//! `railway.json`: a Railway service's build and deploy settings, as the design's Railway
//! section of one service.

use serde_json::Value;

use super::{located_error as error, Located};
use crate::formats::outline::{key, Outline};
use crate::io::LoadError;
use crate::model::{Design, RailwayBuilder, RestartPolicy};

/// Whether a start command starts a server: it names the port, or runs a server or the
/// package's `start` script.
pub(crate) fn starts_a_server(command: &str) -> bool {
    let command = command.to_ascii_lowercase();
    [
        "port", "start", "serve", "uvicorn", "gunicorn", "listen", "http",
    ]
    .iter()
    .any(|word| command.contains(word))
}

/// Reads a `railway.json` into the Railway part of a design, with each field's line.
pub fn read(text: &str) -> Result<Located, LoadError> {
    let value: Value = serde_json::from_str(text)
        .map_err(|problem| error(Some(problem.line()), format!("not valid JSON: {problem}")))?;
    let build = &value["build"];
    let deploy = &value["deploy"];
    let string = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let number = |value: &Value, default: u32| {
        value
            .as_u64()
            .map_or(default, |n| n.min(u32::MAX as u64) as u32)
    };
    let mut design = Design::default();
    let railway = &mut design.services[0].railway;
    railway.enabled = true;
    railway.builder = match build["builder"]
        .as_str()
        .unwrap_or("")
        .to_ascii_uppercase()
        .as_str()
    {
        "NIXPACKS" => RailwayBuilder::Nixpacks,
        "RAILPACK" => RailwayBuilder::Railpack,
        _ => RailwayBuilder::Dockerfile,
    };
    railway.build_command = string(&build["buildCommand"]);
    railway.start_command = string(&deploy["startCommand"]);
    railway.pre_deploy_command = match &deploy["preDeployCommand"] {
        Value::Array(commands) => commands.iter().map(string).collect::<Vec<_>>().join(" && "),
        other => string(other),
    };
    railway.healthcheck_path = string(&deploy["healthcheckPath"]);
    railway.healthcheck_timeout_seconds = number(&deploy["healthcheckTimeout"], 0);
    railway.restart_policy = match deploy["restartPolicyType"].as_str().unwrap_or("") {
        "ALWAYS" => RestartPolicy::Always,
        "NEVER" => RestartPolicy::Never,
        _ => RestartPolicy::OnFailure,
    };
    railway.restart_max_retries = number(&deploy["restartPolicyMaxRetries"], 0);
    railway.replicas = number(&deploy["numReplicas"], 1);
    railway.cron_schedule = string(&deploy["cronSchedule"]);
    railway.overrides.clear();
    // A service on a cron schedule is a worker: no public domain, no HTTP health check. So is
    // one whose file shows no sign of serving HTTP: no health check, no timeout for one, and
    // no start command that starts a server (a railway.json does not say what the image does).
    let railway = &design.services[0].railway;
    let serves_http = !railway.healthcheck_path.trim().is_empty()
        || deploy.get("healthcheckTimeout").is_some()
        || starts_a_server(&railway.start_command);
    if !railway.cron_schedule.trim().is_empty() || !serves_http {
        design.services[0].kind = crate::model::ServiceKind::Worker;
    }
    let outline = Outline::json(text);
    let locate = move |field: &str| {
        let (section, name) = match field.strip_prefix("railway.")?.split(['.', '[']).next()? {
            "builder" => ("build", "builder"),
            "build_command" => ("build", "buildCommand"),
            "start_command" => ("deploy", "startCommand"),
            "pre_deploy_command" => ("deploy", "preDeployCommand"),
            "healthcheck_path" => ("deploy", "healthcheckPath"),
            "healthcheck_timeout_seconds" => ("deploy", "healthcheckTimeout"),
            "restart_policy" => ("deploy", "restartPolicyType"),
            "restart_max_retries" => ("deploy", "restartPolicyMaxRetries"),
            "replicas" => ("deploy", "numReplicas"),
            "cron_schedule" => ("deploy", "cronSchedule"),
            _ => ("deploy", ""),
        };
        outline
            .nearest(&[key(section), key(name)])
            .or_else(|| outline.line(&[key("deploy")]))
    };
    Ok((design, Box::new(locate)))
}
