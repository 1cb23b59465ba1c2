//! Typed form fields bound to one design field each, shared by every view. A field reads with
//! a plain `get` function and writes through the store's edit path with a plain `set` function,
//! so every change is undoable and every view derives from the same design.

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::{IntOrPercent, Vocabulary};
use slipway_core::Design;

use crate::state::Store;

stylance::import_crate_style!(style, "src/fields/fields.module.css");

/// A labelled single-line text input.
#[component]
pub fn TextField(
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// Dotted design path (`container.runtime_image`); findings focus the field by it.
    field: &'static str,
    /// Reads the value from the design.
    get: fn(&Design) -> String,
    /// Writes a new value into the design.
    set: fn(&mut Design, String),
    /// Short help shown under the input.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let step = format!("Edit {label}");
    view! {
        <label class=style::field>
            <span class=style::label>{label}</span>
            <input
                type="text"
                data-field=field
                spellcheck="false"
                prop:value=move || store.design.with(get)
                on:input=move |event| {
                    let value = event_target_value(&event);
                    store.edit_typing(&step, |design| set(design, value));
                }
                on:blur=move |_| store.end_typing()
            />
            <Hint text=hint />
        </label>
    }
}

/// A labelled whole-number input with bounds; out-of-range input is shown, not applied.
#[component]
pub fn NumberField(
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    field: &'static str,
    /// Reads the value from the design.
    get: fn(&Design) -> u32,
    /// Writes a new value into the design.
    set: fn(&mut Design, u32),
    /// Smallest accepted value.
    min: u32,
    /// Largest accepted value.
    max: u32,
    /// Short help shown under the input.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let step = format!("Edit {label}");
    let (error, set_error) = signal(None::<String>);
    view! {
        <label class=style::field>
            <span class=style::label>{label}</span>
            <input
                type="number"
                inputmode="numeric"
                data-field=field
                min=min
                max=max
                aria-invalid=move || error.get().is_some().to_string()
                prop:value=move || store.design.with(get).to_string()
                on:input=move |event| {
                    let text = event_target_value(&event);
                    match text.trim().parse::<u32>() {
                        Ok(value) if (min..=max).contains(&value) => {
                            set_error.set(None);
                            store.edit_typing(&step, |design| set(design, value));
                        }
                        _ => set_error.set(Some(format!("Enter a whole number from {min} to {max}."))),
                    }
                }
                on:blur=move |_| {
                    store.end_typing();
                    set_error.set(None);
                }
            />
            <Show when=move || error.get().is_some() fallback=move || view! { <Hint text=hint /> }>
                <span class=style::invalid role="alert">{move || error.get()}</span>
            </Show>
        </label>
    }
}

/// A labelled choice among an enum's variants, offered in the model's order with its labels.
#[component]
pub fn ChoiceField<T: Vocabulary + Send + Sync>(
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    field: &'static str,
    /// Reads the selected variant from the design.
    get: fn(&Design) -> T,
    /// Writes the chosen variant into the design.
    set: fn(&mut Design, T),
) -> impl IntoView {
    let store = expect_context::<Store>();
    let step = format!("Change {label}");
    view! {
        <label class=style::field>
            <span class=style::label>{label}</span>
            <select
                data-field=field
                prop:value=move || store.design.with(get).id()
                on:change=move |event| {
                    if let Some(choice) = T::parse(&event_target_value(&event)) {
                        store.edit(&step, |design| set(design, choice));
                    }
                }
            >
                {T::ALL
                    .iter()
                    .map(|&choice| {
                        view! {
                            <option value=choice.id() selected=move || store.design.with(get) == choice>
                                {choice.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A labelled on/off switch.
#[component]
pub fn CheckboxField(
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    field: &'static str,
    /// Reads the value from the design.
    get: fn(&Design) -> bool,
    /// Writes a new value into the design.
    set: fn(&mut Design, bool),
) -> impl IntoView {
    let store = expect_context::<Store>();
    let step = format!("Toggle {label}");
    view! {
        <label class=style::check>
            <input
                type="checkbox"
                data-field=field
                prop:checked=move || store.design.with(get)
                on:change=move |event| {
                    let checked = event_target_checked(&event);
                    store.edit(&step, |design| set(design, checked));
                }
            />
            <span>{label}</span>
        </label>
    }
}

/// A labelled multi-line input, one entry per line. The text being typed is kept as a draft,
/// so blank lines and half-typed entries survive while the design holds the parsed form.
#[component]
pub fn LinesField(
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    field: &'static str,
    /// Reads the text from the design.
    get: fn(&Design) -> String,
    /// Parses the edited text into the design.
    set: fn(&mut Design, String),
    /// Visible rows.
    #[prop(default = 4)]
    rows: u32,
    /// Short help shown under the input.
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let step = format!("Edit {label}");
    let draft = RwSignal::new(store.design.with_untracked(get));
    // Undo, presets and fixes change the design underneath the draft: adopt their text unless
    // the draft already means the same thing.
    Effect::new(move |_| {
        let current = store.design.with(get);
        let mut parsed = store.design.get_untracked();
        set(&mut parsed, draft.get_untracked());
        if get(&parsed) != current {
            draft.set(current);
        }
    });
    view! {
        <label class=style::field>
            <span class=style::label>{label}</span>
            <textarea
                data-field=field
                rows=rows
                spellcheck="false"
                prop:value=move || draft.get()
                on:input=move |event| {
                    let value = event_target_value(&event);
                    draft.set(value.clone());
                    store.edit_typing(&step, |design| set(design, value));
                }
                on:blur=move |_| store.end_typing()
            ></textarea>
            <Hint text=hint />
        </label>
    }
}

/// A labelled Kubernetes quantity: a count (`1`) or a percentage (`25%`). Input that is neither
/// is flagged and not applied.
#[component]
pub fn QuantityField(
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// The input's `data-testid`.
    testid: &'static str,
    /// Reads the value from the design, as written (`25%`).
    get: fn(&Design) -> String,
    /// Writes a new value into the design.
    set: fn(&mut Design, IntOrPercent),
) -> impl IntoView {
    let store = expect_context::<Store>();
    let step = format!("Edit {label}");
    let error = RwSignal::new(false);
    view! {
        <label class=style::field>
            <span class=style::label>{label}</span>
            <input
                type="text"
                data-testid=testid
                aria-invalid=move || error.get().to_string()
                prop:value=move || store.design.with(get)
                on:input=move |event| match edits::parse_quantity(&event_target_value(&event)) {
                    Some(value) => {
                        error.set(false);
                        store.edit_typing(&step, |design| set(design, value));
                    }
                    None => error.set(true),
                }
                on:blur=move |_| store.end_typing()
            />
            <small class=style::note>
                {move || if error.get() { "A count (1) or a percentage (25%)." } else { "" }}
            </small>
        </label>
    }
}

/// Help under a field; nothing when `text` is empty.
#[component]
fn Hint(
    /// The help text.
    text: &'static str,
) -> impl IntoView {
    (!text.is_empty()).then(|| view! { <span class=style::hint>{text}</span> })
}
