//! A folder's language, package manager, lockfile, language version and scripts, from the
//! manifests and lockfiles in it or, in a workspace, in a folder above it.

use serde_json::Value;

use super::files::SourceFile;
use crate::model::{Commands, PackageManager, Runtime};

/// What a folder's manifests say about how its code is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toolchain {
    pub runtime: Runtime,
    pub package_manager: PackageManager,
    /// The lockfile, relative to the folder (`../pnpm-lock.yaml` in a workspace).
    pub lockfile: String,
    pub version: Option<String>,
    pub commands: Commands,
    /// Each file read, its line when one line says it, and what it told.
    pub evidence: Vec<Evidence>,
}

/// One fact a manifest gave the design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub path: String,
    pub line: Option<usize>,
    pub told: String,
    /// The service field it set (`runtime`, `commands.test`).
    pub field: &'static str,
}

/// The toolchain of `directory` (`.` for the root), or `None` when no manifest is in it or
/// above it.
pub fn toolchain(files: &[SourceFile], directory: &str) -> Option<Toolchain> {
    let folders = folder_and_parents(directory);
    let find = |name: &str| -> Option<(usize, &SourceFile)> {
        folders.iter().enumerate().find_map(|(depth, folder)| {
            let path = join(folder, name);
            files
                .iter()
                .find(|file| file.path == path)
                .map(|file| (depth, file))
        })
    };
    // The nearest manifest decides the language; lockfiles may sit in a workspace root above.
    let manifests: [(&str, Runtime); 9] = [
        ("package.json", Runtime::Node),
        ("pyproject.toml", Runtime::Python),
        ("requirements.txt", Runtime::Python),
        ("Pipfile", Runtime::Python),
        ("go.mod", Runtime::Go),
        ("Cargo.toml", Runtime::Rust),
        ("pom.xml", Runtime::Java),
        ("build.gradle", Runtime::Java),
        ("build.gradle.kts", Runtime::Java),
    ];
    // A manifest above the folder belongs to the workspace, not to this service (a Caddy
    // proxy in a Node monorepo is not Node): only the folder's own manifest counts.
    let (_, manifest, runtime) = manifests
        .iter()
        .filter_map(|(name, runtime)| find(name).map(|(depth, file)| (depth, file, *runtime)))
        .filter(|(depth, _, _)| *depth == 0)
        .min_by_key(|(depth, _, _)| *depth)?;
    let mut evidence = vec![Evidence {
        path: manifest.path.clone(),
        line: None,
        told: format!("the language: {}", runtime_label(runtime)),
        field: "runtime",
    }];
    let lockfiles: &[(&str, PackageManager)] = match runtime {
        Runtime::Node => &[
            ("pnpm-lock.yaml", PackageManager::Pnpm),
            ("yarn.lock", PackageManager::Yarn),
            ("package-lock.json", PackageManager::Npm),
            ("npm-shrinkwrap.json", PackageManager::Npm),
            ("bun.lock", PackageManager::Npm),
            ("bun.lockb", PackageManager::Npm),
        ],
        Runtime::Python => &[
            ("poetry.lock", PackageManager::Poetry),
            ("requirements.txt", PackageManager::Pip),
            ("uv.lock", PackageManager::Pip),
            ("Pipfile.lock", PackageManager::Pip),
        ],
        Runtime::Go => &[("go.sum", PackageManager::GoModules)],
        Runtime::Rust => &[("Cargo.lock", PackageManager::Cargo)],
        Runtime::Java => &[
            ("pom.xml", PackageManager::Maven),
            ("gradle.lockfile", PackageManager::Gradle),
            ("build.gradle.kts", PackageManager::Gradle),
            ("build.gradle", PackageManager::Gradle),
        ],
    };
    let lock = lockfiles
        .iter()
        .filter_map(|(name, manager)| find(name).map(|(depth, file)| (depth, file, *manager)))
        .min_by_key(|(depth, _, _)| *depth);
    let (package_manager, lockfile) = match lock {
        Some((depth, file, manager)) => {
            let name = file.path.rsplit('/').next().unwrap_or(&file.path);
            let told = match name {
                "bun.lock" | "bun.lockb" => {
                    "Bun's lockfile: Bun is not one of Slipway's package managers, read as npm"
                        .to_owned()
                }
                "uv.lock" => {
                    "uv's lockfile: uv is not one of Slipway's package managers, read as pip"
                        .to_owned()
                }
                "Pipfile.lock" => {
                    "Pipenv's lockfile: Pipenv is not one of Slipway's package managers, read as pip"
                        .to_owned()
                }
                _ => format!("the package manager: {}", manager_label(manager)),
            };
            evidence.push(Evidence {
                path: file.path.clone(),
                line: None,
                told,
                field: "package_manager",
            });
            (manager, format!("{}{name}", "../".repeat(depth)))
        }
        None => {
            // A Poetry project without its lock yet is still a Poetry project.
            let poetry = runtime == Runtime::Python && manifest.text.contains("[tool.poetry");
            let manager = if poetry {
                PackageManager::Poetry
            } else {
                runtime.default_package_manager()
            };
            evidence.push(Evidence {
                path: manifest.path.clone(),
                line: None,
                told: format!(
                    "no lockfile next to it: {} assumed, and CI installs cannot be reproducible until one is committed",
                    manager_label(manager)
                ),
                field: "package_manager",
            });
            (manager, manager.lockfile().to_owned())
        }
    };
    let mut commands = Commands::for_runtime(runtime, package_manager);
    let mut version = None;
    match runtime {
        Runtime::Node => {
            if let Ok(package) = serde_json::from_str::<Value>(&manifest.text) {
                node_scripts(
                    &package,
                    manifest,
                    package_manager,
                    &mut commands,
                    &mut evidence,
                );
                if let Some(range) = package["engines"]["node"].as_str() {
                    version = major_of(range, 1);
                    if let Some(version) = &version {
                        evidence.push(Evidence {
                            path: manifest.path.clone(),
                            line: line_of(&manifest.text, "\"node\""),
                            told: format!("Node {version} (engines.node)"),
                            field: "runtime_version",
                        });
                    }
                }
            }
            if let Some((_, file)) = find(".nvmrc").or_else(|| find(".node-version")) {
                if let Some(found) = major_of(file.text.trim(), 1) {
                    evidence.push(Evidence {
                        path: file.path.clone(),
                        line: Some(1),
                        told: format!("Node {found}"),
                        field: "runtime_version",
                    });
                    version = Some(found);
                }
            }
        }
        Runtime::Python => {
            if let Some(line) = line_of(&manifest.text, "requires-python") {
                let value = manifest.text.lines().nth(line - 1).unwrap_or("");
                if let Some(found) = major_of(value.split_once('=').map_or("", |(_, v)| v), 2) {
                    evidence.push(Evidence {
                        path: manifest.path.clone(),
                        line: Some(line),
                        told: format!("Python {found} (requires-python)"),
                        field: "runtime_version",
                    });
                    version = Some(found);
                }
            }
            if let Some((_, file)) = find(".python-version") {
                if let Some(found) = major_of(file.text.trim(), 2) {
                    evidence.push(Evidence {
                        path: file.path.clone(),
                        line: Some(1),
                        told: format!("Python {found}"),
                        field: "runtime_version",
                    });
                    version = Some(found);
                }
            }
        }
        Runtime::Go => {
            if let Some(line) = manifest
                .text
                .lines()
                .position(|line| line.trim_start().starts_with("go "))
            {
                let value = manifest.text.lines().nth(line).unwrap_or("");
                version = major_of(value.trim_start().trim_start_matches("go "), 2);
                if let Some(found) = &version {
                    evidence.push(Evidence {
                        path: manifest.path.clone(),
                        line: Some(line + 1),
                        told: format!("Go {found}"),
                        field: "runtime_version",
                    });
                }
            }
        }
        Runtime::Rust | Runtime::Java => {}
    }
    Some(Toolchain {
        runtime,
        package_manager,
        lockfile,
        version,
        commands,
        evidence,
    })
}

/// Lint, typecheck, test and build commands from the package's own scripts; a kind of
/// script the package does not have runs nothing.
fn node_scripts(
    package: &Value,
    manifest: &SourceFile,
    manager: PackageManager,
    commands: &mut Commands,
    evidence: &mut Vec<Evidence>,
) {
    let Some(scripts) = package["scripts"].as_object() else {
        return;
    };
    let runner = match manager {
        PackageManager::Pnpm => "pnpm",
        PackageManager::Yarn => "yarn",
        _ => "npm run",
    };
    let pick = |names: &[&'static str]| -> Option<&'static str> {
        names
            .iter()
            .find(|name| scripts.contains_key(**name))
            .copied()
    };
    for (field, names) in [
        ("lint", &["lint"][..]),
        (
            "typecheck",
            &["typecheck", "type-check", "check-types", "tsc"][..],
        ),
        ("test", &["test:coverage", "test:ci", "test"][..]),
        ("build", &["build"][..]),
    ] {
        let command = match pick(names) {
            Some(script) => {
                evidence.push(Evidence {
                    path: manifest.path.clone(),
                    line: line_of(&manifest.text, &format!("\"{script}\"")),
                    told: format!("the {field} command: the `{script}` script"),
                    field: match field {
                        "lint" => "commands.lint",
                        "typecheck" => "commands.typecheck",
                        "test" => "commands.test",
                        _ => "commands.build",
                    },
                });
                format!("{runner} {script}")
            }
            None => String::new(),
        };
        match field {
            "lint" => commands.lint = command,
            "typecheck" => commands.typecheck = command,
            "test" => commands.test = command,
            _ => commands.build = command,
        }
    }
}

/// The version a range or version file names, to `parts` numbers: `>=20.11` → `20`,
/// `v20.11.1` → `20`, `^3.11` → `3.11`; `None` for aliases (`lts/iron`).
pub(super) fn major_of(range: &str, parts: usize) -> Option<String> {
    let start = range.find(|c: char| c.is_ascii_digit())?;
    let numbers: Vec<&str> = range[start..]
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()?
        .split('.')
        .filter(|part| !part.is_empty())
        .take(parts)
        .collect();
    (!numbers.is_empty()).then(|| numbers.join("."))
}

/// The 1-based line where `needle` first appears.
pub(super) fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|line| line.contains(needle))
        .map(|index| index + 1)
}

/// `backend/api` → `["backend/api", "backend", "."]`.
fn folder_and_parents(directory: &str) -> Vec<String> {
    let mut folders = Vec::new();
    let mut current = directory.trim_matches('/').to_owned();
    while !current.is_empty() && current != "." {
        folders.push(current.clone());
        current = match current.rsplit_once('/') {
            Some((parent, _)) => parent.to_owned(),
            None => String::new(),
        };
    }
    folders.push(".".to_owned());
    folders
}

/// `name` inside `folder` (`.` is the root).
pub(super) fn join(folder: &str, name: &str) -> String {
    if folder == "." || folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

pub(super) fn runtime_label(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::Node => "Node.js",
        Runtime::Python => "Python",
        Runtime::Go => "Go",
        Runtime::Rust => "Rust",
        Runtime::Java => "Java",
    }
}

fn manager_label(manager: PackageManager) -> &'static str {
    match manager {
        PackageManager::Npm => "npm",
        PackageManager::Pnpm => "pnpm",
        PackageManager::Yarn => "Yarn",
        PackageManager::Poetry => "Poetry",
        PackageManager::Pip => "pip",
        PackageManager::GoModules => "Go modules",
        PackageManager::Cargo => "Cargo",
        PackageManager::Maven => "Maven",
        PackageManager::Gradle => "Gradle",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_owned(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn versions_read_from_ranges_and_files() {
        assert_eq!(major_of(">=20.11", 1).as_deref(), Some("20"));
        assert_eq!(major_of("v20.11.1", 1).as_deref(), Some("20"));
        assert_eq!(major_of("\"^3.11\"", 2).as_deref(), Some("3.11"));
        assert_eq!(major_of("lts/iron", 1), None);
    }

    #[test]
    fn a_workspace_lockfile_above_the_folder_counts() {
        let files = [
            file("pnpm-lock.yaml", "lockfileVersion: '9.0'"),
            file(
                "apps/web/package.json",
                r#"{"scripts": {"lint": "eslint .", "test": "vitest"}}"#,
            ),
        ];
        let found = toolchain(&files, "apps/web").unwrap();
        assert_eq!(found.package_manager, PackageManager::Pnpm);
        assert_eq!(found.lockfile, "../../pnpm-lock.yaml");
        assert_eq!(found.commands.lint, "pnpm lint");
        assert_eq!(found.commands.test, "pnpm test");
        assert_eq!(found.commands.build, "");
    }

    #[test]
    fn a_folder_without_manifests_has_no_toolchain() {
        assert_eq!(toolchain(&[file("docs/README.md", "")], "docs"), None);
    }

    #[test]
    fn go_version_comes_from_go_mod() {
        let files = [
            file("go.mod", "module x\n\ngo 1.22.3\n"),
            file("go.sum", ""),
        ];
        let found = toolchain(&files, ".").unwrap();
        assert_eq!(
            (found.runtime, found.version.as_deref()),
            (Runtime::Go, Some("1.22"))
        );
    }
}
