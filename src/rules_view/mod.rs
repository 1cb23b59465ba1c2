//! The rule browser: every rule Slipway checks, searchable, with its docs, its state for the
//! current design, and waivers (a rule is only switched off with a written reason).

mod waiver;

use leptos::prelude::*;
use slipway_core::rules::{self, RuleDoc};
use slipway_core::Design;

use crate::fields::ChoiceField;
use crate::state::Store;
pub use waiver::{WaiveForm, WaiverList};

stylance::import_crate_style!(pub(crate) style, "src/rules_view/rules_view.module.css");

/// A rule's documentation: what, why, an incorrect and a correct example, the fix, the source
/// and equivalent third-party checks.
#[component]
pub fn RuleDocs(
    /// The rule to explain.
    doc: &'static RuleDoc,
) -> impl IntoView {
    view! {
        <div class=style::docs data-testid="rule-docs" data-rule=doc.id>
            <p><strong>"What: "</strong>{doc.what}</p>
            <p><strong>"Why: "</strong>{doc.why}</p>
            <div class=style::examples>
                <figure>
                    <figcaption>"Incorrect"</figcaption>
                    <pre class=style::incorrect>{doc.incorrect}</pre>
                </figure>
                <figure>
                    <figcaption>"Correct"</figcaption>
                    <pre class=style::correct>{doc.correct}</pre>
                </figure>
            </div>
            <p><strong>"Fix: "</strong>{doc.fix}</p>
            <p class=style::meta>
                <span>{format!("Source: {}", doc.source)}</span>
                {(!doc.equivalents.is_empty())
                    .then(|| view! { <span>{format!("Same as: {}", doc.equivalents.join(", "))}</span> })}
            </p>
        </div>
    }
}

/// Whether a rule's words contain every word of the query (case-insensitive).
pub fn matches(doc: &RuleDoc, query: &str) -> bool {
    let haystack = format!(
        "{} {} {} {} {} {} {}",
        doc.id,
        doc.name,
        doc.title,
        doc.area.label(),
        doc.severity.id(),
        doc.what,
        doc.equivalents.join(" ")
    )
    .to_lowercase();
    query
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

/// The searchable list of every rule.
#[component]
pub fn RulesView() -> impl IntoView {
    let store = expect_context::<Store>();
    let query = RwSignal::new(String::new());
    if let Some(navigation) = use_context::<crate::navigation::Navigation>() {
        crate::navigation::Navigation::take(navigation.rule, move |id| query.set(id));
    }
    let failing = Memo::new(move |_| {
        store.findings.with(|findings| {
            let mut ids: Vec<&'static str> = findings.iter().map(|f| f.rule).collect();
            ids.dedup();
            ids
        })
    });
    let shown = Memo::new(move |_| {
        query.with(|query| {
            rules::registry()
                .iter()
                .map(|rule| rule.doc())
                .filter(|doc| matches(doc, query))
                .map(|doc| doc.id)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class=style::browser>
            <ChoiceField
                label="Rule profile"
                class=style::search
                field="profile"
                testid="profile"
                undo="Change the rule profile"
                get=|design: &Design| design.profile
                set=|design: &mut Design, profile| design.profile = profile
                hint="Where the documents and scanners disagree, the profile picks a side; findings name both. See docs/profiles.md."
            />
            <WaiverList />
            <label class=style::search>
                <span>"Search rules"</span>
                <input
                    type="search"
                    data-testid="rule-search"
                    placeholder="id, words, area, severity, or a tool id like DL3006"
                    prop:value=move || query.get()
                    on:input=move |event| query.set(event_target_value(&event))
                />
            </label>
            <p class=style::summary data-testid="rule-count">
                {move || format!("{} of {} rules", shown.with(Vec::len), rules::registry().len())}
            </p>
            <ul class=style::rules>
                <For each=move || shown.get() key=|id| *id let:id>
                    {
                        let doc = rules::find(id).map(|rule| rule.doc());
                        doc.map(|doc| {
                            let state = move || {
                                if store.design.with(|design| design.is_waived(doc.id)) {
                                    ("waived", style::waived)
                                } else if failing.with(|ids| ids.contains(&doc.id)) {
                                    ("failing", style::failing)
                                } else {
                                    ("passing", style::passing)
                                }
                            };
                            view! {
                                <li class=style::rule data-testid="rule" data-rule=doc.id>
                                    <details>
                                        <summary>
                                            <span class=style::id>{doc.id}</span>
                                            <span class=style::severity>{doc.severity.id()}</span>
                                            <span class=style::title>{doc.title}</span>
                                            <span class=move || state().1 data-testid="rule-state">{move || state().0}</span>
                                        </summary>
                                        <p class=style::area>{doc.area.label()}</p>
                                        <RuleDocs doc />
                                        <Show when=move || !store.design.with(|design| design.is_waived(doc.id))>
                                            <WaiveForm rule=doc.id />
                                        </Show>
                                    </details>
                                </li>
                            }
                        })
                    }
                </For>
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_matches_ids_words_and_tool_ids() {
        let doc = rules::find("DOCKER-001").unwrap().doc();
        assert!(matches(doc, ""));
        assert!(matches(doc, "docker-001"));
        assert!(matches(doc, "non-root container"));
        assert!(!matches(doc, "terraform"));
        let pinned = rules::find("DOCKER-007").unwrap().doc();
        assert!(matches(pinned, "dl3006") || matches(pinned, "DL3007"));
    }
}
