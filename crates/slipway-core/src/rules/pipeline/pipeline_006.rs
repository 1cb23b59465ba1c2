use crate::facts::jobs::jobs_of;
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::{Design, JobKind};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use crate::facts::commands::{swallows_failure, without_swallows};

pub struct ImageScanGate;

/// The image a simple command pushes, if it pushes one.
fn pushed_image(segment: &str) -> Option<String> {
    let (tool, args) = tool_and_args(segment)?;
    if !matches!(tool, "docker" | "podman") {
        return None;
    }
    match args.as_slice() {
        ["push", image, ..] | ["image", "push", image, ..] => Some((*image).to_owned()),
        _ if args.contains(&"--push") && args.iter().any(|a| *a == "build" || *a == "buildx") => {
            Some(tag_of(&args).unwrap_or_else(|| "$IMAGE".to_owned()))
        }
        _ => None,
    }
}

/// The `-t`/`--tag` value of a build command.
fn tag_of(args: &[&str]) -> Option<String> {
    args.iter().enumerate().find_map(|(i, arg)| {
        if *arg == "-t" || *arg == "--tag" {
            args.get(i + 1).map(|tag| (*tag).to_owned())
        } else {
            arg.strip_prefix("--tag=").map(str::to_owned)
        }
    })
}

/// An image scan, and whether it can fail the job.
fn image_scan(segment: &str) -> Option<bool> {
    let (tool, args) = tool_and_args(segment)?;
    if tool != "trivy" || !matches!(args.first(), Some(&("image" | "i"))) {
        return None;
    }
    let exit_code = args.iter().enumerate().find_map(|(i, arg)| {
        if *arg == "--exit-code" {
            args.get(i + 1).copied()
        } else {
            arg.strip_prefix("--exit-code=")
        }
    });
    Some(exit_code.is_some_and(|code| code.trim() != "0"))
}

/// Problems of one custom build job: (command position, message).
fn problems(commands: &[String]) -> Vec<(usize, String)> {
    let mut problems = Vec::new();
    let mut gated = false;
    for (position, line) in commands.iter().enumerate() {
        for segment in simple_commands(line) {
            if let Some(fails) = image_scan(segment) {
                if fails && !swallows_failure(line) {
                    gated = true;
                } else {
                    problems.push((
                        position,
                        "scans the image without failing the job (`--exit-code 1`)".to_owned(),
                    ));
                }
            }
            if let Some(image) = pushed_image(segment) {
                if !gated {
                    problems.push((
                        position,
                        format!("pushes `{image}` before a gating image scan"),
                    ));
                }
            }
        }
    }
    problems
}

impl Rule for ImageScanGate {
    const DOC: RuleDoc = RuleDoc {
        id: "PIPELINE-006",
        name: "image-scan-gate",
        severity: Severity::High,
        area: Area::Pipeline,
        title: "The built image is scanned, and the scan gates the push",
        what: "A build job scans the freshly built image with `trivy image` before pushing it, \
               and the scan fails the job on CRITICAL findings (`--exit-code 1`, nothing like \
               `|| true` after it). The generated build job does this; custom build commands \
               must keep the order build → scan → push.",
        why: "The registry is where deploys pull from. An image pushed before it is scanned can \
              be deployed with a known critical vulnerability; a scan that cannot fail the job \
              only produces a report nobody reads.",
        incorrect: "docker build -t ghcr.io/acme/app:$GITHUB_SHA .\ndocker push ghcr.io/acme/app:$GITHUB_SHA\ntrivy image ghcr.io/acme/app:$GITHUB_SHA",
        correct: "docker build -t ghcr.io/acme/app:$GITHUB_SHA .\ntrivy image --severity CRITICAL --exit-code 1 ghcr.io/acme/app:$GITHUB_SHA\ndocker push ghcr.io/acme/app:$GITHUB_SHA",
        fix: "Makes existing image scans fail the job and inserts a gating `trivy image` scan \
              before each push (a `buildx --push` becomes `--load`, scan, push).",
        source: "000 · Docker Patterns › Security Scanning with Trivy; Production Readiness \
                 Checklist › Security (\"Container images scanned (Trivy/Snyk)\"); 004 · CI/CD \
                 Pipelines › GitHub Actions (container scan)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        let design = context.design;
        jobs_of(design, JobKind::Build)
            .into_iter()
            .flat_map(|index| {
                let job = &design.pipeline.jobs[index];
                problems(&job.commands)
                    .into_iter()
                    .map(move |(position, message)| {
                        Violation::new(
                            format!("pipeline.jobs[{index}].commands[{position}]"),
                            format!("Build job `{}` {message}.", job.id),
                        )
                    })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Gate the push on an image scan",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let image = "ghcr.io/acme/app:${{ github.sha }}";
        let push_first = super::with_job("build", |job| {
            job.commands = vec![
                format!("docker build -t {image} ."),
                format!("docker push {image}"),
                format!("trivy image {image}"),
            ]
        });
        let buildx = super::with_job("build", |job| {
            job.commands = vec![format!("docker buildx build --push -t {image} .")]
        });
        let soft = super::with_job("build", |job| {
            job.commands = vec![
                format!("docker build -t {image} ."),
                format!("trivy image --exit-code 1 {image} || true"),
                format!("docker push {image}"),
            ]
        });
        vec![push_first, buildx, soft]
    }
}

fn gate(image: &str) -> String {
    format!("trivy image --severity CRITICAL --exit-code 1 {image}")
}

/// A scan command that fails the job.
fn failing_scan(line: &str) -> String {
    let line = without_swallows(line);
    let mut out = Vec::new();
    for segment in simple_commands(&line) {
        if image_scan(segment) == Some(false) {
            let words: Vec<&str> = segment.split_whitespace().collect();
            let mut rewritten = Vec::new();
            let mut skip_next = false;
            for (i, word) in words.iter().enumerate() {
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if *word == "--exit-code" {
                    skip_next = words.get(i + 1).is_some();
                    continue;
                }
                if word.starts_with("--exit-code=") {
                    continue;
                }
                rewritten.push(*word);
                if *word == "image" || *word == "i" {
                    rewritten.push("--exit-code 1");
                }
            }
            out.push((segment.to_owned(), rewritten.join(" ")));
        }
    }
    out.into_iter().fold(line.clone(), |line, (from, to)| {
        line.replacen(&from, &to, 1)
    })
}

fn apply(design: &mut Design, _service: usize) {
    for index in jobs_of(design, JobKind::Build) {
        let commands = &design.pipeline.jobs[index].commands;
        if problems(commands).is_empty() {
            continue;
        }
        let mut rewritten: Vec<String> = Vec::new();
        let mut gated = false;
        for line in commands {
            let line = if simple_commands(line)
                .iter()
                .any(|s| image_scan(s).is_some())
            {
                failing_scan(line)
            } else {
                line.clone()
            };
            let pushes: Vec<String> = simple_commands(&line)
                .into_iter()
                .filter_map(pushed_image)
                .collect();
            if simple_commands(&line)
                .iter()
                .any(|s| image_scan(s) == Some(true))
            {
                gated = true;
            }
            match pushes.first() {
                Some(image) if !gated => {
                    gated = true;
                    if line.contains("--push") {
                        rewritten.push(line.replacen("--push", "--load", 1));
                        rewritten.push(gate(image));
                        rewritten.push(format!("docker push {image}"));
                    } else {
                        rewritten.push(gate(image));
                        rewritten.push(line);
                    }
                }
                _ => rewritten.push(line),
            }
        }
        design.pipeline.jobs[index].commands = rewritten;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_generated_build_job_and_a_gated_custom_one() {
        assert!(fields(&ImageScanGate, &Design::default()).is_empty());
        let gated = super::super::with_job("build", |job| {
            job.commands = vec![
                "docker build -t app:1 .".into(),
                "trivy image --severity CRITICAL --exit-code 1 app:1".into(),
                "docker push app:1".into(),
            ]
        });
        assert!(fields(&ImageScanGate, &gated).is_empty());
    }

    #[test]
    fn fails_when_the_push_comes_first_or_the_scan_cannot_fail() {
        let reported: Vec<Vec<String>> = ImageScanGate::failing_examples()
            .iter()
            .map(|design| fields(&ImageScanGate, design))
            .collect();
        assert_eq!(
            reported[0],
            [
                "pipeline.jobs[3].commands[1]",
                "pipeline.jobs[3].commands[2]"
            ]
        );
        assert_eq!(reported[1], ["pipeline.jobs[3].commands[0]"]);
        assert_eq!(
            reported[2],
            [
                "pipeline.jobs[3].commands[1]",
                "pipeline.jobs[3].commands[2]"
            ]
        );
    }
}
