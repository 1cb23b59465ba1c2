//! The actions whose effect the rules judge, read as the commands, caches and runtimes they
//! stand for.

use serde_norway::Mapping;

use super::cache::{hashed_files, rust_cache};
use super::steps::with_swallow;
use super::yaml::{scalar, truthy};
use super::{Reader, StepEffect};
use crate::formats::outline::Segment;
use crate::model::{Cache, PackageManager, Runtime};

impl Reader<'_> {
    pub(super) fn action(
        &mut self,
        uses: &str,
        with: &Mapping,
        path: &[Segment],
        line: usize,
        swallows: bool,
        effect: &mut StepEffect,
    ) {
        let (action, version) = uses.split_once('@').unwrap_or((uses, ""));
        let action = action.trim().to_ascii_lowercase();
        let input = |name: &str| with.get(name).and_then(scalar).unwrap_or_default();
        let listed = |name: &str| -> Vec<String> {
            input(name)
                .split(['\n', ','])
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let setup_cache = |enabled: bool, manager: Option<PackageManager>| {
            enabled
                .then(|| Cache {
                    enabled: true,
                    paths: Vec::new(),
                    key_files: listed("cache-dependency-path"),
                    // The setup actions restore only an exact key match.
                    restore_keys: false,
                })
                .map(|cache| (cache, manager))
        };
        let mut cache: Option<(Cache, Option<PackageManager>)> = None;
        let mut scanned: Option<&str> = None;
        let mut scan = |command: &'static str| scanned = Some(command);
        match action.as_str() {
            "actions/setup-node" => {
                effect.runtime = Some(Runtime::Node);
                let manager = match input("cache").as_str() {
                    "npm" => Some(PackageManager::Npm),
                    "yarn" => Some(PackageManager::Yarn),
                    "pnpm" => Some(PackageManager::Pnpm),
                    _ => None,
                };
                cache = setup_cache(manager.is_some(), manager);
            }
            "actions/setup-python" => {
                effect.runtime = Some(Runtime::Python);
                let manager = match input("cache").as_str() {
                    "pip" => Some(PackageManager::Pip),
                    "poetry" => Some(PackageManager::Poetry),
                    "pipenv" => Some(PackageManager::Pip),
                    _ => None,
                };
                cache = setup_cache(manager.is_some(), manager);
            }
            "actions/setup-go" => {
                effect.runtime = Some(Runtime::Go);
                // From v4 on, setup-go caches by default, keyed on go.sum.
                let major: u32 = version
                    .trim_start_matches('v')
                    .split('.')
                    .next()
                    .and_then(|major| major.parse().ok())
                    .unwrap_or(5);
                let enabled = match with.get("cache") {
                    Some(value) => truthy(value),
                    None => major >= 4,
                };
                cache = setup_cache(enabled, Some(PackageManager::GoModules));
            }
            "actions/setup-java" => {
                effect.runtime = Some(Runtime::Java);
                let manager = match input("cache").as_str() {
                    "maven" => Some(PackageManager::Maven),
                    "gradle" => Some(PackageManager::Gradle),
                    _ => None,
                };
                cache = setup_cache(manager.is_some(), manager);
            }
            "dtolnay/rust-toolchain" | "actions-rs/toolchain" => {
                effect.runtime = Some(Runtime::Rust);
            }
            "actions-rust-lang/setup-rust-toolchain" => {
                effect.runtime = Some(Runtime::Rust);
                // Caches through rust-cache unless turned off.
                let enabled = with.get("cache").is_none_or(truthy);
                cache = enabled.then(|| (rust_cache(), Some(PackageManager::Cargo)));
            }
            "swatinem/rust-cache" => {
                effect.runtime = Some(Runtime::Rust);
                cache = Some((rust_cache(), Some(PackageManager::Cargo)));
            }
            "actions/cache" | "actions/cache/restore" => {
                let key_text = input("key");
                let mut key_files = hashed_files(&key_text);
                if key_files.is_empty() && !key_text.trim().is_empty() {
                    // A key that hashes nothing never changes: name it as written.
                    key_files.push(key_text.trim().to_owned());
                }
                cache = Some((
                    Cache {
                        enabled: true,
                        paths: listed("path"),
                        key_files,
                        restore_keys: !input("restore-keys").trim().is_empty(),
                    },
                    None,
                ));
            }
            "aquasecurity/trivy-action" => {
                if let Some(command) = trivy_command(&input) {
                    effect
                        .commands
                        .push((with_swallow(command, swallows), line));
                }
            }
            "docker/build-push-action" => {
                effect.image_build = true;
                let tags = listed("tags");
                if let Some(tag) = tags.first() {
                    self.note_image(tag);
                }
                let tag = tags
                    .first()
                    .map(|tag| format!(" -t {tag}"))
                    .unwrap_or_default();
                let mode = if with.get("push").is_some_and(truthy) {
                    " --push"
                } else if with.get("load").is_some_and(truthy) {
                    " --load"
                } else {
                    ""
                };
                let context = match input("context") {
                    context if context.trim().is_empty() => ".".to_owned(),
                    context => context,
                };
                let command = format!("docker buildx build{mode}{tag} {context}");
                effect
                    .commands
                    .push((with_swallow(command, swallows), line));
            }
            // Scanners published as actions run the scanner's own command.
            "golang/govulncheck-action" => scan("govulncheck ./..."),
            "pypa/gh-action-pip-audit" => scan("pip-audit"),
            "rustsec/audit-check" | "actions-rs/audit-check" => scan("cargo audit"),
            "anchore/scan-action" => scan("grype ."),
            "google/osv-scanner-action" => scan("osv-scanner ."),
            "github/codeql-action/analyze" => scan("codeql database analyze"),
            scanner if scanner.starts_with("snyk/actions/") => scan("snyk test"),
            "helm/kind-action"
            | "engineerd/setup-kind"
            | "container-tools/kind-action"
            | "medyagh/setup-minikube"
            | "absaoss/k3d-action"
            | "nolar/setup-k3d-k3s" => {
                effect.local_cluster = true;
            }
            "azure/k8s-deploy"
            | "azure/webapps-deploy"
            | "aws-actions/amazon-ecs-deploy-task-definition" => {
                effect.deploys = true;
            }
            _ => {}
        }
        if let Some(command) = scanned {
            effect
                .commands
                .push((with_swallow(command.to_owned(), swallows), line));
        }
        if let Some(runtime) = effect.runtime {
            if self.runtime.is_none() {
                self.runtime = Some(runtime);
            }
        }
        if let Some((found, manager)) = cache {
            if let Some(manager) = manager {
                self.note_manager(manager);
            }
            effect.cache = Some((found, path.to_vec()));
        }
    }
}

/// The command a Trivy action step stands for; `None` for a report-only scan (a SARIF or
/// JSON file written for code scanning, with the default exit code 0).
fn trivy_command(input: &dyn Fn(&str) -> String) -> Option<String> {
    let image = input("image-ref");
    let scan_type = match input("scan-type").trim() {
        "" if image.trim().is_empty() => "fs".to_owned(),
        "" => "image".to_owned(),
        other => other.to_owned(),
    };
    let exit_code = match input("exit-code").trim() {
        "" => "0".to_owned(),
        code => code.to_owned(),
    };
    if exit_code == "0" && !input("output").trim().is_empty() {
        return None;
    }
    let target = if scan_type == "image" {
        image
    } else {
        match input("scan-ref") {
            reference if reference.trim().is_empty() => ".".to_owned(),
            reference => reference,
        }
    };
    let severity = input("severity");
    let severity = if severity.trim().is_empty() {
        String::new()
    } else {
        format!(" --severity {}", severity.trim())
    };
    Some(format!(
        "trivy {scan_type}{severity} --exit-code {exit_code} {}",
        target.trim()
    ))
}
