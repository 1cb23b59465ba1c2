//! `slipway simulate`: which CI jobs a push, pull request, schedule or manual run starts.

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;
use slipway_core::simulate::{simulate, Event, Scenario};

use crate::input::{load, BadInput};

pub const MANUAL: &str = "\
Show which CI jobs an event runs

DESCRIPTION:
  Runs the design's workflows against one event: a push to or a pull request into BRANCH
  that changes the given paths, the weekly schedule or a manual run. For each job it says
  whether the job runs and why (trigger branches, path filters, a need that does not run,
  the deploy branch of an environment), the service the job works on, and the dependency
  cache key the job would look up.";

pub const EXAMPLES: &str = "\
EXAMPLES:
  slipway simulate slipway.yaml --event push --branch main --changed backend/app/main.py
  slipway simulate slipway.yaml --event pull_request --branch main --changed README.md --format json

  The JSON is {\"jobs\":[{\"id\",\"service\",\"runs\",\"reason\",\"cache_key\"}]}, jobs in
  dependency order; service and cache_key are null where there is none.

EXIT STATUS:
  0  simulated
  2  bad input (an unreadable design or an unknown event)";

pub fn run(
    design: &Path,
    event: &str,
    branch: &str,
    changed: &[String],
    json_output: bool,
) -> Result<ExitCode, BadInput> {
    let event = Event::from_id(event).ok_or_else(|| {
        let known: Vec<&str> = Event::ALL.iter().map(|event| event.id()).collect();
        BadInput(format!(
            "unknown event `{event}`; use one of {}",
            known.join(", ")
        ))
    })?;
    let design = load(design)?;
    let scenario = Scenario {
        event,
        branch: branch.to_owned(),
        changed_paths: changed.to_vec(),
    };
    let outcomes = simulate(&design, &scenario);
    if json_output {
        let jobs: Vec<_> = outcomes
            .iter()
            .map(|outcome| {
                json!({
                    "id": outcome.job,
                    "service": outcome.service,
                    "runs": outcome.runs,
                    "reason": outcome.reason,
                    "cache_key": outcome.cache_key,
                })
            })
            .collect();
        println!("{}", json!({ "jobs": jobs }));
        return Ok(ExitCode::SUCCESS);
    }
    for outcome in &outcomes {
        let verdict = if outcome.runs { "runs   " } else { "skipped" };
        let service = outcome
            .service
            .as_deref()
            .map_or(String::new(), |service| format!(" [{service}]"));
        println!("{verdict} {}{service}: {}", outcome.job, outcome.reason);
        if let Some(key) = &outcome.cache_key {
            println!("        cache key: {key}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
