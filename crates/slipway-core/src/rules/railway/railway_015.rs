use crate::facts::jobs::job_service;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, EnvVar};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};
use crate::text::identifier;

pub struct CiLinkBeforeUp;

fn railway_args(segment: &str) -> Option<Vec<&str>> {
    let (tool, args) = tool_and_args(segment)?;
    (tool == "railway").then_some(args)
}

/// Position of the first `railway up` that is neither linked nor explicit, in a job.
fn unlinked_up(commands: &[String]) -> Option<usize> {
    let mut linked = false;
    for (position, line) in commands.iter().enumerate() {
        for segment in simple_commands(line) {
            let Some(args) = railway_args(segment) else {
                continue;
            };
            match args.first().copied() {
                Some("link") => linked = true,
                Some("up") if !linked => {
                    let names = |long: &str, short: &str| {
                        args.iter().any(|a| {
                            *a == long || *a == short || a.starts_with(&format!("{long}="))
                        })
                    };
                    if !(names("--service", "-s") && names("--environment", "-e")) {
                        return Some(position);
                    }
                }
                _ => {}
            }
        }
    }
    None
}

fn literal_token(variable: &EnvVar) -> bool {
    matches!(variable.name.trim(), "RAILWAY_TOKEN" | "RAILWAY_API_TOKEN")
        && !variable.value.trim().is_empty()
        && !variable.value.contains("secrets.")
}

impl Rule for CiLinkBeforeUp {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-015",
        name: "ci-link-before-up",
        severity: Severity::High,
        area: Area::Railway,
        title: "CI links the Railway project before `railway up`",
        what: "In every CI job, a `railway up` comes after a `railway link` in the same job, or \
               names the service and environment itself (`--service`, `--environment`); and \
               the job's `RAILWAY_TOKEN`/`RAILWAY_API_TOKEN` comes from `${{ secrets.* }}`.",
        why: "Without a link the CLI deploys to whatever project the token or a stale config \
              points at: the seed calls it out as deploying to the wrong project. A token \
              written into the workflow is a credential in the repository.",
        incorrect: "- run: railway up --detach",
        correct: "- run: railway link --project \"$RAILWAY_PROJECT_ID\" --environment production --service api\n- run: railway up --detach\n  env: {RAILWAY_TOKEN: ${{ secrets.RAILWAY_TOKEN }}}",
        fix: "Inserts `railway link --project \"$RAILWAY_PROJECT_ID\" --environment <env> \
              --service <project>` before the first `railway up` (with `RAILWAY_PROJECT_ID` \
              from `${{ vars.RAILWAY_PROJECT_ID }}`) and reads literal tokens from \
              `${{ secrets.RAILWAY_TOKEN }}`. Unsafe: a literal token is discarded.",
        source: "000 · Railway Deployment Patterns › Anti-Patterns (\"Running railway up from CI \
                 without railway link\"); Railway CLI",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let mut found = Vec::new();
        for (index, job) in context.design.pipeline.jobs.iter().enumerate() {
            if let Some(position) = unlinked_up(&job.commands) {
                found.push(Violation::new(
                    format!("pipeline.jobs[{index}].commands[{position}]"),
                    format!("Job `{}` runs `railway up` without `railway link`: it may deploy to the wrong project.", job.id),
                ));
            }
            for (i, variable) in job.env.iter().enumerate() {
                if literal_token(variable) {
                    found.push(Violation::new(
                        format!("pipeline.jobs[{index}].env[{i}]"),
                        format!(
                            "Job `{}` writes `{}` into the workflow; read it from `secrets`.",
                            job.id, variable.name
                        ),
                    ));
                }
            }
        }
        found
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Link before deploying",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut unlinked = Design::default();
        unlinked.pipeline.jobs[4].commands = vec!["railway up --detach".into()];
        let mut token = Design::default();
        token.pipeline.jobs[4]
            .env
            .push(EnvVar::new("RAILWAY_TOKEN", "abc123"));
        vec![unlinked, token]
    }
}

fn apply(design: &mut Design, _service: usize) {
    // Each job links the service it works on (by its working directory).
    let services: Vec<String> = design
        .pipeline
        .jobs
        .iter()
        .map(|job| {
            let name = job_service(design, job).map_or("", |(_, service)| service.name.as_str());
            identifier(name, "app")
        })
        .collect();
    for (job, service) in design.pipeline.jobs.iter_mut().zip(services) {
        for variable in &mut job.env {
            if literal_token(variable) {
                variable.value = format!("${{{{ secrets.{} }}}}", variable.name.trim());
            }
        }
        let Some(position) = unlinked_up(&job.commands) else {
            continue;
        };
        let environment = identifier(&job.environment, "production");
        job.commands.insert(
            position,
            format!("railway link --project \"$RAILWAY_PROJECT_ID\" --environment {environment} --service {service}"),
        );
        if !job
            .env
            .iter()
            .any(|variable| variable.name == "RAILWAY_PROJECT_ID")
        {
            job.env.push(EnvVar::new(
                "RAILWAY_PROJECT_ID",
                "${{ vars.RAILWAY_PROJECT_ID }}",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_when_linked_or_explicit() {
        let mut design = Design::default();
        design.pipeline.jobs[4].commands = vec![
            "railway link --project \"$P\" --environment staging --service app".into(),
            "railway up --detach".into(),
        ];
        design.pipeline.jobs[5].commands =
            vec!["railway up --service app --environment production".into()];
        assert!(fields(&CiLinkBeforeUp, &design).is_empty());
    }

    #[test]
    fn fails_when_unlinked_or_with_a_literal_token() {
        assert_eq!(
            fields(&CiLinkBeforeUp, &CiLinkBeforeUp::failing_examples()[0]),
            ["pipeline.jobs[4].commands[0]"]
        );
        assert_eq!(
            fields(&CiLinkBeforeUp, &CiLinkBeforeUp::failing_examples()[1]),
            ["pipeline.jobs[4].env[0]"]
        );
    }

    #[test]
    fn the_fix_inserts_a_sanitised_link() {
        let mut design = CiLinkBeforeUp::failing_examples().remove(0);
        design.services[0].name = "x\"; rm -rf /".into();
        apply(&mut design, 0);
        assert_eq!(
            design.pipeline.jobs[4].commands[0],
            "railway link --project \"$RAILWAY_PROJECT_ID\" --environment staging --service x-rm-rf"
        );
    }
}
