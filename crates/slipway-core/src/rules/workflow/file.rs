//! Reading the workflow under audit: its jobs, steps, events and the expressions of its
//! scripts, for the workflow rules.

use std::rc::Rc;

use serde_norway::Value;

use crate::facts::expressions::{outsiders_text, value_contexts};
use crate::rules::{Context, Violation};

/// The workflow under audit; `None` when a design is checked.
pub(super) fn document(_context: &Context) -> Option<Rc<Value>> {
    crate::facts::audited_workflow::current()
}

/// The fields a rule reports on the workflow `yaml`, audited.
#[cfg(test)]
pub(super) fn flags(rule: &dyn crate::rules::AnyRule, yaml: &str) -> Vec<String> {
    let document = serde_norway::from_str(yaml).expect("a test workflow");
    crate::facts::audited_workflow::with_workflow(document, || {
        crate::rules::support::fields(rule, &crate::model::Design::default())
    })
}

pub(super) fn untag(value: &Value) -> &Value {
    match value {
        Value::Tagged(tagged) => untag(&tagged.value),
        other => other,
    }
}

/// `node[key]`, tags looked through.
pub(super) fn get<'v>(node: &'v Value, name: &str) -> Option<&'v Value> {
    untag(node).get(name).map(untag)
}

/// A scalar as text (`true` and numbers too).
pub(super) fn text(value: Option<&Value>) -> Option<String> {
    match value.map(untag)? {
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Whether a setting is false (`false`, `"false"`); an expression may be true.
pub(super) fn is_false(value: Option<&Value>) -> bool {
    text(value).is_some_and(|text| text.trim() == "false")
}

/// A report at a path of the workflow (`jobs.build.steps[2]`).
pub(super) fn at(path: String, message: String) -> Violation {
    Violation::new(format!("workflow.{path}"), message)
}

/// The workflow's jobs: id and node.
pub(super) fn jobs(document: &Value) -> Vec<(String, &Value)> {
    match get(document, "jobs") {
        Some(Value::Mapping(jobs)) => jobs
            .iter()
            .filter_map(|(id, job)| Some((text(Some(id))?, untag(job))))
            .collect(),
        _ => Vec::new(),
    }
}

/// A job's steps, with their index.
pub(super) fn steps(job: &Value) -> Vec<(usize, &Value)> {
    match get(job, "steps") {
        Some(Value::Sequence(steps)) => steps.iter().map(untag).enumerate().collect(),
        _ => Vec::new(),
    }
}

/// Every step of the workflow: its path (`jobs.build.steps[2]`) and node.
pub(super) fn all_steps(document: &Value) -> Vec<(String, &Value)> {
    jobs(document)
        .into_iter()
        .flat_map(|(id, job)| {
            steps(job)
                .into_iter()
                .map(move |(index, step)| (format!("jobs.{id}.steps[{index}]"), step))
        })
        .collect()
}

/// The action a step uses (`actions/checkout`), without its ref, lowercase.
pub(super) fn action(step: &Value) -> Option<String> {
    let uses = text(get(step, "uses"))?;
    Some(uses.split('@').next().unwrap_or("").to_ascii_lowercase())
}

/// The action's major version (`actions/setup-go@v5` → 5); `None` for a SHA or a branch.
pub(super) fn major(step: &Value) -> Option<u32> {
    let uses = text(get(step, "uses"))?;
    let version = uses.split_once('@')?.1.trim_start_matches('v');
    version.split('.').next()?.parse().ok()
}

/// The events that start the workflow, with their settings (null for a bare name).
pub(super) fn events(document: &Value) -> Vec<(String, Value)> {
    let on = get(document, "on").or_else(|| {
        untag(document)
            .as_mapping()?
            .get(Value::Bool(true))
            .map(untag)
    });
    match on {
        Some(Value::String(event)) => vec![(event.clone(), Value::Null)],
        Some(Value::Sequence(list)) => list
            .iter()
            .filter_map(|event| Some((text(Some(event))?, Value::Null)))
            .collect(),
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(event, settings)| Some((text(Some(event))?, untag(settings).clone())))
            .collect(),
        _ => Vec::new(),
    }
}

/// The `${{ … }}` expressions of a text whose value can be text an outsider writes (see
/// `facts::expressions::OUTSIDERS_TEXT`), each once: `${{ github.event.issue.title }}`, but not
/// `${{ contains(github.event.issue.body, 'x') }}`, which is `true` or `false`.
pub(super) fn attacker_controlled(script: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for expression in script.split("${{").skip(1) {
        let inside = expression.split("}}").next().unwrap_or("");
        let risky = value_contexts(inside).iter().any(|path| outsiders_text(path));
        let expression = format!("${{{{{inside}}}}}");
        if risky && !found.contains(&expression) {
            found.push(expression);
        }
    }
    found
}

/// The code a step runs: its `run:` script, or an `actions/github-script` script, with the
/// path of that key.
pub(super) fn code(path: &str, step: &Value) -> Option<(String, String)> {
    if let Some(script) = text(get(step, "run")) {
        return Some((format!("{path}.run"), script));
    }
    if action(step)?.starts_with("actions/github-script") {
        let script = text(get(step, "with").and_then(|with| get(with, "script")))?;
        return Some((format!("{path}.with.script"), script));
    }
    None
}

/// A scalar or each scalar of a list, as text.
pub(super) fn text_list(value: Option<&Value>) -> Vec<String> {
    match value.map(untag) {
        Some(Value::Sequence(items)) => items.iter().filter_map(|item| text(Some(item))).collect(),
        other => text(other).into_iter().collect(),
    }
}
