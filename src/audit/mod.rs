//! Audit mode: paste or drop an existing Dockerfile, .dockerignore, GitHub workflow,
//! railway.json, Helm values file or design and see the findings of the rules about it, with
//! line numbers. Nothing here touches the design being edited.

use leptos::prelude::*;
use slipway_core::audit::{self, Audit};
use slipway_core::io::{LoadError, MAX_DESIGN_BYTES};
use wasm_bindgen::JsCast;

use crate::persistence::browser;

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
                        let line = item.line.map_or("—".to_owned(), |line| format!("line {line}"));
                        view! {
                            <li data-testid="audit-finding" data-rule=item.finding.rule data-line=item.line.map(|l| l.to_string()).unwrap_or_default()>
                                <span class=style::line>{line}</span>
                                <span class=style::rule>{item.finding.rule}" · "{item.finding.severity.id()}</span>
                                <span class=style::message><strong>{item.finding.title}</strong>" "{item.finding.message}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
