//! "Changes to `repository`": what exporting the current design would change in the repository
//! last imported, file by file, and the whole of it as a patch `git apply` accepts. The core
//! makes the patch (`slipway_core::patch::against`); this panel only shows and saves it.

use leptos::prelude::*;
use slipway_core::patch::{self, FileChange, FilePatch, RepositoryPatch};
use wasm_bindgen::JsCast;

use crate::download;
use crate::lazy_details::LazyDetails;
use crate::repository_import::{Imported, ImportedRepository};
use crate::state::Store;

stylance::import_crate_style!(style, "src/preview/changes.module.css");

const HEADING_ID: &str = "repository-changes-title";

/// Shows the changes panel from anywhere (the import report's link): switches to the Files
/// view; the panel's heading then takes the focus.
#[derive(Clone, Copy)]
pub struct OpenRepositoryChanges(pub Callback<()>);

impl OpenRepositoryChanges {
    pub fn open(self) {
        self.0.run(());
        leptos::prelude::set_timeout(|| focus_element(HEADING_ID), std::time::Duration::ZERO);
    }
}

/// The panel, while a repository is kept; nothing otherwise.
#[component]
pub fn RepositoryChanges() -> impl IntoView {
    let imported = use_context::<ImportedRepository>();
    move || {
        let imported = imported?;
        // Rebuilt only when another repository is kept, not at every edit.
        let kept = imported
            .0
            .with(|kept| kept.as_ref().map(|kept| kept.name.clone()))?;
        Some(view! { <Panel imported name=kept /> })
    }
}

#[component]
fn Panel(imported: ImportedRepository, name: String) -> impl IntoView {
    let store = expect_context::<Store>();
    // The file list may be waiting for typing to pause: compare what the design is now.
    store.settle();
    let patch = Memo::new(move |_| {
        let sources = imported
            .0
            .with(|kept| kept.as_ref().map(|kept| kept.sources.clone()))?;
        Some(store.bundle.with(|bundle| patch::against(bundle, &sources)))
    });
    let download_error = RwSignal::new(None::<String>);
    let file_name = format!("{name}-slipway.patch");

    let save = {
        let file_name = file_name.clone();
        move |_| {
            store.settle();
            let Some(Imported { sources, .. }) = imported.0.get_untracked() else {
                return;
            };
            let text = store
                .bundle
                .with_untracked(|bundle| patch::against(bundle, &sources).unified());
            let result = download::save(&file_name, "text/x-diff", text.as_bytes());
            download_error.set(
                result
                    .err()
                    .map(|error| format!("Download failed: {error:?}")),
            );
        }
    };
    let forget = move |_| {
        imported.forget();
        // The panel is gone: the focus goes back to the view's tab.
        leptos::prelude::set_timeout(
            || focus_element("view-tab-files"),
            std::time::Duration::ZERO,
        );
    };
    let empty = move || patch.with(|patch| patch.as_ref().is_none_or(RepositoryPatch::is_empty));
    let hint = format!("Apply it in your repository with: git apply {file_name}");

    view! {
        <section class=style::panel aria-labelledby=HEADING_ID data-testid="repo-changes">
            <div class=style::head>
                <h2 id=HEADING_ID class=style::title tabindex="-1">{format!("Changes to {name}")}</h2>
                <div class=style::actions>
                    <button
                        type="button"
                        class=style::primary
                        data-testid="download-patch"
                        disabled=empty
                        title=move || if empty() { "The export would change nothing in the repository" } else { "Save the changes as a unified diff" }
                        on:click=save
                    >
                        "Download patch"
                    </button>
                    <button
                        type="button"
                        data-testid="forget-repository"
                        title="Drop the repository's files from this tab"
                        on:click=forget
                    >
                        "Forget"
                    </button>
                </div>
            </div>
            <p class=style::summary data-testid="patch-summary">
                {move || patch.with(|patch| patch.as_ref().map(RepositoryPatch::summary))}
            </p>
            <p class=style::hint>
                <span data-testid="patch-hint">{hint}</span>
                " · Compared with the files read when you imported "{name.clone()}
                ", kept in this tab only. The patch never deletes a file."
            </p>
            {move || download_error.get().map(|error| view! { <p class=style::error role="alert">{error}</p> })}
            <Files patch />
        </section>
    }
}

/// One row per file the export writes or lists; the unchanged ones are only counted.
#[component]
fn Files(patch: Memo<Option<RepositoryPatch>>) -> impl IntoView {
    let unchanged = move || {
        patch.with(|patch| {
            patch.as_ref().map_or(0, |patch| {
                patch
                    .files
                    .iter()
                    .filter(|file| file.change == FileChange::Unchanged)
                    .count()
            })
        })
    };
    let rows = move || {
        patch.with(|patch| {
            patch
                .iter()
                .flat_map(|patch| &patch.files)
                .filter(|file| file.change != FileChange::Unchanged)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <ul class=style::files aria-label="Files the export changes">
            // Keyed by path and what is shown: an edit redraws only the rows it changed, and
            // an opened diff stays open while its file does not change.
            <For
                each=rows
                key=|file| (file.path.clone(), fingerprint(file))
                let:file
            >
                <Row file />
            </For>
        </ul>
        <p class=style::unchanged data-testid="patch-unchanged">
            {move || match unchanged() {
                0 => "No file is unchanged.".to_owned(),
                1 => "1 unchanged file, not listed.".to_owned(),
                n => format!("{n} unchanged files, not listed."),
            }}
        </p>
    }
}

#[component]
fn Row(file: FilePatch) -> impl IntoView {
    let FilePatch {
        path,
        change,
        added,
        removed,
        diff,
    } = file;
    let (label, id) = match &change {
        FileChange::New => ("new".to_owned(), "new"),
        FileChange::Changed => ("changed".to_owned(), "changed"),
        FileChange::Unchanged => ("unchanged".to_owned(), "unchanged"),
        FileChange::NoLongerGenerated => (
            "no longer generated — kept".to_owned(),
            "no-longer-generated",
        ),
        FileChange::Refused(reason) => (format!("refused: {reason}"), "refused"),
    };
    let counts = matches!(change, FileChange::New | FileChange::Changed)
        .then(|| format!("+{added} −{removed}"));
    // Drawn when first opened: a new README's diff is hundreds of lines.
    let body = (!diff.is_empty()).then(|| {
        let diff = StoredValue::new(diff);
        view! {
            <LazyDetails class=style::diff_toggle testid="patch-diff-toggle" summary="Diff">
                {move || diff.with_value(|diff| diff_lines(diff))}
            </LazyDetails>
        }
    });
    view! {
        <li class=style::row data-testid="patch-file" data-path=path.clone() data-change=id>
            <div class=style::line>
                <code class=style::path>{path.clone()}</code>
                <span class=style::status data-change=id data-testid="patch-status">{label}</span>
                {counts.map(|counts| view! { <span class=style::counts data-testid="patch-counts">{counts}</span> })}
            </div>
            {body}
        </li>
    }
}

/// What a row shows of a file, as one number: a row is redrawn when it changes.
fn fingerprint(file: &FilePatch) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{:?}", file.change).hash(&mut hasher);
    (file.added, file.removed).hash(&mut hasher);
    file.diff.hash(&mut hasher);
    hasher.finish()
}

/// A file's section of the unified diff, one line per line, each with its `+`, `-` or space.
fn diff_lines(diff: &str) -> impl IntoView {
    let mut in_hunk = false;
    let lines = diff
        .lines()
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let class = if line.starts_with("@@") {
                in_hunk = true;
                style::hunk
            } else if !in_hunk {
                style::meta
            } else if line.starts_with('+') {
                style::added
            } else if line.starts_with('-') {
                style::removed
            } else if line.starts_with('\\') {
                style::meta
            } else {
                style::context
            };
            view! { <span class=class>{format!("{line}\n")}</span> }
        })
        .collect_view();
    view! {
        <pre class=style::diff data-testid="patch-diff"><code>{lines}</code></pre>
    }
}

fn focus_element(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}
