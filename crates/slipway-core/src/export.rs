//! The export: the rule engine's findings joined with the generated files. The one module that
//! depends on both the rules and the generators, so neither depends on the other.

use crate::bundle::Bundle;
use crate::generate::{generate_with_findings, ReadmeFinding};
use crate::model::Design;
use crate::rules::{check, Finding};

/// Generates every file of the bundle, with the design's open findings in its README.
pub fn generate(design: &Design) -> Bundle {
    generate_with_findings(design, &check(design))
}

impl ReadmeFinding for Finding {
    fn rule(&self) -> &str {
        self.rule
    }

    fn severity(&self) -> &str {
        self.severity.id()
    }

    fn field(&self) -> &str {
        &self.field
    }

    fn message(&self) -> &str {
        &self.message
    }

    fn waived(&self) -> bool {
        self.waived
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_readme_lists_files_findings_and_waivers() {
        let mut design = crate::presets::for_runtime(crate::model::Runtime::Node);
        design.services[0].container.user.uid = 0;
        design.waivers.push(crate::model::Waiver {
            rule: "DOCKER-003".into(),
            reason: "CI | builds".into(),
        });
        let bundle = super::generate(&design);
        let readme = &bundle.file("README.md").unwrap().contents;
        assert!(readme.contains("| `Dockerfile` |"));
        assert!(readme.contains("DOCKER-001"));
        assert!(readme.contains("CI \\| builds"));
    }
}
