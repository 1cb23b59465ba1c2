//! `.github/dependabot.yml`: version updates for everything the bundle pins, so a pin never
//! goes stale. The workflows' actions (pinned to commit SHAs, with the release in a comment
//! Dependabot reads and rewrites), each service's Dockerfile base images, the images of
//! `compose.yaml`, and each service's packages in its own package ecosystem.
//!
//! Every update is grouped (one pull request per ecosystem and week, not one per dependency)
//! and waits out a cooldown: a release has a week to be yanked or found malicious before
//! Dependabot proposes it. Security updates are not delayed by the cooldown.

use crate::bundle::{GeneratedFile, Syntax};
use crate::facts::naming::service_folder;
use crate::formats::yaml::{document, Map, Node};
use crate::model::{Design, PackageManager};

use super::Teach;

/// Path of the generated configuration.
pub const PATH: &str = ".github/dependabot.yml";

/// Days a new release waits before Dependabot proposes it (zizmor's `dependabot-cooldown`
/// asks for at least a few days; a week is what most supply-chain advisories need to land).
pub const COOLDOWN_DAYS: u32 = 7;

pub fn generate(design: &Design) -> Vec<GeneratedFile> {
    vec![GeneratedFile::new(PATH, Syntax::Yaml, render(design))]
}

/// The README's steps for `dependabot.yml` (Markdown).
pub fn how_to_apply(_design: &Design) -> Option<String> {
    Some(
        "Commit `.github/dependabot.yml`. Dependabot version updates then open one grouped pull request per ecosystem each week, after a seven-day cooldown; CI checks them like any other change. Turn on Dependabot security updates too (Settings → Code security) for fixes that should not wait a week."
            .to_owned(),
    )
}

/// The Dependabot ecosystem of a package manager (Poetry projects are `pip`'s).
pub fn ecosystem(manager: PackageManager) -> &'static str {
    match manager {
        PackageManager::Npm | PackageManager::Pnpm | PackageManager::Yarn => "npm",
        PackageManager::Pip | PackageManager::Poetry => "pip",
        PackageManager::GoModules => "gomod",
        PackageManager::Cargo => "cargo",
        PackageManager::Maven => "maven",
        PackageManager::Gradle => "gradle",
    }
}

/// A service folder as Dependabot writes directories: from the repository root, `/` for the
/// root itself.
fn directory(folder: Option<String>) -> String {
    match folder {
        Some(folder) => format!("/{folder}"),
        None => "/".to_owned(),
    }
}

/// The ecosystems to update, in file order, each with its directories (no duplicates).
fn updates(design: &Design) -> Vec<(&'static str, Vec<String>, &'static str)> {
    let mut updates: Vec<(&'static str, Vec<String>, &'static str)> = vec![
        (
            "github-actions",
            vec!["/".to_owned()],
            "The workflows' actions: Dependabot moves each SHA pin and its version comment together (VALID-017).",
        ),
        (
            "docker",
            Vec::new(),
            "Each service's Dockerfile: base images of every stage, pinned by tag (DOCKER-007).",
        ),
        (
            "docker-compose",
            vec!["/".to_owned()],
            "compose.yaml: the local database and cache images.",
        ),
    ];
    let add = |updates: &mut Vec<(&'static str, Vec<String>, &'static str)>,
               name: &'static str,
               folder: String,
               why: &'static str| {
        match updates.iter_mut().find(|(known, _, _)| *known == name) {
            Some((_, folders, _)) if folders.contains(&folder) => {}
            Some((_, folders, _)) => folders.push(folder),
            None => updates.push((name, vec![folder], why)),
        }
    };
    for service in &design.services {
        let folder = directory(service_folder(service));
        add(&mut updates, "docker", folder.clone(), "");
        add(
            &mut updates,
            ecosystem(service.package_manager),
            folder,
            "The service's own dependencies, read from its manifest and lockfile.",
        );
    }
    updates.retain(|(_, folders, _)| !folders.is_empty());
    updates
}

fn render(design: &Design) -> String {
    let mut list: Vec<Node> = Vec::new();
    for (name, folders, why) in updates(design) {
        let mut update = Map::new()
            .entry("package-ecosystem", name)
            .note(why)
            .entry("directories", folders)
            .entry(
                "schedule",
                Map::new()
                    .entry("interval", "weekly")
                    .entry("day", "monday"),
            )
            .entry("cooldown", Map::new().entry("default-days", COOLDOWN_DAYS));
        if list.is_empty() {
            update = update.note(
                "A release waits a week before it is proposed: time for a yanked or malicious \
                 version to be found first.",
            );
        }
        update = update.entry(
            "groups",
            Map::new().entry(name, Map::new().entry("patterns", vec!["*"])),
        );
        if list.is_empty() {
            update = update.note(
                "One pull request per ecosystem and week, with every update of that ecosystem.",
            );
        }
        list.push(update.into());
    }
    let root = Map::new()
        .entry("version", 2u32)
        .gap()
        .entry("updates", list);
    let header = [
        "Dependabot version updates. Generated by Slipway from slipway.yaml; change the design and",
        "export again rather than editing this file.",
        "Everything the bundle pins (action SHAs, base images, lockfiles) stays pinned and current:",
        "Dependabot proposes each new release as a pull request that CI checks and someone reviews.",
    ];
    document(&header, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(design: &Design) -> serde_json::Value {
        let files = generate(design);
        assert_eq!(files.len(), 1);
        serde_norway::from_str(&files[0].contents).unwrap()
    }

    fn ecosystems(value: &serde_json::Value) -> Vec<(String, Vec<String>)> {
        value["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|update| {
                (
                    update["package-ecosystem"].as_str().unwrap().to_owned(),
                    update["directories"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|dir| dir.as_str().unwrap().to_owned())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn every_preset_lists_actions_docker_and_its_services_ecosystems() {
        for preset in crate::presets::all() {
            let design = (preset.build)();
            let value = parsed(&design);
            assert_eq!(value["version"], 2, "{}", preset.id);
            let listed = ecosystems(&value);
            let names: Vec<&str> = listed.iter().map(|(name, _)| name.as_str()).collect();
            for name in ["github-actions", "docker", "docker-compose"] {
                assert!(names.contains(&name), "{}: {names:?}", preset.id);
            }
            for service in &design.services {
                let folder = directory(service_folder(service));
                let own = ecosystem(service.package_manager);
                for name in [own, "docker"] {
                    let (_, folders) = listed.iter().find(|(known, _)| known == name).unwrap();
                    assert!(
                        folders.contains(&folder),
                        "{}: {name} {folders:?}",
                        preset.id
                    );
                }
            }
            let mut unique = names.clone();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{}: {names:?}", preset.id);
            for update in value["updates"].as_array().unwrap() {
                assert_eq!(update["cooldown"]["default-days"], COOLDOWN_DAYS);
                assert_eq!(update["schedule"]["interval"], "weekly");
                let groups = update["groups"].as_object().unwrap();
                assert_eq!(groups.len(), 1, "{update}");
            }
        }
    }

    #[test]
    fn package_managers_map_to_dependabot_ecosystems() {
        assert_eq!(ecosystem(PackageManager::Poetry), "pip");
        assert_eq!(ecosystem(PackageManager::Pnpm), "npm");
        assert_eq!(ecosystem(PackageManager::GoModules), "gomod");
        assert_eq!(ecosystem(PackageManager::Gradle), "gradle");
        assert_eq!(directory(None), "/");
        assert_eq!(directory(Some("backend".to_owned())), "/backend");
    }

    #[test]
    fn services_in_several_folders_share_one_update_per_ecosystem() {
        let design = crate::generate::tests::two_service_design();
        let listed = ecosystems(&parsed(&design));
        let pip: Vec<&(String, Vec<String>)> =
            listed.iter().filter(|(name, _)| name == "pip").collect();
        assert_eq!(pip.len(), 1);
        assert_eq!(pip[0].1, ["/backend", "/worker"]);
        let docker = listed.iter().find(|(name, _)| name == "docker").unwrap();
        assert_eq!(docker.1, ["/backend", "/worker"]);
    }
}
