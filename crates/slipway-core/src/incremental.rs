//! Checking and generating again after an edit, recomputing only what the edit can change: an
//! editor keeps one [`Incremental`] and hands it each new version of the design. The results
//! are always exactly those of [`crate::check`] and [`crate::generate()`] (the tests compare
//! them over random edits).
//!
//! A service's own work (the service rules on it, and the files of the generators that write
//! one service at a time: Dockerfile, `.dockerignore`, chart) is kept from the previous version
//! when that service, every other section of the design and the services' layout (names,
//! folders, kinds, ports, routes) are unchanged. The files of a design-wide generator that does not read container builds (the
//! workflows, Terraform) are kept when only container builds changed. An edit to the
//! project alone (typing the system's name) checks again only the rules that read it
//! ([`rules::AnyRule::reads_project`]). Everything else (the design rules, compose, Railway,
//! the design file and the README) reads the whole design and is recomputed on every edit.

use std::rc::Rc;

use crate::bundle::{Bundle, GeneratedFile};
use crate::generate::GENERATORS;
use crate::model::{Design, Service};
use crate::rules::{self, Finding};

/// What a service's rules and files may read of the *other* services: their names, folders,
/// kinds, ports, routes, targets and the services they talk to. An edit to any of these in any
/// service recomputes every service.
#[derive(PartialEq)]
struct Layout<'a> {
    name: &'a str,
    directory: &'a str,
    kind: crate::model::ServiceKind,
    port: u16,
    talks_to: &'a [String],
    kubernetes: bool,
    namespace: &'a str,
    ingress: &'a crate::model::Ingress,
    railway: bool,
}

impl<'a> Layout<'a> {
    fn of(service: &'a Service) -> Self {
        Layout {
            name: &service.name,
            directory: &service.directory,
            kind: service.kind,
            port: service.container.port,
            talks_to: &service.talks_to,
            kubernetes: service.kubernetes.enabled,
            namespace: &service.kubernetes.namespace,
            ingress: &service.kubernetes.ingress,
            railway: service.railway.enabled,
        }
    }
}

/// Whether everything but the services is the same in both versions. Every field is named,
/// so a new section of the design cannot be forgotten here.
fn same_outside_services(old: &Design, new: &Design) -> bool {
    old.project == new.project && same_outside_services_and_project(old, new)
}

/// Whether the two versions differ at most in `project` (the system's name and description):
/// then only the rules that read it ([`rules::AnyRule::reads_project`]) are checked again.
fn only_project_changed(old: &Design, new: &Design) -> bool {
    old.services == new.services && same_outside_services_and_project(old, new)
}

fn same_outside_services_and_project(old: &Design, new: &Design) -> bool {
    let Design {
        version,
        project: _,
        repository,
        pipeline,
        services: _,
        environments,
        infrastructure,
        secrets,
        observability,
        readiness,
        profile,
        waivers,
        checklist,
    } = new;
    *version == old.version
        && *repository == old.repository
        && *pipeline == old.pipeline
        && *environments == old.environments
        && *infrastructure == old.infrastructure
        && *secrets == old.secrets
        && *observability == old.observability
        && *readiness == old.readiness
        && *profile == old.profile
        && *waivers == old.waivers
        && *checklist == old.checklist
}

/// Whether the two versions differ at most in the services' container builds (not their
/// ports or health paths): what generators that do not read container builds can ignore.
fn same_but_container_builds(old: &Design, new: &Design) -> bool {
    same_outside_services(old, new)
        && old.services.len() == new.services.len()
        && old.services.iter().zip(&new.services).all(|(a, b)| {
            let Service {
                name,
                kind,
                directory,
                runtime,
                runtime_version,
                package_manager,
                lockfile,
                commands,
                container,
                kubernetes,
                railway,
                talks_to,
                migrations,
            } = b;
            *name == a.name
                && *kind == a.kind
                && *directory == a.directory
                && *runtime == a.runtime
                && *runtime_version == a.runtime_version
                && *package_manager == a.package_manager
                && *lockfile == a.lockfile
                && *commands == a.commands
                && container.port == a.container.port
                && container.healthcheck.path == a.container.healthcheck.path
                && *kubernetes == a.kubernetes
                && *railway == a.railway
                && *talks_to == a.talks_to
                && *migrations == a.migrations
        })
}

/// For each service of `new`, whether its own work from `old` still holds.
fn reusable_services(old: Option<&Design>, new: &Design) -> Vec<bool> {
    let Some(old) = old else {
        return vec![false; new.services.len()];
    };
    let same_layout = old.services.len() == new.services.len()
        && old
            .services
            .iter()
            .zip(&new.services)
            .all(|(a, b)| Layout::of(a) == Layout::of(b));
    if !same_layout || !same_outside_services(old, new) {
        return vec![false; new.services.len()];
    }
    old.services
        .iter()
        .zip(&new.services)
        .map(|(a, b)| a == b)
        .collect()
}

/// How much of the last update was recomputed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recomputed {
    /// Rule runs (a design rule once, a service rule once per service) recomputed, and in all.
    pub rule_runs: usize,
    pub rule_runs_total: usize,
    /// Files generated again, and in the bundle (the README included).
    pub files: usize,
    pub files_total: usize,
}

/// An editor's checker and generator, keeping each service's results between versions.
#[derive(Default)]
pub struct Incremental {
    checked: Option<Design>,
    /// Per rule of the registry: the design rules' findings of the last check.
    design_findings: Vec<Vec<Finding>>,
    /// Per service, per rule of the registry: the service rules' findings of the last check.
    service_findings: Vec<Vec<Vec<Finding>>>,
    generated: Option<Design>,
    /// Per generator with per-service output, per service: its files.
    service_files: Vec<Vec<Vec<GeneratedFile>>>,
    /// Per generator of design-wide files: its last files.
    design_files: Vec<Vec<GeneratedFile>>,
    /// Which generator (and for a per-service one, which service) wrote each path of the
    /// last bundle; `None` for the README.
    origins: std::collections::HashMap<String, Option<(usize, Option<usize>)>>,
    last_check: (usize, usize),
    last_generate: (usize, usize),
}

impl Incremental {
    pub fn new() -> Self {
        Incremental::default()
    }

    /// The findings of `design`, as [`crate::check`] gives them.
    pub fn check(&mut self, design: &Design) -> Vec<Finding> {
        crate::facts::jobs::with_service_folders(design, || self.check_now(design))
    }

    fn check_now(&mut self, design: &Design) -> Vec<Finding> {
        let reuse = reusable_services(self.checked.as_ref(), design);
        let project_only = self
            .checked
            .as_ref()
            .is_some_and(|old| only_project_changed(old, design));
        let registry = rules::registry();
        let rerun = |rule: &dyn rules::AnyRule| !project_only || rule.reads_project();
        let runs_in = |scope: rules::Scope| {
            registry
                .iter()
                .filter(|rule| rule.scope() == scope && rerun(**rule))
                .count()
        };
        let (design_runs, service_runs) = (
            runs_in(rules::Scope::Design),
            runs_in(rules::Scope::Service),
        );
        let design_rules = registry
            .iter()
            .filter(|rule| rule.scope() == rules::Scope::Design)
            .count();
        let service_rules = registry.len() - design_rules;
        let shared = Rc::default();
        let design_part = rules::findings_of(
            design,
            None,
            &shared,
            std::mem::take(&mut self.design_findings),
            rerun,
        );
        let mut runs = design_runs;
        let mut kept = std::mem::take(&mut self.service_findings).into_iter();
        let services: Vec<Vec<Vec<Finding>>> = reuse
            .iter()
            .enumerate()
            .map(|(index, reuse)| match kept.next() {
                Some(previous) if *reuse => previous,
                Some(previous) if project_only => {
                    runs += service_runs;
                    rules::findings_of(design, Some(index), &shared, previous, rerun)
                }
                _ => {
                    runs += service_rules;
                    rules::service_findings(design, index, &shared)
                }
            })
            .collect();
        self.design_findings = design_part.clone();
        self.service_findings = services.clone();
        self.checked = Some(design.clone());
        self.last_check = (runs, design_rules + service_rules * design.services.len());
        rules::merge(design_part, services)
    }

    /// The bundle of `design` with its README listing `findings`, as [`crate::generate()`]
    /// gives it for the findings of [`Incremental::check`].
    pub fn generate(&mut self, design: &Design, findings: &[Finding]) -> Bundle {
        crate::facts::jobs::with_service_folders(design, || self.generate_now(design, findings))
    }

    fn generate_now(&mut self, design: &Design, findings: &[Finding]) -> Bundle {
        let reuse = reusable_services(self.generated.as_ref(), design);
        let container_builds_only = self
            .generated
            .as_ref()
            .is_some_and(|old| same_but_container_builds(old, design));
        let mut kept = std::mem::take(&mut self.service_files).into_iter();
        let mut kept_wide = std::mem::take(&mut self.design_files).into_iter();
        let mut design_files: Vec<Vec<GeneratedFile>> = Vec::new();
        let mut regenerated = 0;
        let mut service_files: Vec<Vec<Vec<GeneratedFile>>> = Vec::new();
        let groups: Vec<Vec<GeneratedFile>> = GENERATORS
            .iter()
            .map(|generator| match generator.per_service {
                Some(per_service) => {
                    let mut previous = kept.next().unwrap_or_default().into_iter();
                    let per: Vec<Vec<GeneratedFile>> = reuse
                        .iter()
                        .enumerate()
                        .map(|(index, reuse)| match previous.next() {
                            Some(files) if *reuse => files,
                            _ => {
                                let files = per_service(design, index);
                                regenerated += files.len();
                                files
                            }
                        })
                        .collect();
                    let files = per.iter().flatten().cloned().collect();
                    service_files.push(per);
                    files
                }
                None => {
                    let previous = kept_wide.next();
                    let files = match previous {
                        Some(files)
                            if container_builds_only && !generator.reads_container_builds =>
                        {
                            files
                        }
                        _ => {
                            let files = (generator.generate)(design);
                            regenerated += files.len();
                            files
                        }
                    };
                    design_files.push(files.clone());
                    files
                }
            })
            .collect();
        self.origins.clear();
        for (generator, per) in GENERATORS
            .iter()
            .enumerate()
            .filter(|(_, generator)| generator.per_service.is_some())
            .zip(&service_files)
        {
            for (service, files) in per.iter().enumerate() {
                for file in files {
                    self.origins
                        .insert(file.path.clone(), Some((generator.0, Some(service))));
                }
            }
        }
        for (generator, files) in GENERATORS
            .iter()
            .enumerate()
            .filter(|(_, generator)| generator.per_service.is_none())
            .zip(&design_files)
        {
            for file in files {
                self.origins
                    .insert(file.path.clone(), Some((generator.0, None)));
            }
        }
        self.service_files = service_files;
        self.design_files = design_files;
        self.generated = Some(design.clone());
        let bundle = crate::generate::assemble(design, findings, groups);
        self.last_generate = (regenerated + 1, bundle.files.len());
        bundle
    }

    /// The file at `path` of `design`'s bundle, running only the generator that wrote that
    /// path in the last [`Incremental::generate`] (for a service's file, only for that
    /// service): an editor shows one file, and the others can wait until typing pauses. The
    /// file is exactly the one [`Incremental::generate`] would give. `None` when the last bundle
    /// had no such path, the generator no longer writes it (a rename moved it), or the path is
    /// the README, which lists every file: then generate the whole bundle.
    pub fn file(&self, design: &Design, path: &str) -> Option<GeneratedFile> {
        let (generator, service) = (*self.origins.get(path)?)?;
        let generator = &GENERATORS[generator];
        crate::facts::jobs::with_service_folders(design, || {
            let files = match (service, generator.per_service) {
                (Some(service), Some(per_service)) if service < design.services.len() => {
                    per_service(design, service)
                }
                (Some(_), _) => return None,
                (None, _) => (generator.generate)(design),
            };
            files.into_iter().find(|file| file.path == path)
        })
    }

    /// The README of `design`'s bundle listing `findings`, without generating the bundle,
    /// when the last [`Incremental::generate`] was of a design that differs from it in the
    /// project alone: the README reads the files' paths, and no path depends on the project
    /// (the tests hold every preset and random designs to it). `None` otherwise: then generate
    /// the whole bundle.
    pub fn readme(&self, design: &Design, findings: &[Finding]) -> Option<GeneratedFile> {
        let old = self.generated.as_ref()?;
        if !only_project_changed(old, design) {
            return None;
        }
        let paths_of = |files: &[GeneratedFile]| -> Vec<GeneratedFile> {
            files
                .iter()
                .map(|file| GeneratedFile::new(&file.path, file.syntax, String::new()))
                .collect()
        };
        let mut per_service = self.service_files.iter();
        let mut design_wide = self.design_files.iter();
        let groups: Vec<Vec<GeneratedFile>> = GENERATORS
            .iter()
            .map(|generator| match generator.per_service {
                Some(_) => per_service
                    .next()
                    .map(|per| per.iter().flat_map(|files| paths_of(files)).collect())
                    .unwrap_or_default(),
                None => design_wide
                    .next()
                    .map(|files| paths_of(files))
                    .unwrap_or_default(),
            })
            .collect();
        Some(crate::generate::readme_of(design, findings, &groups))
    }

    /// Whether the last [`Incremental::generate`] was of this design.
    pub fn generated_from(&self, design: &Design) -> bool {
        self.generated.as_ref() == Some(design)
    }

    /// What the last [`Incremental::check`] and [`Incremental::generate`] recomputed.
    pub fn recomputed(&self) -> Recomputed {
        Recomputed {
            rule_runs: self.last_check.0,
            rule_runs_total: self.last_check.1,
            files: self.last_generate.0,
            files_total: self.last_generate.1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::support::preset;

    fn full(design: &Design) -> (Vec<Finding>, Bundle) {
        let findings = crate::check(design);
        let bundle = crate::generate::generate_with_findings(design, &findings);
        (findings, bundle)
    }

    fn step(incremental: &mut Incremental, design: &Design) -> Recomputed {
        let findings = incremental.check(design);
        let bundle = incremental.generate(design, &findings);
        let (expected_findings, expected_bundle) = full(design);
        assert_eq!(findings, expected_findings);
        assert_eq!(bundle, expected_bundle);
        incremental.recomputed()
    }

    #[test]
    fn an_edit_to_one_service_recomputes_that_service_and_the_design_wide_work() {
        let mut design = crate::presets::with_services(10);
        let mut incremental = Incremental::new();
        let first = step(&mut incremental, &design);
        assert_eq!(first.rule_runs, first.rule_runs_total);
        assert_eq!(first.files, first.files_total);
        design.services[4].commands.start = vec!["node server.js --edited".into()];
        let edit = step(&mut incremental, &design);
        assert!(edit.rule_runs < edit.rule_runs_total / 3, "{edit:?}");
        assert!(edit.files < edit.files_total / 3, "{edit:?}");
        // The system's name: only the rules that read it run again, and every file (each
        // names the system).
        design.project.name = "orders".into();
        let name = step(&mut incremental, &design);
        let readers = rules::registry()
            .iter()
            .filter(|rule| rule.reads_project())
            .map(|rule| match rule.scope() {
                rules::Scope::Design => 1,
                rules::Scope::Service => design.services.len(),
            })
            .sum::<usize>();
        assert_eq!(name.rule_runs, readers, "{name:?}");
        assert_eq!(name.files, name.files_total);
        // Any other design-wide edit recomputes everything.
        design.pipeline.jobs.truncate(3);
        let wide = step(&mut incremental, &design);
        assert_eq!(wide.rule_runs, wide.rule_runs_total);
        assert_eq!(wide.files, wide.files_total);
    }

    #[test]
    fn one_file_is_the_bundle_s_file_after_any_edit() {
        let mut design = preset("web-api-worker");
        let mut incremental = Incremental::new();
        step(&mut incremental, &design);
        let edits: [fn(&mut Design); 4] = [
            |design| design.project.name = "orders".into(),
            |design| design.services[1].container.healthcheck.path = "/ready".into(),
            |design| design.services[2].name = "jobs".into(),
            |design| design.pipeline.jobs.truncate(2),
        ];
        for edit in edits {
            let before = incremental.generate(&design, &crate::check(&design));
            edit(&mut design);
            let (_, expected) = full(&design);
            for path in before.paths() {
                let one = incremental.file(&design, path);
                if path == "README.md" {
                    assert_eq!(one, None);
                } else if let Some(one) = one {
                    assert_eq!(Some(&one), expected.file(path), "{path}");
                } else {
                    assert!(expected.file(path).is_none(), "{path} was not regenerated");
                }
            }
        }
    }

    #[test]
    fn typing_the_system_s_name_gives_the_readme_without_the_bundle() {
        let mut designs: Vec<Design> = crate::presets::all()
            .iter()
            .map(|preset| (preset.build)())
            .collect();
        designs.push(crate::presets::with_services(4));
        for mut design in designs {
            let mut incremental = Incremental::new();
            step(&mut incremental, &design);
            let paths: Vec<String> = full(&design).1.paths().map(str::to_owned).collect();
            for name in ["orders-platform", "", "x"] {
                design.project.name = name.into();
                design.project.description = format!("about {name}");
                let findings = incremental.check(&design);
                let (_, expected) = full(&design);
                assert_eq!(
                    incremental.readme(&design, &findings).as_ref(),
                    expected.file("README.md"),
                    "{name}"
                );
                // What makes it exact: no path depends on the project.
                assert!(
                    expected.paths().eq(paths.iter().map(String::as_str)),
                    "{name}"
                );
            }
            // Any other change: the whole bundle.
            design.pipeline.jobs.truncate(1);
            let findings = incremental.check(&design);
            assert_eq!(incremental.readme(&design, &findings), None);
        }
    }

    #[test]
    fn layout_edits_recompute_every_service() {
        let mut design = preset("web-api-worker");
        let mut incremental = Incremental::new();
        step(&mut incremental, &design);
        design.services[1].container.port = 3000;
        let port = step(&mut incremental, &design);
        assert_eq!(port.rule_runs, port.rule_runs_total);
        design.services[2].name = "jobs".into();
        step(&mut incremental, &design);
        design.services.swap(0, 2);
        step(&mut incremental, &design);
        design.services.pop();
        step(&mut incremental, &design);
    }
}
