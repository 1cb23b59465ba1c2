//! The container composer: stages as blocks with their base image, `COPY --from` drawn as
//! arrows between them, and instructions editable in order once the stages are customised.

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::facts::stages;
use slipway_core::generate::dockerfile::render_instruction;
use slipway_core::import::dockerfile::parse_instruction;
use slipway_core::model::{Instruction, Stage};
use slipway_core::Design;

use crate::fields::TextField;
use crate::services::ServiceSwitcher;
use crate::state::{service_of, service_of_mut, Store};

stylance::import_crate_style!(style, "src/container/container.module.css");

const CARD_WIDTH: f64 = 264.0;
const CARD_GAP: f64 = 52.0;
const HEADER_HEIGHT: f64 = 96.0;
const ROW_HEIGHT: f64 = 32.0;
const FOOTER_HEIGHT: f64 = 44.0;

/// An arrow from a stage to the instruction (or stage header) that uses it.
#[derive(Clone, PartialEq)]
struct Arrow {
    path: String,
    label: String,
}

fn arrows(stages: &[Stage]) -> Vec<Arrow> {
    let index_of = |name: &str| stages.iter().position(|stage| stage.name == name);
    let left = |index: usize| index as f64 * (CARD_WIDTH + CARD_GAP);
    let curve = |from: (f64, f64), to: (f64, f64)| {
        let bend = ((to.0 - from.0) / 2.0).max(24.0);
        format!(
            "M{},{} C{},{} {},{} {},{}",
            from.0,
            from.1,
            from.0 + bend,
            from.1,
            to.0 - bend,
            to.1,
            to.0,
            to.1
        )
    };
    let mut out = Vec::new();
    for (target, stage) in stages.iter().enumerate() {
        if let Some(source) = index_of(&stage.image).filter(|&source| source < target) {
            out.push(Arrow {
                path: curve((left(source) + CARD_WIDTH, 30.0), (left(target), 30.0)),
                label: format!("{} starts from {}", stage.name, stage.image),
            });
        }
        for (row, instruction) in stage.instructions.iter().enumerate() {
            let Instruction::Copy { from, .. } = instruction else {
                continue;
            };
            let Some(source) = index_of(from).filter(|&source| source < target) else {
                continue;
            };
            let y = HEADER_HEIGHT + row as f64 * ROW_HEIGHT + ROW_HEIGHT / 2.0;
            out.push(Arrow {
                path: curve(
                    (left(source) + CARD_WIDTH, HEADER_HEIGHT / 2.0),
                    (left(target), y),
                ),
                label: format!("{} copies from {}", stage.name, from),
            });
        }
    }
    out
}

#[component]
pub fn ContainerView() -> impl IntoView {
    let store = expect_context::<Store>();
    // Memos, so that an edit re-renders the board only where the stages changed.
    let custom = Memo::new(move |_| store.with_service(|s| !s.container.stages.is_empty()));
    let resolved = Memo::new(move |_| store.with_service(stages::resolve));
    let copy_arrows = Memo::new(move |_| resolved.with(|stages| arrows(stages)));
    let size = Memo::new(move |_| {
        resolved.with(|stages| {
            let rows = stages
                .iter()
                .map(|s| s.instructions.len())
                .max()
                .unwrap_or(0);
            let width = stages.len() as f64 * (CARD_WIDTH + CARD_GAP) - CARD_GAP;
            (
                width.max(CARD_WIDTH),
                HEADER_HEIGHT + rows as f64 * ROW_HEIGHT + FOOTER_HEIGHT,
            )
        })
    });
    let runtime = Memo::new(move |_| store.with_service(|s| s.runtime.label()));

    view! {
        <div class=style::view>
            <div class=style::service>
                <ServiceSwitcher testid="view-service-switcher" />
            </div>
            <div class=style::bar>
                <Show
                    when=move || custom.get()
                    fallback=move || view! {
                        <span>{move || format!("The stages follow the {} template and track the settings on the left.", runtime.get())}</span>
                        <button type="button" data-testid="customize-stages" on:click=move |_| {
                            store.edit_service("Customise stages", |s| s.container.stages = stages::template(s));
                        }>"Customise stages"</button>
                    }
                >
                    <span>"Custom stages: every instruction is yours to edit."</span>
                    <button type="button" data-testid="add-stage" on:click=move |_| {
                        store.edit_service("Add stage", edits::add_stage);
                    }>"Add stage"</button>
                    <button type="button" data-testid="reset-stages" on:click=move |_| {
                        store.edit_service("Back to the runtime template", |s| s.container.stages.clear());
                    }>"Back to the template"</button>
                </Show>
            </div>
            <div class=style::board data-testid="composer" style:width=move || format!("{}px", size.get().0) style:height=move || format!("{}px", size.get().1)>
                <svg class=style::arrows width=move || size.get().0 height=move || size.get().1 aria-hidden="true">
                    <defs>
                        <marker id="copy-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class=style::arrowhead />
                        </marker>
                    </defs>
                    {move || copy_arrows.get().into_iter().map(|arrow| view! {
                        <path class=style::arrow d=arrow.path marker-end="url(#copy-arrow)" data-testid="copy-arrow">
                            <title>{arrow.label}</title>
                        </path>
                    }).collect_view()}
                </svg>
                // Keyed by place, editability and contents: an edit rebuilds only the cards
                // whose stage changed.
                <For
                    each=move || {
                        let editable = custom.get();
                        resolved.get().into_iter().enumerate().map(move |(index, stage)| (index, editable, stage))
                    }
                    key=|card| card.clone()
                    children=|(index, editable, stage)| view! { <StageCard index stage editable /> }
                />
            </div>
        </div>
    }
}

/// One stage block. `editable` when the design owns its stages.
#[component]
fn StageCard(index: usize, stage: Stage, editable: bool) -> impl IntoView {
    let store = expect_context::<Store>();
    let selection = store.selected_service();
    // The card's stage in the selected service's own stages (the card is rebuilt on a switch).
    let own_stage = move |get: fn(&Stage) -> String| {
        move |d: &Design| {
            service_of(d, selection.index())
                .container
                .stages
                .get(index)
                .map(get)
                .unwrap_or_default()
        }
    };
    let set_stage = move |set: fn(&mut Stage, String)| {
        move |d: &mut Design, value: String| {
            let service = service_of_mut(d, selection.index_untracked());
            if let Some(stage) = service.container.stages.get_mut(index) {
                set(stage, value);
            }
        }
    };
    let error = RwSignal::new(None::<String>);
    let new_line = RwSignal::new(String::new());
    let left = index as f64 * (CARD_WIDTH + CARD_GAP);
    let edit_stage = move |label: &str, change: Box<dyn FnOnce(&mut Stage)>| {
        store.edit_service(label, move |s| {
            if let Some(stage) = s.container.stages.get_mut(index) {
                change(stage);
            }
        });
    };
    let rows = stage
        .instructions
        .iter()
        .enumerate()
        .map(|(row, instruction)| {
            let line = render_instruction(instruction);
            let row_error = RwSignal::new(None::<String>);
            let content = if editable {
                view! {
                    <input
                        type="text"
                        aria-label=format!("Instruction {} of {}", row + 1, stage.name)
                        data-testid="instruction-input"
                        aria-invalid=move || row_error.get().is_some().to_string()
                        title=move || row_error.get().unwrap_or_default()
                        prop:value=line.clone()
                        on:change=move |ev| match parse_instruction(&event_target_value(&ev)) {
                            Ok(parsed) => {
                                row_error.set(None);
                                edit_stage("Edit instruction", Box::new(move |stage| {
                                    if let Some(slot) = stage.instructions.get_mut(row) {
                                        *slot = parsed;
                                    }
                                }));
                            }
                            Err(problem) => row_error.set(Some(problem)),
                        }
                    />
                    <button type="button" aria-label="Move up" on:click=move |_| edit_stage("Move instruction up", Box::new(move |stage| {
                        if row > 0 { stage.instructions.swap(row, row - 1); }
                    }))>"↑"</button>
                    <button type="button" aria-label="Move down" on:click=move |_| edit_stage("Move instruction down", Box::new(move |stage| {
                        if row + 1 < stage.instructions.len() { stage.instructions.swap(row, row + 1); }
                    }))>"↓"</button>
                    <button type="button" aria-label="Delete instruction" on:click=move |_| edit_stage("Delete instruction", Box::new(move |stage| {
                        if row < stage.instructions.len() { stage.instructions.remove(row); }
                    }))>"×"</button>
                }
                .into_any()
            } else {
                view! { <code title=line.clone()>{line.clone()}</code> }.into_any()
            };
            view! { <li class=style::row data-testid="instruction">{content}</li> }
        })
        .collect_view();

    view! {
        <article class=style::card style:left=format!("{left}px") style:width=format!("{CARD_WIDTH}px") data-testid="stage-card" data-stage=stage.name.clone()>
            <header class=style::header>
                {if editable {
                    view! {
                        <TextField
                            aria_label="Stage name"
                            class=style::name
                            undo="Rename stage"
                            on_commit=true
                            get=own_stage(|stage| stage.name.clone())
                            set=set_stage(|stage, name| stage.name = name)
                        />
                        <TextField
                            aria_label="Base image"
                            testid="stage-image"
                            undo="Change base image"
                            on_commit=true
                            get=own_stage(|stage| stage.image.clone())
                            set=set_stage(|stage, image| stage.image = image)
                        />
                    }.into_any()
                } else {
                    view! {
                        <strong class=style::name>{stage.name.clone()}</strong>
                        <code class=style::image>{format!("FROM {}", stage.image)}</code>
                    }.into_any()
                }}
                <span class=style::role>{stage.role.label()}</span>
            </header>
            <ol class=style::rows>{rows}</ol>
            {editable.then(|| view! {
                <div class=style::footer>
                    <input
                        type="text"
                        placeholder="Add an instruction, e.g. RUN npm ci"
                        aria-label=format!("New instruction for {}", stage.name)
                        data-testid="new-instruction"
                        prop:value=move || new_line.get()
                        on:input=move |ev| new_line.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() != "Enter" { return; }
                            match parse_instruction(&new_line.get_untracked()) {
                                Ok(parsed) => {
                                    error.set(None);
                                    new_line.set(String::new());
                                    edit_stage("Add instruction", Box::new(move |stage| stage.instructions.push(parsed)));
                                }
                                Err(problem) => error.set(Some(problem)),
                            }
                        }
                    />
                    <Show when=move || error.get().is_some()>
                        <span class=style::error role="alert">{move || error.get()}</span>
                    </Show>
                </div>
            })}
        </article>
    }
}
