//! The design as `slipway.yaml`, in an editor beside the visual views and synced both ways.
//!
//! Typing valid YAML replaces the design (one undo step per typing run, like any field), so
//! the canvas, the files and the findings follow as the user types. Invalid YAML leaves the
//! design as it was: the pane keeps the user's text, says what is wrong and where, and marks
//! the line. A change made anywhere else (a field, a fix, undo) rewrites the text, unless the
//! user's text does not parse: a draft is never thrown away without being asked.

use leptos::prelude::*;
use slipway_core::io::{self, LoadError};
use slipway_core::Design;

use crate::divider::{Divider, PaneWidth};
use crate::persistence::browser;
use crate::state::Store;

stylance::import_crate_style!(style, "src/yaml_editor/yaml_editor.module.css");

/// Where the app remembers whether the pane is shown.
pub const OPEN_KEY: &str = "slipway.yaml-open";

/// Whether the YAML pane is shown beside the views, and its width: shared by the toggle in the
/// view bar and the pane itself.
#[derive(Clone, Copy)]
pub struct YamlPaneState {
    pub open: RwSignal<bool>,
    pub size: PaneWidth,
}

impl YamlPaneState {
    /// The state the user left: shown or not, and the width they dragged it to (260 to 900
    /// CSS pixels; the view beside it keeps the rest).
    pub fn remembered() -> Self {
        let open = browser::read(OPEN_KEY).as_deref() == Some("true");
        YamlPaneState {
            open: RwSignal::new(open),
            size: PaneWidth::remembered("slipway.yaml-width", 380.0, 260.0, 900.0),
        }
    }

    /// Shows or hides the pane, remembering the choice (best effort: a full quota only
    /// forgets it).
    pub fn toggle(self) {
        let open = !self.open.get_untracked();
        self.open.set(open);
        let _ = browser::write(OPEN_KEY, &open.to_string());
    }
}

/// The number of lines of `text` as an editor shows them (an empty text has one line).
pub fn line_count(text: &str) -> usize {
    text.bytes().filter(|byte| *byte == b'\n').count() + 1
}

/// The byte range of 1-based `line` in `text`, without its line break, for selecting it (the
/// last line when `line` is past the end).
pub fn line_span(text: &str, line: usize) -> (usize, usize) {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(offset) => start += offset + 1,
            None => break,
        }
    }
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |offset| start + offset);
    (start, end)
}

/// The 1-based line of `text` that the caret at UTF-16 offset `caret` is on.
pub fn caret_line(text: &str, caret: u32) -> usize {
    let mut units = 0u32;
    let mut line = 1;
    for character in text.chars() {
        if units >= caret {
            break;
        }
        units += u32::try_from(character.len_utf16()).unwrap_or(2);
        if character == '\n' {
            line += 1;
        }
    }
    line
}

/// The number of UTF-16 code units in `text`: the unit of a textarea's selection offsets.
/// Where `new` differs from `old`: the byte length of their common start, and the byte
/// offsets in `old` and in `new` where their common end begins (all on character boundaries).
pub fn changed_span(old: &str, new: &str) -> (usize, usize, usize) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((index, _), _)| index);
    // Make sure `prefix` is a boundary of `new` too: the shorter text may end mid-way.
    let prefix = (0..=prefix)
        .rev()
        .find(|&index| new.is_char_boundary(index) && old.is_char_boundary(index))
        .unwrap_or(0);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    (prefix, old.len() - suffix, new.len() - suffix)
}

fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The divider between the views and the YAML pane.
#[component]
pub fn YamlDivider(
    /// The pane whose width the divider sets.
    pane: YamlPaneState,
) -> impl IntoView {
    view! {
        <Divider pane=pane.size pane_left=false label="Resize the YAML pane" controls="yaml-pane" testid="yaml-divider" />
    }
}

/// The design's `slipway.yaml`, editable, beside the visual views.
#[component]
pub fn YamlPane(
    /// Whether the pane is shown and how wide it is.
    pane: YamlPaneState,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let area = NodeRef::<leptos::html::Textarea>::new();
    let gutter = NodeRef::<leptos::html::Div>::new();
    // Why the user's text was not applied; the design is as it was while this is set.
    let problem = RwSignal::new(None::<LoadError>);
    let lines = RwSignal::new(1usize);
    // The design the text shows. A design change that is not this one came from elsewhere
    // (a field, a fix, undo, a preset) and rewrites the text.
    let shown = StoredValue::new(None::<Design>);
    // The line the last keystroke was on: typing on another line starts a new undo step, so
    // one step is one run of typing in one place, as in a field.
    let typing_line = StoredValue::new(None::<usize>);

    // The text the textarea holds, as last written or typed; `None` when it is not known (a
    // paste too large to read), so the next write replaces it whole.
    let text_shown = StoredValue::new(Some(String::new()));
    let write_text = move |design: &Design| {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let text = io::to_yaml(design);
        // Only the part that changed is replaced, in place: the caret and the scroll stay where
        // they were without reading or setting them, which would lay the whole text out again
        // at once on every keystroke elsewhere (about 25 ms at 10 services).
        let count = line_count(&text);
        text_shown.update_value(|old| {
            match old {
                Some(old) => {
                    let (start, old_end, new_end) = changed_span(old, &text);
                    if old_end > start || new_end > start {
                        let from = utf16_len(&old[..start]);
                        let _ = element.set_range_text_with_start_and_end_and_mode(
                            &text[start..new_end],
                            from,
                            from + utf16_len(&old[start..old_end]),
                            "preserve",
                        );
                    }
                }
                None => element.set_value(&text),
            }
            *old = Some(text);
        });
        if lines.get_untracked() != count {
            lines.set(count);
        }
        shown.set_value(Some(design.clone()));
        if problem.with_untracked(Option::is_some) {
            problem.set(None);
        }
    };

    Effect::new(move |_| {
        // The textarea exists once mounted; the design is read tracked, so every change
        // elsewhere comes back here.
        area.track();
        // Typing in a field elsewhere, the text follows when typing pauses (the bundle settles
        // then): laying out a long textarea again takes longer than a keystroke may.
        store.bundle.with(|_| ());
        store.design.with(|design| {
            if shown.with_value(|shown| shown.as_ref() == Some(design)) {
                return;
            }
            if problem.with_untracked(Option::is_some) {
                // The user's draft does not parse: keep it; the notice offers to replace it.
                return;
            }
            if store.is_typing() && !store.bundle_is_of(design) {
                return;
            }
            write_text(design);
        });
    });

    let on_input = move |_| {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let text = match browser::textarea_text(&element, io::MAX_DESIGN_BYTES) {
            Ok(text) => text,
            Err(message) => {
                text_shown.set_value(None);
                problem.set(Some(LoadError {
                    line: None,
                    column: None,
                    field: None,
                    message,
                }));
                return;
            }
        };
        let count = line_count(&text);
        if lines.get_untracked() != count {
            lines.set(count);
        }
        let caret = element.selection_start().ok().flatten().unwrap_or(0);
        let line = caret_line(&text, caret);
        if typing_line.get_value() != Some(line) {
            store.end_typing();
            typing_line.set_value(Some(line));
        }
        let parsed = io::parse_design(&text);
        text_shown.set_value(Some(text));
        match parsed {
            Ok(parsed) => {
                problem.set(None);
                let unchanged = store.design.with_untracked(|design| *design == parsed);
                shown.set_value(Some(parsed.clone()));
                if !unchanged {
                    store.edit_typing("Edit slipway.yaml", move |design| *design = parsed);
                }
            }
            Err(error) => problem.set(Some(error)),
        }
    };

    let sync_gutter = move |_| {
        if let (Some(element), Some(gutter)) = (area.get_untracked(), gutter.get_untracked()) {
            gutter.set_scroll_top(element.scroll_top());
        }
    };

    let go_to_line = move |line: usize| {
        let Some(element) = area.get_untracked() else {
            return;
        };
        let text = element.value();
        let (start, end) = line_span(&text, line);
        let _ = element.focus();
        let _ = element.set_selection_range(utf16_len(&text[..start]), utf16_len(&text[..end]));
        // Bring the line into view: a line is 1.5 of the font's size tall (the stylesheet's
        // line-height), and the font size is read off the element.
        let font_size = window()
            .get_computed_style(&element)
            .ok()
            .flatten()
            .and_then(|style| style.get_property_value("font-size").ok())
            .and_then(|size| size.trim_end_matches("px").parse::<f64>().ok())
            .unwrap_or(13.0);
        let top = (line.saturating_sub(1) as f64 * font_size * 1.5) as i32;
        element.set_scroll_top((top - element.client_height() / 3).max(0));
        sync_gutter(());
    };

    let discard_draft = move |_| {
        problem.set(None);
        store.design.with_untracked(|design| write_text(design));
    };

    let numbers = move || {
        let count = lines.get();
        let mut text = String::with_capacity(count * 4);
        for number in 1..=count {
            text.push_str(&number.to_string());
            text.push('\n');
        }
        text
    };
    let error_line = move || problem.with(|problem| problem.as_ref().and_then(|p| p.line));

    view! {
        <aside
            class=style::pane
            id="yaml-pane"
            aria-label="slipway.yaml"
            style:width=move || format!("{:.0}px", pane.size.width.get())
            data-testid="yaml-pane"
        >
            <header class=style::head>
                <h2 class=style::title>"slipway.yaml"</h2>
                <span class=style::hint>"Edit the design as text; every view follows."</span>
                <button type="button" class=style::close data-testid="close-yaml" aria-label="Close the YAML pane" on:click=move |_| pane.toggle()>
                    "×"
                </button>
            </header>
            <div class=style::status role="status" aria-live="polite" data-testid="yaml-status" data-state=move || if problem.with(Option::is_some) { "error" } else { "ok" }>
                {move || match problem.get() {
                    None => view! { <span>"In sync with the design."</span> }.into_any(),
                    Some(error) => {
                        let line = error.line;
                        view! {
                            <span class=style::error_text>
                                <strong>"Not applied, the design is unchanged: "</strong>
                                {error.to_string()}
                            </span>
                            <span class=style::actions>
                                {line.map(|line| view! {
                                    <button type="button" data-testid="yaml-go-to-line" on:click=move |_| go_to_line(line)>
                                        {format!("Go to line {line}")}
                                    </button>
                                })}
                                <button type="button" data-testid="yaml-discard" on:click=discard_draft>
                                    "Show the design's text"
                                </button>
                            </span>
                        }
                            .into_any()
                    }
                }}
            </div>
            <div class=style::editor>
                <div class=style::gutter aria-hidden="true" node_ref=gutter>
                    <pre class=style::numbers>{numbers}</pre>
                    {move || error_line().map(|line| view! {
                        <span class=style::mark style:top=format!("calc({} * 1.5em + 0.5rem)", line.saturating_sub(1)) data-testid="yaml-error-mark"></span>
                    })}
                </div>
                <textarea
                    class=style::text
                    node_ref=area
                    aria-label="The design as slipway.yaml"
                    aria-invalid=move || problem.with(Option::is_some).to_string()
                    aria-describedby="yaml-status"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    readonly=store.read_only
                    data-testid="yaml-text"
                    on:input=on_input
                    on:scroll=move |_| sync_gutter(())
                    on:blur=move |_| {
                        typing_line.set_value(None);
                        store.end_typing();
                    }
                ></textarea>
            </div>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changed_span_is_what_lies_between_the_common_start_and_end() {
        assert_eq!(changed_span("name: a\nx", "name: abc\nx"), (7, 7, 9));
        assert_eq!(changed_span("same", "same"), (4, 4, 4));
        assert_eq!(changed_span("", "new"), (0, 0, 3));
        assert_eq!(changed_span("old", ""), (0, 3, 0));
        // Repeated letters: the end is not counted twice.
        assert_eq!(changed_span("aa", "aaa"), (2, 2, 3));
        // Characters, not bytes: é and è share their first byte.
        assert_eq!(changed_span("café!", "cafè!"), (3, 5, 5));
    }

    #[test]
    fn lines_are_counted_as_an_editor_shows_them() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 2);
        assert_eq!(line_count("a\nb\nc"), 3);
    }

    #[test]
    fn the_caret_s_line_counts_utf16_units() {
        let text = "a: é\nb: 😀\nc";
        assert_eq!(caret_line(text, 0), 1);
        assert_eq!(caret_line(text, 4), 1);
        assert_eq!(caret_line(text, 5), 2);
        // The emoji is two UTF-16 units: the caret after it is still on line 2.
        assert_eq!(caret_line(text, 10), 2);
        assert_eq!(caret_line(text, 11), 3);
        assert_eq!(caret_line(text, 99), 3);
    }

    #[test]
    fn a_line_s_span_excludes_its_break_and_clamps_past_the_end() {
        let text = "version: 3\nproject:\n  name: shop";
        let line = |number| {
            let (start, end) = line_span(text, number);
            &text[start..end]
        };
        assert_eq!(line(1), "version: 3");
        assert_eq!(line(3), "  name: shop");
        assert_eq!(line(0), "version: 3");
        assert_eq!(line(9), "  name: shop");
        assert_eq!(line_span("", 4), (0, 0));
    }
}
