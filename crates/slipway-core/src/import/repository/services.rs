//! Finding the repository's services and filling each one from its files: the Dockerfile's
//! stages, port and health check; the manifests' language and commands; the compose entry's
//! port, health check and dependencies; the chart's workload; the Railway config.

use super::compose::{self, ComposeService};
use super::files::{FileKind, SourceFile};
use super::manifests::{self, join, runtime_label};
use super::report::FileReport;
use super::toml_subset;
use crate::formats::outline::{key, Outline};
use crate::import::{dockerfile, railway, values};
use crate::model::{Commands, Instruction, Runtime, Service, ServiceKind};

/// The services found, in the order of their folders, with the files each was read from.
pub(super) struct Found {
    pub services: Vec<Service>,
    pub files: Vec<ServiceFiles>,
}

/// The files a service was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceFiles {
    pub dockerfile: Option<String>,
    pub compose: Option<String>,
    pub railway: Option<String>,
    /// The chart's folder (`charts/api`); its default values are `values.yaml` there.
    pub chart: Option<String>,
}

/// A deployable before it becomes a service: where it is and which files describe it.
#[derive(Default)]
struct Candidate {
    directory: String,
    name: Option<String>,
    dockerfile: Option<String>,
    compose: Option<(String, ComposeService)>,
    railway: Option<String>,
    chart: Option<String>,
}

/// Folder names whose images are tests or examples, not deployables.
const NOT_DEPLOYABLE_FOLDERS: &[&str] = &[
    "test",
    "tests",
    "e2e",
    "__tests__",
    "spec",
    "fixtures",
    "example",
    "examples",
    ".devcontainer",
];

fn folder_of(path: &str) -> String {
    path.rsplit_once('/')
        .map_or_else(|| ".".to_owned(), |(folder, _)| folder.to_owned())
}

/// A relative path without `.` and `..` segments (`./backend/../api/Dockerfile` →
/// `api/Dockerfile`).
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Whether a file sits in a test, example or development-container folder.
fn not_deployable(path: &str) -> Option<&'static str> {
    let folder = folder_of(path);
    let segment = folder
        .split('/')
        .find(|segment| NOT_DEPLOYABLE_FOLDERS.contains(segment))?;
    Some(if segment == ".devcontainer" {
        "a development container, not a deployable"
    } else {
        "in a test or example folder: not a deployable"
    })
}

pub(super) fn discover(
    files: &[SourceFile],
    project_name: &str,
    reports: &mut Vec<FileReport>,
) -> Found {
    let of_kind = |kind: FileKind| {
        files
            .iter()
            .filter(move |file| super::files::kind_of(&file.path) == Some(kind))
    };
    let exists = |path: &str| files.iter().any(|file| file.path == path);
    let mut candidates: Vec<Candidate> = Vec::new();

    // The root's own Dockerfile or compose file makes stacks in subfolders auxiliary.
    let root_builds = files.iter().any(|file| {
        !file.path.contains('/')
            && matches!(
                super::files::kind_of(&file.path),
                Some(FileKind::Dockerfile | FileKind::Compose)
            )
            && !file.path.to_ascii_lowercase().contains("override")
    });
    // Compose entries built from the repository.
    for file in of_kind(FileKind::Compose) {
        let mut report = FileReport::new(&file.path, FileKind::Compose);
        let test_file = file_name(&file.path).contains("test");
        let entries = match compose::read(&file.path, &file.text) {
            Ok(entries) => entries,
            Err((line, message)) => {
                report.error = Some(crate::import::located_error(line, message));
                reports.push(report);
                continue;
            }
        };
        let lower = file_name(&file.path).to_ascii_lowercase();
        let skip = if test_file || not_deployable(&file.path).is_some() {
            Some((
                "test compose file",
                "a compose file for tests: its services are not the repository's deployables",
            ))
        } else if lower.contains("override") {
            Some(("local override", "an override for local development: it changes the services of the main compose file, and its settings are not the deployment's"))
        } else if file.path.contains('/') && root_builds {
            Some(("auxiliary stack", "a compose file in a subfolder beside the repository's own build at the root: an auxiliary stack (a demo, monitoring or tooling), whose services are not imported"))
        } else {
            None
        };
        if let Some((role, why)) = skip {
            report.role = role.to_owned();
            report.not_mapped(Some(1), why);
            for entry in &entries {
                report.not_mapped(entry.line, format!("service `{}`", entry.name));
            }
            reports.push(report);
            continue;
        }
        for entry in entries {
            let Some(context) = entry.context.clone() else {
                let image = if entry.image.is_empty() {
                    "no image".to_owned()
                } else {
                    format!("image {}", entry.image)
                };
                report.not_mapped(
                    entry.line,
                    format!(
                        "service `{}` ({image}): runs an image, not a build of this repository",
                        entry.name
                    ),
                );
                continue;
            };
            let dockerfile = normalise(&join(
                &context,
                entry.dockerfile.as_deref().unwrap_or("Dockerfile"),
            ));
            if let Some(reason) = not_deployable(&dockerfile) {
                report.not_mapped(entry.line, format!("service `{}`: {reason}", entry.name));
                continue;
            }
            if let Some(line) = entry.target_line {
                report.not_mapped(
                    Some(line),
                    format!(
                        "service `{}`: the build target `{}` (the design builds the Dockerfile's final stage)",
                        entry.name,
                        entry.target.clone().unwrap_or_default()
                    ),
                );
            }
            // The service lives where its Dockerfile is: a root build context with
            // `dockerfile: backend/Dockerfile` is the backend's.
            candidates.push(Candidate {
                directory: folder_of(&dockerfile),
                name: Some(entry.name.clone()),
                dockerfile: exists(&dockerfile).then_some(dockerfile),
                compose: Some((file.path.clone(), entry)),
                ..Candidate::default()
            });
        }
        reports.push(report);
    }

    // Dockerfiles no compose entry builds: the plain `Dockerfile` of each folder.
    let mut dockerfiles: Vec<&SourceFile> = of_kind(FileKind::Dockerfile).collect();
    dockerfiles.sort_by_key(|file| (folder_of(&file.path), file_name(&file.path) != "Dockerfile"));
    for file in dockerfiles {
        if candidates
            .iter()
            .any(|candidate| candidate.dockerfile.as_deref() == Some(&file.path))
        {
            continue;
        }
        let mut report = FileReport::new(&file.path, FileKind::Dockerfile);
        if let Some(reason) = not_deployable(&file.path) {
            report.not_mapped(Some(1), reason);
            reports.push(report);
            continue;
        }
        let folder = folder_of(&file.path);
        if let Some(owner) = candidates
            .iter()
            .find(|candidate| candidate.directory == folder && candidate.dockerfile.is_some())
        {
            report.not_mapped(
                Some(1),
                format!(
                    "another image of the folder of service `{}`, which is built from {}: a service has one Dockerfile",
                    owner.name.clone().unwrap_or_else(|| folder.clone()),
                    owner.dockerfile.clone().unwrap_or_default()
                ),
            );
            reports.push(report);
            continue;
        }
        match candidates
            .iter_mut()
            .find(|candidate| candidate.directory == folder && candidate.dockerfile.is_none())
        {
            Some(candidate) => candidate.dockerfile = Some(file.path.clone()),
            None => candidates.push(Candidate {
                directory: folder,
                dockerfile: Some(file.path.clone()),
                ..Candidate::default()
            }),
        }
    }

    // Railway configs: one service per folder.
    for file in of_kind(FileKind::RailwayJson).chain(of_kind(FileKind::RailwayToml)) {
        let folder = folder_of(&file.path);
        match candidates
            .iter_mut()
            .find(|candidate| candidate.directory == folder && candidate.railway.is_none())
        {
            Some(candidate) => candidate.railway = Some(file.path.clone()),
            None => candidates.push(Candidate {
                directory: folder,
                railway: Some(file.path.clone()),
                ..Candidate::default()
            }),
        }
    }

    // Charts: to the service of their name, or the only service.
    for file in of_kind(FileKind::ChartManifest) {
        let chart_name = chart_name(&file.text)
            .unwrap_or_else(|| crate::text::identifier(file_name(&folder_of(&file.path)), "app"));
        let folder = folder_of(&file.path);
        let single = candidates.len() == 1;
        let position = candidates.iter().position(|candidate| {
            candidate.chart.is_none()
                && (candidate_name(candidate, project_name) == chart_name
                    || file_name(&candidate.directory) == chart_name)
        });
        match position.or(if single && candidates[0].chart.is_none() {
            Some(0)
        } else {
            None
        }) {
            Some(index) => candidates[index].chart = Some(folder),
            None => candidates.push(Candidate {
                directory: ".".to_owned(),
                name: Some(chart_name),
                chart: Some(folder),
                ..Candidate::default()
            }),
        }
    }

    // A repository with code but no image, chart or Railway config: one service at its root.
    if candidates.is_empty() && manifests::toolchain(files, ".").is_some() {
        candidates.push(Candidate {
            directory: ".".to_owned(),
            ..Candidate::default()
        });
    }

    let mut services: Vec<Service> = Vec::new();
    let mut compose_names: Vec<(String, String)> = Vec::new();
    for candidate in &candidates {
        let mut name = candidate_name(candidate, project_name);
        let base = name.clone();
        let mut counter = 2;
        while services.iter().any(|service| service.name == name) {
            name = format!("{base}-{counter}");
            counter += 1;
        }
        if let Some((_, entry)) = &candidate.compose {
            compose_names.push((entry.name.clone(), name.clone()));
        }
        let service = build_service(candidate, name, files, services.len(), reports);
        services.push(service);
    }
    // `depends_on` between services built here becomes `talks_to`.
    for (index, candidate) in candidates.iter().enumerate() {
        if let Some((_, entry)) = &candidate.compose {
            services[index].talks_to = entry
                .depends_on
                .iter()
                .filter_map(|dependency| {
                    compose_names
                        .iter()
                        .find(|(compose, _)| compose == dependency)
                        .map(|(_, name)| name.clone())
                })
                .collect();
        }
    }
    if services.is_empty() {
        let mut service = Service::for_runtime(project_name, Runtime::Node);
        service.kubernetes.enabled = false;
        services.push(service);
    }
    report_extra_files(files, &candidates, &services, reports);
    let files = candidates
        .iter()
        .map(|candidate| ServiceFiles {
            dockerfile: candidate.dockerfile.clone(),
            compose: candidate.compose.as_ref().map(|(path, _)| path.clone()),
            railway: candidate.railway.clone(),
            chart: candidate.chart.clone(),
        })
        .chain(std::iter::repeat_with(ServiceFiles::default))
        .take(services.len())
        .collect();
    Found { services, files }
}

fn candidate_name(candidate: &Candidate, project_name: &str) -> String {
    let raw = candidate.name.clone().unwrap_or_else(|| {
        if candidate.directory == "." {
            project_name.to_owned()
        } else {
            file_name(&candidate.directory).to_owned()
        }
    });
    crate::text::identifier(&raw, "app")
}

/// `name:` of a Chart.yaml.
fn chart_name(text: &str) -> Option<String> {
    let value: serde_norway::Value = serde_norway::from_str(text).ok()?;
    value
        .get("name")
        .and_then(serde_norway::Value::as_str)
        .map(|name| crate::text::identifier(name, "app"))
}

/// One service from its candidate's files, reporting each file it reads.
fn build_service(
    candidate: &Candidate,
    name: String,
    files: &[SourceFile],
    index: usize,
    reports: &mut Vec<FileReport>,
) -> Service {
    let field = |rest: &str| {
        if rest.is_empty() {
            format!("services[{index}] ({name})")
        } else {
            format!("services[{index}] ({name}) {rest}")
        }
    };
    let text_of = |path: &str| files.iter().find(|file| file.path == path);
    let mut service = Service::for_runtime(&name, Runtime::Node);
    service.directory = candidate.directory.clone();
    service.kubernetes.enabled = false;
    service.railway.enabled = false;
    service.container.dockerignore.clear();

    // The language: manifests first, then the Dockerfile's images.
    let toolchain = manifests::toolchain(files, &candidate.directory);
    let mut runtime_known = false;
    if let Some(toolchain) = &toolchain {
        runtime_known = true;
        service.runtime = toolchain.runtime;
        service.runtime_version = toolchain
            .version
            .clone()
            .unwrap_or_else(|| toolchain.runtime.default_version().to_owned());
        service.package_manager = toolchain.package_manager;
        service.lockfile = toolchain.lockfile.clone();
        service.commands = toolchain.commands.clone();
        for evidence in &toolchain.evidence {
            let report = report_for(reports, &evidence.path, FileKind::Manifest);
            report.role = format!("manifest of service `{name}`");
            report.mapped(
                evidence.line,
                format!("{} → {}", evidence.told, field(evidence.field)),
            );
        }
    }

    let mut port: Option<(u16, String)> = None;
    let mut health: Option<(String, String)> = None;
    if let Some(path) = &candidate.dockerfile {
        if let Some(file) = text_of(path) {
            // Two services built from one Dockerfile share its report.
            let shared = reports.iter().position(|report| report.path == *path);
            let mut report = match shared {
                Some(index) => {
                    let mut report = reports.remove(index);
                    report.role.push_str(&format!(" and of `{name}`"));
                    report
                }
                None => {
                    let mut report = FileReport::new(path, FileKind::Dockerfile);
                    report.role = format!("image of service `{name}`");
                    report
                }
            };
            match (
                dockerfile::design_of(&file.text),
                dockerfile::parse(&file.text),
            ) {
                (Ok(((read, _), language_unknown)), Ok(parsed)) => {
                    let from_file = &read.services[0];
                    service.kind = from_file.kind;
                    service.container.stages = from_file.container.stages.clone();
                    if !runtime_known && !language_unknown {
                        runtime_known = true;
                        adopt_runtime(&mut service, from_file.runtime);
                        report.mapped(
                            parsed.first().map(|stage| stage.line),
                            format!(
                                "the language, from the images: {} → {}",
                                runtime_label(from_file.runtime),
                                field("runtime")
                            ),
                        );
                    }
                    fill_from_stages(
                        &mut service,
                        &parsed,
                        &field,
                        &mut report,
                        &mut port,
                        &mut health,
                    );
                    // The image is what runs: its language version wins over a manifest's range.
                    if let Some((version, line)) = image_version(&parsed, service.runtime) {
                        report.mapped(
                            Some(line),
                            format!(
                                "{} {version} → {}",
                                runtime_label(service.runtime),
                                field("runtime_version")
                            ),
                        );
                        service.runtime_version = version;
                    }
                }
                (Err(error), _) => report.error = Some(error),
                (_, Err(error)) => {
                    report.error = Some(crate::import::located_error(
                        Some(error.line),
                        error.message,
                    ))
                }
            }
            reports.push(report);
        }
        let ignore = join(&folder_of(path), ".dockerignore");
        let named_ignore = format!("{path}.dockerignore");
        let context_ignore = join(&candidate.directory, ".dockerignore");
        if let Some(file) = [named_ignore, ignore, context_ignore]
            .iter()
            .find_map(|path| text_of(path))
        {
            service.container.dockerignore = file
                .text
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .map(str::to_owned)
                .collect();
            if reports.iter().all(|report| report.path != file.path) {
                let mut report = FileReport::new(&file.path, FileKind::Dockerignore);
                report.role = format!("build context of service `{name}`");
                report.mapped(
                    None,
                    format!(
                        "{} patterns → {}",
                        service.container.dockerignore.len(),
                        field("container.dockerignore")
                    ),
                );
                reports.push(report);
            }
        }
    }

    if let Some((compose_path, entry)) = &candidate.compose {
        let report = report_for(reports, compose_path, FileKind::Compose);
        report.mapped(
            entry.line,
            format!(
                "service `{}` → {} in folder {}",
                entry.name,
                field(""),
                candidate.directory
            ),
        );
        if let Some(found) = entry.port {
            report.mapped(
                line_of_key(entry, "ports").or(line_of_key(entry, "expose")),
                format!("port {found} → {}", field("container.port")),
            );
            if port.is_none() {
                port = Some((found, compose_path.clone()));
            }
        }
        if let Some(path) = &entry.health_path {
            report.mapped(
                line_of_key(entry, "healthcheck"),
                format!("health check {path} → {}", field("health path")),
            );
            if health.is_none() {
                health = Some((path.clone(), compose_path.clone()));
            }
        }
        if !entry.command.is_empty() {
            report.mapped(
                line_of_key(entry, "command"),
                format!("command → {}", field("commands.start")),
            );
            service.commands.start = entry.command.clone();
        }
        if !entry.depends_on.is_empty() {
            report.mapped(
                line_of_key(entry, "depends_on"),
                format!("depends_on → {}", field("talks_to")),
            );
        }
        for (unread, line) in &entry.unread {
            report.not_mapped(
                Some(*line),
                format!("service `{}`: `{unread}` has no design field", entry.name),
            );
        }
    }

    if let Some(path) = &candidate.railway {
        if let Some(file) = text_of(path) {
            read_railway(&mut service, file, &field, reports);
            if !service.railway.healthcheck_path.is_empty() && health.is_none() {
                health = Some((service.railway.healthcheck_path.clone(), path.clone()));
            }
        }
    }

    if let Some(chart) = &candidate.chart {
        read_chart(
            &mut service,
            chart,
            files,
            &field,
            reports,
            &mut port,
            &mut health,
        );
    }

    match &port {
        Some((found, _)) => {
            service.container.port = *found;
            // A port the files publish means HTTP traffic, whatever the image exposes.
            if service.kind == ServiceKind::Worker && service.railway.cron_schedule.is_empty() {
                service.kind = ServiceKind::WebService;
            }
        }
        None => {
            service.container.port = if service.kind == ServiceKind::StaticSite {
                8080
            } else {
                service.runtime.default_port()
            };
            if service.kind != ServiceKind::Worker {
                let primary = candidate
                    .dockerfile
                    .clone()
                    .or_else(|| candidate.railway.clone())
                    .or_else(|| candidate.compose.as_ref().map(|(path, _)| path.clone()));
                if let Some(primary) = primary {
                    let report = report_for(reports, &primary, FileKind::Dockerfile);
                    report.not_mapped(
                        None,
                        format!(
                            "no file states the port of `{}`: the design uses {}, the convention of its kind and language",
                            service.name, service.container.port
                        ),
                    );
                }
            }
        }
    }
    match &health {
        Some((path, _)) => {
            service.container.healthcheck.path = path.clone();
            service.railway.healthcheck_path = if service.railway.enabled {
                service.railway.healthcheck_path.clone()
            } else {
                path.clone()
            };
        }
        None => {
            // No file names a health path: none is made up.
            service.container.healthcheck.enabled = false;
            service.container.healthcheck.path.clear();
            if !service.railway.enabled {
                service.railway.healthcheck_path.clear();
            }
        }
    }
    if service.container.stages.iter().all(|stage| {
        !stage
            .instructions
            .iter()
            .any(|instruction| matches!(instruction, Instruction::Healthcheck { .. }))
    }) {
        service.container.healthcheck.enabled = false;
    }
    if !runtime_known {
        service.commands = Commands::default();
        service.lockfile.clear();
        let report = reports
            .iter_mut()
            .find(|report| Some(&report.path) == candidate.dockerfile.as_ref());
        if let Some(report) = report {
            report.not_mapped(
                Some(1),
                format!(
                    "the language is not one Slipway builds (Node.js, Python, Go, Rust, Java): {} keeps the Dockerfile's stages, and its CI commands are left empty",
                    field("")
                ),
            );
        }
    }
    service
}

/// The language version of the first stage whose image is for `runtime`
/// (`python:3.11-slim` → `3.11`, `node:20-alpine` → `20`), and the stage's line.
fn image_version(parsed: &[dockerfile::ParsedStage], runtime: Runtime) -> Option<(String, usize)> {
    parsed.iter().find_map(|stage| {
        let image = &stage.stage.image;
        let repository = image.split(['@', ':']).next().unwrap_or("");
        let official = match runtime {
            Runtime::Node => &["node"][..],
            Runtime::Python => &["python"][..],
            Runtime::Go => &["golang"][..],
            Runtime::Rust => &["rust"][..],
            Runtime::Java => &["eclipse-temurin", "openjdk", "amazoncorretto"][..],
        };
        let name = repository.rsplit('/').next().unwrap_or("");
        if !official.contains(&name) {
            return None;
        }
        let tag = image.split('@').next()?.rsplit_once(':')?.1;
        if !tag.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let parts = match runtime {
            Runtime::Node | Runtime::Java => 1,
            _ => 2,
        };
        manifests::major_of(tag, parts).map(|version| (version, stage.line))
    })
}

fn adopt_runtime(service: &mut Service, runtime: Runtime) {
    service.runtime = runtime;
    service.runtime_version = runtime.default_version().to_owned();
    service.package_manager = runtime.default_package_manager();
    service.lockfile = service.package_manager.lockfile().to_owned();
    service.commands = Commands::for_runtime(runtime, service.package_manager);
}

/// The image's port, health check, start command and images, from its stages.
fn fill_from_stages(
    service: &mut Service,
    parsed: &[dockerfile::ParsedStage],
    field: &dyn Fn(&str) -> String,
    report: &mut FileReport,
    port: &mut Option<(u16, String)>,
    health: &mut Option<(String, String)>,
) {
    let path = report.path.clone();
    for (stage_index, stage) in parsed.iter().enumerate() {
        report.mapped(
            Some(stage.line),
            format!(
                "stage `{}` ({}) → {}",
                stage.stage.name,
                stage.stage.image,
                field(&format!("container.stages[{stage_index}]"))
            ),
        );
    }
    if let Some(first) = parsed.first() {
        service.container.build_image = first.stage.image.clone();
    }
    let Some(last) = parsed.last() else { return };
    service.container.runtime_image = last.stage.image.clone();
    let mut entrypoint: Vec<String> = Vec::new();
    for (instruction, line) in last.stage.instructions.iter().zip(&last.instruction_lines) {
        match instruction {
            Instruction::Expose { port: exposed } if port.is_none() => {
                *port = Some((*exposed, path.clone()));
                report.mapped(
                    Some(*line),
                    format!("port {exposed} → {}", field("container.port")),
                );
            }
            Instruction::Healthcheck { command, .. } => {
                if let Some(found) = compose::http_path(&command.join(" ")) {
                    report.mapped(
                        Some(*line),
                        format!(
                            "health check {found} → {}",
                            field("container.healthcheck.path")
                        ),
                    );
                    *health = Some((found, path.clone()));
                }
            }
            Instruction::Workdir { path: workdir } => service.container.workdir = workdir.clone(),
            Instruction::Entrypoint { args } if !args.is_empty() => {
                entrypoint = args.clone();
                service.commands.start = args.clone();
                report.mapped(
                    Some(*line),
                    format!("entrypoint → {}", field("commands.start")),
                );
            }
            Instruction::Cmd { args } if !args.is_empty() => {
                // With an ENTRYPOINT, CMD gives its arguments (`tini -- node server.js`).
                service.commands.start = entrypoint.iter().chain(args).cloned().collect();
                report.mapped(
                    Some(*line),
                    format!("start command → {}", field("commands.start")),
                );
            }
            _ => {}
        }
    }
}

fn line_of_key(entry: &ComposeService, name: &str) -> Option<usize> {
    entry
        .read
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, line)| *line)
}

/// The report of `path`, created when it has none yet.
fn report_for<'a>(
    reports: &'a mut Vec<FileReport>,
    path: &str,
    kind: FileKind,
) -> &'a mut FileReport {
    match reports.iter().position(|report| report.path == path) {
        Some(index) => &mut reports[index],
        None => {
            reports.push(FileReport::new(path, kind));
            let last = reports.len() - 1;
            &mut reports[last]
        }
    }
}

/// Railway settings keys the design has fields for.
const RAILWAY_KEYS: &[&str] = &[
    "build.builder",
    "build.buildCommand",
    "build.watchPatterns",
    "build.dockerfilePath",
    "deploy.startCommand",
    "deploy.preDeployCommand",
    "deploy.healthcheckPath",
    "deploy.healthcheckTimeout",
    "deploy.restartPolicyType",
    "deploy.restartPolicyMaxRetries",
    "deploy.numReplicas",
    "deploy.cronSchedule",
    "deploy.sleepApplication",
];

fn read_railway(
    service: &mut Service,
    file: &SourceFile,
    field: &dyn Fn(&str) -> String,
    reports: &mut Vec<FileReport>,
) {
    let toml = file.path.ends_with(".toml");
    let kind = if toml {
        FileKind::RailwayToml
    } else {
        FileKind::RailwayJson
    };
    let mut report = FileReport::new(&file.path, kind);
    report.role = format!("Railway service {}", field(""));
    let (json, keys, unread) = if toml {
        let (value, keys, unread) = toml_subset::parse(&file.text);
        (value.to_string(), keys, unread)
    } else {
        let keys = json_keys(&file.text);
        (file.text.clone(), keys, Vec::new())
    };
    for (line, what) in unread {
        report.not_mapped(Some(line), what);
    }
    match railway::read(&json) {
        Ok((read, _)) => {
            let from_file = &read.services[0];
            service.railway = from_file.railway.clone();
            service.railway.enabled = true;
            if service.container.stages.is_empty() && from_file.kind == ServiceKind::Worker {
                service.kind = ServiceKind::Worker;
            }
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&json) {
                service.railway.watch_patterns = value["build"]["watchPatterns"]
                    .as_array()
                    .map(|patterns| {
                        patterns
                            .iter()
                            .filter_map(|pattern| pattern.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                service.railway.sleep_application = value["deploy"]["sleepApplication"]
                    .as_bool()
                    .unwrap_or(false);
            }
            for (key, line) in keys {
                if key == "$schema" || !key.contains('.') {
                    continue;
                }
                if RAILWAY_KEYS.contains(&key.as_str()) {
                    report.mapped(Some(line), format!("{key} → {}", field("railway")));
                } else {
                    report.not_mapped(Some(line), format!("`{key}` has no design field"));
                }
            }
        }
        Err(error) => report.error = Some(error),
    }
    report.sort();
    reports.push(report);
}

/// `section.key` and line of each setting of a railway.json, two levels deep.
fn json_keys(text: &str) -> Vec<(String, usize)> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let outline = Outline::json(text);
    let mut keys = Vec::new();
    for (section, inner) in value.as_object().into_iter().flatten() {
        match inner.as_object() {
            Some(inner) => {
                for name in inner.keys() {
                    if let Some(line) = outline.line(&[key(section), key(name)]) {
                        keys.push((format!("{section}.{name}"), line));
                    }
                }
            }
            None => {
                if let Some(line) = outline.line(&[key(section)]) {
                    keys.push((section.clone(), line));
                }
            }
        }
    }
    keys
}

/// Values keys the workload reads (the rest are reported as not mapped).
const VALUES_KEYS: &[&str] = &[
    "replicaCount",
    "image",
    "service",
    "resources",
    "resourcesPreset",
    "probes",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "securityContext",
    "containerSecurityContext",
    "podSecurityContext",
    "autoscaling",
    "podDisruptionBudget",
    "pdb",
    "ingress",
    "strategy",
    "rollout",
    "blueGreen",
    "canary",
    "progressDeadlineSeconds",
    "revisionHistoryLimit",
    "writablePaths",
    "volumeMounts",
];

fn read_chart(
    service: &mut Service,
    chart: &str,
    files: &[SourceFile],
    field: &dyn Fn(&str) -> String,
    reports: &mut Vec<FileReport>,
    port: &mut Option<(u16, String)>,
    health: &mut Option<(String, String)>,
) {
    let manifest = join(chart, "Chart.yaml");
    let report = report_for(reports, &manifest, FileKind::ChartManifest);
    report.role = format!("chart of service `{}`", service.name);
    report.mapped(Some(1), format!("the chart → {}", field("kubernetes")));
    service.kubernetes.enabled = true;
    let values_path = join(chart, "values.yaml");
    let Some(file) = files.iter().find(|file| file.path == values_path) else {
        return;
    };
    let mut report = FileReport::new(&file.path, FileKind::HelmValues);
    report.role = format!("default values of the chart of service `{}`", service.name);
    match values::read(&file.text) {
        Ok(((read, _), unknown)) => {
            let from_file = &read.services[0];
            service.kubernetes = from_file.kubernetes.clone();
            service.kubernetes.enabled = true;
            for probe in unknown.iter().filter(|path| path.contains("probes")) {
                report.not_mapped(
                    None,
                    format!(
                        "{probe}: the chart's template sets the probe's handler, not the values"
                    ),
                );
            }
            let probes = &from_file.kubernetes.probes;
            let probe_path = [&probes.readiness, &probes.liveness, &probes.startup]
                .into_iter()
                .find(|probe| probe.enabled && !probe.path.is_empty())
                .map(|probe| probe.path.clone());
            if let (Some(path), None) = (probe_path, health.as_ref()) {
                *health = Some((path, file.path.clone()));
            }
            if let Ok(value) = serde_norway::from_str::<serde_norway::Value>(&file.text) {
                let outline = Outline::new(&file.text);
                let service_port = chart_port(&value);
                if let (Some(found), None) = (service_port, port.as_ref()) {
                    *port = Some((found, file.path.clone()));
                }
                for top in value
                    .as_mapping()
                    .into_iter()
                    .flat_map(|mapping| mapping.keys())
                    .filter_map(serde_norway::Value::as_str)
                {
                    let line = outline.line(&[key(top)]);
                    if VALUES_KEYS.contains(&top) {
                        report.mapped(line, format!("`{top}` → {}", field("kubernetes")));
                    } else {
                        report.not_mapped(line, format!("`{top}` has no design field"));
                    }
                }
            }
        }
        Err(error) => report.error = Some(error),
    }
    report.sort();
    reports.push(report);
}

/// The container port a values file gives, under the names charts commonly use for it.
fn chart_port(values: &serde_norway::Value) -> Option<u16> {
    const PLACES: &[&[&str]] = &[
        &["containerPort"],
        &["containerPorts", "http"],
        &["service", "targetPort"],
        &["service", "containerPort"],
        &["service", "httpPort"],
        &["service", "ports", "http"],
        &["service", "port"],
    ];
    PLACES.iter().find_map(|place| {
        let mut node = values;
        for part in *place {
            node = node.get(*part)?;
        }
        node.as_u64().and_then(|n| u16::try_from(n).ok())
    })
}

/// Reports for the files no service claimed: charts' other values files, Terraform,
/// nixpacks.toml, `.dockerignore` files of folders without a service.
fn report_extra_files(
    files: &[SourceFile],
    candidates: &[Candidate],
    services: &[Service],
    reports: &mut Vec<FileReport>,
) {
    for file in files {
        if reports.iter().any(|report| report.path == file.path) {
            continue;
        }
        let Some(kind) = super::files::kind_of(&file.path) else {
            continue;
        };
        let mut report = FileReport::new(&file.path, kind);
        match kind {
            FileKind::HelmValues => {
                let chart = candidates.iter().zip(services).find(|(candidate, _)| {
                    candidate.chart.as_deref() == Some(&folder_of(&file.path))
                });
                match chart {
                    Some((_, service)) => report.not_mapped(
                        None,
                        format!(
                            "other values of the chart of `{}`: per-environment values come from the design's environments",
                            service.name
                        ),
                    ),
                    None => report.not_mapped(None, "values of no chart in the repository"),
                }
            }
            FileKind::Terraform => {
                report.not_mapped(
                    None,
                    "Terraform is not imported: the design's infrastructure writes its own modules",
                );
                for (index, line) in file.text.lines().enumerate() {
                    let trimmed = line.trim_start();
                    if trimmed.starts_with("resource ") || trimmed.starts_with("module ") {
                        report.not_mapped(
                            Some(index + 1),
                            trimmed.trim_end_matches('{').trim().to_owned(),
                        );
                    }
                }
            }
            FileKind::NixpacksToml => {
                let (_, keys, unread) = toml_subset::parse(&file.text);
                for (key, line) in keys {
                    report.not_mapped(
                        Some(line),
                        format!("`{key}`: Nixpacks settings are the builder's, not the design's"),
                    );
                }
                for (line, what) in unread {
                    report.not_mapped(Some(line), what);
                }
            }
            _ => continue,
        }
        reports.push(report);
    }
}
