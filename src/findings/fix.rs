//! A finding's fix. A fix that only adds what its rule asks applies at once; one that changes
//! the user's own settings shows what it would change first. Either way the change is
//! announced with what it changed (settings and generated files), a way to see it and Undo.

use std::sync::Arc;

use leptos::prelude::*;
use slipway_core::changes::{Changes, FileChangeKind};
use slipway_core::diff::Excerpt;
use slipway_core::rules::{Finding, FixSafety};

use super::style;
use crate::navigation::Navigation;
use crate::notices::{Action, Notices, Tone};
use crate::state::Store;

/// The notice topic of a change's announcement: a second fix replaces the first's.
const TOPIC: &str = "change";

/// The fix button of a finding, with the preview of a fix that changes the user's settings.
#[component]
pub fn FixButton(
    /// The finding as it is now (its message and place follow the design).
    finding: Callback<(), Option<Finding>>,
    /// Whether the fix changes the user's own settings, and so is previewed before it applies.
    safety: FixSafety,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let notices = expect_context::<Notices>();
    let navigation = expect_context::<Navigation>();
    let preview = RwSignal::new(None::<Changes>);
    let apply = move || {
        preview.set(None);
        let Some(found) = finding.run(()) else {
            return;
        };
        if let Some(changes) = store.fix(&found) {
            announce(store, notices, navigation, &found, &changes);
        }
    };
    let on_click = move |_| match safety {
        FixSafety::Safe => apply(),
        FixSafety::Unsafe if preview.with_untracked(Option::is_some) => preview.set(None),
        FixSafety::Unsafe => {
            if let Some(found) = finding.run(()) {
                preview.set(Some(store.preview_fix(&found)));
            }
        }
    };
    let label = match safety {
        FixSafety::Safe => "Fix",
        FixSafety::Unsafe => "Fix (changes your settings)…",
    };
    let expanded =
        move || (safety == FixSafety::Unsafe).then(|| preview.with(Option::is_some).to_string());
    view! {
        <button type="button" class=style::fix data-testid="fix" aria-expanded=expanded on:click=on_click>
            {label}
        </button>
        {move || preview.get().map(|changes| view! {
            <div class=style::fix_preview data-testid="fix-preview" role="group" aria-label="What this fix changes">
                <p class=style::fix_heading>"This fix changes your settings:"</p>
                <ul class=style::fix_list>
                    {changes.settings.iter().map(|setting| view! {
                        <li data-testid="fix-preview-setting">
                            <code>{setting.path.clone()}</code>
                            ": "
                            {setting.describe()}
                        </li>
                    }).collect_view()}
                </ul>
                {(!changes.files.is_empty()).then(|| view! {
                    <p class=style::fix_heading>"and these generated files:"</p>
                    <ul class=style::fix_list>
                        {changes.files.iter().map(|file| {
                            let line = view! {
                                <code>{file.path.clone()}</code>
                                " "
                                {file_change(file.kind, file.added, file.removed)}
                            };
                            if file.excerpt.is_empty() {
                                view! { <li><span data-testid="fix-preview-file">{line}</span></li> }.into_any()
                            } else {
                                view! {
                                    <li>
                                        <details data-testid="fix-preview-diff">
                                            <summary data-testid="fix-preview-file">{line}</summary>
                                            <DiffExcerpt excerpt=file.excerpt.clone() />
                                        </details>
                                    </li>
                                }.into_any()
                            }
                        }).collect_view()}
                    </ul>
                })}
                <div class=style::fix_actions>
                    <button type="button" class=style::apply data-testid="apply-fix" on:click=move |_| apply()>"Apply fix"</button>
                    <button type="button" data-testid="cancel-fix" on:click=move |_| preview.set(None)>"Cancel"</button>
                </div>
            </div>
        })}
    }
}

/// The changed lines of a generated file with a little context, `+` added and `−` removed,
/// and the lines left out counted.
#[component]
fn DiffExcerpt(
    /// The lines to show, from [`slipway_core::changes::FileChange::excerpt`].
    excerpt: Vec<Excerpt>,
) -> impl IntoView {
    view! {
        <pre class=style::fix_diff>
            {excerpt.into_iter().map(|line| match line {
                Excerpt::Same(text) => view! { <span>{format!("  {text}")}</span> }.into_any(),
                Excerpt::Added(text) => view! { <span class=style::added>{format!("+ {text}")}</span> }.into_any(),
                Excerpt::Removed(text) => view! { <span class=style::removed>{format!("− {text}")}</span> }.into_any(),
                Excerpt::Skipped(count) => view! {
                    <span class=style::skipped>{format!("… {count} unchanged line{}", plural(count))}</span>
                }.into_any(),
                Excerpt::Truncated(count) => view! {
                    <span class=style::skipped>{format!("… and {count} more changed line{} (Show file after applying)", plural(count))}</span>
                }.into_any(),
            }).collect_view()}
        </pre>
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// A file's change in a few characters: `(new, 12 lines)`, `(+3 −1)`, `(removed)`.
fn file_change(kind: FileChangeKind, added: usize, removed: usize) -> String {
    match kind {
        FileChangeKind::Added => format!("(new, {added} lines)"),
        FileChangeKind::Removed => "(no longer generated)".to_owned(),
        FileChangeKind::Changed => format!("(+{added} −{removed})"),
    }
}

/// Announces an applied fix: what it changed, Show (the first setting it changed, or the
/// first file) and Undo (while the fix is still the latest change).
fn announce(
    store: Store,
    notices: Notices,
    navigation: Navigation,
    finding: &Finding,
    changes: &Changes,
) {
    let label = Store::fix_label(finding);
    let mut actions = Vec::new();
    if let Some(setting) = changes.settings.first() {
        let path = setting.path.clone();
        actions.push(Action {
            label: "Show setting",
            run: Arc::new(move || navigation.show_field(path.clone())),
        });
    }
    // The README lists every file, so it changes with most fixes: name a file of the fix's own.
    let first_file = changes
        .files
        .iter()
        .filter(|file| file.kind != FileChangeKind::Removed)
        .find(|file| file.path != "README.md")
        .or_else(|| changes.files.first());
    if let Some(file) = first_file {
        let path = file.path.clone();
        actions.push(Action {
            label: "Show file",
            run: Arc::new(move || navigation.show_file(path.clone())),
        });
    }
    let undo_label = label.clone();
    actions.push(Action {
        label: "Undo",
        run: Arc::new(move || {
            if store.undo_label().as_deref() == Some(undo_label.as_str()) {
                store.undo();
            } else {
                notices.show(
                    Tone::Warning,
                    TOPIC,
                    format!("“{undo_label}” is no longer the latest change: undo the later ones first (Undo in the header)."),
                    Vec::new(),
                );
            }
        }),
    });
    let done = match &finding.service {
        Some(service) => format!("Fixed {} in {service}.", finding.rule),
        None => format!("Fixed {}.", finding.rule),
    };
    notices.show(
        Tone::Info,
        TOPIC,
        format!("{done} {}", changes.summary()),
        actions,
    );
}
