//! The system view: each service as a box (name, kind, port), an arrow for each service it
//! talks to, and the data stores of the design. Callers stand above what they call, side by
//! side with the other services of their row; the data stores stand at the bottom. Clicking a
//! service shows it in the per-service views.

use leptos::prelude::*;
use slipway_core::generate::compose::{postgres_image, uses_redis, REDIS_IMAGE};
use slipway_core::model::ServiceKind;
use slipway_core::Design;

use crate::services::{called, tone};
use crate::state::Store;

stylance::import_crate_style!(style, "src/system/system.module.css");

const BOX_WIDTH: f64 = 176.0;
const BOX_HEIGHT: f64 = 56.0;
const COLUMN_GAP: f64 = 40.0;
const ROW_GAP: f64 = 52.0;
/// Between the last row of services and the data stores.
const STORE_GAP: f64 = 64.0;
const PADDING: f64 = 16.0;

/// A service as drawn.
#[derive(Clone, PartialEq)]
struct ServiceBox {
    index: usize,
    name: String,
    detail: String,
    /// What it talks to, for its accessible name.
    calls: String,
    x: f64,
    y: f64,
}

/// A `talks_to` arrow.
#[derive(Clone, PartialEq)]
struct Link {
    from: String,
    to: String,
    path: String,
}

/// A data store as drawn, with the paths of the lines to the services that may use it.
#[derive(Clone, PartialEq)]
struct StoreBox {
    name: &'static str,
    image: String,
    x: f64,
    y: f64,
    lines: Vec<String>,
}

#[derive(Clone, PartialEq)]
struct Drawing {
    services: Vec<ServiceBox>,
    links: Vec<Link>,
    stores: Vec<StoreBox>,
    width: f64,
    height: f64,
}

/// The indices of the services the one at `index` talks to (by name, itself excluded).
fn targets(design: &Design, index: usize) -> Vec<usize> {
    let mut found = Vec::new();
    for name in &design.services[index].talks_to {
        if let Some(target) = design.services.iter().position(|s| s.name == *name) {
            if target != index && !found.contains(&target) {
                found.push(target);
            }
        }
    }
    found
}

/// Each service's row: one below the lowest service that talks to it (a cycle stops after as
/// many rounds as there are services).
fn levels(design: &Design, calls: &[Vec<usize>]) -> Vec<usize> {
    let mut column = vec![0; design.services.len()];
    for _ in 0..design.services.len() {
        let mut moved = false;
        for (from, targets) in calls.iter().enumerate() {
            for &to in targets {
                if column[to] < column[from] + 1 && column[from] + 1 < design.services.len() {
                    column[to] = column[from] + 1;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    column
}

/// A curve from `(x1, y1)` to `(x2, y2)` leaving and arriving along `dx`/`dy`.
fn curve(
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    (dx1, dy1): (f64, f64),
    (dx2, dy2): (f64, f64),
) -> String {
    format!(
        "M{x1},{y1} C{},{} {},{} {x2},{y2}",
        x1 + dx1,
        y1 + dy1,
        x2 + dx2,
        y2 + dy2
    )
}

/// The arrow between two boxes: bottom to top going down, else side to side (around the
/// right-hand sides for a box straight above).
fn link_path(from: (f64, f64), to: (f64, f64)) -> String {
    let (centre, middle) = (BOX_WIDTH / 2.0, BOX_HEIGHT / 2.0);
    if to.1 > from.1 {
        let bend = (to.1 - from.1 - BOX_HEIGHT) / 2.0;
        curve(
            from.0 + centre,
            from.1 + BOX_HEIGHT,
            to.0 + centre,
            to.1,
            (0.0, bend),
            (0.0, -bend),
        )
    } else if to.0 == from.0 {
        let bend = 40.0 + (from.1 - to.1) / 4.0;
        curve(
            from.0 + BOX_WIDTH,
            from.1 + middle,
            to.0 + BOX_WIDTH,
            to.1 + middle,
            (bend, 0.0),
            (bend, 0.0),
        )
    } else {
        let (start, end, bend) = if to.0 > from.0 {
            (from.0 + BOX_WIDTH, to.0, COLUMN_GAP / 2.0)
        } else {
            (from.0, to.0 + BOX_WIDTH, -COLUMN_GAP / 2.0)
        };
        curve(
            start,
            from.1 + middle,
            end,
            to.1 + middle,
            (bend, 0.0),
            (-bend, 0.0),
        )
    }
}

fn draw(design: &Design) -> Drawing {
    let calls: Vec<Vec<usize>> = (0..design.services.len())
        .map(|index| targets(design, index))
        .collect();
    let level = levels(design, &calls);
    // How many services each row holds so far.
    let mut rows = vec![0usize; design.services.len().max(1)];
    let mut place = vec![(0.0, 0.0); design.services.len()];
    for (index, &row) in level.iter().enumerate() {
        place[index] = (
            PADDING + rows[row] as f64 * (BOX_WIDTH + COLUMN_GAP),
            PADDING + row as f64 * (BOX_HEIGHT + ROW_GAP),
        );
        rows[row] += 1;
    }
    let name = |index: usize| called(&design.services[index].name, index);
    let services = design
        .services
        .iter()
        .enumerate()
        .map(|(index, service)| {
            let port = if service.kind.is_web() {
                format!(":{}", service.container.port)
            } else {
                "no port".to_owned()
            };
            ServiceBox {
                index,
                name: name(index),
                detail: format!("{} · {port}", service.kind.label()),
                calls: calls[index]
                    .iter()
                    .map(|&to| name(to))
                    .collect::<Vec<_>>()
                    .join(", "),
                x: place[index].0,
                y: place[index].1,
            }
        })
        .collect();
    let links = calls
        .iter()
        .enumerate()
        .flat_map(|(from, targets)| targets.iter().map(move |&to| (from, to)))
        .map(|(from, to)| Link {
            from: name(from),
            to: name(to),
            path: link_path(place[from], place[to]),
        })
        .collect();

    let rows_used = level.iter().max().map_or(1, |last| last + 1);
    let columns_used = rows.iter().copied().max().unwrap_or(1).max(1);
    let store_y = PADDING + rows_used as f64 * (BOX_HEIGHT + ROW_GAP) - ROW_GAP + STORE_GAP;
    let mut found = Vec::new();
    if let Some(image) = postgres_image(design) {
        found.push(("PostgreSQL", image));
    }
    if uses_redis(design) {
        found.push(("Redis", REDIS_IMAGE.to_owned()));
    }
    let users: Vec<usize> = (0..design.services.len())
        .filter(|&index| design.services[index].kind != ServiceKind::StaticSite)
        .collect();
    let stores: Vec<StoreBox> = found
        .into_iter()
        .enumerate()
        .map(|(slot, (name, image))| {
            let x = PADDING + slot as f64 * (BOX_WIDTH + COLUMN_GAP);
            let lines = users
                .iter()
                .map(|&user| {
                    let (sx, sy) = place[user];
                    curve(
                        sx + BOX_WIDTH / 2.0,
                        sy + BOX_HEIGHT,
                        x + BOX_WIDTH / 2.0,
                        store_y,
                        (0.0, STORE_GAP / 2.0),
                        (0.0, -STORE_GAP / 2.0),
                    )
                })
                .collect();
            StoreBox {
                name,
                image,
                x,
                y: store_y,
                lines,
            }
        })
        .collect::<Vec<_>>();
    // Room on the right for an arrow that goes round the right-hand sides.
    let around = calls.iter().enumerate().any(|(from, targets)| {
        targets
            .iter()
            .any(|&to| place[to].0 == place[from].0 && level[to] < level[from])
    });
    let width = columns_used.max(stores.len()) as f64 * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP
        + 2.0 * PADDING
        + if around { 64.0 } else { 0.0 };
    let height = if stores.is_empty() {
        store_y - STORE_GAP + PADDING
    } else {
        store_y + BOX_HEIGHT + PADDING
    };
    Drawing {
        services,
        links,
        stores,
        width,
        height,
    }
}

#[component]
pub fn SystemView() -> impl IntoView {
    let store = expect_context::<Store>();
    let drawing = Memo::new(move |_| store.design.with(draw));
    let size = move || drawing.with(|d| (d.width, d.height));
    let has_stores = move || drawing.with(|d| !d.stores.is_empty());

    view! {
        <div class=style::view>
            <div class=style::frame>
                <svg
                    class=style::diagram
                    role="group"
                    aria-label="Services, what they talk to and the data stores"
                    data-testid="system-diagram"
                    viewBox=move || format!("0 0 {} {}", size().0, size().1)
                    style:max-width=move || format!("{}px", size().0)
                >
                    <defs>
                        <marker id="system-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                            <path d="M 0 0 L 10 5 L 0 10 z" class=style::arrowhead />
                        </marker>
                    </defs>
                    {move || {
                        drawing.with(|d| {
                            d.stores
                                .iter()
                                .flat_map(|store| store.lines.clone())
                                .map(|line| view! { <path d=line class=style::uses /> })
                                .collect_view()
                        })
                    }}
                    {move || {
                        drawing.with(|d| {
                            d.links
                                .iter()
                                .map(|link| {
                                    view! {
                                        <path
                                            d=link.path.clone()
                                            class=style::link
                                            marker-end="url(#system-arrow)"
                                            data-testid="system-link"
                                            data-from=link.from.clone()
                                            data-to=link.to.clone()
                                        >
                                            <title>{format!("{} talks to {}", link.from, link.to)}</title>
                                        </path>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                    {move || {
                        drawing.with(|d| {
                            d.services.iter().cloned().map(|service| view! { <Service service /> }).collect_view()
                        })
                    }}
                    {move || {
                        drawing.with(|d| {
                            d.stores
                                .iter()
                                .map(|data| {
                                    view! {
                                        <g class=style::store data-testid="system-store" data-store=data.name>
                                            <rect x=data.x y=data.y width=BOX_WIDTH height=BOX_HEIGHT rx="14" />
                                            <text x=data.x + 14.0 y=data.y + 23.0 class=style::name>{data.name}</text>
                                            <text x=data.x + 14.0 y=data.y + 42.0 class=style::detail>{data.image.clone()}</text>
                                        </g>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </svg>
            </div>
            <p class=style::caption>
                "Arrows: the services each one talks to (compose's "<code>"depends_on"</code>" and "
                <code>"<NAME>_URL"</code>"). "
                {move || if has_stores() {
                    "Dashed lines: the design does not say which service uses which data store, so each web service and worker is linked to every store (compose gives them all the stores' URLs); static sites are not."
                } else {
                    "No data store: the design uses neither PostgreSQL nor Redis."
                }}
                " Choose a service to show it in the service views."
            </p>
        </div>
    }
}

/// One service's box: selecting it shows it in the per-service views.
#[component]
fn Service(
    /// The service as drawn.
    service: ServiceBox,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let index = service.index;
    let (x, y) = (service.x, service.y);
    let name = service.name.clone();
    // The name starts with the box's visible text, so a voice user can say what they see.
    let label = if service.calls.is_empty() {
        format!("{} {}", service.name, service.detail)
    } else {
        format!(
            "{} {}, talks to {}",
            service.name, service.detail, service.calls
        )
    };
    view! {
        <g
            class=style::service
            data-tone=tone(Some(index))
            data-testid="system-service"
            data-service=name
            role="button"
            tabindex="0"
            aria-label=label
            aria-pressed=move || (store.selected.get() == index).to_string()
            on:click=move |_| store.select_service(index)
            on:keydown=move |event| {
                if matches!(event.key().as_str(), "Enter" | " ") {
                    event.prevent_default();
                    store.select_service(index);
                }
            }
        >
            <rect x=x y=y width=BOX_WIDTH height=BOX_HEIGHT rx="8" />
            <rect class=style::stripe x=x + 4.0 y=y + 9.0 width="4" height=BOX_HEIGHT - 18.0 rx="2" />
            <text x=x + 16.0 y=y + 23.0 class=style::name>{service.name.clone()}</text>
            // Not drawn (SVG draws only text in <text>), but it keeps the name and the detail
            // apart in the box's text, which must read as its accessible name starts.
            {" "}
            <text x=x + 16.0 y=y + 42.0 class=style::detail>{service.detail}</text>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slipway_core::presets;

    fn preset(id: &str) -> Design {
        (presets::find(id).expect("preset").build)()
    }

    #[test]
    fn callers_stand_above_what_they_call_and_stores_below() {
        let drawing = draw(&preset("web-api-worker"));
        let at = |name: &str| {
            let service = drawing.services.iter().find(|s| s.name == name).unwrap();
            (service.x, service.y)
        };
        assert!(at("web").1 < at("api").1);
        assert_eq!(at("web").1, at("worker").1);
        assert!(at("web").0 < at("worker").0);
        assert_eq!(drawing.links.len(), 1);
        assert_eq!(
            (drawing.links[0].from.as_str(), drawing.links[0].to.as_str()),
            ("web", "api")
        );
        let names: Vec<_> = drawing.stores.iter().map(|s| s.name).collect();
        assert_eq!(names, ["PostgreSQL", "Redis"]);
        // The API and the worker use the stores; the static front end does not.
        assert!(drawing.stores.iter().all(|s| s.lines.len() == 2));
        let bottom = drawing.services.iter().map(|s| s.y).fold(0.0, f64::max);
        assert!(drawing.stores.iter().all(|s| s.y > bottom + BOX_HEIGHT));
        assert!(drawing
            .stores
            .iter()
            .all(|s| s.y + BOX_HEIGHT < drawing.height));
        let right = drawing.services.iter().map(|s| s.x).fold(0.0, f64::max);
        assert!(right + BOX_WIDTH < drawing.width);
    }

    #[test]
    fn a_cycle_of_calls_still_draws() {
        let mut design = preset("web-api-worker");
        design.services[1].talks_to = vec!["web".to_owned(), "api".to_owned()];
        let drawing = draw(&design);
        assert_eq!(drawing.links.len(), 2);
        assert!(drawing.width.is_finite() && drawing.height.is_finite());
    }
}
