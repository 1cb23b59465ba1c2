use crate::facts::shell::simple_commands;
use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::run_command;

pub struct CopyChown;

fn is_recursive_chown(segment: &str) -> bool {
    let words: Vec<&str> = segment.split_whitespace().collect();
    words.first() == Some(&"chown") && words.iter().any(|w| matches!(*w, "-R" | "--recursive"))
}

fn copies_without_owner(instruction: &Instruction) -> bool {
    match instruction {
        Instruction::Copy { chown, .. } => chown.trim().is_empty(),
        Instruction::Other { keyword, arguments } => {
            matches!(keyword.to_ascii_uppercase().as_str(), "COPY" | "ADD")
                && !arguments.contains("--chown")
        }
        _ => false,
    }
}

impl Rule for CopyChown {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-005",
        name: "copy-chown",
        severity: Severity::Medium,
        area: Area::Docker,
        title: "The final stage sets file ownership while copying",
        what: "Every `COPY` into the final stage sets `--chown` to the runtime user, and no \
               separate `RUN chown -R` layer re-owns the files afterwards.",
        why: "`RUN chown -R` rewrites every file it touches into a new layer: the application is \
              stored twice and the image grows by its full size. `COPY --chown` writes the files \
              with the right owner once.",
        incorrect: "COPY --from=builder /app/dist ./dist\nRUN chown -R nodejs:nodejs /app",
        correct: "COPY --from=builder --chown=1001:1001 /app/dist ./dist",
        fix: "Adds `--chown=<uid>:<gid>` of the runtime user to the final stage's copies and \
              removes `chown -R` commands. Unsafe: those RUN commands are edited or removed.",
        source: "000 · Docker: Layer Security (key rules)",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((index, stage)) = context.final_stage() else {
            return Vec::new();
        };
        let mut violations = Vec::new();
        for (position, instruction) in stage.instructions.iter().enumerate() {
            let field = || context.instruction_field(index, position);
            if copies_without_owner(instruction) {
                violations.push(Violation::new(
                    field(),
                    format!("A copy into the final stage `{}` has no `--chown`: the files belong to root.", stage.name),
                ));
            }
            if run_command(instruction)
                .is_some_and(|command| simple_commands(command).into_iter().any(is_recursive_chown))
            {
                violations.push(Violation::new(
                    field(),
                    format!(
                        "`chown -R` in the final stage `{}` stores every file a second time.",
                        stage.name
                    ),
                ));
            }
        }
        violations
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Own files while copying",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::explicit_stages();
        let runner = &mut design.services[0].container.stages[2].instructions;
        for instruction in runner.iter_mut() {
            if let Instruction::Copy { chown, .. } = instruction {
                chown.clear();
            }
        }
        runner.insert(
            6,
            Instruction::Run {
                command: "chown -R nodejs:nodejs /app".into(),
            },
        );
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    let owner = match design.services[index].container.user.uid {
        0 => "1001:1001".to_owned(),
        uid => format!("{uid}:{}", design.services[index].container.user.gid),
    };
    let Some(stage) = design.services[index].container.stages.last_mut() else {
        return;
    };
    stage.instructions.retain_mut(|instruction| {
        match instruction {
            Instruction::Copy { chown, .. } if chown.trim().is_empty() => *chown = owner.clone(),
            Instruction::Other { keyword, arguments }
                if matches!(keyword.to_ascii_uppercase().as_str(), "COPY" | "ADD")
                    && !arguments.contains("--chown") =>
            {
                *arguments = format!("--chown={owner} {arguments}");
            }
            Instruction::Run { command } => {
                let kept: Vec<&str> = command
                    .split("&&")
                    .map(str::trim)
                    .filter(|part| !simple_commands(part).into_iter().any(is_recursive_chown))
                    .collect();
                if kept.is_empty() {
                    return false;
                }
                *command = kept.join(" && ");
            }
            _ => {}
        }
        true
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_template() {
        assert!(fields(&CopyChown, &crate::rules::support::explicit_stages()).is_empty());
    }

    #[test]
    fn fails_on_root_owned_copies_and_chown_layers() {
        assert_eq!(
            fields(&CopyChown, &CopyChown::failing_examples()[0]).len(),
            4
        );
    }
}
