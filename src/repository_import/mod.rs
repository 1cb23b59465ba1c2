//! Start from your repository: a dropped or chosen folder, or a `.zip` of one, becomes the
//! design, with a report of what each file became. This view only gathers the files' bytes
//! (within the core's limits) and shows the result; the core decides what they mean. Nothing
//! leaves the browser, and a failed import never touches the design.

use leptos::prelude::*;
use leptos::task::spawn_local;
use slipway_core::audit::repository::audit_import;
use slipway_core::audit::AuditFinding;
use slipway_core::import::repository::{
    self, files, Collector, FileReport, ImportReport, Limits, Outcome, RepositoryImport,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::findings::severity_class;
use crate::lazy_details::opens;
use crate::notices::{Notices, Tone};
use crate::preview::OpenRepositoryChanges;
use crate::state::Store;

stylance::import_crate_style!(style, "src/repository_import/repository_import.module.css");

/// The largest archive read; larger ones are refused before reading a byte.
const MAX_ZIP_BYTES: f64 = 128.0 * 1024.0 * 1024.0;
/// The look of this section's title, for the view's other section titles.
pub const TITLE_CLASS: &str = style::title;
const NOTICE_TOPIC: &str = "repository-import";
const HEADING_ID: &str = "repository-import-report";
const DROP_ID: &str = "repository-import-drop";

/// What the section says under its controls.
#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    /// An import is under way.
    Busy(String),
    Done(String),
    /// The import failed; the design is unchanged.
    Failed(String),
}

/// The report of the last import, until the next one or until cleared.
#[derive(Clone)]
struct Shown {
    name: String,
    report: ImportReport,
    /// The repository judged as a whole, filled in after the report is shown.
    judged: RwSignal<Option<Judged>>,
}

/// The findings of the repository's audit, by file, and those about it as a whole.
#[derive(Clone, Default)]
struct Judged {
    by_file: std::collections::HashMap<String, Vec<AuditFinding>>,
    whole: Vec<AuditFinding>,
}

impl Judged {
    /// The repository judged as `slipway lint PATH` judges it.
    fn of(repository: RepositoryImport) -> Self {
        let audit = audit_import(repository);
        let mut judged = Judged {
            whole: audit.whole,
            ..Judged::default()
        };
        for file in audit.files {
            if let Ok(findings) = file.result {
                judged.by_file.insert(file.path, findings);
            }
        }
        judged
    }
}

/// A repository the user gave, before its files are read.
enum Pending {
    /// The files of a chosen folder (`<input webkitdirectory>`).
    Chosen(Vec<web_sys::File>),
    /// A folder dropped on the drop zone.
    Dropped(web_sys::FileSystemDirectoryEntry),
    Zip(web_sys::File),
}

/// A file of a folder, as the browser handed it over.
enum Candidate {
    File(web_sys::File),
    Entry(web_sys::FileSystemFileEntry),
}

/// The repository of the last import: its name and every file the import read, so the Files
/// view can show what an export would change in it. Kept in memory for this tab only (never
/// saved); a later import replaces it and [`ImportedRepository::forget`] drops it.
#[derive(Clone, Copy)]
pub struct ImportedRepository(pub RwSignal<Option<Imported>>);

/// What [`ImportedRepository`] keeps of one import.
#[derive(Clone, PartialEq)]
pub struct Imported {
    /// The repository's name (its folder's or archive's).
    pub name: String,
    /// Every file the import read, as (path, text): what an export is compared with.
    pub sources: std::sync::Arc<[(String, String)]>,
}

impl ImportedRepository {
    pub fn new() -> Self {
        ImportedRepository(RwSignal::new(None))
    }

    pub fn forget(self) {
        self.0.set(None);
    }
}

impl Default for ImportedRepository {
    fn default() -> Self {
        Self::new()
    }
}

/// Shows this section from anywhere (the "Start from…" menu): switches to the view that holds
/// it; the section then takes the focus.
#[derive(Clone, Copy)]
pub struct OpenRepositoryImport(pub Callback<()>);

impl OpenRepositoryImport {
    /// Opens the section and puts the focus on its drop zone once it is shown.
    pub fn open(self) {
        self.0.run(());
        leptos::prelude::set_timeout(|| focus(DROP_ID), std::time::Duration::ZERO);
    }
}

#[component]
pub fn RepositoryImport() -> impl IntoView {
    let store = expect_context::<Store>();
    let notices = expect_context::<Notices>();
    let imported = use_context::<ImportedRepository>();
    let status = RwSignal::new(Status::Idle);
    let shown = RwSignal::new(None::<Shown>);
    let dragging = RwSignal::new(false);
    // Only the latest import may report; an earlier one still reading is ignored.
    let generation = StoredValue::new(0u64);
    let folder_input = NodeRef::<leptos::html::Input>::new();
    let zip_input = NodeRef::<leptos::html::Input>::new();
    // `webkitdirectory` has no attribute in the view macro: set the property once mounted.
    Effect::new(move |_| {
        if let Some(input) = folder_input.get() {
            input.set_webkitdirectory(true);
        }
    });
    let busy = move || matches!(status.get(), Status::Busy(_));

    let run = move |pending: Pending| {
        let id = generation.get_value() + 1;
        generation.set_value(id);
        shown.set(None);
        status.set(Status::Busy("Looking at the files…".to_owned()));
        spawn_local(async move {
            let progress = move |message: String| {
                if generation.get_value() == id {
                    status.set(Status::Busy(message));
                }
            };
            let outcome = import(pending, progress).await;
            if generation.get_value() != id {
                return;
            }
            match outcome {
                Ok((name, repository)) => {
                    let services = count(repository.design.services.len(), "service");
                    let jobs = count(repository.design.pipeline.jobs.len(), "job");
                    store.load(
                        &format!("Import repository {name}"),
                        repository.design.clone(),
                    );
                    if let Some(imported) = imported {
                        imported.0.set(Some(Imported {
                            name: name.clone(),
                            sources: repository.sources.clone().into(),
                        }));
                    }
                    notices.show(
                        Tone::Info,
                        NOTICE_TOPIC,
                        format!(
                            "Imported {name}: {services}, {jobs}. Undo restores your previous design."
                        ),
                        Vec::new(),
                    );
                    status.set(Status::Done(format!(
                        "Imported {name}. The report is below."
                    )));
                    let judged = RwSignal::new(None);
                    shown.set(Some(Shown {
                        name,
                        report: repository.report.clone(),
                        judged,
                    }));
                    request_animation_frame(|| focus(HEADING_ID));
                    // The audit of every file follows once the design and report are shown,
                    // on the import itself (nothing is read or imported again).
                    leptos::prelude::set_timeout(
                        move || {
                            if generation.get_value() == id {
                                judged.set(Some(Judged::of(repository)));
                            }
                        },
                        std::time::Duration::from_millis(50),
                    );
                }
                Err(problem) => status.set(Status::Failed(problem)),
            }
        });
    };

    let on_folder = move |_: leptos::ev::Event| {
        let Some(input) = folder_input.get_untracked() else {
            return;
        };
        let Some(list) = input.files() else { return };
        let chosen: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        if !chosen.is_empty() {
            run(Pending::Chosen(chosen));
        }
    };
    let on_zip = move |_: leptos::ev::Event| {
        let Some(input) = zip_input.get_untracked() else {
            return;
        };
        let file = input.files().and_then(|list| list.get(0));
        input.set_value("");
        if let Some(file) = file {
            run(Pending::Zip(file));
        }
    };
    let on_drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if busy() {
            return;
        }
        let Some(transfer) = event.data_transfer() else {
            return;
        };
        // The items are only readable during the event: take what is needed now.
        match dropped(&transfer) {
            Ok(pending) => run(pending),
            Err(problem) => status.set(Status::Failed(problem)),
        }
    };
    let on_drag_over = move |event: web_sys::DragEvent| {
        event.prevent_default();
        if let Some(transfer) = event.data_transfer() {
            transfer.set_drop_effect("copy");
        }
        dragging.set(true);
    };
    let open_picker = move |input: NodeRef<leptos::html::Input>| {
        if let Some(input) = input.get_untracked() {
            input.click();
        }
    };
    let clear = move |_| {
        shown.set(None);
        status.set(Status::Idle);
        focus(DROP_ID);
    };

    if store.read_only {
        return view! {
            <section class=style::section aria-labelledby="repository-import-title" data-testid="repository-import">
                <h2 id="repository-import-title" class=style::title>"Start from your repository"</h2>
                <p class=style::hint>"This design is read-only here, so an import cannot replace it."</p>
            </section>
        }
        .into_any();
    }

    view! {
        <section class=style::section aria-labelledby="repository-import-title" data-testid="repository-import">
            <h2 id="repository-import-title" class=style::title>"Start from your repository"</h2>
            <p class=style::hint>
                "Give Slipway your repository's folder or a .zip of it: its Dockerfiles, compose files, Helm charts, Railway configs and workflows become a design, with a report of what each file became. The files are read in this browser and never uploaded. Undo brings your current design back."
            </p>
            <button
                type="button"
                id=DROP_ID
                class=style::drop
                data-testid="repo-drop"
                data-dragging=move || dragging.get().to_string()
                aria-describedby="repository-import-status"
                // Not `disabled`: a disabled button gets no drag events, and a file dropped
                // there would open in the tab instead.
                aria-disabled=move || busy().to_string()
                on:click=move |_| {
                    if !busy() {
                        open_picker(folder_input);
                    }
                }
                on:dragenter=move |event: web_sys::DragEvent| {
                    event.prevent_default();
                    dragging.set(true);
                }
                on:dragover=on_drag_over
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <span class=style::drop_main>"Drop a repository folder or a .zip here"</span>
                <span class=style::drop_sub>"or press to choose a folder"</span>
            </button>
            <div class=style::choices>
                <button type="button" data-testid="repo-choose-folder" disabled=busy on:click=move |_| open_picker(folder_input)>
                    "Choose folder…"
                </button>
                <button type="button" data-testid="repo-choose-zip" disabled=busy on:click=move |_| open_picker(zip_input)>
                    "Choose .zip…"
                </button>
                <input
                    type="file"
                    class=style::visually_hidden
                    tabindex="-1"
                    aria-hidden="true"
                    multiple=true
                    data-testid="repo-folder-input"
                    node_ref=folder_input
                    on:change=on_folder
                />
                <input
                    type="file"
                    class=style::visually_hidden
                    tabindex="-1"
                    aria-hidden="true"
                    accept=".zip,application/zip"
                    data-testid="repo-zip-input"
                    node_ref=zip_input
                    on:change=on_zip
                />
            </div>
            <p id="repository-import-status" class=style::status role="status" aria-live="polite" data-testid="repo-status">
                {move || match status.get() {
                    Status::Busy(message) | Status::Done(message) => message,
                    Status::Idle | Status::Failed(_) => String::new(),
                }}
            </p>
            {move || match status.get() {
                Status::Failed(problem) => Some(view! {
                    <p class=style::error role="alert" data-testid="repo-error">
                        {format!("Not imported, your design is unchanged: {problem}")}
                    </p>
                }),
                _ => None,
            }}
            {move || shown.get().map(|shown| view! { <Report shown on_clear=clear /> })}
        </section>
    }
    .into_any()
}

/// The report of one import: the summary, each file read, and the files left out.
#[component]
fn Report(shown: Shown, on_clear: impl Fn(leptos::ev::MouseEvent) + 'static) -> impl IntoView {
    let Shown {
        name,
        report,
        judged,
    } = shown;
    let changes = use_context::<OpenRepositoryChanges>();
    let imported = use_context::<ImportedRepository>();
    let summary = report.summary();
    let skipped = report.skipped;
    // A few files with gaps open at once; a large repository's report stays folded (its
    // entries are built when a file is opened), so it shows as fast as a small one.
    let with_gaps = report
        .files
        .iter()
        .filter(|file| file.count(Outcome::NotMapped) > 0)
        .count();
    let open_gaps = with_gaps <= OPEN_FILES_WITH_GAPS;
    view! {
        <div class=style::report data-testid="repo-report">
            <div class=style::report_head>
                <h3 id=HEADING_ID tabindex="-1">{format!("What became of {name}")}</h3>
                <div class=style::report_actions>
                    {changes.map(|open| view! {
                        <Show when=move || imported.is_some_and(|imported| imported.0.with(Option::is_some))>
                            <button
                                type="button"
                                class=style::link_button
                                data-testid="repo-see-changes"
                                title="The Files view compares your edited design with the files read from the repository (kept in this tab only)"
                                on:click=move |_| open.open()
                            >
                                "See the changes to your repository"
                            </button>
                        </Show>
                    })}
                    <button type="button" data-testid="repo-clear" on:click=on_clear>"Clear report"</button>
                </div>
            </div>
            <p class=style::summary data-testid="repo-summary">{summary}</p>
            {(!open_gaps).then(|| view! {
                <p class=style::summary data-testid="repo-gaps-note">
                    {format!("{with_gaps} files have parts that did not map: open a file to see them.")}
                </p>
            })}
            <div class=style::files>
                {report
                    .files
                    .into_iter()
                    .map(|file| {
                        let open = file.error.is_some()
                            || (open_gaps && file.count(Outcome::NotMapped) > 0);
                        let path = file.path.clone();
                        let findings = Signal::derive(move || {
                            judged.with(|judged| {
                                judged.as_ref().map(|judged| {
                                    judged.by_file.get(&path).cloned().unwrap_or_default()
                                })
                            })
                        });
                        view! { <FileBlock file open findings /> }
                    })
                    .collect_view()}
            </div>
            {move || judged.with(|judged| {
                judged.as_ref().filter(|judged| !judged.whole.is_empty()).map(|judged| {
                    let whole = judged.whole.clone();
                    view! {
                        <section class=style::whole data-testid="repo-whole">
                            <h4 class=style::skipped_title>
                                {format!("The repository as a whole ({})", whole.len())}
                            </h4>
                            <FindingList findings=whole />
                        </section>
                    }
                })
            })}
            {(!skipped.is_empty()).then(|| view! {
                <h4 class=style::skipped_title>{format!("Not read ({})", skipped.len())}</h4>
                <ul class=style::skipped>
                    {skipped
                        .into_iter()
                        .map(|item| view! {
                            <li data-testid="repo-skipped" data-path=item.path.clone()>
                                <code class=style::path>{item.path.clone()}</code>" · "{item.reason}
                            </li>
                        })
                        .collect_view()}
                </ul>
            })}
        </div>
    }
}

/// Files with unmapped parts that open by default; beyond this many, only unreadable ones do.
const OPEN_FILES_WITH_GAPS: usize = 20;

/// One file read, open when `open` (the report decides); its entries are built when it is
/// first opened.
#[component]
fn FileBlock(
    file: FileReport,
    open: bool,
    /// The file's findings once the repository is judged (`None` until then).
    findings: Signal<Option<Vec<AuditFinding>>>,
) -> impl IntoView {
    let mapped = file.count(Outcome::Mapped);
    let not_mapped = file.count(Outcome::NotMapped);
    let opened = RwSignal::new(open);
    let FileReport {
        path,
        role,
        error,
        entries,
        ..
    } = file;
    view! {
        <details
            class=style::file
            open=open
            data-testid="repo-file"
            data-path=path.clone()
            on:toggle=move |event| {
                if opens(&event) {
                    opened.set(true);
                }
            }
        >
            <summary>
                <code class=style::path>{path.clone()}</code>
                <span class=style::role>{role}</span>
                <span class=style::counts>
                    {format!("{mapped} mapped · {not_mapped} not mapped")}
                </span>
                {error.is_some().then(|| view! { <span class=style::unreadable_tag>"unreadable"</span> })}
                {move || findings.get().filter(|found| !found.is_empty()).map(|found| view! {
                    <span class=style::counts data-testid="repo-file-findings">
                        {format!(" · {}", count(found.len(), "finding"))}
                    </span>
                })}
            </summary>
            {move || opened.get().then(|| findings.get().filter(|found| !found.is_empty()).map(|found| view! {
                <FindingList findings=found />
            }))}
            {error.map(|error| view! {
                <p class=style::error data-testid="repo-file-error">{format!("Unreadable: {error}")}</p>
            })}
            <ul class=style::entries>
                {move || opened.get().then(|| entries
                    .clone()
                    .into_iter()
                    .map(|entry| {
                        let (label, class, outcome) = match entry.outcome {
                            Outcome::Mapped => ("mapped", style::mapped, "mapped"),
                            Outcome::NotMapped => ("not mapped", style::not_mapped, "not-mapped"),
                        };
                        let at = entry
                            .line
                            .map_or_else(|| "whole file".to_owned(), |line| format!("line {line}"));
                        view! {
                            <li class=class data-testid="repo-entry" data-outcome=outcome>
                                <span class=style::at>{at}</span>
                                " · "
                                <span class=style::outcome>{label}</span>
                                " · "
                                <span>{entry.text}</span>
                            </li>
                        }
                    })
                    .collect_view())}
            </ul>
        </details>
    }
}

/// Findings of the repository's audit, each with its line, rule, severity and message.
#[component]
fn FindingList(findings: Vec<AuditFinding>) -> impl IntoView {
    view! {
        <ul class=style::findings>
            {findings
                .into_iter()
                .map(|AuditFinding { finding, line }| {
                    let at = line.map_or_else(|| "whole file".to_owned(), |line| format!("line {line}"));
                    view! {
                        <li data-testid="repo-finding" data-rule=finding.rule>
                            <span class=style::at>{at}</span>
                            " · "
                            <span class=severity_class(finding.severity)>{finding.severity.id()}</span>
                            " "
                            <strong>{finding.rule}</strong>
                            " "
                            {finding.title}
                            ": "
                            {finding.message}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// What was dropped, if it is one folder or one `.zip` file.
fn dropped(transfer: &web_sys::DataTransfer) -> Result<Pending, String> {
    let items = transfer.items();
    let refused = "Drop one folder or one .zip file.".to_owned();
    if items.length() != 1 {
        return Err(refused);
    }
    let Some(item) = items.get(0).filter(|item| item.kind() == "file") else {
        return Err(refused);
    };
    if let Some(entry) = item.webkit_get_as_entry().ok().flatten() {
        if entry.is_directory() {
            return Ok(Pending::Dropped(entry.unchecked_into()));
        }
    }
    match item.get_as_file().ok().flatten() {
        Some(file) if is_zip(&file) => Ok(Pending::Zip(file)),
        Some(file) => Err(format!(
            "{} is neither a folder nor a .zip file. Drop one folder or one .zip file.",
            file.name()
        )),
        None => Err(refused),
    }
}

fn is_zip(file: &web_sys::File) -> bool {
    file.name().to_ascii_lowercase().ends_with(".zip")
        || matches!(
            file.type_().as_str(),
            "application/zip" | "application/x-zip-compressed"
        )
}

/// Reads what the user gave and imports it: the repository's name and the import, or why not.
async fn import(
    pending: Pending,
    progress: impl Fn(String),
) -> Result<(String, RepositoryImport), String> {
    let limits = Limits::default();
    let (name, collector) = match pending {
        Pending::Zip(file) => {
            let (collector, top) = read_zip(&file, limits, &progress).await?;
            let name = top.unwrap_or_else(|| {
                let file_name = file.name();
                let stem = file_name
                    .strip_suffix(".zip")
                    .or_else(|| file_name.strip_suffix(".ZIP"))
                    .unwrap_or(&file_name);
                files::repository_name(stem)
            });
            (name, collector)
        }
        Pending::Chosen(chosen) => {
            let (name, candidates, collector) = chosen_files(chosen, limits);
            (name, read_files(candidates, collector, &progress).await)
        }
        Pending::Dropped(folder) => {
            let name = files::repository_name(&folder.name());
            progress(format!("Looking through {name}…"));
            let (candidates, collector) = walk(folder, limits).await;
            (name, read_files(candidates, collector, &progress).await)
        }
    };
    progress(format!("Importing {name}…"));
    Ok((name.clone(), repository::import(&name, collector)))
}

/// The files of a chosen folder at their paths from it, and the folder's name (the first
/// segment of each file's `webkitRelativePath`).
fn chosen_files(
    chosen: Vec<web_sys::File>,
    limits: Limits,
) -> (String, Vec<(String, Candidate)>, Collector) {
    let mut collector = Collector::new(limits);
    let mut folder = None::<String>;
    let mut candidates = Vec::new();
    for file in chosen {
        let relative = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
            .ok()
            .and_then(|value| value.as_string())
            .filter(|path| !path.is_empty())
            .unwrap_or_else(|| file.name());
        let path = match relative.split_once('/') {
            Some((top, rest)) => {
                folder.get_or_insert_with(|| top.to_owned());
                rest.to_owned()
            }
            None => relative,
        };
        if !collector.enter(&path) {
            break;
        }
        if files::is_read(&path) {
            candidates.push((path, Candidate::File(file)));
        }
    }
    let name = files::repository_name(folder.as_deref().unwrap_or("repository"));
    (name, candidates, collector)
}

/// Walks a dropped folder, never entering the folders the import ignores: the files the import
/// reads, at their paths from the folder.
async fn walk(
    root: web_sys::FileSystemDirectoryEntry,
    limits: Limits,
) -> (Vec<(String, Candidate)>, Collector) {
    let mut collector = Collector::new(limits);
    let mut candidates = Vec::new();
    let mut pending = vec![(root, String::new())];
    while let Some((folder, prefix)) = pending.pop() {
        let reader = folder.create_reader();
        // readEntries hands the listing over in batches until it returns an empty one.
        loop {
            let batch = match read_entries(&reader).await {
                Ok(batch) => batch,
                Err(problem) => {
                    let at = if prefix.is_empty() { "." } else { &prefix };
                    collector.skip(at, format!("the folder cannot be read ({problem})"));
                    break;
                }
            };
            if batch.is_empty() {
                break;
            }
            for entry in batch {
                let name = entry.name();
                let path = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}/{name}")
                };
                if !collector.enter(&path) {
                    return (candidates, collector);
                }
                if entry.is_directory() {
                    if !files::is_ignored_folder(&name) {
                        pending.push((entry.unchecked_into(), path));
                    }
                } else if entry.is_file() && files::is_read(&path) {
                    candidates.push((path, Candidate::Entry(entry.unchecked_into())));
                }
            }
        }
    }
    (candidates, collector)
}

/// Reads each candidate the collector wants, in order, and hands its bytes over.
async fn read_files(
    mut candidates: Vec<(String, Candidate)>,
    mut collector: Collector,
    progress: &impl Fn(String),
) -> Collector {
    candidates.sort_by(|a, b| a.0.cmp(&b.0));
    progress(format!("Reading {}…", count(candidates.len(), "file")));
    // Every wanted file's read starts before the first is awaited: the browser reads them
    // concurrently, and the collector's limits were applied when each was asked for.
    let mut reads: Vec<(String, JsFuture)> = Vec::new();
    for (path, candidate) in candidates {
        let file = match candidate {
            Candidate::File(file) => Ok(file),
            Candidate::Entry(entry) => entry_file(&entry).await,
        };
        let file = match file {
            Ok(file) => file,
            Err(problem) => {
                collector.skip(&path, format!("cannot be read: {problem}"));
                continue;
            }
        };
        if !collector.wants(&path, file.size() as u64) {
            continue;
        }
        reads.push((path, JsFuture::from(file.array_buffer())));
    }
    for (path, read) in reads {
        match read.await {
            Ok(buffer) => collector.add(&path, &js_sys::Uint8Array::new(&buffer).to_vec()),
            Err(error) => collector.skip(&path, format!("cannot be read: {}", describe(&error))),
        }
    }
    collector
}

/// Reads a `.zip` (refused above [`MAX_ZIP_BYTES`] before reading) into a collector.
async fn read_zip(
    file: &web_sys::File,
    limits: Limits,
    progress: &impl Fn(String),
) -> Result<(Collector, Option<String>), String> {
    let size = file.size();
    if size > MAX_ZIP_BYTES {
        return Err(format!(
            "{} is {:.1} MB; Slipway reads archives up to {} MB",
            file.name(),
            size / (1024.0 * 1024.0),
            MAX_ZIP_BYTES / (1024.0 * 1024.0)
        ));
    }
    progress(format!("Reading {}…", file.name()));
    let bytes = read_bytes(file)
        .await
        .map_err(|problem| format!("{} cannot be read: {problem}", file.name()))?;
    progress(format!("Unpacking {}…", file.name()));
    files::from_zip(&bytes, limits).map_err(|error| format!("{}: {error}", file.name()))
}

async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|error| describe(&error))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// One batch of a folder's listing (empty once it is all read).
async fn read_entries(
    reader: &web_sys::FileSystemDirectoryReader,
) -> Result<Vec<web_sys::FileSystemEntry>, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        if let Err(error) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
            let _ = reject.call1(&JsValue::NULL, &error);
        }
    });
    let batch = JsFuture::from(promise)
        .await
        .map_err(|error| describe(&error))?;
    Ok(js_sys::Array::from(&batch)
        .iter()
        .map(JsCast::unchecked_into)
        .collect())
}

async fn entry_file(entry: &web_sys::FileSystemFileEntry) -> Result<web_sys::File, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|error| describe(&error))
}

/// `1 service`, `4 services`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn focus(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
