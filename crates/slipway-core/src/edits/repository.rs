//! Protected branches and declared secrets.

use crate::model::{Branch, Design, Secret};

/// Adds a protected branch named `release-<n>` with the `dev` branch's rules, deploying
/// nowhere until the user picks an environment.
pub fn add_protected_branch(design: &mut Design) {
    let mut branch = Branch::dev();
    branch.name = format!("release-{}", design.repository.branches.len());
    branch.deploys_to = String::new();
    design.repository.branches.push(branch);
}

/// Declares a secret named `SECRET_<n>`, read from GitHub Actions.
pub fn add_secret(design: &mut Design) {
    let name = format!("SECRET_{}", design.secrets.len() + 1);
    design.secrets.push(Secret {
        name,
        ..Secret::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SecretSource;

    #[test]
    fn added_branches_and_secrets_are_numbered() {
        let mut design = Design::default();
        add_protected_branch(&mut design);
        let added = design.repository.branches.last().unwrap();
        assert_eq!(added.name, "release-2");
        assert_eq!(added.deploys_to, "");
        assert_eq!(added.protection, Branch::dev().protection);
        add_secret(&mut design);
        add_secret(&mut design);
        let names: Vec<_> = design.secrets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["SECRET_1", "SECRET_2"]);
        assert_eq!(design.secrets[0].source, SecretSource::GithubActions);
    }
}
