use crate::model::{Design, Instruction};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::{default_user_name, tail_position};

pub struct NonRootUser;

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("").trim();
    name.is_empty() || name == "root" || name == "0"
}

impl Rule for NonRootUser {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-001",
        name: "non-root-user",
        severity: Severity::Critical,
        area: Area::Docker,
        title: "The final image runs as a non-root user",
        what: "The final stage switches to a user other than root (uid 0) with a USER instruction, \
               and that user is created in the stage or exists in the base image.",
        why: "A process running as root inside a container is root on the host's kernel. One \
              exploitable bug in the app or a dependency then becomes a container escape or a \
              foothold to tamper with mounted volumes. Kubernetes' runAsNonRoot also refuses to \
              start such an image.",
        incorrect: "FROM node:20-alpine\nCOPY --from=builder /app/dist ./dist\nCMD [\"node\", \"dist/main.js\"]",
        correct: "FROM node:20-alpine\nRUN addgroup -g 1001 -S nodejs && adduser -S -D -H -u 1001 -G nodejs nodejs\nCOPY --from=builder --chown=1001:1001 /app/dist ./dist\nUSER 1001:1001\nCMD [\"node\", \"dist/main.js\"]",
        fix: "Creates the user `nodejs` (uid and gid 1001) in the final stage and switches to it \
              with a numeric USER before the command.",
        source: "000 · Docker: Layer Security; Key Decisions (\"Container user: non-root (uid 1001)\"); \
                 004 · Containerization with Docker › Multi-Stage Builds",
        equivalents: &["hadolint DL3002", "checkov CKV_DOCKER_3", "checkov CKV_DOCKER_8"],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let Some((index, stage)) = context.final_stage() else {
            return Vec::new();
        };
        let last_user =
            stage
                .instructions
                .iter()
                .enumerate()
                .rev()
                .find_map(|(position, instruction)| match instruction {
                    Instruction::User { user } => Some((position, user.as_str())),
                    _ => None,
                });
        let field = |position: Option<usize>| {
            if context.templated() {
                "container.user.uid".to_owned()
            } else {
                match position {
                    Some(position) => context.instruction_field(index, position),
                    None => format!("container.stages[{index}]"),
                }
            }
        };
        match last_user {
            None => vec![Violation::new(
                field(None),
                format!(
                    "The final stage `{}` has no USER instruction, so the container runs as root.",
                    stage.name
                ),
            )],
            Some((position, user)) if is_root(user) => vec![Violation::new(
                field(Some(position)),
                format!(
                    "The final stage `{}` runs as `{user}`, which is root.",
                    stage.name
                ),
            )],
            Some(_) => Vec::new(),
        }
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Run as uid 1001",
            safety: FixSafety::Safe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut templated = crate::presets::for_runtime(crate::model::Runtime::Node);
        templated.services[0].container.user.uid = 0;
        let mut explicit = crate::rules::support::explicit_stages();
        if let Some(stage) = explicit.services[0].container.stages.last_mut() {
            stage.instructions.retain(|instruction| {
                !matches!(
                    instruction,
                    Instruction::User { .. } | Instruction::Run { .. }
                )
            });
        }
        vec![templated, explicit]
    }
}

fn apply(design: &mut Design, index: usize) {
    let service = &mut design.services[index];
    let runtime = service.runtime;
    let container = &mut service.container;
    let user = &mut container.user;
    if user.uid == 0 || is_root(&user.name) {
        user.uid = 1001;
        user.gid = 1001;
        user.name = default_user_name(runtime).to_owned();
    }
    let owner = format!("{}:{}", user.uid, user.gid);
    let create = crate::facts::stages::user_creation_command(&container.runtime_image, user);
    let Some(stage) = container.stages.last_mut() else {
        return;
    };
    stage
        .instructions
        .retain(|instruction| !matches!(instruction, Instruction::User { user } if is_root(user)));
    let has_user = stage
        .instructions
        .iter()
        .any(|instruction| matches!(instruction, Instruction::User { .. }));
    if has_user {
        return;
    }
    let creates_user = stage.instructions.iter().any(|instruction| {
        matches!(instruction, Instruction::Run { command } if command.contains("adduser") || command.contains("useradd"))
    });
    if !creates_user && !stage.image.contains("distroless") {
        let after_workdir = stage
            .instructions
            .iter()
            .position(|instruction| matches!(instruction, Instruction::Workdir { .. }))
            .map_or(0, |position| position + 1);
        stage
            .instructions
            .insert(after_workdir, Instruction::Run { command: create });
    }
    let position = tail_position(stage);
    stage
        .instructions
        .insert(position, Instruction::User { user: owner });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violations(design: &Design) -> usize {
        NonRootUser.check(&Context::new(design)).len()
    }

    #[test]
    fn passes_with_uid_1001() {
        assert_eq!(
            violations(&crate::presets::for_runtime(crate::model::Runtime::Node)),
            0
        );
    }

    #[test]
    fn fails_when_running_as_root_or_without_user() {
        for design in NonRootUser::failing_examples() {
            assert_eq!(violations(&design), 1);
        }
    }
}
