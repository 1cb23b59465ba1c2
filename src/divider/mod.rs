//! The divider beside a pane: drag it, or focus it and press the arrow keys, to give the pane
//! more or less width. The width stays between limits and is remembered across reloads.

use leptos::prelude::*;

use crate::persistence::browser;

stylance::import_crate_style!(style, "src/divider/divider.module.css");

/// How far one arrow key press moves a divider, in CSS pixels.
const KEY_STEP: f64 = 24.0;

/// A pane's width, its limits and where it is remembered.
#[derive(Clone, Copy)]
pub struct PaneWidth {
    pub width: RwSignal<f64>,
    pub min: f64,
    pub max: f64,
    key: &'static str,
}

impl PaneWidth {
    /// The width the user left under `key`, or `default` (widths in CSS pixels).
    pub fn remembered(key: &'static str, default: f64, min: f64, max: f64) -> Self {
        let width = browser::read(key)
            .and_then(|text| text.parse::<f64>().ok())
            .map_or(default, |width| clamp(width, min, max));
        PaneWidth {
            width: RwSignal::new(width),
            min,
            max,
            key,
        }
    }

    /// Sets the width within the limits and remembers it (best effort: a full quota only
    /// forgets it).
    pub fn resize(self, width: f64) {
        let width = clamp(width, self.min, self.max);
        self.width.set(width);
        let _ = browser::write(self.key, &format!("{width:.0}"));
    }
}

/// `width` kept between `min` and `max` (a stored value that is not a number reads as the
/// narrowest).
pub fn clamp(width: f64, min: f64, max: f64) -> f64 {
    if width.is_nan() {
        return min;
    }
    width.clamp(min, max)
}

/// The width after pressing `key` on the divider of a pane `width` wide, or `None` for a key
/// the divider ignores. `pane_left`: the pane is left of the divider, so moving the divider
/// right widens it. Home and End move the divider to its leftmost and rightmost places.
pub fn key_width(pane: PaneWidth, width: f64, key: &str, pane_left: bool) -> Option<f64> {
    let sign = if pane_left { 1.0 } else { -1.0 };
    let (leftmost, rightmost) = if pane_left {
        (pane.min, pane.max)
    } else {
        (pane.max, pane.min)
    };
    Some(match key {
        "ArrowRight" => width + sign * KEY_STEP,
        "ArrowLeft" => width - sign * KEY_STEP,
        "Home" => leftmost,
        "End" => rightmost,
        _ => return None,
    })
}

/// A vertical divider that sets the width of the pane beside it.
#[component]
pub fn Divider(
    /// The width the divider sets.
    pane: PaneWidth,
    /// Whether the pane is left of the divider (else right of it).
    pane_left: bool,
    /// The divider's accessible name, e.g. "Resize the YAML pane".
    label: &'static str,
    /// The id of the pane it resizes.
    controls: &'static str,
    /// Its `data-testid`.
    testid: &'static str,
) -> impl IntoView {
    let sign = if pane_left { 1.0 } else { -1.0 };
    let dragging = StoredValue::new(None::<(f64, f64)>);
    let on_pointerdown = move |event: leptos::ev::PointerEvent| {
        event.prevent_default();
        dragging.set_value(Some((
            f64::from(event.client_x()),
            pane.width.get_untracked(),
        )));
        if let Some(target) = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
        {
            let _ = target.set_pointer_capture(event.pointer_id());
        }
    };
    let on_pointermove = move |event: leptos::ev::PointerEvent| {
        if let Some((start_x, start_width)) = dragging.get_value() {
            pane.resize(start_width + sign * (f64::from(event.client_x()) - start_x));
        }
    };
    let on_pointerup = move |_: leptos::ev::PointerEvent| dragging.set_value(None);
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if let Some(width) = key_width(pane, pane.width.get_untracked(), &event.key(), pane_left) {
            event.prevent_default();
            pane.resize(width);
        }
    };
    view! {
        <div
            class=style::divider
            role="separator"
            aria-orientation="vertical"
            aria-label=label
            aria-controls=controls
            aria-valuemin=pane.min
            aria-valuemax=pane.max
            aria-valuenow=move || format!("{:.0}", pane.width.get())
            tabindex="0"
            data-testid=testid
            on:pointerdown=on_pointerdown
            on:pointermove=on_pointermove
            on:pointerup=on_pointerup
            on:pointercancel=on_pointerup
            on:keydown=on_keydown
        ></div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_stay_between_the_limits() {
        assert_eq!(clamp(10.0, 260.0, 900.0), 260.0);
        assert_eq!(clamp(5_000.0, 260.0, 900.0), 900.0);
        assert_eq!(clamp(400.0, 260.0, 900.0), 400.0);
        assert_eq!(clamp(f64::NAN, 260.0, 900.0), 260.0);
    }
}
