//! The application shell: header, editor, preview and findings around one store.

use leptos::prelude::*;
use slipway_core::presets;
use wasm_bindgen::JsCast;

use crate::audit::AuditView;
use crate::checklist::ChecklistView;
use crate::container::ContainerView;
use crate::divider::{Divider, PaneWidth};
use crate::editor::Editor;
use crate::embed::{self, LaunchOptions, Panels};
use crate::environments::EnvironmentsView;
use crate::findings::FindingsPanel;
use crate::header::Header;
use crate::navigation::{self, Navigation};
use crate::notices::{NoticeStack, Notices, Tone};
use crate::persistence;
use crate::pipeline::PipelineView;
use crate::preview::{LastExport, Preview};
use crate::rollout::RolloutView;
use crate::rules_view::RulesView;
use crate::search::SearchDialog;
use crate::state::Store;
use crate::system::SystemView;
use crate::workshop::{Workshop, WorkshopPanel};
use crate::yaml_editor::{YamlDivider, YamlPane, YamlPaneState};

stylance::import_crate_style!(style, "src/app/app.module.css");

/// The designer's main views.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    Pipeline,
    System,
    Container,
    Rollout,
    Environments,
    Files,
    Rules,
    Checklist,
    Audit,
}

impl View {
    const ALL: [View; 9] = [
        View::Pipeline,
        View::System,
        View::Container,
        View::Rollout,
        View::Environments,
        View::Files,
        View::Rules,
        View::Checklist,
        View::Audit,
    ];

    fn id(self) -> &'static str {
        match self {
            View::Pipeline => "pipeline",
            View::System => "system",
            View::Container => "container",
            View::Rollout => "rollout",
            View::Environments => "environments",
            View::Files => "files",
            View::Rules => "rules",
            View::Checklist => "checklist",
            View::Audit => "audit",
        }
    }

    fn label(self) -> &'static str {
        match self {
            View::Pipeline => "Pipeline",
            View::System => "System",
            View::Container => "Container",
            View::Rollout => "Rollout",
            View::Environments => "Environments",
            View::Files => "Files",
            View::Rules => "Rules",
            View::Checklist => "Checklist",
            View::Audit => "Audit",
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let options = LaunchOptions::parse(&window().location().search().unwrap_or_default());
    let first_view = View::ALL
        .into_iter()
        .find(|view| Some(view.id()) == options.view.as_deref())
        .unwrap_or(View::Pipeline);
    let view = RwSignal::new(first_view);
    provide_context(crate::repository_import::OpenRepositoryImport(
        Callback::new(move |()| view.set(View::Audit)),
    ));
    // The last imported repository, for the Files view's changes panel: this tab only.
    provide_context(crate::repository_import::ImportedRepository::new());
    let navigation = Navigation::new();
    provide_context(navigation);
    for (request, shown_in) in [
        (navigation.file, View::Files),
        (navigation.job, View::Pipeline),
        (navigation.rule, View::Rules),
    ] {
        Effect::new(move |_| {
            if request.with(Option::is_some) {
                view.set(shown_in);
            }
        });
    }
    provide_context(crate::preview::OpenRepositoryChanges(Callback::new(
        move |()| view.set(View::Files),
    )));
    let notices = Notices::new();
    provide_context(notices);
    if !options.problems.is_empty() {
        let text = format!(
            "Part of this link was ignored. {}",
            options.problems.join(" ")
        );
        notices.show(Tone::Warning, "launch", text, Vec::new());
    }
    let preset = options
        .preset
        .and_then(presets::find)
        .map(|preset| (preset.name, (preset.build)()));
    let store = if options.embedded() {
        // The host page owns the design: never read or overwrite the standalone autosave.
        let initial = preset
            .map(|(_, design)| design)
            .unwrap_or_else(persistence::default_design);
        Store::new(initial, options.read_only)
    } else {
        let (saved, shared) = persistence::initial_designs(notices);
        let store = Store::new(saved, options.read_only);
        if let Some(shared) = shared {
            store.load("Open share link", shared);
        } else if let Some((name, design)) = preset {
            store.load(&format!("Open preset {name} from the link"), design);
        }
        persistence::start_autosave(store, notices);
        store
    };
    provide_context(store);
    Effect::new(move |_| {
        if let Some(refusal) = store.refusal.get() {
            notices.show(
                Tone::Error,
                "refused-edit",
                format!("Not applied: {refusal}"),
                Vec::new(),
            );
        }
    });
    store.settle_when_idle();
    crate::state::warm_up(store, 24, crate::preview::warm_up);
    provide_context(LastExport::load());
    if options.embedded() {
        embed::start_bridge(store, options.embed_origins.clone());
    }
    let panels = options.panels;
    // The design form folds into a strip, so the canvas and files get its width on a projector.
    let form_open =
        RwSignal::new(crate::persistence::browser::read(FORM_OPEN_KEY).as_deref() != Some("false"));
    // The form and findings columns are as wide as the user dragged their edges, as far as the
    // designer keeps its room (the widths are CSS variables, so the stylesheet caps them and its
    // narrow-screen layout still wins below 1,100 px).
    let form_width = PaneWidth::remembered(FORM_WIDTH_KEY, 310.0, 240.0, 480.0);
    let findings_width = PaneWidth::remembered(FINDINGS_WIDTH_KEY, 300.0, 240.0, 440.0);
    let workspace = NodeRef::<leptos::html::Main>::new();
    Effect::new(move |_| {
        let (form, findings) = (form_width.width.get(), findings_width.width.get());
        if let Some(element) = workspace.get() {
            let style = element.style();
            let _ = style.set_property("--form-width", &format!("{form:.0}px"));
            let _ = style.set_property("--findings-width", &format!("{findings:.0}px"));
        }
    });
    let columns = move |form: &'static str| {
        [
            (panels.editor, form),
            (panels.designer, "minmax(0, 1fr)"),
            (
                panels.findings,
                if panels.designer {
                    "var(--findings-track)"
                } else {
                    "minmax(0, 1fr)"
                },
            ),
        ]
        .iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, width)| *width)
        .collect::<Vec<_>>()
        .join(" ")
    };
    // A setting is shown in the design form, unfolded first when it was folded.
    Effect::new(move |_| {
        let Some(path) = navigation.field.get() else {
            return;
        };
        navigation.field.set(None);
        if form_open.get_untracked() {
            navigation::locate(store, &path);
        } else {
            form_open.set(true);
            request_animation_frame(move || navigation::locate(store, &path));
        }
    });
    let toggle_form = move |_| {
        let open = !form_open.get_untracked();
        form_open.set(open);
        // Best effort: a full quota only forgets the choice.
        let _ = crate::persistence::browser::write(FORM_OPEN_KEY, &open.to_string());
    };
    let yaml = YamlPaneState::remembered();
    let search_open = RwSignal::new(false);
    provide_context(Workshop::new(options.workshop));
    provide_context(options);

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
            <main
                class=style::workspace
                node_ref=workspace
                style:grid-template-columns=move || {
                    if !form_open.get() {
                        Some(columns("2.75rem"))
                    } else {
                        (panels != Panels::default()).then(|| columns("var(--form-track)"))
                    }
                }
            >
                <Show when=move || panels.editor>
                    <section class=style::editor aria-label="Design" data-folded=move || (!form_open.get()).to_string()>
                        <button
                            type="button"
                            class=style::fold
                            data-testid="toggle-form"
                            aria-controls="design-form"
                            aria-expanded=move || form_open.get().to_string()
                            title=move || if form_open.get() { "Hide the design form" } else { "Show the design form" }
                            on:click=toggle_form
                        >
                            {move || if form_open.get() { "« Hide form" } else { "»" }}
                        </button>
                        <div id="design-form" hidden=move || !form_open.get()>
                            <Editor />
                        </div>
                    </section>
                </Show>
                <Show when=move || panels.designer>
                <section class=style::preview id="designer" tabindex="-1" aria-label="Designer">
                    // The ARIA tabs pattern: one Tab stop (the selected view), arrow keys, Home
                    // and End move between views and show each at once.
                    <div class=style::view_bar>
                    <nav class=style::views role="tablist" aria-label="Views" on:keydown=move |event| {
                        let Some(position) = View::ALL.iter().position(|candidate| *candidate == view.get_untracked()) else { return };
                        let count = View::ALL.len();
                        let next = match event.key().as_str() {
                            "ArrowRight" | "ArrowDown" => (position + 1) % count,
                            "ArrowLeft" | "ArrowUp" => (position + count - 1) % count,
                            "Home" => 0,
                            "End" => count - 1,
                            _ => return,
                        };
                        event.prevent_default();
                        view.set(View::ALL[next]);
                        if let Some(tab) = document().get_element_by_id(&format!("view-tab-{}", View::ALL[next].id())) {
                            if let Ok(tab) = tab.dyn_into::<web_sys::HtmlElement>() {
                                let _ = tab.focus();
                            }
                        }
                    }>
                        {View::ALL
                            .into_iter()
                            .map(|candidate| {
                                view! {
                                    <button
                                        type="button"
                                        role="tab"
                                        id=format!("view-tab-{}", candidate.id())
                                        aria-controls="view-panel"
                                        tabindex=move || if view.get() == candidate { "0" } else { "-1" }
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
                    <button
                        type="button"
                        class=style::search
                        data-testid="open-search"
                        aria-keyshortcuts="Control+K Meta+K"
                        title="Search jobs, services, settings, rules and files (Ctrl+K)"
                        on:click=move |_| search_open.set(true)
                    >
                        "Search"
                    </button>
                    <button
                        type="button"
                        class=style::yaml_toggle
                        data-testid="toggle-yaml"
                        aria-controls=move || yaml.open.get().then_some("yaml-pane")
                        aria-pressed=move || yaml.open.get().to_string()
                        title="Edit the design as slipway.yaml beside the views"
                        on:click=move |_| yaml.toggle()
                    >
                        "YAML"
                    </button>
                    </div>
                    <div class=style::designer_body>
                    <div class=style::view_body role="tabpanel" id="view-panel" aria-labelledby=move || format!("view-tab-{}", view.get().id())>
                        {move || match view.get() {
                            View::Pipeline => view! { <PipelineView /> }.into_any(),
                            View::System => view! { <SystemView /> }.into_any(),
                            View::Container => view! { <ContainerView /> }.into_any(),
                            View::Rollout => view! { <RolloutView /> }.into_any(),
                            View::Environments => view! { <EnvironmentsView /> }.into_any(),
                            View::Files => view! { <Preview /> }.into_any(),
                            View::Rules => view! { <RulesView /> }.into_any(),
                            View::Checklist => view! { <ChecklistView /> }.into_any(),
                            View::Audit => view! { <AuditView /> }.into_any(),
                        }}
                    </div>
                    <Show when=move || yaml.open.get()>
                        <YamlDivider pane=yaml />
                        <YamlPane pane=yaml />
                    </Show>
                    </div>
                </section>
                </Show>
                <Show when=move || panels.editor && panels.designer && form_open.get()>
                    <div class=style::form_edge>
                        <Divider pane=form_width pane_left=true label="Resize the design form" controls="design-form" testid="form-divider" />
                    </div>
                </Show>
                <Show when=move || panels.findings && panels.designer>
                    <div class=style::findings_edge>
                        <Divider pane=findings_width pane_left=false label="Resize the findings" controls="findings" testid="findings-divider" />
                    </div>
                </Show>
                <Show when=move || panels.findings>
                    <section class=style::findings id="findings" tabindex="-1" aria-label="Findings">
                        <WorkshopPanel />
                        <FindingsPanel />
                    </section>
                </Show>
            </main>
            <SearchDialog open=search_open />
        </div>
    }
}

/// Where the app remembers whether the design form is shown.
const FORM_OPEN_KEY: &str = "slipway.form-open";
/// Where the app remembers the widths the user gave the form and the findings.
const FORM_WIDTH_KEY: &str = "slipway.form-width";
const FINDINGS_WIDTH_KEY: &str = "slipway.findings-width";

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
