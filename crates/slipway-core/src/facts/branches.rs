//! The repository's long-lived branches.

use crate::model::Design;

/// The protected, long-lived branches of the repository (default `main` and `dev`), the
/// default branch first.
pub(crate) fn protected_branches(design: &Design) -> Vec<String> {
    let repository = &design.repository;
    let mut names: Vec<String> = Vec::new();
    let default = repository.default_branch.trim();
    if !default.is_empty() {
        names.push(default.to_owned());
    }
    for branch in &repository.branches {
        let name = branch.name.trim();
        if !name.is_empty() && !names.iter().any(|known| known == name) {
            names.push(name.to_owned());
        }
    }
    names
}
