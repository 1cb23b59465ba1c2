use crate::facts::stages::{default_images, healthcheck_command};
use crate::model::{Design, Instruction, Stage};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct HealthcheckTargetPresent;

/// The tools an image is known to have; `None` when the image is not one we can judge.
fn known_tools(image: &str) -> Option<Vec<&'static str>> {
    let image = image.to_ascii_lowercase();
    let runtime: Vec<&'static str> = [
        ("node", &["node"][..]),
        ("python", &["python", "python3"][..]),
        ("java", &["java"][..]),
        ("temurin", &["java"][..]),
        ("jre", &["java"][..]),
    ]
    .iter()
    .filter(|(marker, _)| image.contains(marker))
    .flat_map(|(_, tools)| tools.iter().copied())
    .collect();
    if image.contains("distroless") || image == "scratch" || image.starts_with("scratch:") {
        return Some(runtime);
    }
    let mut tools = runtime;
    if image.contains("alpine") {
        tools.extend(["sh", "wget", "nc"]);
        return Some(tools);
    }
    if image.contains("-slim") || image.contains(":slim") {
        tools.extend(["sh", "bash"]);
        return Some(tools);
    }
    None
}

/// The final stage's health-check command words and the instruction's position.
fn healthcheck(stage: &Stage) -> Option<(usize, Vec<String>)> {
    stage.instructions.iter().enumerate().rev().find_map(
        |(position, instruction)| match instruction {
            Instruction::Healthcheck { command, .. } => Some((position, command.clone())),
            Instruction::Other { keyword, arguments }
                if keyword.eq_ignore_ascii_case("HEALTHCHECK") =>
            {
                let words: Vec<String> = arguments
                    .split_whitespace()
                    .skip_while(|word| !word.eq_ignore_ascii_case("CMD"))
                    .skip(1)
                    .map(|word| {
                        word.trim_matches(|c| c == '"' || c == '[' || c == ']' || c == ',')
                            .to_owned()
                    })
                    .filter(|word| !word.is_empty())
                    .collect();
                (!words.is_empty()).then_some((position, words))
            }
            _ => None,
        },
    )
}

/// The program a command runs first (a `sh -c` script's first word).
fn program(words: &[String]) -> Option<(String, Vec<String>)> {
    let first = words.first()?;
    let name = first.rsplit('/').next().unwrap_or(first);
    if matches!(name, "sh" | "bash") && words.get(1).map(String::as_str) == Some("-c") {
        let script: Vec<String> = words
            .get(2)?
            .split(|c: char| c.is_whitespace() || c == '|' || c == '&' || c == ';')
            .filter(|word| !word.is_empty())
            .map(str::to_owned)
            .collect();
        return program(&script);
    }
    Some((first.clone(), words[1..].to_vec()))
}

fn absolute(path: &str, workdir: &str) -> String {
    if path.starts_with('/') {
        path.trim_end_matches('/').to_owned()
    } else {
        let relative = path.trim_start_matches("./").trim_end_matches('/');
        let base = workdir.trim_end_matches('/');
        if relative.is_empty() || relative == "." {
            base.to_owned()
        } else {
            format!("{base}/{relative}")
        }
    }
}

/// Whether the final stage copies (or builds) something at `path`.
fn provided(stage: &Stage, default_workdir: &str, path: &str) -> bool {
    let mut workdir = default_workdir.to_owned();
    let mut target = absolute(path, &workdir);
    for instruction in &stage.instructions {
        match instruction {
            Instruction::Workdir { path: dir } => {
                workdir = absolute(dir, &workdir);
                if !path.starts_with('/') {
                    target = absolute(path, &workdir);
                }
            }
            Instruction::Copy {
                sources,
                destination,
                ..
            } => {
                let into_dir =
                    destination.ends_with('/') || destination == "." || sources.len() > 1;
                let dest = absolute(destination, &workdir);
                for source in sources {
                    if source == "." {
                        return true;
                    }
                    let placed = if into_dir {
                        let base = source
                            .trim_end_matches('/')
                            .rsplit('/')
                            .next()
                            .unwrap_or(source);
                        format!("{dest}/{base}")
                    } else {
                        dest.clone()
                    };
                    if target == placed || target.starts_with(&format!("{placed}/")) {
                        return true;
                    }
                }
            }
            Instruction::Run { command } if command.contains(path) => return true,
            _ => {}
        }
    }
    false
}

fn looks_like_file(word: &str) -> bool {
    !word.starts_with('-')
        && [".js", ".mjs", ".cjs", ".py", ".sh", ".jar"]
            .iter()
            .any(|ext| word.ends_with(ext))
}

/// What is wrong with the final stage's health check, if anything.
fn problem(context: &Context) -> Option<(String, String)> {
    let workdir = &context.service().container.workdir;
    let (index, stage) = context.final_stage()?;
    let (position, words) = healthcheck(stage)?;
    let (tool, args) = program(&words)?;
    let field = if context.templated() {
        "container.runtime_image".to_owned()
    } else {
        context.instruction_field(index, position)
    };
    let tool_name = tool.rsplit('/').next().unwrap_or(&tool).to_owned();
    if tool.contains('/') && !provided(stage, workdir, &tool) {
        return Some((
            field,
            format!("The HEALTHCHECK runs `{tool}`, which the final stage never copies."),
        ));
    }
    if !tool.contains('/') {
        if let Some(tools) = known_tools(&stage.image) {
            if !tools.contains(&tool_name.as_str()) {
                return Some((
                    field,
                    format!(
                        "The HEALTHCHECK runs `{tool_name}`, which `{}` does not have: the check always fails.",
                        stage.image
                    ),
                ));
            }
        }
    }
    let script = args.iter().find(|word| looks_like_file(word))?;
    (!provided(stage, workdir, script)).then(|| {
        (
            field,
            format!(
                "The HEALTHCHECK runs `{script}`, which is not copied into the final stage `{}`.",
                stage.name
            ),
        )
    })
}

impl Rule for HealthcheckTargetPresent {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-010",
        name: "healthcheck-target-present",
        severity: Severity::High,
        area: Area::Validity,
        title: "The HEALTHCHECK can run in the final image",
        what: "The program the final stage's `HEALTHCHECK` runs exists there: `curl` is not on \
               Alpine (busybox has `wget`), Debian `-slim` images have neither, distroless and \
               `scratch` images have only their runtime; and a script it runs \
               (`node healthcheck.js`) or a binary it calls is copied into the final stage.",
        why: "A health check that cannot run fails every time: Docker, Compose and Swarm mark a \
              healthy container unhealthy and restart or route around it. The seed's runner \
              stage runs `node healthcheck.js` but never copies that file (A10).",
        incorrect: "FROM node:20-alpine AS runner\nCOPY --from=builder /app/dist ./dist\nHEALTHCHECK CMD node healthcheck.js",
        correct: "FROM node:20-alpine AS runner\nCOPY --from=builder /app/dist ./dist\nHEALTHCHECK CMD [\"node\", \"-e\", \"require('http').get('http://127.0.0.1:3000/health', ...)\"]",
        fix: "Replaces the command with one the runtime itself runs (`node -e`, `python -c`, or \
              busybox `wget` on Alpine) against the design's health path, and moves a final \
              image that has no such tool to the runtime's default image. Unsafe: the written \
              command (or image) is replaced.",
        source: "Not in the documents (docs/defaults.md#a10-image-tests): 000 · Docker: Layer \
                 Security (`HEALTHCHECK CMD node healthcheck.js` with no COPY of it)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        problem(context)
            .map(|(field, message)| Violation::new(field, message))
            .into_iter()
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use a health check the image can run",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut script = crate::rules::support::explicit_stages();
        let stage = &mut script.services[0].container.stages[2];
        for instruction in &mut stage.instructions {
            if let Instruction::Healthcheck { command, .. } = instruction {
                *command = vec!["node".into(), "healthcheck.js".into()];
            }
        }
        let mut curl = crate::rules::support::explicit_stages();
        for instruction in &mut curl.services[0].container.stages[2].instructions {
            if let Instruction::Healthcheck { command, .. } = instruction {
                *command = vec![
                    "curl".into(),
                    "-f".into(),
                    "http://127.0.0.1:3000/health".into(),
                ];
            }
        }
        let mut distroless = crate::presets::for_runtime(crate::model::Runtime::Go);
        distroless.services[0].container.runtime_image = "gcr.io/distroless/static-debian12".into();
        vec![script, curl, distroless]
    }
}

fn apply(design: &mut Design, index: usize) {
    if problem(&Context::for_service(design, index)).is_none() {
        return;
    }
    let service = &mut design.services[index];
    let runtime = service.runtime;
    let check = service.container.healthcheck.clone();
    let command = healthcheck_command(runtime, service.container.port, &check.path);
    if let Some(stage) = service.container.stages.last_mut() {
        if let Some((position, _)) = healthcheck(stage) {
            stage.instructions[position] = Instruction::Healthcheck {
                interval_seconds: check.interval_seconds,
                timeout_seconds: check.timeout_seconds,
                start_period_seconds: check.start_period_seconds,
                retries: check.retries,
                command,
            };
        }
    }
    if problem(&Context::for_service(design, index)).is_some() {
        let (_, image) = default_images(runtime, &design.services[index].runtime_version);
        match design.services[index].container.stages.last_mut() {
            Some(stage) => stage.image = image,
            None => design.services[index].container.runtime_image = image,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_for_every_preset() {
        for preset in crate::presets::all() {
            assert!(
                fields(&HealthcheckTargetPresent, &(preset.build)()).is_empty(),
                "{}",
                preset.id
            );
        }
    }

    #[test]
    fn passes_when_the_script_is_copied() {
        let mut design = HealthcheckTargetPresent::failing_examples().remove(0);
        let stage = &mut design.services[0].container.stages[2];
        stage
            .instructions
            .insert(1, crate::rules::support::copy(&["healthcheck.js"], "./"));
        assert!(fields(&HealthcheckTargetPresent, &design).is_empty());
    }

    #[test]
    fn fails_on_missing_scripts_and_tools() {
        let reported: Vec<Vec<String>> = HealthcheckTargetPresent::failing_examples()
            .iter()
            .map(|design| fields(&HealthcheckTargetPresent, design))
            .collect();
        assert!(reported[0][0].starts_with("container.stages[2].instructions["));
        assert!(reported[1][0].starts_with("container.stages[2].instructions["));
        assert_eq!(reported[2], ["container.runtime_image"]);
    }

    #[test]
    fn images_are_judged_by_their_tools() {
        assert!(!known_tools("node:20-alpine").unwrap().contains(&"curl"));
        assert!(known_tools("python:3.12-slim").unwrap().contains(&"python"));
        assert!(known_tools("node:20").is_none());
    }
}
