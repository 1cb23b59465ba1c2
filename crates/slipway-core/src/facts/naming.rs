//! The names the generated files are known by, shared by the generators that write them and
//! the rules that check references to them.

use crate::model::{Design, Environment, Service};
use crate::text::identifier;

/// A service's folder in the repository as a safe relative path (`./backend/` → `backend`):
/// each segment keeps `[A-Za-z0-9._-]`, and `.`, `..` and empty segments are dropped, so a
/// hostile directory can never place a generated file outside the bundle. `None` for the
/// repository root.
pub(crate) fn service_folder(service: &Service) -> Option<String> {
    let segments: Vec<String> = service
        .directory
        .split(['/', '\\'])
        .map(|segment| {
            crate::text::keep(segment.trim(), |c| {
                c.is_ascii_alphanumeric() || "._-".contains(c)
            })
        })
        .filter(|segment| !segment.is_empty() && segment != "." && segment != "..")
        .collect();
    (!segments.is_empty()).then(|| segments.join("/"))
}

/// Where the service at `index` gets its Dockerfile: `<directory>/Dockerfile`, or
/// `<directory>/<name>.Dockerfile` when an earlier service already has that folder (two
/// services in one folder each need their own Dockerfile).
pub(crate) fn dockerfile_path(design: &Design, index: usize) -> String {
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
    let folder = service_folder(service);
    let shared = design.services[..index]
        .iter()
        .any(|earlier| service_folder(earlier) == folder);
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

/// The `.dockerignore` that goes with [`dockerfile_path`]: `<directory>/.dockerignore`, or
/// BuildKit's per-Dockerfile `<name>.Dockerfile.dockerignore` beside a named Dockerfile.
pub(crate) fn dockerignore_path(design: &Design, index: usize) -> String {
    let dockerfile = dockerfile_path(design, index);
    match dockerfile.strip_suffix("/Dockerfile") {
        Some(folder) => format!("{folder}/.dockerignore"),
        None if dockerfile == "Dockerfile" => ".dockerignore".to_owned(),
        None => format!("{dockerfile}.dockerignore"),
    }
}

/// Where the service at `index` gets its Railway config: `<directory>/railway.json` (Railway's
/// monorepo convention: the service's root directory holds its config), or
/// `<directory>/railway.<name>.json` when an earlier service already has that folder.
pub(crate) fn railway_config_path(design: &Design, index: usize) -> String {
    service_file(design, index, "railway.json", |name| {
        format!("railway.{name}.json")
    })
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
pub(crate) fn chart_name(service: &Service) -> String {
    identifier(&service.name, "app")
}

/// The values file name of an environment (`values/<this>.yaml`), as the deploy workflow
/// spells it.
pub(crate) fn values_file_name(environment: &Environment) -> String {
    identifier(&environment.name, "staging")
}

#[cfg(test)]
mod tests {
    use super::*;

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
