//! The canvas's zoom and scroll in the browser: the frame, its measurements and the
//! gestures (buttons, keys, Ctrl+wheel, panning, a two-finger pinch, the minimap) that change
//! them. The
//! arithmetic is in [`super::viewport`].

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::viewport::{self, Pair};

/// The canvas's zoom and scroll: the scale is a signal, the scroll is the frame's own (so the
/// wheel and scroll bars work natively), mirrored in signals for the minimap.
#[derive(Clone, Copy)]
pub struct View {
    pub frame: NodeRef<leptos::html::Div>,
    content: Memo<Pair>,
    pub scale: RwSignal<f64>,
    frame_size: RwSignal<Pair>,
    scroll: RwSignal<Pair>,
    /// The pointer and scroll where a pan started.
    pan_start: RwSignal<Option<(Pair, Pair)>>,
    /// Whether the view is the fitted one (it fits again when the pipeline changes size).
    fitted: StoredValue<bool>,
    /// The fingers on the frame (pointer id and position), for a pinch.
    touches: StoredValue<Vec<(i32, Pair)>>,
    /// A pinch in progress: the fingers' distance and the scale when it started.
    pinch: StoredValue<Option<(f64, f64)>>,
}

impl View {
    pub fn new(content: Memo<Pair>) -> Self {
        let zoom = Self {
            frame: NodeRef::new(),
            content,
            scale: RwSignal::new(1.0),
            frame_size: RwSignal::new(Pair::default()),
            scroll: RwSignal::new(Pair::default()),
            pan_start: RwSignal::new(None),
            fitted: StoredValue::new(true),
            touches: StoredValue::new(Vec::new()),
            pinch: StoredValue::new(None),
        };
        // The default view is the fitted one, again whenever the pipeline's size changes while
        // the user has not zoomed.
        Effect::new(move |_| {
            content.track();
            request_animation_frame(move || {
                zoom.measure();
                if zoom.fitted.get_value() {
                    zoom.refit();
                }
            });
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| zoom.measure());
        on_cleanup(move || resize.remove());
        zoom
    }

    /// Reads the frame's size and scroll offsets into the signals.
    pub fn measure(self) {
        let Some(frame) = self.frame.get_untracked() else {
            return;
        };
        let size = Pair::new(
            f64::from(frame.client_width()),
            f64::from(frame.client_height()),
        );
        let scroll = Pair::new(
            f64::from(frame.scroll_left()),
            f64::from(frame.scroll_top()),
        );
        if self.frame_size.get_untracked() != size {
            self.frame_size.set(size);
        }
        if self.scroll.get_untracked() != scroll {
            self.scroll.set(scroll);
        }
    }

    /// Scrolls the frame once the drawing has its new size.
    fn scroll_later(self, to: Pair) {
        request_animation_frame(move || {
            if let Some(frame) = self.frame.get_untracked() {
                frame.set_scroll_left(to.x.round() as i32);
                frame.set_scroll_top(to.y.round() as i32);
            }
            self.measure();
        });
    }

    pub fn zoom_to(self, scale: f64, pointer: Option<Pair>) {
        self.measure();
        let from = self.scale.get_untracked();
        let to = viewport::clamp_zoom(scale);
        self.fitted.set_value(false);
        if (to - from).abs() < 1e-9 {
            return;
        }
        let frame = self.frame_size.get_untracked();
        let pointer = pointer.unwrap_or(Pair::new(frame.x / 2.0, frame.y / 2.0));
        let scroll = viewport::zoom_scroll(
            self.content.get_untracked(),
            frame,
            self.scroll.get_untracked(),
            pointer,
            from,
            to,
        );
        self.scale.set(to);
        self.scroll_later(scroll);
    }

    pub fn zoom_by(self, factor: f64, pointer: Option<Pair>) {
        self.zoom_to(self.scale.get_untracked() * factor, pointer);
    }

    /// The fitted view: the whole pipeline if it fits with legible labels, else its start.
    pub fn fit(self) {
        self.refit();
        self.scroll_later(Pair::default());
    }

    /// The fitted view's scale, leaving the scroll where it is (the pipeline changed size).
    fn refit(self) {
        self.measure();
        let scale = viewport::fit_scale(
            self.content.get_untracked(),
            self.frame_size.get_untracked(),
        );
        if self.scale.get_untracked() != scale {
            self.scale.set(scale);
        }
        self.fitted.set_value(true);
    }

    pub fn centre_on(self, point: Pair) {
        self.measure();
        let scroll = viewport::centre_on(
            self.content.get_untracked(),
            self.frame_size.get_untracked(),
            self.scale.get_untracked(),
            point,
        );
        self.scroll_later(scroll);
    }

    /// The pointer's position in the frame's visible area.
    fn pointer(self, ev: &web_sys::MouseEvent) -> Option<Pair> {
        let frame = self.frame.get_untracked()?;
        let rect = frame.get_bounding_client_rect();
        Some(Pair::new(
            f64::from(ev.client_x()) - rect.left() - f64::from(frame.client_left()),
            f64::from(ev.client_y()) - rect.top() - f64::from(frame.client_top()),
        ))
    }

    /// Ctrl+wheel (and a trackpad's pinch) zooms around the pointer; a plain wheel scrolls.
    pub fn wheel(self, ev: &web_sys::WheelEvent) {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        ev.prevent_default();
        let lines = if ev.delta_mode() == web_sys::WheelEvent::DOM_DELTA_LINE {
            16.0
        } else {
            1.0
        };
        self.zoom_by(
            viewport::wheel_factor(ev.delta_y() * lines),
            self.pointer(ev),
        );
    }

    /// An arrow dragged near the frame's edge scrolls the drawing that way, so a job out of
    /// view can still be reached.
    pub fn scroll_at_edge(self, ev: &web_sys::MouseEvent) {
        const EDGE: f64 = 28.0;
        const STEP: f64 = 14.0;
        let (Some(frame), Some(pointer)) = (self.frame.get_untracked(), self.pointer(ev)) else {
            return;
        };
        let size = self.frame_size.get_untracked();
        let step = |at: f64, length: f64| {
            if at < EDGE {
                -STEP
            } else if at > length - EDGE {
                STEP
            } else {
                0.0
            }
        };
        let (dx, dy) = (step(pointer.x, size.x), step(pointer.y, size.y));
        if dx != 0.0 || dy != 0.0 {
            frame.scroll_by_with_x_and_y(dx, dy);
            self.fitted.set_value(false);
            self.measure();
        }
    }

    /// Two fingers' distance and midpoint, when two are down.
    fn fingers(self) -> Option<(f64, Pair)> {
        self.touches.with_value(|touches| match touches.as_slice() {
            [(_, a), (_, b)] => Some((
                (a.x - b.x).hypot(a.y - b.y),
                Pair::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
            )),
            _ => None,
        })
    }

    /// A finger touching the frame; a second one starts a pinch (and ends a pan).
    fn touch_down(self, ev: &web_sys::PointerEvent) {
        let Some(pointer) = self.pointer(ev) else {
            return;
        };
        self.touches.update_value(|touches| {
            touches.retain(|(id, _)| *id != ev.pointer_id());
            touches.push((ev.pointer_id(), pointer));
        });
        if let Some((distance, _)) = self.fingers() {
            ev.prevent_default();
            self.pan_start.set(None);
            self.pinch
                .set_value(Some((distance.max(1.0), self.scale.get_untracked())));
        }
    }

    /// Two fingers moving apart zoom in around their midpoint, together zoom out.
    fn touch_move(self, ev: &web_sys::PointerEvent) -> bool {
        let Some(pointer) = self.pointer(ev) else {
            return false;
        };
        self.touches.update_value(|touches| {
            if let Some(touch) = touches.iter_mut().find(|(id, _)| *id == ev.pointer_id()) {
                touch.1 = pointer;
            }
        });
        let (Some((start, scale)), Some((distance, middle))) =
            (self.pinch.get_value(), self.fingers())
        else {
            return false;
        };
        ev.prevent_default();
        self.zoom_to(scale * distance / start, Some(middle));
        true
    }

    fn touch_up(self, ev: &web_sys::PointerEvent) {
        self.touches
            .update_value(|touches| touches.retain(|(id, _)| *id != ev.pointer_id()));
        if self.fingers().is_none() {
            self.pinch.set_value(None);
        }
    }

    /// A press on empty space (not a job, port or arrow) starts a pan.
    pub fn start_pan(self, ev: &web_sys::PointerEvent) {
        if ev.pointer_type() == "touch" {
            self.touch_down(ev);
            if self.pinch.with_value(Option::is_some) {
                return;
            }
        }
        let empty =
            ev.target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|element| {
                    element.has_attribute("data-pan")
                        || self.frame.get_untracked().is_some_and(|frame| {
                            &element == frame.unchecked_ref::<web_sys::Element>()
                        })
                });
        if !empty || ev.button() != 0 {
            return;
        }
        let (Some(frame), Some(pointer)) = (self.frame.get_untracked(), self.pointer(ev)) else {
            return;
        };
        ev.prevent_default();
        let _ = frame.focus();
        let _ = frame.set_pointer_capture(ev.pointer_id());
        self.measure();
        self.pan_start
            .set(Some((pointer, self.scroll.get_untracked())));
    }

    pub fn pan(self, ev: &web_sys::PointerEvent) {
        if ev.pointer_type() == "touch" && self.touch_move(ev) {
            return;
        }
        let (Some((start, scroll)), Some(pointer), Some(frame)) = (
            self.pan_start.get_untracked(),
            self.pointer(ev),
            self.frame.get_untracked(),
        ) else {
            return;
        };
        frame.set_scroll_left((scroll.x - (pointer.x - start.x)).round() as i32);
        frame.set_scroll_top((scroll.y - (pointer.y - start.y)).round() as i32);
        self.fitted.set_value(false);
        self.measure();
    }

    pub fn end_pan(self, ev: &web_sys::PointerEvent) {
        if ev.pointer_type() == "touch" {
            self.touch_up(ev);
        }
        if self.pan_start.get_untracked().is_some() {
            self.pan_start.set(None);
            if let Some(frame) = self.frame.get_untracked() {
                let _ = frame.release_pointer_capture(ev.pointer_id());
            }
        }
    }

    pub fn panning(self) -> bool {
        self.pan_start.with(Option::is_some)
    }

    pub fn whole_visible(self) -> bool {
        let frame = self.frame_size.get();
        frame.x <= 0.0 || viewport::fits(self.content.get(), frame, self.scale.get())
    }

    /// The visible part of the drawing (top-left and size, in drawing units).
    pub fn visible(self) -> (Pair, Pair) {
        viewport::visible(
            self.content.get(),
            self.frame_size.get(),
            self.scale.get(),
            self.scroll.get(),
        )
    }
}
