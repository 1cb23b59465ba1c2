use crate::facts::shell::{simple_commands, tool_and_args};
use crate::model::Design;
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Severity, Violation};

use super::commands::{command_texts, rewrite_commands};

pub struct NpmOmitDev;

const DEPRECATED: [&str; 4] = [
    "--only=production",
    "--only=prod",
    "--production",
    "--production=true",
];

fn deprecated_install(line: &str) -> bool {
    simple_commands(line).into_iter().any(|segment| {
        tool_and_args(segment).is_some_and(|(tool, args)| {
            tool == "npm"
                && matches!(args.first().copied(), Some("ci" | "install" | "i"))
                && args.iter().any(|arg| DEPRECATED.contains(arg))
        })
    })
}

fn rewrite(line: &str) -> String {
    if !deprecated_install(line) {
        return line.to_owned();
    }
    line.split(' ')
        .map(|word| {
            if DEPRECATED.contains(&word) {
                "--omit=dev"
            } else {
                word
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Rule for NpmOmitDev {
    const DOC: RuleDoc = RuleDoc {
        id: "VALID-016",
        name: "npm-omit-dev",
        severity: Severity::Low,
        area: Area::Validity,
        title: "Production-only npm installs use --omit=dev",
        what: "No npm install command (project commands, CI jobs, Dockerfile RUN lines, Railway \
               commands) uses `--only=production`, `--only=prod` or `--production`; they use \
               `--omit=dev`.",
        why: "npm 7 and later treat those flags as deprecated and print a warning on every \
              install; a future npm drops them and the install silently brings in dev \
              dependencies, bloating the image. Both seed documents use `--only=production`.",
        incorrect: "RUN npm ci --only=production",
        correct: "RUN npm ci --omit=dev",
        fix: "Rewrites the flag to `--omit=dev`.",
        source: "Not in the documents (docs/defaults.md#a9-004-dockerfile): 000 · Docker: \
                 Multi-Stage Builds; 004 · Containerization with Docker (`npm ci \
                 --only=production`)",
        equivalents: &[],
    };

    fn check(&self, context: &Context) -> Vec<Violation> {
        command_texts(context.design)
            .into_iter()
            .filter(|(_, text)| deprecated_install(text))
            .map(|(field, text)| {
                Violation::new(
                    field,
                    format!("`{text}` uses a deprecated npm flag; use `--omit=dev`."),
                )
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use --omit=dev",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut project = Design::default();
        project.services[0].commands.install = "npm ci --only=production".into();
        let mut job = Design::default();
        job.pipeline.jobs[5].commands = vec!["npm install --production && npm run start".into()];
        vec![project, job]
    }
}

fn apply(design: &mut Design, _service: usize) {
    rewrite_commands(design, rewrite);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_by_default() {
        assert!(fields(&NpmOmitDev, &Design::default()).is_empty());
        assert!(!deprecated_install("npm ci --production=false"));
    }

    #[test]
    fn fails_on_deprecated_flags() {
        assert_eq!(
            fields(&NpmOmitDev, &NpmOmitDev::failing_examples()[0]),
            ["services[0].commands.install"]
        );
        assert_eq!(
            fields(&NpmOmitDev, &NpmOmitDev::failing_examples()[1]),
            ["pipeline.jobs[5].commands[0]"]
        );
        assert_eq!(
            rewrite("npm ci --only=production && x"),
            "npm ci --omit=dev && x"
        );
    }
}
