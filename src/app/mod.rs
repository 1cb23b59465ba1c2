//! The application shell: header, editor, preview and findings around one store.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::container::ContainerView;
use crate::editor::Editor;
use crate::environments::EnvironmentsView;
use crate::findings::FindingsPanel;
use crate::header::Header;
use crate::notices::{NoticeStack, Notices};
use crate::persistence;
use crate::pipeline::PipelineView;
use crate::preview::{LastExport, Preview};
use crate::rollout::RolloutView;
use crate::state::Store;

stylance::import_crate_style!(style, "src/app/app.module.css");

/// The designer's main views.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Pipeline,
    Container,
    Rollout,
    Environments,
    Files,
}

impl View {
    const ALL: [View; 5] = [
        View::Pipeline,
        View::Container,
        View::Rollout,
        View::Environments,
        View::Files,
    ];

    fn id(self) -> &'static str {
        match self {
            View::Pipeline => "pipeline",
            View::Container => "container",
            View::Rollout => "rollout",
            View::Environments => "environments",
            View::Files => "files",
        }
    }

    fn label(self) -> &'static str {
        match self {
            View::Pipeline => "Pipeline",
            View::Container => "Container",
            View::Rollout => "Rollout",
            View::Environments => "Environments",
            View::Files => "Files",
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let view = RwSignal::new(View::Pipeline);
    let notices = Notices::new();
    provide_context(notices);
    let (saved, shared) = persistence::initial_designs(notices);
    let store = Store::new(saved);
    if let Some(shared) = shared {
        store.load("Open share link", shared);
    }
    provide_context(store);
    provide_context(LastExport::load());
    persistence::start_autosave(store, notices);

    // Undo and redo anywhere on the page, even when focus has left every control.
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        let modifier = event.ctrl_key() || event.meta_key();
        if !modifier || !event.key().eq_ignore_ascii_case("z") {
            return;
        }
        event.prevent_default();
        if event.shift_key() {
            store.redo();
        } else {
            store.undo();
        }
    });
    on_cleanup(move || keys.remove());

    view! {
        <div class=style::shell>
            <nav class=style::skip_links aria-label="Skip links">
                <SkipLink target="designer" label="Skip to the designer" />
                <SkipLink target="findings" label="Skip to the findings" />
            </nav>
            <Header />
            <NoticeStack />
            <main class=style::workspace>
                <section class=style::editor aria-label="Design">
                    <Editor />
                </section>
                <section class=style::preview id="designer" tabindex="-1" aria-label="Designer">
                    <nav class=style::views role="tablist" aria-label="Views">
                        {View::ALL
                            .into_iter()
                            .map(|candidate| {
                                view! {
                                    <button
                                        type="button"
                                        role="tab"
                                        class=style::view_tab
                                        data-testid=format!("view-{}", candidate.id())
                                        aria-selected=move || (view.get() == candidate).to_string()
                                        on:click=move |_| view.set(candidate)
                                    >
                                        {candidate.label()}
                                    </button>
                                }
                            })
                            .collect_view()}
                    </nav>
                    <div class=style::view_body role="tabpanel">
                        {move || match view.get() {
                            View::Pipeline => view! { <PipelineView /> }.into_any(),
                            View::Container => view! { <ContainerView /> }.into_any(),
                            View::Rollout => view! { <RolloutView /> }.into_any(),
                            View::Environments => view! { <EnvironmentsView /> }.into_any(),
                            View::Files => view! { <Preview /> }.into_any(),
                        }}
                    </div>
                </section>
                <section class=style::findings id="findings" tabindex="-1" aria-label="Findings">
                    <FindingsPanel />
                </section>
            </main>
        </div>
    }
}

/// A link that is invisible until focused and moves keyboard focus past the design form, so the
/// canvas and the findings are a few Tab presses away instead of dozens.
#[component]
fn SkipLink(
    /// The id of the landmark that receives focus.
    target: &'static str,
    /// What the link says.
    label: &'static str,
) -> impl IntoView {
    let focus_target = move |_| {
        if let Some(element) = document().get_element_by_id(target) {
            if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
                let _ = element.focus();
            }
        }
    };
    view! {
        <button type="button" class=style::skip_link data-testid=format!("skip-{target}") on:click=focus_target>
            {label}
        </button>
    }
}
