//! The whole pipeline in miniature with the visible part outlined, shown while the canvas
//! does not fit: a click or drag on it moves the view there.

use leptos::prelude::*;

use super::geometry::{NODE_HEIGHT, NODE_WIDTH};
use super::style;
use super::viewport::Pair;

/// The minimap's largest size, in pixels.
const MAX_WIDTH: f64 = 200.0;
const MAX_HEIGHT: f64 = 110.0;

#[component]
pub fn Minimap(
    /// The drawing's size.
    content: Memo<Pair>,
    /// The jobs' top-left corners.
    nodes: Memo<Vec<(f64, f64)>>,
    /// The visible part: top-left and size.
    visible: Signal<(Pair, Pair)>,
    /// Centres the view on a drawing point.
    on_centre: Callback<Pair>,
) -> impl IntoView {
    let size = move || {
        let content = content.get();
        let scale = (MAX_WIDTH / content.x).min(MAX_HEIGHT / content.y);
        (content.x * scale, content.y * scale)
    };
    let pressed = RwSignal::new(false);
    let centre = move |ev: &web_sys::PointerEvent| {
        let Some(target) = ev.current_target() else {
            return;
        };
        let element: &web_sys::Element = wasm_bindgen::JsCast::unchecked_ref(&target);
        let rect = element.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return;
        }
        let content = content.get_untracked();
        on_centre.run(Pair::new(
            (f64::from(ev.client_x()) - rect.left()) * content.x / rect.width(),
            (f64::from(ev.client_y()) - rect.top()) * content.y / rect.height(),
        ));
    };
    view! {
        <svg
            class=style::minimap
            data-testid="minimap"
            role="img"
            aria-label="Minimap of the whole pipeline; click or drag to move the view"
            width=move || size().0
            height=move || size().1
            viewBox=move || format!("0 0 {} {}", content.get().x, content.get().y)
            on:pointerdown=move |ev| {
                ev.prevent_default();
                ev.stop_propagation();
                pressed.set(true);
                if let Some(target) = ev.current_target() {
                    let element: &web_sys::Element = wasm_bindgen::JsCast::unchecked_ref(&target);
                    let _ = element.set_pointer_capture(ev.pointer_id());
                }
                centre(&ev);
            }
            on:pointermove=move |ev| {
                if pressed.get_untracked() {
                    centre(&ev);
                }
            }
            on:pointerup=move |_| pressed.set(false)
            on:pointercancel=move |_| pressed.set(false)
        >
            {move || {
                nodes
                    .get()
                    .into_iter()
                    .map(|(x, y)| view! { <rect class=style::minimap_node x=x y=y width=NODE_WIDTH height=NODE_HEIGHT rx="8" /> })
                    .collect_view()
            }}
            {move || {
                let (start, size) = visible.get();
                view! {
                    <rect
                        class=style::minimap_view
                        data-testid="minimap-view"
                        x=start.x
                        y=start.y
                        width=size.x
                        height=size.y
                    />
                }
            }}
        </svg>
    }
}
