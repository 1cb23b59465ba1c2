//! The pipeline DAG in SVG: jobs laid out in layers, `needs` as arrows. Drag from a job's
//! right-hand port onto another job to connect them; click an arrow to remove it.
//!
//! The drawing zooms (toolbar, `+`/`-`/`0`/`F`, Ctrl+wheel or pinch) and scrolls in its frame
//! (wheel, or drag on empty space); it never shrinks below legible labels by itself, and a
//! minimap shows the whole pipeline when it does not fit. Jobs dragged from the palette are
//! added where they are dropped.
//!
//! In a design of several services, each job is coloured and tagged with the service that
//! owns it (the one whose folder holds its working directory), repository-wide jobs in a
//! neutral colour, with a legend above the canvas.

use leptos::prelude::*;
use slipway_core::model::JobKind;
use slipway_core::pipeline_graph::{self, Layout};
use slipway_core::simulate;
use wasm_bindgen::JsCast;

use super::geometry::{
    column_at, column_band, drawing_size, node_origin, on_node, row_at, NODE_HEIGHT, NODE_WIDTH,
};
use super::minimap::Minimap;
use super::viewport::{self, Pair};
use super::zoom::View;
use super::{add_job, PipelineUi, JOB_KIND_DRAG};
use crate::services::{called, summaries, tone};
use crate::state::Store;
use slipway_core::facts::jobs::owning_service;

use super::style;

fn edge_path(from: (f64, f64), to: (f64, f64)) -> String {
    let (x1, y1) = (from.0 + NODE_WIDTH, from.1 + NODE_HEIGHT / 2.0);
    let (x2, y2) = (to.0, to.1 + NODE_HEIGHT / 2.0);
    let bend = ((x2 - x1) / 2.0).max(30.0);
    format!(
        "M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}",
        x1 + bend,
        x2 - bend
    )
}

/// A job as drawn: its id, labels and position.
#[derive(Clone, PartialEq)]
struct DrawnJob {
    id: String,
    title: String,
    kind: &'static str,
    needs: String,
    /// The owning service's index, `None` for a repository-wide job.
    service: Option<usize>,
    /// The owning service's name (or `repository`) in a design of several services.
    owner: Option<String>,
    x: f64,
    y: f64,
}

/// An arrow from the needed job to the dependent one.
#[derive(Clone, PartialEq)]
struct DrawnEdge {
    needed: String,
    dependent: String,
    path: String,
    middle: (f64, f64),
    /// Where the arrow leaves the needed job and where it enters the dependent one.
    start: (f64, f64),
    end: (f64, f64),
}

#[derive(Clone, Copy, PartialEq)]
struct Drag {
    from_x: f64,
    from_y: f64,
    to_x: f64,
    to_y: f64,
}

#[component]
pub fn Canvas() -> impl IntoView {
    let store = expect_context::<Store>();
    let ui = expect_context::<PipelineUi>();
    let layout = Memo::new(move |_| {
        store
            .design
            .with(|d| pipeline_graph::layout(&d.pipeline.jobs))
    });
    let drawing = Memo::new(move |_| {
        let layout: Layout = layout.get();
        store.design.with(|design| {
            let jobs = &design.pipeline.jobs;
            let several = design.services.len() > 1;
            let position = |index: usize| {
                let placement = layout.placements[index];
                node_origin(placement.layer, placement.row)
            };
            let nodes: Vec<DrawnJob> = jobs
                .iter()
                .enumerate()
                .map(|(index, job)| {
                    let (x, y) = position(index);
                    let service = owning_service(design, job).map(|(index, _)| index);
                    DrawnJob {
                        id: job.id.clone(),
                        title: job.name.clone(),
                        kind: job.kind.label(),
                        needs: job.needs.join(", "),
                        service,
                        owner: several.then(|| match service {
                            Some(index) => called(&design.services[index].name, index),
                            None => "repository".to_owned(),
                        }),
                        x,
                        y,
                    }
                })
                .collect();
            let edges: Vec<DrawnEdge> = layout
                .edges
                .iter()
                .map(|&(needed, dependent)| {
                    let from = position(needed);
                    let to = position(dependent);
                    DrawnEdge {
                        needed: jobs[needed].id.clone(),
                        dependent: jobs[dependent].id.clone(),
                        path: edge_path(from, to),
                        middle: (
                            (from.0 + NODE_WIDTH + to.0) / 2.0,
                            (from.1 + to.1 + NODE_HEIGHT) / 2.0,
                        ),
                        start: (from.0 + NODE_WIDTH, from.1 + NODE_HEIGHT / 2.0),
                        end: (to.0, to.1 + NODE_HEIGHT / 2.0),
                    }
                })
                .collect();
            (nodes, edges)
        })
    });
    let content = Memo::new(move |_| {
        let layout = layout.get();
        let (width, height) = drawing_size(layout.layers, layout.rows);
        Pair::new(width, height)
    });
    let outcomes = Memo::new(move |_| {
        ui.scenario.get().map(|scenario| {
            store
                .design
                .with(|design| simulate::simulate(design, &scenario))
        })
    });
    let outcome_of = move |id: &str| {
        outcomes.with(|outcomes| {
            outcomes
                .as_ref()
                .and_then(|list| list.iter().find(|o| o.job == id))
                .map(|o| (o.runs, o.reason.clone()))
        })
    };

    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let zoom = View::new(content);
    let drag = RwSignal::new(None::<Drag>);
    let drag_source = StoredValue::new(String::new());
    // The arrow whose end is being dragged to another job, if the drag started at its handle.
    let reconnecting = StoredValue::new(None::<(String, String)>);
    let selected_edge = RwSignal::new(None::<(String, String)>);
    let drop_target = RwSignal::new(None::<DropTarget>);
    // Client pixels to drawing units, whatever the zoom and scroll.
    let to_canvas = move |client_x: i32, client_y: i32| {
        svg_ref
            .get_untracked()
            .map(|svg| {
                let rect = svg.get_bounding_client_rect();
                let scale = if rect.width() > 0.0 {
                    content.get_untracked().x / rect.width()
                } else {
                    1.0
                };
                (
                    (f64::from(client_x) - rect.left()) * scale,
                    (f64::from(client_y) - rect.top()) * scale,
                )
            })
            .unwrap_or_default()
    };
    // A release within a few units of a job still lands on it.
    let job_at = move |x: f64, y: f64, slack: f64| {
        drawing.with_untracked(|(nodes, _)| {
            nodes
                .iter()
                .find(|n| on_node((n.x, n.y), x, y, slack))
                .map(|n| n.id.clone())
        })
    };
    let finish_drag = move |client_x: i32, client_y: i32| {
        if drag.get_untracked().is_none() {
            return;
        }
        drag.set(None);
        let (x, y) = to_canvas(client_x, client_y);
        let source = drag_source.get_value();
        if let Some((needed, dependent)) = reconnecting.try_update_value(Option::take).flatten() {
            let Some(target) = job_at(x, y, DROP_SLACK) else {
                ui.status.set(Some(format!(
                    "Not moved: the end of the arrow {needed} → {dependent} was released between jobs — release it on a job"
                )));
                return;
            };
            if target == dependent {
                return;
            }
            let mut refusal = None;
            store.edit(&format!("Reconnect {needed} → {target}"), |design| {
                refusal = pipeline_graph::reconnect(design, &needed, &dependent, &target).err();
            });
            if refusal.is_none() {
                selected_edge.set(None);
                ui.status.set(Some(format!(
                    "Moved the arrow: {target} needs {needed} instead of {dependent}"
                )));
            } else {
                ui.status.set(None);
            }
            ui.refusal.set(refusal);
            return;
        }
        let Some(target) = job_at(x, y, DROP_SLACK) else {
            ui.status.set(Some(format!(
                "Not connected: the arrow from {source} was released between jobs — release it on a job"
            )));
            return;
        };
        if target == source {
            return;
        }
        let mut refusal = None;
        store.edit(&format!("Connect {source} → {target}"), |design| {
            refusal = pipeline_graph::connect(design, &source, &target).err();
        });
        ui.status.set(None);
        ui.refusal.set(refusal);
    };
    // Where a job dragged from the palette would go.
    let drop_target_at = move |client_x: i32, client_y: i32| {
        let (x, y) = to_canvas(client_x, client_y);
        if let Some(id) = job_at(x, y, DROP_SLACK) {
            return DropTarget::Job(id);
        }
        match column_at(x, layout.with_untracked(|layout| layout.layers)) {
            Some(layer) => DropTarget::Column(layer, row_at(y)),
            None => DropTarget::Outside,
        }
    };
    let drop_job = move |kind: JobKind, target: DropTarget| {
        let message = match target {
            DropTarget::Job(needed) => {
                let added = add_job(store, ui, kind, Some(&needed));
                format!("Added {added} after {needed}: dropped on {needed}, so it needs {needed}")
            }
            DropTarget::Column(layer, row) => {
                let needed = layout
                    .with_untracked(|layout| pipeline_graph::anchor_for_layer(layout, layer, row))
                    .and_then(|index| {
                        store.design.with_untracked(|design| {
                            design.pipeline.jobs.get(index).map(|job| job.id.clone())
                        })
                    });
                let added = add_job(store, ui, kind, needed.as_deref());
                match needed {
                    Some(needed) => {
                        format!("Added {added} in column {}: it needs {needed}", layer + 1)
                    }
                    None => format!("Added {added} in the first column: it needs no job"),
                }
            }
            DropTarget::Outside => {
                "Dropped outside any column — drop on the canvas or a job".to_owned()
            }
        };
        ui.refusal.set(None);
        ui.status.set(Some(message));
    };
    // Only the jobs' places, so that renaming a job or service leaves the minimap alone.
    let positions = Memo::new(move |_| {
        drawing.with(|(nodes, _)| nodes.iter().map(|n| (n.x, n.y)).collect::<Vec<_>>())
    });
    let highlighted = move |id: &str| {
        drop_target.with(|target| matches!(target, Some(DropTarget::Job(job)) if job == id))
    };

    view! {
        <div
            class=style::canvas_area
            on:keydown=move |ev| {
                if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || typing(&ev) {
                    return;
                }
                match ev.key().as_str() {
                    "+" | "=" => zoom.zoom_by(viewport::STEP, None),
                    "-" | "_" => zoom.zoom_by(1.0 / viewport::STEP, None),
                    "0" => zoom.zoom_to(1.0, None),
                    "f" | "F" => zoom.fit(),
                    _ => return,
                }
                ev.prevent_default();
            }
        >
        <div class=style::canvas_bar>
            <Legend />
                <div class=style::canvas_tools role="toolbar" aria-label="Zoom">
                    <button type="button" aria-label="Zoom out" title="Zoom out (−)" data-testid="zoom-out" on:click=move |_| zoom.zoom_by(1.0 / viewport::STEP, None)>"−"</button>
                    <output class=style::zoom_percent data-testid="zoom-percent" aria-label="Zoom level">
                        {move || format!("{:.0}%", zoom.scale.get() * 100.0)}
                    </output>
                    <button type="button" aria-label="Zoom in" title="Zoom in (+)" data-testid="zoom-in" on:click=move |_| zoom.zoom_by(viewport::STEP, None)>"+"</button>
                    <button type="button" aria-label="Fit the pipeline" title="Fit (F): as much as fits with legible labels" data-testid="zoom-fit" on:click=move |_| zoom.fit()>"Fit"</button>
                    <button type="button" aria-label="Reset zoom to 100%" title="100% (0)" data-testid="zoom-reset" on:click=move |_| zoom.zoom_to(1.0, None)>"100%"</button>
                </div>
        </div>
        <div class=style::canvas_wrap>
        <div
            node_ref=zoom.frame
            class=style::canvas_frame
            tabindex="-1"
            data-testid="canvas-frame"
            data-panning=move || zoom.panning().then_some("true")
            data-dropping=move || drop_target.with(Option::is_some).then_some("true")
            style:height=move || format!("min(46vh, {}px)", content.get().y.max(120.0) + 18.0)
            on:scroll=move |_| zoom.measure()
            on:wheel=move |ev| zoom.wheel(&ev)
            on:pointerdown=move |ev| zoom.start_pan(&ev)
            on:pointermove=move |ev| zoom.pan(&ev)
            on:pointerup=move |ev| zoom.end_pan(&ev)
            on:pointercancel=move |ev| zoom.end_pan(&ev)
            on:dragover=move |ev| {
                if store.read_only || !carries_job(&ev) {
                    return;
                }
                ev.prevent_default();
                if let Some(data) = ev.data_transfer() {
                    data.set_drop_effect("copy");
                }
                let target = drop_target_at(ev.client_x(), ev.client_y());
                if drop_target.with_untracked(|current| current.as_ref() != Some(&target)) {
                    drop_target.set(Some(target));
                }
            }
            on:dragleave=move |ev| {
                let inside = zoom
                    .frame
                    .get_untracked()
                    .zip(ev.related_target().and_then(|node| node.dyn_into::<web_sys::Node>().ok()))
                    .is_some_and(|(frame, node)| frame.contains(Some(&node)));
                if !inside {
                    drop_target.set(None);
                }
            }
            on:drop=move |ev| {
                let Some(kind) = ev
                    .data_transfer()
                    .and_then(|data| data.get_data(JOB_KIND_DRAG).ok())
                    .and_then(|id| JobKind::parse(&id))
                else {
                    return;
                };
                drop_target.set(None);
                if store.read_only {
                    return;
                }
                ev.prevent_default();
                drop_job(kind, drop_target_at(ev.client_x(), ev.client_y()));
            }
        >
            <svg
                node_ref=svg_ref
                class=style::canvas
                role="group"
                aria-label="Pipeline jobs and their dependencies"
                data-testid="pipeline-canvas"
                viewBox=move || format!("0 0 {} {}", content.get().x, content.get().y)
                width=move || content.get().x * zoom.scale.get()
                height=move || content.get().y * zoom.scale.get()
                on:pointermove=move |ev| {
                    if let Some(current) = drag.get_untracked() {
                        zoom.scroll_at_edge(&ev);
                        let (x, y) = to_canvas(ev.client_x(), ev.client_y());
                        drag.set(Some(Drag { to_x: x, to_y: y, ..current }));
                    }
                }
                on:pointerup=move |ev| finish_drag(ev.client_x(), ev.client_y())
                on:pointerleave=move |_| {
                    drag.set(None);
                    reconnecting.set_value(None);
                }
            >
                <rect class=style::pan_surface data-pan="true" x="0" y="0" width=move || content.get().x height=move || content.get().y />
                {move || match drop_target.get() {
                    Some(DropTarget::Column(layer, _)) => {
                        let (x, width) = column_band(layer);
                        Some(view! { <rect class=style::drop_band data-testid="drop-column" data-column=layer x=x y="0" width=width height=content.get().y rx="6" /> })
                    }
                    _ => None,
                }}
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class=style::arrowhead />
                    </marker>
                </defs>
                <For each=move || drawing.get().1 key=|edge| (edge.needed.clone(), edge.dependent.clone(), edge.path.clone()) let:edge>
                    {
                        let key = (edge.needed.clone(), edge.dependent.clone());
                        let key_for_click = key.clone();
                        let key_for_state = key.clone();
                        let (needed, dependent) = key.clone();
                        let (mx, my) = edge.middle;
                        view! {
                            <g class=style::edge data-testid="edge" data-from=needed.clone() data-to=dependent.clone()>
                                <path d=edge.path.clone() class=style::edge_line marker-end="url(#arrow)" />
                                <path
                                    d=edge.path.clone()
                                    class=style::edge_hit
                                    on:click=move |_| selected_edge.set(Some(key_for_click.clone()))
                                >
                                    <title>{format!("{dependent} needs {needed}: click to remove")}</title>
                                </path>
                                <Show when=move || selected_edge.get().as_ref() == Some(&key_for_state)>
                                    {
                                        let (needed, dependent) = key.clone();
                                        view! {
                                            <g
                                                class=style::edge_remove
                                                role="button"
                                                tabindex="0"
                                                aria-label=format!("Remove: {dependent} needs {needed}")
                                                data-testid="remove-edge"
                                                on:click={
                                                    let (needed, dependent) = (needed.clone(), dependent.clone());
                                                    move |_| {
                                                        store.edit(&format!("Disconnect {needed} → {dependent}"), |design| {
                                                            pipeline_graph::disconnect(design, &needed, &dependent);
                                                        });
                                                        selected_edge.set(None);
                                                    }
                                                }
                                            >
                                                <circle cx=mx cy=my r="10" />
                                                <text x=mx y=my + 4.0 text-anchor="middle">"×"</text>
                                            </g>
                                        }
                                    }
                                </Show>
                            </g>
                        }
                    }
                </For>
                <For each=move || drawing.get().0 key=|node| (node.id.clone(), node.title.clone(), node.kind, node.needs.clone(), node.owner.clone(), node.service, node.x as i64, node.y as i64) let:node>
                    {
                        let id = node.id.clone();
                        let select_id = id.clone();
                        let key_id = id.clone();
                        let state_id = id.clone();
                        let pressed_id = id.clone();
                        let outcome_id = id.clone();
                        let status_id = id.clone();
                        let drag_id = id.clone();
                        let drop_id = id.clone();
                        let title_id = id.clone();
                        let (x, y) = (node.x, node.y);
                        let service = node.service;
                        // In a design of several services, the service is the node's third line.
                        let tagged = node.owner.is_some();
                        let needs = if node.needs.is_empty() {
                            String::new()
                        } else {
                            format!(", needs {}", node.needs)
                        };
                        // The name starts with the node's visible text (id, kind, service tag),
                        // so a voice user can say what they see.
                        let label = match &node.owner {
                            Some(owner) if short(owner) != *owner => {
                                format!("{} {} {}, service {owner}{needs}", node.id, node.kind, short(owner))
                            }
                            Some(owner) => format!("{} {} {owner}{needs}", node.id, node.kind),
                            None => format!("{} {}{needs}", node.id, node.kind),
                        };
                        view! {
                            <g
                                class=move || {
                                    let mut classes = vec![style::node];
                                    if ui.is_chosen(&state_id) {
                                        classes.push(style::selected);
                                    }
                                    if highlighted(&drop_id) {
                                        classes.push(style::drop_on);
                                    }
                                    match outcome_of(&outcome_id) {
                                        Some((true, _)) => classes.push(style::runs),
                                        Some((false, _)) => classes.push(style::skipped),
                                        None => {}
                                    }
                                    classes.join(" ")
                                }
                                data-status=move || match outcome_of(&status_id) {
                                    Some((true, _)) => "runs",
                                    Some((false, _)) => "skipped",
                                    None => "",
                                }
                                role="button"
                                tabindex="0"
                                aria-label=label
                                data-testid="job-node"
                                data-job=id.clone()
                                data-tone=tagged.then(|| tone(service))
                                aria-pressed=move || ui.is_chosen(&pressed_id).to_string()
                                on:click=move |ev| {
                                    if ev.shift_key() || ev.ctrl_key() || ev.meta_key() {
                                        ui.toggle(select_id.clone());
                                    } else {
                                        ui.select(select_id.clone());
                                    }
                                }
                                on:keydown=move |ev| {
                                    match ev.key().as_str() {
                                        "Enter" | " " => {
                                            ev.prevent_default();
                                            if ev.shift_key() {
                                                ui.toggle(key_id.clone());
                                            } else {
                                                ui.select(key_id.clone());
                                            }
                                        }
                                        "Escape" => ui.marked.set(Vec::new()),
                                        "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" => {
                                            ev.prevent_default();
                                            let forward = matches!(ev.key().as_str(), "ArrowRight" | "ArrowDown");
                                            focus_neighbour(&key_id, forward);
                                        }
                                        "Delete" | "Backspace" => {
                                            ev.prevent_default();
                                            // The node's own job, with the others selected
                                            // when it is one of them.
                                            if !ui.is_chosen(&key_id) {
                                                ui.select(key_id.clone());
                                            }
                                            ui.delete_chosen(store);
                                        }
                                        _ => {}
                                    }
                                }
                            >
                                <rect x=x y=y width=NODE_WIDTH height=NODE_HEIGHT rx="8" />
                                <text x=x + 12.0 y=y + if tagged { 18.0 } else { 23.0 } class=style::node_id>{node.id.clone()}</text>
                                // Not drawn: keeps the lines apart in the node's text.
                                {" "}
                                <text x=x + 12.0 y=y + if tagged { 33.0 } else { 42.0 } class=style::node_kind>{node.kind}</text>
                                {" "}
                                {node.owner.clone().map(|owner| view! {
                                    <rect class=style::stripe x=x + 4.0 y=y + 9.0 width="4" height=NODE_HEIGHT - 18.0 rx="2" />
                                    <text x=x + 12.0 y=y + 48.0 class=style::tag data-testid="job-service">{short(&owner)}</text>
                                })}
                                <title>{move || {
                                    outcome_of(&title_id).map_or_else(|| node.title.clone(), |(_, reason)| reason)
                                }}</title>
                                <circle
                                    class=style::port
                                    cx=x + NODE_WIDTH
                                    cy=y + NODE_HEIGHT / 2.0
                                    r="7"
                                    data-testid="port"
                                    on:pointerdown=move |ev| {
                                        ev.stop_propagation();
                                        ev.prevent_default();
                                        drag_source.set_value(drag_id.clone());
                                        let (sx, sy) = (x + NODE_WIDTH, y + NODE_HEIGHT / 2.0);
                                        drag.set(Some(Drag { from_x: sx, from_y: sy, to_x: sx, to_y: sy }));
                                    }
                                >
                                    <title>"Drag onto another job to make it need this one"</title>
                                </circle>
                            </g>
                        }
                    }
                </For>
                // The chosen arrow's end, above every arrow and job so that it can be grabbed.
                {move || {
                    let (needed, dependent) = selected_edge.get()?;
                    let (start, end) = drawing.with(|(_, edges)| {
                        edges
                            .iter()
                            .find(|edge| edge.needed == needed && edge.dependent == dependent)
                            .map(|edge| (edge.start, edge.end))
                    })?;
                    let title = format!("Drag onto another job to make it need {needed} instead of {dependent}");
                    Some(view! {
                        <circle
                            class=style::edge_handle
                            // Just before the arrowhead, clear of the job it enters.
                            cx=end.0 - 10.0
                            cy=end.1
                            r="7"
                            data-testid="edge-handle"
                            data-from=needed.clone()
                            data-to=dependent.clone()
                            on:pointerdown=move |ev: web_sys::PointerEvent| {
                                ev.stop_propagation();
                                ev.prevent_default();
                                drag_source.set_value(needed.clone());
                                reconnecting.set_value(Some((needed.clone(), dependent.clone())));
                                drag.set(Some(Drag { from_x: start.0, from_y: start.1, to_x: end.0, to_y: end.1 }));
                            }
                        >
                            <title>{title}</title>
                        </circle>
                    })
                }}
                <Show when=move || drag.get().is_some()>
                    {move || {
                        drag.get().map(|d| {
                            view! { <line class=style::drag_line x1=d.from_x y1=d.from_y x2=d.to_x y2=d.to_y /> }
                        })
                    }}
                </Show>
            </svg>
        </div>
        <Show when=move || !zoom.whole_visible()>
            <Minimap
                content=content
                nodes=positions
                visible=Signal::derive(move || zoom.visible())
                on_centre=Callback::new(move |point| zoom.centre_on(point))
            />
        </Show>
        </div>
        </div>
    }
}

/// How far (in drawing units) beside a job a drop still lands on it.
const DROP_SLACK: f64 = 9.0;

/// Where a job dragged from the palette would be added.
#[derive(Clone, Debug, PartialEq)]
enum DropTarget {
    /// On a job: the new job needs it.
    Job(String),
    /// In a column, near a fractional row: the new job needs the nearest job of the column before.
    Column(usize, f64),
    Outside,
}

/// Whether a drag carries a job kind from the palette.
fn carries_job(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer()
        .is_some_and(|data| data.types().includes(&JOB_KIND_DRAG.into(), 0))
}

/// Whether a key event comes from a text field, whose keys are never shortcuts.
fn typing(ev: &web_sys::KeyboardEvent) -> bool {
    ev.target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.is_content_editable()
        })
}

/// A service name short enough for a job's tag; the legend and the job's label give it whole.
fn short(name: &str) -> String {
    // 17 characters and the ellipsis fit beside the port at the tag's 12 px.
    match name.char_indices().nth(17) {
        Some((end, _)) => format!("{}…", &name[..end]),
        None => name.to_owned(),
    }
}

/// Which colour is which service, in a design of several: each entry shows its service in the
/// per-service views.
#[component]
fn Legend() -> impl IntoView {
    let store = expect_context::<Store>();
    let services = summaries(store);
    view! {
        <Show when=move || services.with(|services| services.len() > 1)>
            <ul class=style::legend aria-label="Jobs by service" data-testid="service-legend">
                {move || {
                    services
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, (name, _))| {
                            let name = called(&name, index);
                            let title = format!("Show {name} in the service views");
                            view! {
                                <li data-tone=tone(Some(index))>
                                    <button
                                        type="button"
                                        class=style::legend_entry
                                        data-testid="legend-service"
                                        title=title
                                        aria-pressed=move || (store.selected.get() == index).to_string()
                                        on:click=move |_| store.select_service(index)
                                    >
                                        <span class=style::swatch aria-hidden="true"></span>
                                        {name}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
                <li data-tone=tone(None) class=style::legend_entry data-testid="legend-repository">
                    <span class=style::swatch aria-hidden="true"></span>
                    "repository"
                </li>
            </ul>
        </Show>
    }
}

/// The canvas's job nodes, in reading order (layer by layer).
fn job_nodes() -> Vec<web_sys::Element> {
    let nodes = document().get_elements_by_class_name(style::node);
    (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .collect()
}

fn focus_element(element: &web_sys::Element) {
    if let Some(element) = element.dyn_ref::<web_sys::SvgElement>() {
        let _ = element.focus();
    }
}

/// Moves keyboard focus to the job node after (or before) the job `id`, wrapping around.
fn focus_neighbour(id: &str, forward: bool) {
    let nodes = job_nodes();
    let Some(position) = nodes
        .iter()
        .position(|node| node.get_attribute("data-job").as_deref() == Some(id))
    else {
        return;
    };
    let next = if forward {
        (position + 1) % nodes.len()
    } else {
        (position + nodes.len() - 1) % nodes.len()
    };
    focus_element(&nodes[next]);
}

/// Moves keyboard focus to the job `id`'s node, if it is on the canvas.
pub fn focus_job(id: &str) {
    if let Some(node) = job_nodes()
        .iter()
        .find(|node| node.get_attribute("data-job").as_deref() == Some(id))
    {
        focus_element(node);
    }
}
