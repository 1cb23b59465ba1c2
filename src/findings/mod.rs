//! The findings panel: what is wrong with the design, grouped by severity, with fixes.

use leptos::prelude::*;
use slipway_core::rules::{self, Finding, Severity};

mod fix;

use fix::FixButton;

use crate::lazy_details::LazyDetails;
use crate::navigation::Navigation;
use crate::rules_view::{RuleDocs, WaiveForm, WaiverList};
use crate::state::Store;

stylance::import_crate_style!(style, "src/findings/findings.module.css");

/// The badge class of a severity (also the audit view's).
pub(crate) fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => style::critical,
        Severity::High => style::high,
        Severity::Medium => style::medium,
        Severity::Low => style::low,
    }
}

#[component]
pub fn FindingsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let count = move || {
        store
            .findings
            .with(|findings| findings.iter().filter(|f| !f.waived).count())
    };

    view! {
        <div class=style::panel>
            <h2 class=style::heading>
                "Findings "
                <span class=style::count data-testid="findings-count">{count}</span>
            </h2>
            <Show
                when=move || { count() > 0 }
                fallback=|| view! { <p class=style::clean data-testid="findings-clean">"No findings: this design passes every rule Slipway checks."</p> }
            >
                {Severity::ALL
                    .into_iter()
                    .map(|severity| view! { <SeverityGroup severity /> })
                    .collect_view()}
            </Show>
            <WaiverList />
        </div>
    }
}

/// Where a finding is: its rule, service and field, and which of the findings there it is.
type FindingKey = ((&'static str, Option<String>, String), usize);

/// The findings of one severity, hidden when there are none.
/// Findings of one severity shown before "Show all".
const FIRST_SHOWN: usize = 60;

#[component]
fn SeverityGroup(severity: Severity) -> impl IntoView {
    let store = expect_context::<Store>();
    let navigation = expect_context::<Navigation>();
    // Each finding keyed by where it is (rule, service, field and which of several there), not
    // by its message: a message that quotes the text being typed changes at every keystroke,
    // and the card (with its rule docs) would be rebuilt each time instead of updated.
    let findings = Memo::new(move |_| {
        store.findings.with(|findings| {
            let mut keyed: Vec<(FindingKey, Finding)> = Vec::new();
            for finding in findings
                .iter()
                .filter(|finding| finding.severity == severity && !finding.waived)
            {
                let place = (finding.rule, finding.service.clone(), finding.field.clone());
                let occurrence = keyed.iter().filter(|(key, _)| key.0 == place).count();
                keyed.push(((place, occurrence), finding.clone()));
            }
            keyed
        })
    });
    // A design of dozens of services (an imported monorepo) can have hundreds of findings of
    // one severity: the first ones show at once, the rest on request.
    let limit = RwSignal::new(FIRST_SHOWN);
    let current = move |key: &FindingKey| {
        findings.with(|findings| {
            findings
                .iter()
                .find(|(other, _)| other == key)
                .map(|(_, finding)| finding.clone())
        })
    };
    view! {
        <Show when=move || !findings.with(Vec::is_empty)>
            <section class=style::group aria-label=format!("{} findings", severity.id())>
                <h3 class=style::group_title>
                    <span class=severity_class(severity)>{severity.id()}</span>
                    <span class=style::meaning>{severity.meaning()}</span>
                </h3>
                <ul class=style::list>
                    <For
                        each=move || {
                            let mut shown = findings.get();
                            shown.truncate(limit.get());
                            shown
                        }
                        key=|(key, _)| key.clone()
                        let:((key, finding))
                    >
                        {
                            let field = finding.field.clone();
                            let rule = finding.rule;
                            let key = StoredValue::new(key);
                            let message = move || key.with_value(|key| current(key).map(|finding| finding.message).unwrap_or_default());
                            view! {
                                <li class=style::finding data-testid="finding" data-rule=rule data-severity=severity.id()>
                                    <button
                                        type="button"
                                        class=style::locate
                                        title=format!("Go to {field}")
                                        on:click=move |_| navigation.show_field(field.clone())
                                    >
                                        <span class=style::rule>{rule}</span>
                                        <span class=style::title>{finding.title}</span>
                                    </button>
                                    <p class=style::message>
                                        {finding.service.clone().map(|service| view! {
                                            <span class=style::service data-testid="finding-service" title=format!("In service {service}")>{service.clone()}</span>
                                        })}
                                        {message}
                                    </p>
                                    {finding.fix.filter(|_| !store.read_only).map(|safety| view! {
                                        <FixButton finding=Callback::new(move |()| key.with_value(|key| current(key))) safety />
                                    })}
                                    // The rule's docs and the waiver form are built when
                                    // opened: a long list stays cheap to render.
                                    {rules::find(rule).map(|found| {
                                        let doc = found.doc();
                                        view! {
                                            <LazyDetails class=style::why testid="why" summary="Why?">
                                                <RuleDocs doc />
                                            </LazyDetails>
                                        }
                                    })}
                                    {(!store.read_only).then(|| view! {
                                        <LazyDetails class=style::why summary="Waive…" summary_testid="waive-open">
                                            <WaiveForm rule />
                                        </LazyDetails>
                                    })}
                                </li>
                            }
                        }
                    </For>
                </ul>
                {move || {
                    let total = findings.with(Vec::len);
                    (total > limit.get()).then(|| view! {
                        <button
                            type="button"
                            class=style::more
                            data-testid="findings-more"
                            on:click=move |_| limit.set(usize::MAX)
                        >
                            {format!("Show all {total} {} findings", severity.id())}
                        </button>
                    })
                }}
            </section>
        </Show>
    }
}
