//! Zoom and scroll arithmetic of the pipeline canvas, free of the DOM.
//!
//! The drawing is `content` units wide and high; at scale `s` it is drawn `content * s` pixels
//! large inside a scrolling frame of `frame` pixels, centred while it is smaller than the frame.
//! Scroll offsets are the frame's `scrollLeft`/`scrollTop`.

/// The smallest font size of a job's labels in drawing units (`pipeline.module.css`).
pub const SMALLEST_LABEL: f64 = 12.0;
/// No label is drawn smaller than this many pixels at the fitted view.
pub const LEGIBLE_PX: f64 = 12.0;
pub const MIN_ZOOM: f64 = 0.25;
pub const MAX_ZOOM: f64 = 3.0;
/// One zoom step of the buttons and keys.
pub const STEP: f64 = 1.25;

/// A width and height, or an x and y.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pair {
    pub x: f64,
    pub y: f64,
}

impl Pair {
    pub const fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

/// The scale at which the smallest label is [`LEGIBLE_PX`] on screen.
pub fn legible_scale() -> f64 {
    LEGIBLE_PX / SMALLEST_LABEL
}

pub fn clamp_zoom(scale: f64) -> f64 {
    if scale.is_finite() {
        scale.clamp(MIN_ZOOM, MAX_ZOOM)
    } else {
        1.0
    }
}

/// The fitted view's scale: the whole drawing where it fits, never above 100 % and never below
/// the legible scale (a larger pipeline scrolls instead of shrinking).
pub fn fit_scale(content: Pair, frame: Pair) -> f64 {
    let legible = legible_scale();
    if content.x <= 0.0 || content.y <= 0.0 || frame.x <= 0.0 || frame.y <= 0.0 {
        return legible.max(1.0);
    }
    (frame.x / content.x)
        .min(frame.y / content.y)
        .clamp(legible, legible.max(1.0))
}

/// Whether the whole drawing is visible at `scale`.
pub fn fits(content: Pair, frame: Pair, scale: f64) -> bool {
    content.x * scale <= frame.x + 0.5 && content.y * scale <= frame.y + 0.5
}

/// The empty space left of (and above) the drawing while it is smaller than the frame.
fn margin(content: f64, frame: f64, scale: f64) -> f64 {
    ((frame - content * scale) / 2.0).max(0.0)
}

fn max_scroll(content: f64, frame: f64, scale: f64) -> f64 {
    (content * scale - frame).max(0.0)
}

/// The drawing point under `pointer` (pixels from the frame's top-left corner).
pub fn drawing_point(content: Pair, frame: Pair, scale: f64, scroll: Pair, pointer: Pair) -> Pair {
    let axis = |c: f64, f: f64, s: f64, p: f64| (s + p - margin(c, f, scale)) / scale;
    Pair::new(
        axis(content.x, frame.x, scroll.x, pointer.x),
        axis(content.y, frame.y, scroll.y, pointer.y),
    )
}

/// The scroll offsets that put the drawing point `point` under `pointer` at `scale`, within
/// the frame's scroll range.
pub fn scroll_to_show(content: Pair, frame: Pair, scale: f64, point: Pair, pointer: Pair) -> Pair {
    let axis = |c: f64, f: f64, d: f64, p: f64| {
        (d * scale + margin(c, f, scale) - p).clamp(0.0, max_scroll(c, f, scale))
    };
    Pair::new(
        axis(content.x, frame.x, point.x, pointer.x),
        axis(content.y, frame.y, point.y, pointer.y),
    )
}

/// Zooming from `from` to `to` around `pointer`: the scroll offsets that keep the drawing
/// point under the pointer where it is.
pub fn zoom_scroll(
    content: Pair,
    frame: Pair,
    scroll: Pair,
    pointer: Pair,
    from: f64,
    to: f64,
) -> Pair {
    let point = drawing_point(content, frame, from, scroll, pointer);
    scroll_to_show(content, frame, to, point, pointer)
}

/// The scroll offsets that centre the view on the drawing point `point` (a minimap click).
pub fn centre_on(content: Pair, frame: Pair, scale: f64, point: Pair) -> Pair {
    scroll_to_show(
        content,
        frame,
        scale,
        point,
        Pair::new(frame.x / 2.0, frame.y / 2.0),
    )
}

/// The visible part of the drawing, in drawing units: top-left corner and size.
pub fn visible(content: Pair, frame: Pair, scale: f64, scroll: Pair) -> (Pair, Pair) {
    let start = drawing_point(content, frame, scale, scroll, Pair::default());
    let axis = |start: f64, c: f64, f: f64| {
        let start = start.max(0.0);
        (start, (f / scale).min(c - start).max(0.0))
    };
    let (x, width) = axis(start.x, content.x, frame.x);
    let (y, height) = axis(start.y, content.y, frame.y);
    (Pair::new(x, y), Pair::new(width, height))
}

/// The zoom factor of a Ctrl+wheel (or pinch) step of `delta_y` pixels.
pub fn wheel_factor(delta_y: f64) -> f64 {
    (-delta_y.clamp(-100.0, 100.0) * 0.002).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENT: Pair = Pair::new(1270.0, 420.0);
    const FRAME: Pair = Pair::new(700.0, 330.0);

    fn close(a: Pair, b: Pair) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn fit_never_shrinks_labels_below_the_legible_size() {
        let scale = fit_scale(CONTENT, FRAME);
        assert!(scale * SMALLEST_LABEL >= LEGIBLE_PX - 1e-9);
        assert!(!fits(CONTENT, FRAME, scale), "a large pipeline scrolls");
        // A small drawing is shown whole, never enlarged past 100 %.
        let small = Pair::new(300.0, 200.0);
        assert_eq!(fit_scale(small, FRAME), 1.0);
        assert!(fits(small, FRAME, 1.0));
        assert_eq!(fit_scale(small, Pair::default()), 1.0);
    }

    #[test]
    fn zoom_is_clamped() {
        assert_eq!(clamp_zoom(10.0), MAX_ZOOM);
        assert_eq!(clamp_zoom(0.01), MIN_ZOOM);
        assert_eq!(clamp_zoom(f64::NAN), 1.0);
        assert_eq!(clamp_zoom(1.5), 1.5);
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let pointer = Pair::new(420.0, 150.0);
        let scroll = Pair::new(200.0, 40.0);
        let before = drawing_point(CONTENT, FRAME, 1.0, scroll, pointer);
        let after_scroll = zoom_scroll(CONTENT, FRAME, scroll, pointer, 1.0, 1.5);
        let after = drawing_point(CONTENT, FRAME, 1.5, after_scroll, pointer);
        assert!(close(before, after), "{before:?} {after:?}");
    }

    #[test]
    fn a_small_drawing_is_centred_and_cannot_scroll() {
        let scale = 0.25;
        let scroll = zoom_scroll(
            CONTENT,
            FRAME,
            Pair::new(300.0, 90.0),
            Pair::new(10.0, 10.0),
            1.0,
            scale,
        );
        assert_eq!(scroll, Pair::default());
        // The frame's centre shows the drawing's centre.
        let centre = drawing_point(
            CONTENT,
            FRAME,
            scale,
            scroll,
            Pair::new(FRAME.x / 2.0, FRAME.y / 2.0),
        );
        assert!(close(centre, Pair::new(CONTENT.x / 2.0, CONTENT.y / 2.0)));
    }

    #[test]
    fn scrolling_stays_in_range() {
        let far = scroll_to_show(
            CONTENT,
            FRAME,
            1.0,
            Pair::new(5000.0, -300.0),
            Pair::default(),
        );
        assert_eq!(far, Pair::new(CONTENT.x - FRAME.x, 0.0));
    }

    #[test]
    fn the_minimap_centres_the_view_and_shows_what_is_visible() {
        let point = Pair::new(800.0, 250.0);
        let scroll = centre_on(CONTENT, FRAME, 1.0, point);
        let (start, size) = visible(CONTENT, FRAME, 1.0, scroll);
        assert_eq!(size, FRAME);
        assert!(close(
            Pair::new(start.x + size.x / 2.0, start.y + size.y / 2.0),
            point
        ));
        // Zoomed out until it fits, the whole drawing is visible.
        let (start, size) = visible(CONTENT, FRAME, 0.25, Pair::default());
        assert_eq!((start, size), (Pair::default(), CONTENT));
    }

    #[test]
    fn wheel_steps_zoom_in_when_scrolling_up() {
        assert!(wheel_factor(-100.0) > 1.0);
        assert!(wheel_factor(100.0) < 1.0);
        assert!((wheel_factor(-100.0) * wheel_factor(100.0) - 1.0).abs() < 1e-12);
        assert!(wheel_factor(-10_000.0) < 1.25);
        assert!(wheel_factor(-100.0) > 1.2);
    }
}
