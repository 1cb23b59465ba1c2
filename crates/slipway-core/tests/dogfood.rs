//! Slipway deploys itself with files Slipway generates from `deploy/slipway.yaml`. The first
//! test fails when a checked-in file drifts from what the design generates: run
//! `scripts/dogfood`.

use std::path::{Path, PathBuf};

/// The files of the bundle that this repository checks in.
const SHIPPED: &[&str] = &[
    "Dockerfile",
    ".dockerignore",
    ".github/workflows/ci.yml",
    ".github/workflows/security.yml",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn design() -> slipway_core::Design {
    let text = std::fs::read_to_string(root().join("deploy/slipway.yaml")).unwrap();
    slipway_core::io::parse_design(&text).unwrap()
}

#[test]
fn the_checked_in_deployment_is_what_the_design_generates() {
    let bundle = slipway_core::generate(&design());
    for path in SHIPPED {
        let generated = bundle
            .file(path)
            .unwrap_or_else(|| panic!("the design no longer generates {path}"));
        let checked_in = std::fs::read_to_string(root().join(path))
            .unwrap_or_else(|error| panic!("{path}: {error}; run scripts/dogfood"));
        assert!(
            checked_in == generated.contents,
            "{path} differs from what deploy/slipway.yaml generates: run scripts/dogfood"
        );
    }
}

#[test]
fn the_deployment_design_has_no_open_finding() {
    let open: Vec<String> = slipway_core::rules::check(&design())
        .into_iter()
        .filter(|finding| !finding.waived)
        .map(|finding| format!("{} {}", finding.rule, finding.message))
        .collect();
    assert!(open.is_empty(), "{open:#?}");
}
