use crate::model::{Design, Runtime, ServiceKind, StageRole};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::layout::plays;

pub struct ThreeStageLayout;

fn missing(context: &Context) -> Vec<&'static str> {
    let service = context.service();
    let ships_dependencies = matches!(service.runtime, Runtime::Node | Runtime::Python)
        && service.kind != ServiceKind::StaticSite;
    let Some((last, _)) = context.final_stage() else {
        return Vec::new();
    };
    if !ships_dependencies {
        return Vec::new();
    }
    let earlier = &context.stages[..last];
    let deps = earlier
        .iter()
        .position(|stage| plays(stage, StageRole::Deps));
    let builder = earlier
        .iter()
        .enumerate()
        .position(|(i, stage)| Some(i) != deps && plays(stage, StageRole::Builder));
    let mut missing = Vec::new();
    if deps.is_none() {
        missing.push("no production-dependencies stage (`deps`)");
    }
    if builder.is_none() {
        missing.push("no build stage (`builder`)");
    }
    missing
}

impl Rule for ThreeStageLayout {
    const DOC: RuleDoc = RuleDoc {
        id: "DOCKER-009",
        name: "three-stage-layout",
        severity: Severity::High,
        area: Area::Docker,
        title: "Dependencies, build and runtime each get their own stage",
        what: "For runtimes that ship installed dependencies (Node, Python), the Dockerfile has \
               separate stages that install production dependencies only (`deps`), install \
               everything and build (`builder`), and run (`runner`). Compiled binaries and static \
               sites carry their dependencies inside the artifact, so two stages suffice there.",
        why: "The runtime needs production dependencies, the build needs all of them. With one \
              install stage the image either ships dev dependencies or rebuilds without them; a \
              separate `deps` stage caches production dependencies independently of the source \
              and gives the final stage a clean set to copy.",
        incorrect: "FROM node:20-alpine AS builder\nRUN npm ci && npm run build\nFROM node:20-alpine\nCOPY --from=builder /app/node_modules ./node_modules",
        correct: "FROM node:20-alpine AS deps\nRUN npm ci --omit=dev\nFROM node:20-alpine AS builder\nRUN npm ci && npm run build\nFROM node:20-alpine AS runner\nCOPY --from=deps /app/node_modules ./node_modules",
        fix: "Rebuilds the container from the runtime's three-stage template. Unsafe: custom \
              stages are replaced.",
        source: "000 · Docker: Multi-Stage Builds (key rules: \"separate stages for dependency \
                 installation, building, and runtime\"); Key Concepts › Container Best Practices",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        let missing = missing(context);
        if missing.is_empty() {
            return Vec::new();
        }
        vec![Violation::new(
            "container.stages",
            format!("The Dockerfile has {}.", missing.join(" and ")),
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Use the three-stage template",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut two = crate::rules::support::explicit_stages();
        two.services[0].container.stages.remove(0);
        vec![two]
    }
}

fn apply(design: &mut Design, index: usize) {
    if !missing(&Context::for_service(design, index)).is_empty() {
        design.services[index].container.stages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::{fields, preset};

    #[test]
    fn passes_with_the_templates_and_two_stage_compiled_builds() {
        for id in ["node-api", "fastapi-react", "static-site"] {
            assert!(fields(&ThreeStageLayout, &preset(id)).is_empty(), "{id}");
        }
        let mut go = preset("go-service");
        go.services[0].container.stages = crate::facts::stages::template(&go.services[0]);
        go.services[0].container.stages.remove(0);
        assert!(fields(&ThreeStageLayout, &go).is_empty());
    }

    #[test]
    fn fails_without_a_deps_stage() {
        assert_eq!(
            fields(&ThreeStageLayout, &ThreeStageLayout::failing_examples()[0]),
            ["container.stages"]
        );
    }
}
