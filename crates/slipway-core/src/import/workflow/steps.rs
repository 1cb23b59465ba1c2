//! One step of a job: its `run:` script as commands at their own lines, and what the
//! commands show (installs, image builds, deploys).

use serde_norway::Value;

use super::job_kinds::installs_with;
use super::yaml::{path_of, scalar, truthy, untag};
use super::{Reader, StepEffect};
use crate::facts::shell::{simple_commands, tool_and_args};
use crate::formats::outline::{key, Segment};

impl Reader<'_> {
    pub(super) fn step(
        &mut self,
        step: &Value,
        path: &[Segment],
        job_swallows: bool,
    ) -> StepEffect {
        let mut effect = StepEffect::default();
        let swallows = job_swallows || step.get("continue-on-error").is_some_and(truthy);
        let with = step
            .get("with")
            .map(untag)
            .and_then(Value::as_mapping)
            .cloned()
            .unwrap_or_default();
        let step_line = self.outline.line(path);
        if let Some(script) = step.get("run").and_then(scalar) {
            let run_line = self
                .outline
                .line(&path_of(path, &[key("run")]))
                .or(step_line);
            for (command, offset) in script_commands(&script) {
                let line = run_line.map_or(0, |run| self.command_line(run, &script, offset));
                self.classify_command(&command, &mut effect);
                effect
                    .commands
                    .push((with_swallow(command, swallows), line));
            }
        }
        if let Some(uses) = step.get("uses").and_then(scalar) {
            let line = self
                .outline
                .line(&path_of(path, &[key("uses")]))
                .or(step_line)
                .unwrap_or(0);
            self.action(&uses, &with, path, line, swallows, &mut effect);
        }
        effect.commands.retain(|(command, _)| !command.is_empty());
        effect
    }

    /// The line of the `offset`-th line of a `run:` script: the script's own line for a
    /// one-line value, the matching line below `run: |` for a literal block.
    fn command_line(&self, run_line: usize, script: &str, offset: usize) -> usize {
        let header = self.source.get(run_line - 1).copied().unwrap_or("");
        let literal = header
            .split_once("run:")
            .map(|(_, rest)| rest.trim_start())
            .is_some_and(|rest| rest.starts_with('|'));
        if !literal {
            return run_line;
        }
        let candidate = run_line + 1 + offset;
        let expected = script.lines().nth(offset).map(str::trim).unwrap_or("");
        match self.source.get(candidate - 1) {
            Some(line) if line.trim() == expected => candidate,
            _ => run_line,
        }
    }

    fn classify_command(&mut self, command: &str, effect: &mut StepEffect) {
        for segment in simple_commands(command) {
            let words: Vec<&str> = segment.split_whitespace().collect();
            if let Some(manager) = installs_with(&words) {
                self.note_manager(manager);
            }
            let (tool, args) = match tool_and_args(segment) {
                Some((tool, args)) => (Some(tool), args),
                None => (None, Vec::new()),
            };
            if matches!(
                (tool, args.first().copied(), args.get(1).copied()),
                (Some("kind"), Some("create"), Some("cluster"))
                    | (Some("k3d"), Some("cluster"), Some("create"))
                    | (Some("minikube"), Some("start"), _)
                    | (Some("ct"), Some("install"), _)
            ) {
                effect.local_cluster = true;
            }
            effect.rolls_back |= matches!(
                (
                    tool,
                    args.first().copied(),
                    args.get(1).copied(),
                    args.get(2).copied()
                ),
                (Some("helm"), Some("rollback"), _, _)
                    | (Some("kubectl"), Some("rollout"), Some("undo"), _)
                    | (
                        Some("kubectl"),
                        Some("argo"),
                        Some("rollouts"),
                        Some("undo" | "abort")
                    )
                    | (Some("git"), Some("revert"), _, _)
            );
            effect.promotes |= matches!(
                (tool, args.first().copied(), args.get(1).copied()),
                (Some("git"), Some("push"), _) | (Some("gh"), Some("pr"), Some("create"))
            );
            match (tool, args.first().copied()) {
                (Some("docker" | "podman"), Some("build" | "buildx" | "push")) => {
                    effect.image_build = true;
                    if let Some(image) = tag_of(&words) {
                        self.note_image(&image);
                    }
                }
                (Some("helm"), Some("upgrade" | "install"))
                | (Some("kubectl"), Some("apply" | "set" | "rollout"))
                | (Some("railway"), Some("up"))
                | (Some("flyctl" | "fly"), Some("deploy"))
                | (Some("argocd"), Some("app")) => effect.deploys = true,
                _ => {}
            }
        }
    }

    pub(super) fn note_image(&mut self, reference: &str) {
        if self.image.is_some() {
            return;
        }
        let repository = reference
            .trim_matches(['"', '\''])
            .split([':', '@'])
            .next()
            .unwrap_or("");
        if !repository.is_empty() && !repository.contains('$') {
            self.image = Some(repository.to_owned());
        }
    }
}

/// The shell lines of a `run:` script, continuation lines joined, comments and blank lines
/// dropped, each with the offset of its first line in the script.
fn script_commands(script: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    for (offset, raw) in script.lines().enumerate() {
        let line = raw.trim();
        if current.is_empty() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            start = offset;
        }
        match line.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head.trim_end());
                current.push(' ');
            }
            None => {
                current.push_str(line);
                out.push((std::mem::take(&mut current).trim().to_owned(), start));
            }
        }
    }
    if !current.trim().is_empty() {
        out.push((current.trim().to_owned(), start));
    }
    out
}

/// A step that may fail without failing the job reads as a command that hides its failure.
pub(super) fn with_swallow(command: String, swallows: bool) -> String {
    if swallows && !command.is_empty() {
        format!("{command} || true")
    } else {
        command
    }
}

/// The `-t`/`--tag` value of a build command.
fn tag_of(words: &[&str]) -> Option<String> {
    words.iter().enumerate().find_map(|(i, word)| {
        if *word == "-t" || *word == "--tag" {
            words.get(i + 1).map(|tag| (*tag).to_owned())
        } else {
            word.strip_prefix("--tag=").map(str::to_owned)
        }
    })
}
