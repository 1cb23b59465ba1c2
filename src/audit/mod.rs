//! Audit mode: paste or drop an existing Dockerfile, .dockerignore, GitHub workflow,
//! railway.json, Helm values file or design and see the findings of the rules about it, with
//! line numbers. Nothing here touches the design being edited.

use leptos::prelude::*;
use slipway_core::audit::{self, Audit};
use slipway_core::io::{LoadError, MAX_DESIGN_BYTES};
use slipway_core::rules;
use wasm_bindgen::JsCast;

use crate::findings::severity_class;
use crate::persistence::browser;
use crate::repository_import::{RepositoryImport, TITLE_CLASS};
use crate::rules_view::RuleDocs;

stylance::import_crate_style!(style, "src/audit/audit.module.css");

/// The file to audit, as the user gave it.
#[derive(Clone, Default)]
struct Input {
    name: String,
    text: String,
    /// Why the last file or paste was refused before reading it (too large, unreadable).
    refused: Option<String>,
}

#[component]
pub fn AuditView() -> impl IntoView {
    let input = RwSignal::new(Input::default());
    let result = Memo::new(move |_| {
        input.with(|input| {
            if let Some(problem) = &input.refused {
                return Some(Err(problem.clone()));
            }
            (!input.text.trim().is_empty()).then(|| {
                let name = if input.name.trim().is_empty() {
                    "pasted"
                } else {
                    input.name.trim()
                };
                audit::audit(name, &input.text).map_err(|error: LoadError| error.to_string())
            })
        })
    });
    let on_file = move |event: leptos::ev::Event| {
        let Some(file) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|element| element.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        let name = file.name();
        wasm_bindgen_futures::spawn_local(async move {
            let (text, refused) = match browser::read_file(file, MAX_DESIGN_BYTES).await {
                Ok(text) => (text, None),
                Err(problem) => (String::new(), Some(problem)),
            };
            input.set(Input {
                name,
                text,
                refused,
            });
        });
    };
    view! {
        <div class=style::audit>
            <RepositoryImport />
            <h2 class=TITLE_CLASS>"Check one file"</h2>
            <p class=style::intro>
                "Check a file you already have — a Dockerfile, a .dockerignore, a GitHub Actions workflow, a railway.json, a Helm values file or a Slipway design — against the rules about it. Your design is not changed."
            </p>
            <div class=style::inputs>
                <label>
                    <span>"File name (tells the kind; optional)"</span>
                    <input
                        type="text"
                        data-testid="audit-name"
                        placeholder="Dockerfile, .github/workflows/ci.yml, railway.json, values.yaml…"
                        prop:value=move || input.with(|input| input.name.clone())
                        on:input=move |event| input.update(|input| input.name = event_target_value(&event))
                    />
                </label>
                <label>
                    <span>"Or open a file"</span>
                    <input type="file" data-testid="audit-file" on:change=on_file />
                </label>
            </div>
            <label class=style::paste>
                <span>"File contents"</span>
                <textarea
                    rows="10"
                    spellcheck="false"
                    data-testid="audit-text"
                    prop:value=move || input.with(|input| input.text.clone())
                    on:input=move |event| {
                        let Some(element) = event
                            .target()
                            .and_then(|target| target.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                        else {
                            return;
                        };
                        let read = browser::textarea_text(&element, MAX_DESIGN_BYTES);
                        input.update(|input| match read {
                            Ok(text) => {
                                input.text = text;
                                input.refused = None;
                            }
                            Err(problem) => {
                                input.text.clear();
                                input.refused = Some(problem);
                            }
                        });
                    }
                ></textarea>
            </label>
            {move || match result.get() {
                None => view! { <p class=style::hint>"Paste a file to see its findings."</p> }.into_any(),
                Some(Err(message)) => view! { <p class=style::error role="alert" data-testid="audit-error">{message}</p> }.into_any(),
                Some(Ok(audit)) => view! { <AuditReport audit /> }.into_any(),
            }}
        </div>
    }
}

/// Selects line `line` (1-based) of the pasted file and scrolls it into view.
fn select_line(line: usize) {
    let Some(area) = document()
        .query_selector("[data-testid=\"audit-text\"]")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let text = area.value();
    let lines: Vec<&str> = text.split('\n').collect();
    let index = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    // The selection counts UTF-16 code units, as the browser does.
    let units = |part: &str| part.encode_utf16().count() as u32;
    let start: u32 = lines[..index].iter().map(|part| units(part) + 1).sum();
    let end = start + lines.get(index).map_or(0, |part| units(part));
    let _ = area.focus();
    let _ = area.set_selection_range(start, end);
    let per_line = area.scroll_height() as f64 / lines.len().max(1) as f64;
    area.set_scroll_top((per_line * index.saturating_sub(2) as f64) as i32);
}

/// The findings of one audited file, by line.
#[component]
fn AuditReport(
    /// The audit to show.
    audit: Audit,
) -> impl IntoView {
    let count = audit.findings.len();
    let mut findings = audit.findings;
    findings.sort_by_key(|finding| (finding.line.unwrap_or(usize::MAX), finding.finding.severity));
    view! {
        <section class=style::report aria-label="Audit findings" data-testid="audit-report">
            <h3>{format!("{}: {count} finding(s)", audit.kind.label())}</h3>
            <ul>
                {findings
                    .into_iter()
                    .map(|item| {
                        let severity = item.finding.severity;
                        let doc = rules::find(item.finding.rule).map(|rule| rule.doc());
                        view! {
                            <li data-testid="audit-finding" data-rule=item.finding.rule data-line=item.line.map(|l| l.to_string()).unwrap_or_default()>
                                {match item.line {
                                    Some(line) => view! {
                                        <button
                                            type="button"
                                            class=style::line
                                            data-testid="audit-go-to-line"
                                            title=format!("Select line {line} of the file")
                                            on:click=move |_| select_line(line)
                                        >
                                            {format!("line {line}")}
                                        </button>
                                    }.into_any(),
                                    None => view! { <span class=style::line>"—"</span> }.into_any(),
                                }}
                                <span class=style::rule>
                                    {item.finding.rule}" "
                                    <span class=severity_class(severity)>{severity.id()}</span>
                                </span>
                                <div class=style::message>
                                    <strong>{item.finding.title}</strong>" "{item.finding.message}
                                    {doc.map(|doc| view! {
                                        <details class=style::why data-testid="audit-why">
                                            <summary>"Why?"</summary>
                                            <RuleDocs doc />
                                        </details>
                                    })}
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
