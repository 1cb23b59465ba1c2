use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

pub struct ExecFormCmd;

/// The keyword of a shell-form CMD or ENTRYPOINT, if the instruction is one.
fn shell_form(instruction: &Instruction) -> Option<&str> {
    match instruction {
        Instruction::Other { keyword, .. }
            if keyword.eq_ignore_ascii_case("CMD")
                || keyword.eq_ignore_ascii_case("ENTRYPOINT") =>
        {
            Some(keyword)
        }
        _ => None,
    }
}

impl Rule for ExecFormCmd {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-017",
        name: "exec-form-cmd",
        severity: Severity::Low,
        area: Area::Docker,
        title: "CMD and ENTRYPOINT use the exec form",
        what: "`CMD` and `ENTRYPOINT` are JSON arrays (`[\"node\", \"dist/main.js\"]`), not a shell \
               string.",
        why: "In shell form the app runs under `/bin/sh -c`, which becomes PID 1 and does not pass \
              SIGTERM on: the app is killed after the grace period instead of draining its \
              requests, and every deploy drops connections.",
        incorrect: "CMD npm start",
        correct: "CMD [\"node\", \"dist/main.js\"]",
        fix: "Rewrites the instruction in exec form, one argument per word. Unsafe: a command that \
              relies on the shell (variables, `&&`, pipes) needs a script instead.",
        source: "all Dockerfile examples; 000 · Key Decisions (\"enables graceful shutdown\"); Production Readiness Checklist › Reliability",
        equivalents: &["hadolint DL3025", "checkov CKV_DOCKER_ (none)"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((index, stage)) = context.final_stage() else {
            return Vec::new();
        };
        stage
            .instructions
            .iter()
            .enumerate()
            .filter_map(|(position, instruction)| {
                shell_form(instruction).map(|keyword| {
                    Violation::new(
                        context.instruction_field(index, position),
                        format!(
                            "`{}` in stage `{}` is in shell form: the app will not receive SIGTERM.",
                            keyword.to_ascii_uppercase(),
                            stage.name
                        ),
                    )
                })
            })
            .collect()
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use the exec form",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = crate::rules::support::explicit_stages();
        let last = design.services[0].container.stages.len() - 1;
        design.services[0].container.stages[last]
            .instructions
            .push(Instruction::Other {
                keyword: "CMD".into(),
                arguments: "npm start".into(),
            });
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    let Some(stage) = design.services[index].container.stages.last_mut() else {
        return;
    };
    for instruction in &mut stage.instructions {
        if let Instruction::Other { keyword, arguments } = instruction {
            let args: Vec<String> = arguments.split_whitespace().map(str::to_owned).collect();
            if keyword.eq_ignore_ascii_case("CMD") {
                *instruction = Instruction::Cmd { args };
            } else if keyword.eq_ignore_ascii_case("ENTRYPOINT") {
                *instruction = Instruction::Entrypoint { args };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_with_the_exec_form() {
        assert!(ExecFormCmd
            .check(&Context::new(&crate::rules::support::explicit_stages()))
            .is_empty());
        assert!(ExecFormCmd
            .check(&Context::new(&Design::default()))
            .is_empty());
    }

    #[test]
    fn fails_on_the_shell_form_and_the_fix_rewrites_it() {
        let mut design = ExecFormCmd::failing_examples().remove(0);
        assert_eq!(ExecFormCmd.check(&Context::new(&design)).len(), 1);
        apply(&mut design, 0);
        assert!(ExecFormCmd.check(&Context::new(&design)).is_empty());
        let last = design.services[0].container.stages.last().unwrap();
        assert!(last.instructions.iter().any(
            |instruction| matches!(instruction, Instruction::Cmd { args } if args == &["npm", "start"])
        ));
    }
}
