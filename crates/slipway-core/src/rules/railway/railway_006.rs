use crate::model::{Design, RailwayBuilder};
use crate::rules::{Area, Context, Fix, FixSafety, Rule, RuleDoc, Scope, Severity, Violation};

use super::settings::railway;

pub struct NixpacksUnlessNeeded;

fn single_stage(context: &Context) -> bool {
    railway(context.service()).is_some_and(|railway| railway.builder == RailwayBuilder::Dockerfile)
        && context.stages.len() < 2
}

impl Rule for NixpacksUnlessNeeded {
    const DOC: RuleDoc = RuleDoc {
        id: "RAILWAY-006",
        name: "nixpacks-unless-needed",
        severity: Severity::Medium,
        area: Area::Railway,
        title: "Railway builds from a Dockerfile only for a documented reason",
        what: "`builder: DOCKERFILE` is used when the image needs what only a Dockerfile gives: \
               a multi-stage build (every Slipway image has one unless its stages are edited \
               down to a single stage). A single-stage Dockerfile on Railway gets a warning: \
               Railway's own builder (Railpack, or Nixpacks) does that job with less to maintain.",
        why: "The seed says \"use Nixpacks unless you need a custom runtime\" and, in the same \
              breath, lists \"multi-stage needed\" as a reason to switch; its Docker rules \
              require multi-stage builds (A18). Slipway resolves the conflict in favour of the \
              Docker rules: the multi-stage Dockerfile is the documented reason. A single-stage \
              Dockerfile has neither the Docker rules' benefits nor Nixpacks' simplicity.",
        incorrect: "\"builder\": \"DOCKERFILE\"   # FROM node:20-alpine, one stage",
        correct: "\"builder\": \"DOCKERFILE\"   # deps → builder → runner",
        fix: "Switches the builder to Railpack. Unsafe: Railway then builds without your \
              Dockerfile.",
        source: "000 · Railway Deployment Patterns › Nixpacks vs Dockerfile; Anti-Patterns; \
                 Nixpacks Customization › When to Switch to Dockerfile; A18",
        equivalents: &[],
    };
    const SCOPE: Scope = Scope::Service;

    fn check(&self, context: &Context) -> Vec<Violation> {
        if !single_stage(context) {
            return Vec::new();
        }
        vec![Violation::new(
            "railway.builder",
            "Railway builds a single-stage Dockerfile: none of the documented reasons for \
             `DOCKERFILE` applies (use Railpack or make the build multi-stage).",
        )]
    }

    fn fix(&self) -> Option<Fix> {
        Some(Fix {
            label: "Build with Railpack",
            safety: FixSafety::Unsafe,
            apply,
        })
    }

    #[cfg(test)]
    fn failing_examples() -> Vec<Design> {
        let mut design = Design::default();
        let mut stages = crate::facts::stages::template(&design.services[0]);
        design.services[0].container.stages = vec![stages.remove(2)];
        vec![design]
    }
}

fn apply(design: &mut Design, index: usize) {
    if single_stage(&Context::for_service(design, index)) {
        design.services[index].railway.builder = RailwayBuilder::Railpack;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::fields;

    #[test]
    fn passes_with_the_multi_stage_template() {
        assert!(fields(&NixpacksUnlessNeeded, &Design::default()).is_empty());
    }

    #[test]
    fn fails_on_a_single_stage_dockerfile() {
        assert_eq!(
            fields(
                &NixpacksUnlessNeeded,
                &NixpacksUnlessNeeded::failing_examples()[0]
            ),
            ["railway.builder"]
        );
    }
}
