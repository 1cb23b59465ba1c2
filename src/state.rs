//! The design store: the single source of truth of the app.
//!
//! The history holds the design; findings and generated files are memos derived from it, so
//! views never keep copies that could drift. Every change goes through [`Store::edit`] (or its
//! typing and loading variants), which makes it undoable.

use leptos::prelude::*;
use slipway_core::facts::limits;
use slipway_core::generate::generate_with_findings;
use slipway_core::history::History;
use slipway_core::rules::{self, Finding};
use slipway_core::{Bundle, Design};

#[derive(Clone, Copy)]
pub struct Store {
    history: RwSignal<History<Design>>,
    /// The current design.
    pub design: Memo<Design>,
    /// Findings of the current design, most severe first.
    pub findings: Memo<Vec<Finding>>,
    /// Every generated file of the current design.
    pub bundle: Memo<Bundle>,
    /// A view-only session (`?readonly`): the user's edits, fixes, undo and redo are refused;
    /// a host page may still load designs.
    pub read_only: bool,
    /// Why the latest edit was not applied: it gave a name longer than the files it ends up
    /// in can hold (`facts::limits`), so the design would not load again.
    pub refusal: RwSignal<Option<String>>,
}

impl Store {
    /// A store starting at `initial`; the user's edits are refused when `read_only`.
    pub fn new(initial: Design, read_only: bool) -> Self {
        let history = RwSignal::new(History::new(initial).with_guard(limits::refusal));
        let design = Memo::new(move |_| history.with(|history| history.present().clone()));
        let findings = Memo::new(move |_| design.with(rules::check));
        let bundle = Memo::new(move |_| {
            design.with(|design| findings.with(|findings| generate_with_findings(design, findings)))
        });
        Store {
            history,
            design,
            findings,
            bundle,
            read_only,
            refusal: RwSignal::new(None),
        }
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
        self.history.update(|history| {
            history.apply_merging(label, edit);
        });
        self.report_refusal();
    }

    /// Closes the current typing step (the field lost focus).
    pub fn end_typing(&self) {
        self.history.update_untracked(History::seal);
    }

    /// Replaces the whole design (a preset or an imported file), undoably.
    pub fn load(&self, label: &str, design: Design) {
        self.history.update(|history| {
            history.replace(label, design);
        });
    }

    /// Applies the fix of `rule_id` as one undoable edit.
    pub fn fix(&self, rule_id: &str) {
        self.edit(&format!("Fix {rule_id}"), |design| {
            rules::apply_fix(design, rule_id);
        });
    }

    pub fn undo(&self) {
        if self.read_only {
            return;
        }
        self.history.update(|history| {
            history.undo();
        });
    }

    pub fn redo(&self) {
        if self.read_only {
            return;
        }
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
                typed.project.name.push('-');
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

    fn has_finding(store: Store, rule: &str) -> bool {
        store
            .findings
            .with(|findings| findings.iter().any(|f| f.rule == rule))
    }

    #[test]
    fn findings_and_files_follow_edits_and_undo() {
        with_store(|store| {
            assert!(!has_finding(store, "DOCKER-001"));
            store.edit("Run as root", |design| design.container.user.uid = 0);
            assert!(has_finding(store, "DOCKER-001"));
            let dockerfile = store
                .bundle
                .with(|b| b.file("Dockerfile").unwrap().contents.clone());
            assert!(dockerfile.contains("USER root"));
            store.undo();
            assert!(!has_finding(store, "DOCKER-001"));
            store.redo();
            assert!(has_finding(store, "DOCKER-001"));
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
    fn a_fix_is_one_undoable_edit() {
        with_store(|store| {
            store.edit("Drop dockerignore", |design| {
                design.container.dockerignore.clear()
            });
            assert!(has_finding(store, "DOCKER-003"));
            store.fix("DOCKER-003");
            assert!(!has_finding(store, "DOCKER-003"));
            assert_eq!(store.undo_label().as_deref(), Some("Fix DOCKER-003"));
            store.undo();
            assert!(has_finding(store, "DOCKER-003"));
        });
    }

    #[test]
    fn a_read_only_store_refuses_edits_but_takes_loads() {
        let owner = Owner::new();
        owner.with(|| {
            let store = Store::new(presets::for_runtime(Runtime::Node), true);
            store.edit("Rename", |design| design.project.name = "changed".into());
            store.fix("DOCKER-003");
            assert_ne!(store.design.get().project.name, "changed");
            store.load("Host", presets::for_runtime(Runtime::Go));
            assert_eq!(store.design.get().project.runtime, Runtime::Go);
            store.undo();
            assert_eq!(store.design.get().project.runtime, Runtime::Go);
        });
    }

    #[test]
    fn a_domain_edit_is_one_undo_step() {
        with_store(|store| {
            let before = store.design.get().project.clone();
            store.edit("Change Package manager", |design| {
                slipway_core::edits::set_package_manager(design, PackageManager::Pnpm)
            });
            assert_eq!(store.design.get().project.lockfile, "pnpm-lock.yaml");
            store.undo();
            assert_eq!(store.design.get().project, before);
        });
    }

    #[test]
    fn typing_is_one_undo_step() {
        with_store(|store| {
            for name in ["a", "ap", "api"] {
                store.edit_typing("Edit name", |design| design.project.name = name.into());
            }
            store.end_typing();
            assert_eq!(store.design.get().project.name, "api");
            store.undo();
            assert_eq!(store.design.get().project.name, "app");
        });
    }
}
