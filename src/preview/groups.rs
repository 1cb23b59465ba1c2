//! The Files view's groups: each service's files (its folder with its Dockerfile and Railway
//! config, its chart `charts/<name>/`), then the repository's (workflows, compose, Terraform,
//! the README), as the engine places them (`slipway_core::facts::naming::file_owners`).

use slipway_core::facts::naming::file_owners;
use slipway_core::Design;

/// A group of the file list, in the bundle's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// The service's index; `None` for the repository's files.
    pub service: Option<usize>,
    /// Positions of the group's files in the bundle's list of paths.
    pub files: Vec<usize>,
}

/// The file list in groups: one per service, in the design's order (a service without files
/// has an empty one), then the repository's.
pub fn groups(design: &Design, paths: &[String]) -> Vec<Group> {
    let mut groups: Vec<Group> = (0..design.services.len())
        .map(Some)
        .chain([None])
        .map(|service| Group {
            service,
            files: Vec::new(),
        })
        .collect();
    let repository = groups.len() - 1;
    let owners = file_owners(design, paths.iter().map(String::as_str));
    for (position, owner) in owners.into_iter().enumerate() {
        groups[owner.unwrap_or(repository)].files.push(position);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use slipway_core::presets;

    #[test]
    fn every_file_is_in_one_group_and_the_repository_s_come_last() {
        let design = (presets::find("web-api-worker").expect("preset").build)();
        let bundle = slipway_core::generate(&design);
        let paths: Vec<String> = bundle.paths().map(str::to_owned).collect();
        let groups = groups(&design, &paths);
        assert_eq!(groups.len(), 4);
        assert_eq!(
            groups.iter().map(|g| g.files.len()).sum::<usize>(),
            paths.len()
        );
        assert_eq!(groups[1].service, Some(1));
        assert!(groups[1]
            .files
            .iter()
            .all(|&p| paths[p].starts_with("apps/api/") || paths[p].starts_with("charts/api/")));
        let repository: Vec<&str> = groups[3].files.iter().map(|&p| paths[p].as_str()).collect();
        for path in [
            ".github/workflows/ci.yml",
            "compose.yaml",
            "README.md",
            "infra/main.tf",
        ] {
            assert!(repository.contains(&path), "{path}");
        }
    }
}
