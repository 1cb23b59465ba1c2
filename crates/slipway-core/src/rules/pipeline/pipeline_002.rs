use crate::facts::jobs::{
    fresh_job_id, job_commands, job_runtime, job_service, jobs_of, uses_project_commands,
};
use crate::facts::needs::{add_need, Needs};
use crate::model::{Commands, Design, Job, JobKind, Runtime};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::tools::{languages, missing_lint_steps};

pub struct LintAndTypecheckGate;

/// The lint picture for one language.
struct Gate {
    language: Runtime,
    /// Lint and test jobs of the language whose commands run a lint step.
    providers: Vec<usize>,
    /// The job that should hold the lint steps: the first lint job, else the first provider.
    target: Option<usize>,
    missing: Vec<&'static str>,
}

fn gates(design: &Design) -> Vec<Gate> {
    languages(design)
        .into_iter()
        .map(|language| {
            let candidates: Vec<usize> = design
                .pipeline
                .jobs
                .iter()
                .enumerate()
                .filter(|(_, job)| {
                    matches!(job.kind, JobKind::Lint | JobKind::Test)
                        && job_runtime(design, job) == language
                })
                .map(|(index, _)| index)
                .collect();
            let commands = |index: usize| -> Vec<String> {
                job_commands(design, index, &design.pipeline.jobs[index])
                    .into_iter()
                    .map(|command| command.text)
                    .collect()
            };
            let all_steps = missing_lint_steps(language, &[]).len();
            let providers: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|index| {
                    design.pipeline.jobs[*index].kind == JobKind::Lint
                        || missing_lint_steps(language, &commands(*index)).len() < all_steps
                })
                .collect();
            let all_commands: Vec<String> = providers.iter().flat_map(|i| commands(*i)).collect();
            let missing = missing_lint_steps(language, &all_commands);
            Gate {
                language,
                target: providers.first().copied(),
                providers,
                missing,
            }
        })
        .collect()
}

/// The default commands of a language: with the package manager of the first service in
/// that language, else the language's default one.
fn defaults(design: &Design, language: Runtime) -> Commands {
    let manager = design
        .services
        .iter()
        .find(|service| service.runtime == language)
        .map_or_else(
            || language.default_package_manager(),
            |service| service.package_manager,
        );
    Commands::for_runtime(language, manager)
}

/// The service whose commands a job without its own commands runs, by index.
fn commands_service(design: &Design, job: &Job) -> usize {
    job_service(design, job).map_or(0, |(index, _)| index)
}

impl Rule for LintAndTypecheckGate {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-002",
        name: "lint-and-typecheck-gate",
        severity: Severity::Medium,
        area: Area::Pipeline,
        title: "Every language is linted and type-checked before the build",
        what: "For each language in the service, a lint job (or a test job that lints) runs a \
               linter and a type checker, and for Python a format check too (`ruff format \
               --check`, `ruff check`, `mypy`; `npm run lint` and `npm run typecheck` for Node). \
               Every build and deploy job depends on it through `needs`.",
        why: "Lint and type errors are the cheapest failures to find. Running them first, and \
              making the build wait for them, stops broken code before any image is built or \
              deployed and keeps the slow stages for code that is at least well-formed.",
        incorrect: "jobs:\n  lint:\n    steps:\n      - run: npm run lint\n  build:\n    runs-on: ubuntu-latest   # no needs: builds even when lint fails",
        correct: "jobs:\n  lint:\n    steps:\n      - run: npm run lint\n      - run: npm run typecheck\n  build:\n    needs: [lint, test, security]",
        fix: "Adds a lint job for a language that has none, appends the missing format, lint or \
              type-check commands, and makes every build and deploy job wait for the lint jobs.",
        source: "000 · Key Concepts › CI/CD Pipeline Stages (\"Lint & Type Check\"); CI/CD \
                 Pipelines › Complete Backend CI/CD Example; GitHub Actions CI/CD Example › CI \
                 Pipeline (ci.yml)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        let mut violations = Vec::new();
        let gated: Vec<usize> = jobs_of(design, JobKind::Build)
            .into_iter()
            .chain(jobs_of(design, JobKind::Deploy))
            .collect();
        let needs = Needs::new(design);
        let waits_for: Vec<_> = gated.iter().map(|&index| needs.ancestors(index)).collect();
        for gate in gates(design) {
            let language = gate.language.label();
            let Some(target) = gate.target else {
                violations.push(Violation::new(
                    "pipeline.jobs",
                    format!("No job lints or type-checks the {language} code."),
                ));
                continue;
            };
            if !gate.missing.is_empty() {
                let job = &design.pipeline.jobs[target];
                let field = if job.commands.is_empty() && uses_project_commands(design, job) {
                    let service = commands_service(design, job);
                    if gate.missing.iter().all(|step| step.starts_with("a type")) {
                        format!("services[{service}].commands.typecheck")
                    } else {
                        format!("services[{service}].commands.lint")
                    }
                } else {
                    format!("pipeline.jobs[{target}].commands")
                };
                violations.push(Violation::new(
                    field,
                    format!(
                        "The {language} lint in job `{}` lacks {}.",
                        job.id,
                        listed(&gate.missing)
                    ),
                ));
            }
            for (&index, before) in gated.iter().zip(&waits_for) {
                let waits = gate
                    .providers
                    .iter()
                    .all(|provider| before.contains(provider));
                if !waits {
                    let job = &design.pipeline.jobs[index];
                    violations.push(Violation::new(
                        format!("pipeline.jobs[{index}].needs"),
                        format!(
                            "Job `{}` ({}) does not wait for the {language} lint.",
                            job.id,
                            job.kind.id()
                        ),
                    ));
                }
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Add lint and type-check gates",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut no_lint = Design::default();
        no_lint
            .pipeline
            .jobs
            .retain(|job| job.kind != JobKind::Lint);
        for job in &mut no_lint.pipeline.jobs {
            job.needs.retain(|need| need != "lint");
        }
        let mut no_typecheck = Design::default();
        no_typecheck.services[0].commands.typecheck.clear();
        let ungated = super::with_job("build", |job| job.needs = vec!["test".into()]);
        let mut custom_python = crate::rules::support::preset("fastapi-react");
        custom_python.pipeline.jobs[0]
            .commands
            .retain(|command| !command.contains("mypy"));
        vec![no_lint, no_typecheck, ungated, custom_python]
    }
}

/// Runs `line` the way the job's other commands do (`poetry run ...` in a Poetry job).
fn like_the_job(job: &Job, line: &str) -> String {
    let poetry = job.commands.iter().any(|c| c.contains("poetry run"));
    if !poetry {
        return line.to_owned();
    }
    line.split(" && ")
        .map(|part| {
            if part.starts_with("poetry ") {
                part.to_owned()
            } else {
                format!("poetry run {part}")
            }
        })
        .collect::<Vec<_>>()
        .join(" && ")
}

fn append(existing: &str, addition: &str) -> String {
    if existing.trim().is_empty() {
        addition.to_owned()
    } else {
        format!("{} && {addition}", existing.trim())
    }
}

fn apply(design: &mut Design, _service: usize) {
    for gate in gates(design) {
        let defaults = defaults(design, gate.language);
        match gate.target {
            None => {
                // A job without a folder works on the root (or first) service.
                let root_runtime = job_service(design, &Job::new("", JobKind::Lint, &[]))
                    .map(|(_, service)| service.runtime);
                let foreign = root_runtime != Some(gate.language);
                let base = if foreign {
                    format!("{}-lint", gate.language.id())
                } else {
                    "lint".to_owned()
                };
                let mut job = Job::new(&fresh_job_id(design, &base), JobKind::Lint, &[]);
                if foreign {
                    job.runtime = Some(gate.language);
                    // In the folder of the service in that language, else of a job in it.
                    let folder = design
                        .services
                        .iter()
                        .find(|service| service.runtime == gate.language)
                        .map(|service| service.directory.clone())
                        .or_else(|| {
                            design
                                .pipeline
                                .jobs
                                .iter()
                                .find(|other| other.runtime == Some(gate.language))
                                .map(|sibling| sibling.working_directory.clone())
                        });
                    if let Some(folder) = folder {
                        job.working_directory = folder;
                    }
                }
                design.pipeline.jobs.insert(0, job);
            }
            Some(target) if !gate.missing.is_empty() => {
                let wants_lint = gate.missing.iter().any(|step| !step.starts_with("a type"));
                let wants_types = gate.missing.iter().any(|step| step.starts_with("a type"));
                let job = &design.pipeline.jobs[target];
                if job.commands.is_empty() && uses_project_commands(design, job) {
                    let service = commands_service(design, job);
                    let commands = &mut design.services[service].commands;
                    if wants_lint {
                        commands.lint = append(&commands.lint, &defaults.lint);
                    }
                    if wants_types {
                        commands.typecheck = append(&commands.typecheck, &defaults.typecheck);
                    }
                } else {
                    let mut additions = Vec::new();
                    if wants_lint {
                        additions.push(like_the_job(job, &defaults.lint));
                    }
                    if wants_types && !defaults.typecheck.is_empty() {
                        additions.push(like_the_job(job, &defaults.typecheck));
                    }
                    let job = &mut design.pipeline.jobs[target];
                    if job.commands.is_empty() {
                        job.commands = job_default_commands(&defaults, job.kind);
                    }
                    job.commands.extend(additions);
                }
            }
            Some(_) => {}
        }
    }
    for gate in gates(design) {
        let gated: Vec<usize> = jobs_of(design, JobKind::Build)
            .into_iter()
            .chain(jobs_of(design, JobKind::Deploy))
            .collect();
        for index in gated {
            for &provider in &gate.providers {
                add_need(design, index, provider);
            }
        }
    }
}

/// A foreign-language job's default commands, written out so more can be appended.
fn job_default_commands(defaults: &Commands, kind: JobKind) -> Vec<String> {
    let parts = match kind {
        JobKind::Lint => vec![&defaults.install, &defaults.lint, &defaults.typecheck],
        _ => vec![&defaults.install, &defaults.test],
    };
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .cloned()
        .collect()
}

/// `a`, `a and b`, `a, b and c`.
fn listed(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn missing_steps_read_as_a_sentence() {
        assert_eq!(listed(&["a linter (`go vet`)"]), "a linter (`go vet`)");
        assert_eq!(
            listed(&["a format check", "a linter", "a type checker"]),
            "a format check, a linter and a type checker"
        );
        let mut design = crate::rules::support::preset("node-api");
        for job in &mut design.pipeline.jobs {
            if job.kind == JobKind::Lint {
                job.commands = vec!["npx prettier --check .".into()];
            }
        }
        let messages: Vec<String> = LintAndTypecheckGate
            .check(&Context::new(&design))
            .into_iter()
            .map(|violation| violation.message)
            .collect();
        assert!(
            messages
                .iter()
                .any(|message| message
                    .contains("lacks a linter (`npm run lint`) and a type checker")),
            "{messages:?}"
        );
    }

    #[test]
    fn passes_for_every_preset() {
        for preset_id in ["node-api", "fastapi-react", "go-service", "java-spring"] {
            assert!(
                fields(&LintAndTypecheckGate, &preset(preset_id)).is_empty(),
                "{preset_id}"
            );
        }
    }

    #[test]
    fn fails_without_a_lint_a_type_check_or_the_gate() {
        let reported: Vec<Vec<String>> = LintAndTypecheckGate::failing_examples()
            .iter()
            .map(|design| fields(&LintAndTypecheckGate, design))
            .collect();
        assert_eq!(reported[0], ["pipeline.jobs"]);
        assert_eq!(reported[1], ["services[0].commands.typecheck"]);
        assert_eq!(
            reported[2],
            [
                "pipeline.jobs[3].needs",
                "pipeline.jobs[4].needs",
                "pipeline.jobs[5].needs"
            ]
        );
        assert_eq!(reported[3], ["pipeline.jobs[0].commands"]);
    }
}
