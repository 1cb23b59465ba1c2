//! Compose files: which services are built from the repository (and from which folder and
//! Dockerfile), the port each publishes, its health check, and whom it depends on.

use serde_norway::Value;

use crate::formats::outline::{key, Outline};

/// One entry of a compose file's `services:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ComposeService {
    pub name: String,
    pub line: Option<usize>,
    /// The build context, relative to the repository root, when the service is built here.
    pub context: Option<String>,
    /// The Dockerfile path relative to the context, when the file names one.
    pub dockerfile: Option<String>,
    /// The build stage it targets (`target: dev`), and its line.
    pub target: Option<String>,
    pub target_line: Option<usize>,
    /// The image a service that is not built here runs (`postgres:16`).
    pub image: String,
    /// The container port of the first published or exposed port.
    pub port: Option<u16>,
    /// The HTTP path its health check requests.
    pub health_path: Option<String>,
    pub depends_on: Vec<String>,
    pub command: Vec<String>,
    /// Keys of the entry, with their lines, that the import reads.
    pub read: Vec<(String, usize)>,
    /// Keys of the entry, with their lines, that the design has no place for.
    pub unread: Vec<(String, usize)>,
}

/// Keys of a compose service the import reads.
const READ_KEYS: &[&str] = &[
    "build",
    "labels",
    "image",
    "ports",
    "expose",
    "healthcheck",
    "depends_on",
    "command",
];

/// The services of a compose file at `path`, or a located error.
pub fn read(path: &str, text: &str) -> Result<Vec<ComposeService>, (Option<usize>, String)> {
    let mut document: Value = serde_norway::from_str(text).map_err(|error| {
        (
            error.location().map(|location| location.line()),
            format!("not valid YAML: {error}"),
        )
    })?;
    let _ = document.apply_merge();
    let outline = Outline::new(text);
    let Some(services) = document.get("services").and_then(Value::as_mapping) else {
        return Err((Some(1), "a compose file lists its `services:`".to_owned()));
    };
    let folder = path.rsplit_once('/').map_or(".", |(folder, _)| folder);
    let mut found = Vec::new();
    for (name, entry) in services {
        let Some(name) = name.as_str() else { continue };
        let here = [key("services"), key(name)];
        let mut service = ComposeService {
            name: name.to_owned(),
            line: outline.line(&here),
            image: text_of(entry.get("image")).unwrap_or_default(),
            ..ComposeService::default()
        };
        if let Some(mapping) = entry.as_mapping() {
            for entry_key in mapping.keys().filter_map(Value::as_str) {
                let line = outline.line(&[key("services"), key(name), key(entry_key)]);
                let Some(line) = line else { continue };
                if READ_KEYS.contains(&entry_key) {
                    service.read.push((entry_key.to_owned(), line));
                } else {
                    service.unread.push((entry_key.to_owned(), line));
                }
            }
        }
        match entry.get("build") {
            Some(Value::String(context)) => service.context = Some(resolve(folder, context)),
            Some(build @ Value::Mapping(_)) => {
                let context = text_of(build.get("context")).unwrap_or_else(|| ".".to_owned());
                service.context = Some(resolve(folder, &context));
                service.dockerfile = text_of(build.get("dockerfile"));
                service.target = text_of(build.get("target"));
                if service.target.is_some() {
                    service.target_line =
                        outline.line(&[key("services"), key(name), key("build"), key("target")]);
                }
            }
            _ => {}
        }
        service.port = entry
            .get("ports")
            .and_then(Value::as_sequence)
            .and_then(|ports| ports.iter().find_map(container_port))
            .or_else(|| {
                entry
                    .get("expose")
                    .and_then(Value::as_sequence)
                    .and_then(|ports| ports.iter().find_map(container_port))
            });
        let health_url = entry
            .get("healthcheck")
            .and_then(|check| check.get("test"))
            .and_then(|test| match test {
                Value::Sequence(words) => Some(
                    words
                        .iter()
                        .filter_map(|word| text_of(Some(word)))
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                other => text_of(Some(other)),
            })
            .filter(|command| command.contains("http://") || command.contains("https://"));
        service.health_path = health_url.as_deref().and_then(http_path);
        // The port a health check requests, then a proxy label's, when none is published.
        service.port = service
            .port
            .or_else(|| health_url.as_deref().and_then(http_port))
            .or_else(|| label_port(entry.get("labels")));
        service.depends_on = match entry.get("depends_on") {
            Some(Value::Sequence(names)) => names.iter().filter_map(|n| text_of(Some(n))).collect(),
            Some(Value::Mapping(names)) => names.keys().filter_map(|n| text_of(Some(n))).collect(),
            _ => Vec::new(),
        };
        service.command = match entry.get("command") {
            Some(Value::Sequence(words)) => words.iter().filter_map(|w| text_of(Some(w))).collect(),
            Some(Value::String(line)) => line.split_whitespace().map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        found.push(service);
    }
    Ok(found)
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// `folder` joined with a relative `context`, normalised (`./backend` → `backend`,
/// `../api` from `deploy` → `api`); the root is `.`.
fn resolve(folder: &str, context: &str) -> String {
    let mut parts: Vec<&str> = if folder == "." {
        Vec::new()
    } else {
        folder.split('/').collect()
    };
    for segment in context.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The container side of a port entry: `8000`, `"8080:80"` → 80, `"127.0.0.1:5432:5432/tcp"`
/// → 5432, `{target: 80}` → 80.
fn container_port(entry: &Value) -> Option<u16> {
    match entry {
        Value::Number(number) => number.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(text) => {
            let last = text.rsplit(':').next()?;
            let port = last.split('/').next()?.split('-').next()?;
            port.trim().parse().ok()
        }
        Value::Mapping(_) => entry
            .get("target")
            .and_then(Value::as_u64)
            .and_then(|n| u16::try_from(n).ok()),
        _ => None,
    }
}

/// The port of the first `http://` URL of a command, when it names one.
fn http_port(command: &str) -> Option<u16> {
    let start = command
        .find("http://")
        .or_else(|| command.find("https://"))?;
    let authority = command[start..].split_once("://")?.1;
    let authority = authority
        .split(|c: char| c == '/' || c.is_whitespace() || c == '"' || c == '\'')
        .next()?;
    authority.rsplit_once(':')?.1.parse().ok()
}

/// The port a reverse proxy's label sends traffic to
/// (`traefik.http.services.api.loadbalancer.server.port=8000`).
fn label_port(labels: Option<&Value>) -> Option<u16> {
    let entries: Vec<String> = match labels? {
        Value::Sequence(items) => items
            .iter()
            .filter_map(|item| text_of(Some(item)))
            .collect(),
        Value::Mapping(map) => map
            .iter()
            .filter_map(|(name, value)| {
                Some(format!("{}={}", name.as_str()?, text_of(Some(value))?))
            })
            .collect(),
        _ => return None,
    };
    entries.iter().find_map(|entry| {
        let (name, value) = entry.split_once('=')?;
        name.ends_with("loadbalancer.server.port")
            .then(|| value.trim().parse().ok())
            .flatten()
    })
}

/// The path of the first `http://` or `https://` URL in a command
/// (`curl -f http://localhost:8000/api/health` → `/api/health`).
pub fn http_path(command: &str) -> Option<String> {
    let start = command
        .find("http://")
        .or_else(|| command.find("https://"))?;
    let url = &command[start..];
    let url = url
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == ',' || c == ']')
        .next()?;
    let after_scheme = url.split_once("://")?.1;
    let path = after_scheme
        .find('/')
        .map_or("/", |index| &after_scheme[index..]);
    let path = path.split(['?', '#']).next().unwrap_or(path);
    Some(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_contexts_ports_and_health_paths_are_read() {
        let text = "services:\n  api:\n    build:\n      context: ./backend\n      dockerfile: Dockerfile.prod\n    ports: [\"8080:8000\"]\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/api/v1/health/\"]\n    depends_on: [db]\n    volumes: [data:/data]\n  db:\n    image: postgres:16\n";
        let services = read("docker/compose.yml", text).unwrap();
        let api = &services[0];
        assert_eq!(api.context.as_deref(), Some("docker/backend"));
        assert_eq!(api.dockerfile.as_deref(), Some("Dockerfile.prod"));
        assert_eq!(api.port, Some(8000));
        assert_eq!(api.health_path.as_deref(), Some("/api/v1/health/"));
        assert_eq!(api.depends_on, ["db"]);
        assert_eq!(api.unread, [("volumes".to_owned(), 10)]);
        assert_eq!(
            (services[1].context.as_ref(), services[1].image.as_str()),
            (None, "postgres:16")
        );
    }

    #[test]
    fn contexts_above_the_compose_file_resolve() {
        assert_eq!(resolve("deploy", "../api"), "api");
        assert_eq!(resolve(".", "."), ".");
    }

    #[test]
    fn port_forms() {
        let port = |yaml: &str| container_port(&serde_norway::from_str(yaml).unwrap());
        assert_eq!(port("\"127.0.0.1:5432:5432/tcp\""), Some(5432));
        assert_eq!(port("{target: 80, published: 8080}"), Some(80));
        assert_eq!(port("3000"), Some(3000));
    }

    #[test]
    fn a_file_without_services_is_refused_at_its_first_line() {
        assert_eq!(
            read("compose.yml", "version: '3'\n").unwrap_err().0,
            Some(1)
        );
    }
}
