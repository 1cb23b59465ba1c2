//! The design store: the single source of truth of the app.
//!
//! The history holds the design; findings and generated files are memos derived from it, so
//! views never keep copies that could drift. Every change goes through [`Store::edit`] (or its
//! typing and loading variants), which makes it undoable.
//!
//! A design holds several services; the per-service views (the service's editor sections, the
//! container composer, the rollout designer) show the one selected in [`Store::service`]. The
//! selection is view state, not design state: it is never undone, and every reader clamps it
//! ([`service_of`], [`Store::selected`]), so a removal or an undo that drops services never
//! leaves it pointing past the end.

use leptos::prelude::*;
use slipway_core::changes::{self, Changes};
use slipway_core::facts::limits;
use slipway_core::generate::generate_with_findings;
use slipway_core::history::History;
use slipway_core::incremental::Incremental;
use slipway_core::model::Service;
use slipway_core::rules::{self, Finding};
use slipway_core::{Bundle, Design, GeneratedFile};

/// The index `wanted` clamped to a list of `count` services (0 for an empty list).
pub fn clamp_service(wanted: usize, count: usize) -> usize {
    wanted.min(count.saturating_sub(1))
}

/// The service at `index` of the design, or its last one when `index` is past the end. A
/// design always has a service; one built without any reads as the default service.
pub fn service_of(design: &Design, index: usize) -> &Service {
    static FALLBACK: std::sync::OnceLock<Service> = std::sync::OnceLock::new();
    design
        .services
        .get(clamp_service(index, design.services.len()))
        .unwrap_or_else(|| FALLBACK.get_or_init(Service::default))
}

/// The service at `index` of the design, or its last one when `index` is past the end; a
/// design without services first gets the default one, so an edit always has a service.
pub fn service_of_mut(design: &mut Design, index: usize) -> &mut Service {
    if design.services.is_empty() {
        design.services.push(Service::default());
    }
    let index = clamp_service(index, design.services.len());
    &mut design.services[index]
}

/// How long the design must stay unchanged before every file is generated again.
pub const SETTLE_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

#[derive(Clone, Copy)]
pub struct Store {
    history: RwSignal<History<Design>>,
    /// The current design.
    pub design: Memo<Design>,
    /// Findings of the current design, most severe first.
    pub findings: Memo<Vec<Finding>>,
    /// Every generated file, as of the last time typing paused ([`SETTLE_AFTER`] without an
    /// edit) or [`Store::settle`] ran: the file list, downloads and the embedding API read it.
    /// The file the preview shows is always current ([`Store::file`]).
    pub bundle: Memo<Bundle>,
    /// Bumped to regenerate [`Store::bundle`] from the current design.
    settled: RwSignal<u64>,
    /// Whether the latest change was a keystroke: the bundle then waits for a pause, while a
    /// click's change (a fix, undo, a new service) settles at once.
    typing: StoredValue<bool>,
    engine: StoredValue<Incremental>,
    /// A view-only session (`?readonly`): the user's edits, fixes, undo and redo are refused;
    /// a host page may still load designs.
    pub read_only: bool,
    /// Why the latest edit was not applied: it gave a name longer than the files it ends up
    /// in can hold (`facts::limits`), so the design would not load again.
    pub refusal: RwSignal<Option<String>>,
    /// The index of the service the per-service views show, as last chosen. It may be past
    /// the end after a removal or an undo: read it through [`Store::selected`],
    /// [`service_of`] or [`Store::with_service`], which clamp it.
    pub service: RwSignal<usize>,
    /// [`Store::service`] clamped to the design's services: the index the views show.
    pub selected: Memo<usize>,
}

impl Store {
    /// A store starting at `initial`; the user's edits are refused when `read_only`.
    pub fn new(initial: Design, read_only: bool) -> Self {
        let history = RwSignal::new(History::new(initial).with_guard(limits::refusal));
        let design = Memo::new(move |_| history.with(|history| history.present().clone()));
        // Checks and generates again only what an edit can change: a keystroke in one service
        // leaves the other services' rule runs and files as they were.
        let engine = StoredValue::new(Incremental::new());
        let findings = Memo::new(move |_| {
            design.with(|design| {
                engine
                    .try_update_value(|engine| engine.check(design))
                    .unwrap_or_else(|| rules::check(design))
            })
        });
        // Every file, generated when settled: a keystroke only regenerates the shown file.
        let settled = RwSignal::new(0u64);
        let bundle = Memo::new(move |_| {
            settled.track();
            design.with_untracked(|design| {
                findings.with_untracked(|findings| {
                    engine
                        .try_update_value(|engine| engine.generate(design, findings))
                        .unwrap_or_else(|| generate_with_findings(design, findings))
                })
            })
        });
        let service = RwSignal::new(0);
        let selected = Memo::new(move |_| {
            clamp_service(service.get(), design.with(|design| design.services.len()))
        });
        Store {
            history,
            design,
            findings,
            bundle,
            settled,
            typing: StoredValue::new(false),
            engine,
            read_only,
            refusal: RwSignal::new(None),
            service,
            selected,
        }
    }

    /// Whether the latest change was a keystroke (its typing step is still open).
    pub fn is_typing(&self) -> bool {
        self.typing.get_value()
    }

    /// Brings [`Store::bundle`] up to date with the design now (a download, a host's request).
    pub fn settle(&self) {
        let current = self
            .design
            .with_untracked(|design| self.bundle_is_of(design));
        if !current {
            self.settled.update(|tick| *tick += 1);
        }
    }

    /// Whether [`Store::bundle`] was last generated from `design` (typing has paused since
    /// it changed, or the change was not a keystroke).
    pub fn bundle_is_of(&self, design: &Design) -> bool {
        self.engine
            .with_value(|engine| engine.generated_from(design))
    }

    /// Settles [`Store::bundle`] once the design has not changed for [`SETTLE_AFTER`] after a
    /// keystroke (while the user types, only the shown file and the findings are recomputed),
    /// or right after any other change.
    pub fn settle_when_idle(&self) {
        let store = *self;
        let pending = StoredValue::new(None::<TimeoutHandle>);
        Effect::new(move |_| {
            store.design.track();
            if let Some(handle) = pending.try_update_value(Option::take).flatten() {
                handle.clear();
            }
            let delay = if store.typing.get_value() {
                SETTLE_AFTER
            } else {
                std::time::Duration::ZERO
            };
            let handle = set_timeout_with_handle(move || store.settle(), delay).ok();
            pending.set_value(handle);
        });
    }

    /// The file at `path` of the current design, generated now without the rest of the
    /// bundle (the README lists every file, so it and a path a rename moved take the whole
    /// bundle). Tracked: the caller re-runs on every edit.
    pub fn file(&self, path: &str) -> Option<GeneratedFile> {
        self.design.with(|design| {
            let one = self.engine.with_value(|engine| {
                if path == "README.md" {
                    // Typing the system's name: the README from the last bundle's paths.
                    self.findings
                        .with(|findings| engine.readme(design, findings))
                } else {
                    engine.file(design, path)
                }
            });
            one.or_else(|| {
                self.settle();
                self.bundle
                    .with_untracked(|bundle| bundle.file(path).cloned())
            })
        })
    }

    /// Shows the service at `index` in the per-service views (a view change: never undone,
    /// allowed in a read-only session).
    pub fn select_service(&self, index: usize) {
        self.service.set(index);
    }

    /// Reads the selected service; tracked, so the caller re-runs when the design or the
    /// selection changes.
    pub fn with_service<T>(&self, read: impl FnOnce(&Service) -> T) -> T {
        let index = self.service.get();
        self.design.with(|design| read(service_of(design, index)))
    }

    /// Applies one discrete, undoable edit to the selected service.
    pub fn edit_service(&self, label: &str, edit: impl FnOnce(&mut Service)) {
        let index = self.service.get_untracked();
        self.edit(label, |design| edit(service_of_mut(design, index)));
    }

    /// Field bindings on the selected service, for the shared form fields.
    pub fn selected_service(&self) -> SelectedService {
        SelectedService(self.service)
    }

    /// Publishes why the history refused the latest edit, if it did.
    fn report_refusal(&self) {
        let refusal = self
            .history
            .try_update_untracked(History::take_refusal)
            .flatten();
        if refusal.is_some() {
            self.refusal.set(refusal);
        }
    }

    /// Applies one discrete, undoable edit.
    pub fn edit(&self, label: &str, edit: impl FnOnce(&mut Design)) {
        if self.read_only {
            return;
        }
        self.typing.set_value(false);
        self.history.update(|history| {
            history.apply(label, edit);
        });
        self.report_refusal();
    }

    /// Applies a keystroke-sized edit; consecutive ones with the same label form one undo step
    /// until [`Store::end_typing`].
    pub fn edit_typing(&self, label: &str, edit: impl FnOnce(&mut Design)) {
        if self.read_only {
            return;
        }
        self.typing.set_value(true);
        self.history.update(|history| {
            history.apply_merging(label, edit);
        });
        self.report_refusal();
    }

    /// Closes the current typing step (the field lost focus).
    pub fn end_typing(&self) {
        self.history.update_untracked(History::seal);
    }

    /// Replaces the whole design (a preset or an imported file), undoably, and shows its
    /// first service.
    pub fn load(&self, label: &str, design: Design) {
        self.typing.set_value(false);
        self.history.update(|history| {
            history.replace(label, design);
        });
        self.service.set(0);
    }

    /// The undo label of a finding's fix.
    pub fn fix_label(finding: &Finding) -> String {
        match &finding.service {
            Some(service) => format!("Fix {} in {service}", finding.rule),
            None => format!("Fix {}", finding.rule),
        }
    }

    /// Applies a finding's fix, in the service it was found in, as one undoable edit, and
    /// returns what it changed; `None` when nothing was applied (a read-only session, or an
    /// edit the history refused).
    pub fn fix(&self, finding: &Finding) -> Option<Changes> {
        if self.read_only {
            return None;
        }
        let before = self.design.get_untracked();
        self.edit(&Self::fix_label(finding), |design| {
            rules::apply_finding_fix(design, finding);
        });
        let changes = self
            .design
            .with_untracked(|after| changes::between(&before, after));
        (!changes.is_empty()).then_some(changes)
    }

    /// What a finding's fix would change, without applying it.
    pub fn preview_fix(&self, finding: &Finding) -> Changes {
        self.design.with_untracked(|before| {
            let mut after = before.clone();
            rules::apply_finding_fix(&mut after, finding);
            changes::between(before, &after)
        })
    }

    pub fn undo(&self) {
        if self.read_only {
            return;
        }
        self.typing.set_value(false);
        self.history.update(|history| {
            history.undo();
        });
    }

    pub fn redo(&self) {
        if self.read_only {
            return;
        }
        self.typing.set_value(false);
        self.history.update(|history| {
            history.redo();
        });
    }

    /// What undo would revert, if anything.
    pub fn undo_label(&self) -> Option<String> {
        self.history
            .with(|history| history.undo_label().map(str::to_owned))
    }

    /// What redo would re-apply, if anything.
    pub fn redo_label(&self) -> Option<String> {
        self.history
            .with(|history| history.redo_label().map(str::to_owned))
    }
}

/// The selected service, for the fields bound to it: getters read the selection tracked (a
/// switch redraws the field), setters read it untracked and write that service. Like
/// [`crate::fields::Row`], it takes plain functions, so each field type's wrapper is compiled
/// once rather than once per field.
#[derive(Clone, Copy)]
pub struct SelectedService(RwSignal<usize>);

impl SelectedService {
    /// A field's getter reading `get` of the selected service.
    pub fn get<T: 'static>(
        self,
        get: fn(&Service) -> T,
    ) -> impl Fn(&Design) -> T + Copy + Send + Sync + 'static {
        move |design| get(service_of(design, self.0.get()))
    }

    /// A field's setter writing the selected service with `set`.
    pub fn set<T: 'static>(
        self,
        set: fn(&mut Service, T),
    ) -> impl Fn(&mut Design, T) + Copy + Send + Sync + 'static {
        move |design, value| set(service_of_mut(design, self.0.get_untracked()), value)
    }

    /// The selected index, tracked (unclamped: [`service_of`] clamps it).
    pub fn index(self) -> usize {
        self.0.get()
    }

    /// The selected index, untracked (unclamped: [`service_of_mut`] clamps it).
    pub fn index_untracked(self) -> usize {
        self.0.get_untracked()
    }
}

/// Rehearses a keystroke a few times while the page is idle after loading, so that the
/// browser has compiled the code on that path to optimised machine code before the user's
/// first keystroke: the first edits were otherwise the slowest (measured by
/// `scripts/bench-browser.mjs`). Each round edits a copy of the design the way typing does,
/// compares, checks, generates, serialises for the autosave and hands the files to `render`
/// (the preview's HTML). Nothing is stored; the design is only read.
pub fn warm_up(store: Store, rounds: u32, render: fn(&Bundle)) {
    if rounds == 0 {
        return;
    }
    set_timeout(
        move || {
            store.design.with_untracked(|design| {
                let mut typed = design.clone();
                service_of_mut(&mut typed, 0).name.push('-');
                let findings = rules::check(&typed);
                let bundle = generate_with_findings(&typed, &findings);
                std::hint::black_box(typed == *design);
                std::hint::black_box(slipway_core::io::to_json(&typed));
                render(&bundle);
            });
            warm_up(store, rounds - 1, render);
        },
        std::time::Duration::ZERO,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use slipway_core::model::{PackageManager, Runtime};
    use slipway_core::presets;

    fn with_store(test: impl FnOnce(Store)) {
        let owner = Owner::new();
        owner.with(|| test(Store::new(presets::for_runtime(Runtime::Node), false)));
    }

    /// A design of three services: the preset's, `worker` and `site`.
    fn three_services() -> Design {
        let mut design = presets::for_runtime(Runtime::Node);
        for name in ["worker", "site"] {
            let mut service = Service::for_runtime(name, Runtime::Node);
            service.directory = name.to_owned();
            design.services.push(service);
        }
        design
    }

    fn has_finding(store: Store, rule: &str) -> bool {
        store
            .findings
            .with(|findings| findings.iter().any(|f| f.rule == rule))
    }

    fn finding(store: Store, rule: &str) -> Finding {
        store.findings.with(|findings| {
            findings
                .iter()
                .find(|f| f.rule == rule)
                .cloned()
                .unwrap_or_else(|| panic!("no {rule} finding"))
        })
    }

    #[test]
    fn findings_and_files_follow_edits_and_undo() {
        with_store(|store| {
            assert!(!has_finding(store, "DOCKER-001"));
            store.edit_service("Run as root", |service| service.container.user.uid = 0);
            assert!(has_finding(store, "DOCKER-001"));
            let dockerfile = store.file("Dockerfile").unwrap().contents;
            assert!(dockerfile.contains("USER root"));
            store.undo();
            assert!(!has_finding(store, "DOCKER-001"));
            store.redo();
            assert!(has_finding(store, "DOCKER-001"));
        });
    }

    #[test]
    fn the_shown_file_follows_every_edit_and_the_bundle_follows_when_settled() {
        with_store(|store| {
            let dockerfile = |store: Store| {
                store
                    .bundle
                    .with(|bundle| bundle.file("Dockerfile").unwrap().contents.clone())
            };
            store.settle();
            let before = dockerfile(store);
            store.edit_service("Run as root", |service| service.container.user.uid = 0);
            assert!(store
                .file("Dockerfile")
                .unwrap()
                .contents
                .contains("USER root"));
            assert_eq!(dockerfile(store), before);
            store.settle();
            assert!(dockerfile(store).contains("USER root"));
            // The README lists every file. Renaming the system changes no path: the README
            // comes from the last bundle's paths, and the bundle waits to be settled.
            store.edit("Rename", |design| design.project.name = "orders".into());
            let readme = |store: Store| {
                store
                    .bundle
                    .with(|bundle| bundle.file("README.md").unwrap().contents.clone())
            };
            assert!(store
                .file("README.md")
                .unwrap()
                .contents
                .starts_with("# orders"));
            assert!(!readme(store).starts_with("# orders"));
            // Any other change takes the whole bundle, settled.
            store.edit("Rename and trim", |design| {
                design.project.name = "billing".into();
                design.pipeline.jobs.truncate(2);
            });
            assert!(store
                .file("README.md")
                .unwrap()
                .contents
                .starts_with("# billing"));
            assert!(readme(store).starts_with("# billing"));
        });
    }

    #[test]
    fn an_edit_to_a_name_too_long_to_export_is_refused_and_said() {
        with_store(|store| {
            let before = store.design.get();
            store.edit_typing("Job id", |design| {
                design.pipeline.jobs[0].id = "x".repeat(2_000)
            });
            assert_eq!(store.design.get(), before);
            let refusal = store.refusal.get().expect("a refusal");
            assert!(refusal.starts_with("pipeline.jobs[0].id: "), "{refusal}");
            store.edit("Job id", |design| {
                design.pipeline.jobs[0].id = "lint-all".into()
            });
            assert_eq!(store.design.get().pipeline.jobs[0].id, "lint-all");
        });
    }

    #[test]
    fn a_fix_is_one_undoable_edit_in_the_finding_s_service() {
        let owner = Owner::new();
        owner.with(|| {
            let store = Store::new(three_services(), false);
            store.select_service(2);
            store.edit_service("Drop dockerignore", |service| {
                service.container.dockerignore.clear()
            });
            let found = finding(store, "DOCKER-003");
            assert_eq!(found.service.as_deref(), Some("site"));
            // The selection plays no part: the finding names its service.
            store.select_service(0);
            let changes = store.fix(&found).expect("the fix changes the design");
            assert_eq!(changes.settings.len(), 1);
            assert_eq!(
                changes.settings[0].path,
                "services[2].container.dockerignore"
            );
            assert!(changes
                .files
                .iter()
                .any(|file| file.path == "site/.dockerignore"));
            assert!(!has_finding(store, "DOCKER-003"));
            assert_eq!(
                store.undo_label().as_deref(),
                Some("Fix DOCKER-003 in site")
            );
            store.undo();
            assert!(has_finding(store, "DOCKER-003"));
            let design = store.design.get();
            assert!(design.services[2].container.dockerignore.is_empty());
            assert!(!design.services[0].container.dockerignore.is_empty());
        });
    }

    #[test]
    fn a_fix_s_preview_changes_nothing_and_tells_what_the_fix_will_change() {
        with_store(|store| {
            store.edit_service("Run as root", |service| service.container.user.uid = 0);
            let before = store.design.get();
            let found = finding(store, "DOCKER-001");
            let preview = store.preview_fix(&found);
            assert_eq!(store.design.get(), before);
            assert!(has_finding(store, "DOCKER-001"));
            assert!(preview.files.iter().any(|file| file.path == "Dockerfile"));
            assert_eq!(store.fix(&found), Some(preview));
        });
    }

    #[test]
    fn a_read_only_store_refuses_edits_but_takes_loads() {
        let owner = Owner::new();
        owner.with(|| {
            let mut design = presets::for_runtime(Runtime::Node);
            design.services[0].container.dockerignore.clear();
            let store = Store::new(design, true);
            store.edit("Rename", |design| design.project.name = "changed".into());
            store.edit_service("Rename", |service| service.name = "changed".into());
            assert_eq!(store.fix(&finding(store, "DOCKER-003")), None);
            assert!(has_finding(store, "DOCKER-003"));
            assert_ne!(store.design.get().project.name, "changed");
            assert_ne!(store.design.get().services[0].name, "changed");
            // Choosing which service to look at is not an edit.
            store.select_service(1);
            assert_eq!(store.service.get(), 1);
            store.load("Host", presets::for_runtime(Runtime::Go));
            assert_eq!(store.design.get().services[0].runtime, Runtime::Go);
            store.undo();
            assert_eq!(store.design.get().services[0].runtime, Runtime::Go);
        });
    }

    #[test]
    fn a_domain_edit_is_one_undo_step() {
        with_store(|store| {
            let before = store.design.get().services[0].clone();
            store.edit_service("Change Package manager", |service| {
                slipway_core::edits::set_package_manager(service, PackageManager::Pnpm)
            });
            assert_eq!(store.design.get().services[0].lockfile, "pnpm-lock.yaml");
            store.undo();
            assert_eq!(store.design.get().services[0], before);
        });
    }

    #[test]
    fn typing_is_one_undo_step() {
        with_store(|store| {
            let before = store.design.get().services[0].name.clone();
            for name in ["a", "ap", "api"] {
                store.edit_typing("Edit name", |design| {
                    service_of_mut(design, 0).name = name.into()
                });
            }
            store.end_typing();
            assert_eq!(store.design.get().services[0].name, "api");
            store.undo();
            assert_eq!(store.design.get().services[0].name, before);
        });
    }

    #[test]
    fn edits_and_fields_reach_the_selected_service_only() {
        let owner = Owner::new();
        owner.with(|| {
            let store = Store::new(three_services(), false);
            let fields = store.selected_service();
            let port = fields.get(|service| service.container.port);
            let set_port = fields.set(|service, port: u16| service.container.port = port);
            store.select_service(1);
            store.edit("Edit Port", |design| set_port(design, 9000));
            store.edit_service("Edit Port", |service| service.container.user.uid = 2000);
            let design = store.design.get();
            assert_eq!(design.services[1].container.port, 9000);
            assert_eq!(design.services[1].container.user.uid, 2000);
            assert_ne!(design.services[0].container.port, 9000);
            assert_ne!(design.services[2].container.port, 9000);
            assert_eq!(port(&design), 9000);
            assert_eq!(store.with_service(|service| service.name.clone()), "worker");
            store.select_service(0);
            assert_ne!(port(&store.design.get()), 9000);
        });
    }

    #[test]
    fn the_selection_stays_in_range_after_a_removal_an_undo_and_a_load() {
        let owner = Owner::new();
        owner.with(|| {
            let store = Store::new(three_services(), false);
            store.select_service(2);
            assert_eq!(store.selected.get(), 2);
            store.edit("Remove service site", |design| {
                design.services.pop();
            });
            assert_eq!(store.selected.get(), 1);
            assert_eq!(store.with_service(|service| service.name.clone()), "worker");
            // Edits go to the service shown, never past the end.
            store.edit_service("Edit Port", |service| service.container.port = 9100);
            assert_eq!(store.design.get().services[1].container.port, 9100);
            assert_eq!(store.design.get().services.len(), 2);
            store.undo();
            store.undo();
            assert_eq!(store.selected.get(), 2);
            store.load("Load preset Go", presets::for_runtime(Runtime::Go));
            assert_eq!(store.service.get(), 0);
            assert_eq!(store.selected.get(), 0);
            store.select_service(7);
            assert_eq!(store.selected.get(), 0);
            assert_eq!(service_of(&store.design.get(), 7).runtime, Runtime::Go);
        });
    }

    #[test]
    fn a_design_without_services_still_reads_and_edits_one() {
        let mut design = Design::default();
        design.services.clear();
        assert_eq!(service_of(&design, 3), &Service::default());
        service_of_mut(&mut design, 3).name = "api".into();
        assert_eq!(design.services.len(), 1);
        assert_eq!(design.services[0].name, "api");
        assert_eq!(clamp_service(5, 0), 0);
        assert_eq!(clamp_service(5, 3), 2);
        assert_eq!(clamp_service(1, 3), 1);
    }
}
