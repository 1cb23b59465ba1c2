//! The names the generated files are known by, shared by the generators that write them and
//! the rules that check references to them.

use crate::model::{Design, Environment, Service};
use crate::text::identifier;

/// A service's folder in the repository as a safe relative path (`./backend/` → `backend`):
/// each segment keeps `[A-Za-z0-9._-]`, and `.`, `..` and empty segments are dropped, so a
/// hostile directory can never place a generated file outside the bundle. `None` for the
/// repository root.
pub fn service_folder(service: &Service) -> Option<String> {
    folder_key(&service.directory).map(std::borrow::Cow::into_owned)
}

/// [`service_folder`] of a directory, borrowed when the directory is already in that form
/// (compared for every pair of services, so the common case allocates nothing).
fn folder_key(directory: &str) -> Option<std::borrow::Cow<'_, str>> {
    let clean = !directory.is_empty()
        && directory
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"._-/".contains(&byte))
        && directory
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."));
    if clean {
        return Some(directory.into());
    }
    let segments: Vec<String> = directory
        .split(['/', '\\'])
        .map(|segment| {
            crate::text::keep(segment.trim(), |c| {
                c.is_ascii_alphanumeric() || "._-".contains(c)
            })
        })
        .filter(|segment| !segment.is_empty() && segment != "." && segment != "..")
        .collect();
    (!segments.is_empty()).then(|| segments.join("/").into())
}

/// Where the service at `index` gets its Dockerfile: `<directory>/Dockerfile`, or
/// `<directory>/<name>.Dockerfile` when an earlier service already has that folder (two
/// services in one folder each need their own Dockerfile).
pub fn dockerfile_path(design: &Design, index: usize) -> String {
    service_file(design, index, "Dockerfile", |name| {
        format!("{name}.Dockerfile")
    })
}

/// `file` in the folder of the service at `index`, or `named(<name>)` there when an earlier
/// service already has that folder.
fn service_file(
    design: &Design,
    index: usize,
    file: &str,
    named: impl Fn(&str) -> String,
) -> String {
    let Some(service) = design.services.get(index) else {
        return file.to_owned();
    };
    let folder = folder_key(&service.directory);
    let shared = design.services[..index]
        .iter()
        .any(|earlier| folder_key(&earlier.directory) == folder);
    in_folder(
        folder.map(std::borrow::Cow::into_owned),
        shared,
        service,
        file,
        named,
    )
}

fn in_folder(
    folder: Option<String>,
    shared: bool,
    service: &Service,
    file: &str,
    named: impl Fn(&str) -> String,
) -> String {
    let file = if shared {
        named(&chart_name(service))
    } else {
        file.to_owned()
    };
    match folder {
        Some(folder) => format!("{folder}/{file}"),
        None => file,
    }
}

/// The paths of every service's files, in one pass over the services (the `…_path`
/// functions each look at every earlier service).
pub struct ServicePaths {
    pub dockerfiles: Vec<String>,
    pub dockerignores: Vec<String>,
    pub railway_configs: Vec<String>,
}

impl ServicePaths {
    pub fn of(design: &Design) -> Self {
        let mut seen: std::collections::HashSet<Option<String>> = std::collections::HashSet::new();
        let mut paths = ServicePaths {
            dockerfiles: Vec::with_capacity(design.services.len()),
            dockerignores: Vec::with_capacity(design.services.len()),
            railway_configs: Vec::with_capacity(design.services.len()),
        };
        for service in &design.services {
            let folder = service_folder(service);
            let shared = !seen.insert(folder.clone());
            let dockerfile = in_folder(folder.clone(), shared, service, "Dockerfile", |name| {
                format!("{name}.Dockerfile")
            });
            paths.dockerignores.push(dockerignore_beside(&dockerfile));
            paths.dockerfiles.push(dockerfile);
            paths.railway_configs.push(in_folder(
                folder,
                shared,
                service,
                "railway.json",
                |name| format!("railway.{name}.json"),
            ));
        }
        paths
    }
}

/// The `.dockerignore` that goes with [`dockerfile_path`]: `<directory>/.dockerignore`, or
/// BuildKit's per-Dockerfile `<name>.Dockerfile.dockerignore` beside a named Dockerfile.
pub fn dockerignore_path(design: &Design, index: usize) -> String {
    dockerignore_beside(&dockerfile_path(design, index))
}

fn dockerignore_beside(dockerfile: &str) -> String {
    match dockerfile.strip_suffix("/Dockerfile") {
        Some(folder) => format!("{folder}/.dockerignore"),
        None if dockerfile == "Dockerfile" => ".dockerignore".to_owned(),
        None => format!("{dockerfile}.dockerignore"),
    }
}

/// Where the service at `index` gets its Railway config: `<directory>/railway.json` (Railway's
/// monorepo convention: the service's root directory holds its config), or
/// `<directory>/railway.<name>.json` when an earlier service already has that folder.
pub fn railway_config_path(design: &Design, index: usize) -> String {
    service_file(design, index, "railway.json", |name| {
        format!("railway.{name}.json")
    })
}

/// The service (by index in `design.services`) each generated file belongs to, `None` for a
/// file of the repository as a whole (workflows, compose, Terraform, the README): the files
/// named for a service (its Dockerfile, `.dockerignore` and Railway config, wherever they
/// sit), its chart `charts/<name>/`, and anything else inside its folder (the deepest folder
/// holding the file; its first service).
pub fn file_owners<'a>(
    design: &Design,
    paths: impl IntoIterator<Item = &'a str>,
) -> Vec<Option<usize>> {
    let mut named: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut charts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut folders: Vec<(String, usize)> = Vec::new();
    let ServicePaths {
        dockerfiles,
        dockerignores,
        railway_configs,
    } = ServicePaths::of(design);
    let named_files = dockerfiles
        .into_iter()
        .zip(dockerignores)
        .zip(railway_configs)
        .enumerate();
    for (index, ((dockerfile, dockerignore), railway)) in named_files {
        for path in [dockerfile, dockerignore, railway] {
            named.entry(path).or_insert(index);
        }
    }
    for (index, service) in design.services.iter().enumerate() {
        charts.entry(chart_name(service)).or_insert(index);
        if let Some(folder) = service_folder(service) {
            folders.push((folder, index));
        }
    }
    // Deepest folder first; among equals, the first service.
    folders.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
    paths
        .into_iter()
        .map(|path| {
            if let Some(&index) = named.get(path) {
                return Some(index);
            }
            let chart = path
                .strip_prefix("charts/")
                .and_then(|rest| rest.split_once('/'))
                .and_then(|(chart, _)| charts.get(chart));
            if let Some(&index) = chart {
                return Some(index);
            }
            folders
                .iter()
                .find(|(folder, _)| {
                    path.len() > folder.len()
                        && path.starts_with(folder.as_str())
                        && path[folder.len()..].starts_with('/')
                })
                .map(|(_, index)| *index)
        })
        .collect()
}

/// The Compose key of each service (by index in `design.services`): `app` for a one-service
/// design, else the service's name as an identifier, unique and clear of the data stores'
/// (`postgres`, `redis`).
pub(crate) fn compose_keys(design: &Design) -> Vec<String> {
    if design.services.len() <= 1 {
        return vec!["app".to_owned(); design.services.len()];
    }
    let mut keys: Vec<String> = Vec::with_capacity(design.services.len());
    for service in &design.services {
        let base = chart_name(service);
        let key = crate::text::first_free(&base, |key| {
            keys.iter().any(|taken| taken == key) || key == "postgres" || key == "redis"
        });
        keys.push(key);
    }
    keys
}

/// The variable a service's URL is read from by the services that talk to it, locally
/// (`compose.yaml`) and on Railway alike: `<KEY>_URL` of its [`compose_keys`] key.
pub(crate) fn url_variable(key: &str) -> String {
    crate::text::env_name(&format!(
        "{}_URL",
        key.to_ascii_uppercase().replace('-', "_")
    ))
}

/// A service's chart name and directory name (`charts/<this>/`): `identifier(name, "app")`.
pub fn chart_name(service: &Service) -> String {
    identifier(&service.name, "app")
}

/// The values file name of an environment (`values/<this>.yaml`), as the deploy workflow
/// spells it.
pub(crate) fn values_file_name(environment: &Environment) -> String {
    identifier(&environment.name, "staging")
}

/// The design's registry, lowercase and reduced to reference characters (`ghcr.io` by
/// default); it may carry a path (`registry.example.com/team`).
pub fn registry(design: &Design) -> String {
    let registry = crate::text::keep(&design.pipeline.registry.to_ascii_lowercase(), |c| {
        reference_char(c) || c == ':'
    });
    if registry.is_empty() {
        "ghcr.io".to_owned()
    } else {
        registry
    }
}

/// The registry host of the image repositories (`ghcr.io` by default).
pub fn registry_host(design: &Design) -> String {
    let registry = registry(design);
    registry.split('/').next().unwrap_or("ghcr.io").to_owned()
}

/// Characters of an image reference's parts.
pub(crate) fn reference_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(design: &Design, path: &str) -> Option<String> {
        file_owners(design, [path])[0].map(|index| design.services[index].name.clone())
    }

    #[test]
    fn each_service_owns_its_folder_and_chart_and_the_rest_is_the_repository_s() {
        let design = crate::rules::support::preset("web-api-worker");
        let bundle = crate::generate(&design);
        let owners = file_owners(&design, bundle.paths());
        for (file, owner) in bundle.files.iter().zip(owners) {
            let path = file.path.as_str();
            let expected = ["web", "api", "worker"].into_iter().find(|name| {
                path.starts_with(&format!("apps/{name}/"))
                    || path.starts_with(&format!("charts/{name}/"))
            });
            assert_eq!(
                owner.map(|i| design.services[i].name.as_str()),
                expected,
                "{path}"
            );
        }
        let fastapi = crate::rules::support::preset("fastapi-react");
        assert_eq!(
            owner(&fastapi, "backend/Dockerfile").as_deref(),
            Some("api")
        );
        assert_eq!(owner(&fastapi, "infra/backend.tf"), None);
        assert_eq!(owner(&fastapi, "backend-tools/x"), None);
    }

    #[test]
    fn the_paths_in_one_pass_are_the_paths_one_by_one() {
        let mut design = crate::rules::support::preset("web-api-worker");
        design.services[2].directory = "./apps/api/".to_owned();
        design.services[0].directory = ".".to_owned();
        let paths = ServicePaths::of(&design);
        for index in 0..design.services.len() {
            assert_eq!(paths.dockerfiles[index], dockerfile_path(&design, index));
            assert_eq!(
                paths.dockerignores[index],
                dockerignore_path(&design, index)
            );
            assert_eq!(
                paths.railway_configs[index],
                railway_config_path(&design, index)
            );
        }
    }

    #[test]
    fn services_sharing_a_folder_or_the_root_keep_their_own_files() {
        let mut design = crate::rules::support::preset("web-api-worker");
        design.services[0].directory = ".".to_owned();
        design.services[2].directory = "./apps/api/".to_owned();
        assert_eq!(owner(&design, "Dockerfile").as_deref(), Some("web"));
        assert_eq!(owner(&design, ".dockerignore").as_deref(), Some("web"));
        assert_eq!(owner(&design, "railway.json").as_deref(), Some("web"));
        assert_eq!(owner(&design, "compose.yaml"), None);
        assert_eq!(
            owner(&design, "apps/api/Dockerfile").as_deref(),
            Some("api")
        );
        assert_eq!(
            owner(&design, "apps/api/worker.Dockerfile").as_deref(),
            Some("worker")
        );
        assert_eq!(
            owner(&design, "apps/api/worker.Dockerfile.dockerignore").as_deref(),
            Some("worker")
        );
        assert_eq!(
            owner(&design, "apps/api/railway.worker.json").as_deref(),
            Some("worker")
        );
    }

    #[test]
    fn names_are_identifiers_with_fallbacks() {
        let mut design = crate::model::Design::default();
        design.services[0].name = "x\nevil: true\nrelease-name".to_owned();
        assert_eq!(chart_name(&design.services[0]), "x-evil-true-release-name");
        design.services[0].name = "***".to_owned();
        assert_eq!(chart_name(&design.services[0]), "app");
        let mut worker = design.services[0].clone();
        worker.name = "worker".to_owned();
        design.services[0].directory = "./api/".to_owned();
        worker.directory = "api".to_owned();
        design.services.push(worker);
        assert_eq!(dockerfile_path(&design, 0), "api/Dockerfile");
        assert_eq!(dockerignore_path(&design, 0), "api/.dockerignore");
        assert_eq!(dockerfile_path(&design, 1), "api/worker.Dockerfile");
        assert_eq!(
            dockerignore_path(&design, 1),
            "api/worker.Dockerfile.dockerignore"
        );
        assert_eq!(railway_config_path(&design, 1), "api/railway.worker.json");
        design.services[1].directory = "../../etc/ x".to_owned();
        assert_eq!(dockerfile_path(&design, 1), "etc/x/Dockerfile");
        design.services[1].directory = ".".to_owned();
        assert_eq!(dockerfile_path(&design, 1), "Dockerfile");
        assert_eq!(railway_config_path(&design, 1), "railway.json");
        let mut environment = design.environments[0].clone();
        environment.name = "Production EU".to_owned();
        assert_eq!(values_file_name(&environment), "production-eu");
        environment.name = String::new();
        assert_eq!(values_file_name(&environment), "staging");
    }
}
