//! `docs/rules.md` is generated from the registry; this fails when the two disagree.
//! Regenerate with `UPDATE_RULES_DOC=1 cargo test -p slipway-core --test rules_reference`.

#[test]
fn docs_rules_md_matches_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let generated = slipway_core::rules::reference::markdown();
    if std::env::var_os("UPDATE_RULES_DOC").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/rules.md is out of date: run `UPDATE_RULES_DOC=1 cargo test -p slipway-core --test rules_reference`"
    );
}
