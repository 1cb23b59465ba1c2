//! Helpers and fixtures for the rules' own tests.

use super::{AnyRule, Context, Violation};
use crate::model::{Design, Instruction, Runtime};

/// A preset's design, by id.
pub fn preset(id: &str) -> Design {
    (crate::presets::find(id).expect("known preset").build)()
}

pub fn violations(rule: &dyn AnyRule, design: &Design) -> Vec<Violation> {
    rule.check(&Context::new(design))
}

/// The fields a rule reports on a design.
pub fn fields(rule: &dyn AnyRule, design: &Design) -> Vec<String> {
    violations(rule, design)
        .into_iter()
        .map(|violation| violation.field)
        .collect()
}

/// A design whose stages are explicit: the Node template, materialised.
pub fn explicit_stages() -> Design {
    let mut design = crate::presets::for_runtime(Runtime::Node);
    let service = &mut design.services[0];
    service.container.stages = crate::facts::stages::template(service);
    design
}

/// `COPY <sources> <destination>` from the build context, without `--chown`.
pub fn copy(sources: &[&str], destination: &str) -> Instruction {
    Instruction::Copy {
        from: String::new(),
        sources: sources.iter().map(|source| (*source).into()).collect(),
        destination: destination.into(),
        chown: String::new(),
    }
}
