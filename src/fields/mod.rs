//! Typed form fields bound to the design, shared by every view. A field reads with a `get`
//! closure and writes through the store's edit path with a `set` closure, so every change is
//! undoable and every view derives from the same design. Rows picked at run time (an
//! environment by index, a job by id) capture their key in the closures.
//!
//! Every field takes the same optional props: `field` (the `data-field` path findings focus),
//! `testid`, `aria_label`, `undo` (the undo step's name) and `class`, a class of the view's
//! own CSS module that replaces the shared look. A field without a visible `label` renders
//! the bare control; give it an `aria_label`. A field of the selected service binds through
//! [`crate::state::SelectedService`] and takes its path inside the service (`container.port`).

mod row;

pub use row::Row;

use leptos::prelude::*;
use slipway_core::edits;
use slipway_core::model::{IntOrPercent, Vocabulary};
use slipway_core::Design;

use crate::state::Store;

stylance::import_crate_style!(style, "src/fields/fields.module.css");

/// The classes of a field's parts. A view's own class styles the wrapper, and through it the
/// label and help, which then carry no shared class; a field without a visible label has no
/// wrapper, so the class goes on its control.
#[derive(Clone, Copy)]
struct Look {
    wrapper: &'static str,
    label: Option<&'static str>,
    hint: Option<&'static str>,
    control: Option<&'static str>,
}

impl Look {
    fn new(label: &'static str, class: Option<&'static str>) -> Self {
        match class {
            Some(class) => Look {
                wrapper: class,
                label: None,
                hint: None,
                control: label.is_empty().then_some(class),
            },
            None => Look {
                wrapper: style::field,
                label: Some(style::label),
                hint: Some(style::hint),
                control: None,
            },
        }
    }
}

/// Reads a field's value from the design. A prop of this type takes a closure (`get=move
/// |design| ...`) and stores it behind one pointer, so that a field's props and body are
/// compiled once, not once per closure type: generic fields had been copied into the wasm for
/// each of about a hundred uses.
pub struct FieldGet<T: 'static>(StoredValue<BoxedGet<T>>);

/// Writes a field's value into the design (see [`FieldGet`]).
pub struct FieldSet<S: 'static>(StoredValue<BoxedSet<S>>);

type BoxedGet<T> = Box<dyn Fn(&Design) -> T + Send + Sync>;
type BoxedSet<S> = Box<dyn Fn(&mut Design, S) + Send + Sync>;

impl<T, F: Fn(&Design) -> T + Send + Sync + 'static> From<F> for FieldGet<T> {
    fn from(get: F) -> Self {
        FieldGet(StoredValue::new(Box::new(get)))
    }
}

impl<S, F: Fn(&mut Design, S) + Send + Sync + 'static> From<F> for FieldSet<S> {
    fn from(set: F) -> Self {
        FieldSet(StoredValue::new(Box::new(set)))
    }
}

impl<T: 'static> Clone for FieldGet<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for FieldGet<T> {}

impl<S: 'static> Clone for FieldSet<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: 'static> Copy for FieldSet<S> {}

/// A field's getter and setter.
struct Binding<T: 'static, S: 'static = T> {
    get: FieldGet<T>,
    set: FieldSet<S>,
}

impl<T: 'static, S: 'static> Clone for Binding<T, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static, S: 'static> Copy for Binding<T, S> {}

impl<T: 'static, S: 'static> Binding<T, S> {
    fn new(get: FieldGet<T>, set: FieldSet<S>) -> Self {
        Binding { get, set }
    }

    fn read(self, design: &Design) -> T {
        self.get.0.with_value(|get| get(design))
    }

    fn write(self, design: &mut Design, value: S) {
        self.set.0.with_value(|set| set(design, value));
    }
}

/// Wraps `control` in its visible label, with `after` (help or an error) under it; a field
/// without a label is the bare control.
fn labelled(
    look: Look,
    label: &'static str,
    title: Option<&'static str>,
    control: AnyView,
    after: AnyView,
) -> AnyView {
    if label.is_empty() {
        return view! { {control} {after} }.into_any();
    }
    view! {
        <label class=look.wrapper title=title>
            <span class=look.label>{label}</span>
            {control}
            {after}
        </label>
    }
    .into_any()
}

/// A single-line text input.
#[component]
pub fn TextField(
    /// Reads the value from the design.
    #[prop(into)]
    get: FieldGet<String>,
    /// Writes a new value into the design.
    #[prop(into)]
    set: FieldSet<String>,
    /// Visible label; empty renders the bare input.
    #[prop(optional)]
    label: &'static str,
    /// Dotted design path (`container.runtime_image`); findings focus the field by it.
    #[prop(optional, into)]
    field: Option<String>,
    /// The input's `data-testid`.
    #[prop(optional, into)]
    testid: Option<String>,
    /// The input's `aria-label`, for a field without a visible label.
    #[prop(optional, into)]
    aria_label: Option<String>,
    /// The undo step's name; `Edit {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
    /// Shown in the empty input.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// A tooltip on the label.
    #[prop(optional)]
    title: Option<&'static str>,
    /// Short help shown under the input.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// Applies the value once the user commits it (Enter or leaving the input) instead of
    /// keystroke by keystroke, for rows that are rebuilt when their value changes.
    #[prop(optional)]
    on_commit: bool,
    /// The input's `type`: `text`, or a text-valued kind such as `date`.
    #[prop(default = "text")]
    kind: &'static str,
) -> impl IntoView {
    text_field(
        Binding::new(get, set),
        label,
        field,
        testid,
        aria_label,
        undo,
        class,
        placeholder,
        title,
        hint,
        on_commit,
        kind,
    )
}

// The props of its component, one by one: the component is a thin generic wrapper.
#[allow(clippy::too_many_arguments)]
fn text_field(
    binding: Binding<String>,
    label: &'static str,
    field: Option<String>,
    testid: Option<String>,
    aria_label: Option<String>,
    undo: Option<String>,
    class: Option<&'static str>,
    placeholder: Option<&'static str>,
    title: Option<&'static str>,
    hint: MaybeProp<String>,
    on_commit: bool,
    kind: &'static str,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Edit {label}")));
    let look = Look::new(label, class);
    let control = view! {
        <input
            type=kind
            class=look.control
            data-field=field
            data-testid=testid
            aria-label=aria_label
            placeholder=placeholder
            spellcheck="false"
            prop:value=move || store.design.with(|design| binding.read(design))
            on:input=move |event| {
                if !on_commit {
                    let value = event_target_value(&event);
                    step.with_value(|step| store.edit_typing(step, |design| binding.write(design, value)));
                }
            }
            on:change=move |event| {
                if on_commit {
                    let value = event_target_value(&event);
                    step.with_value(|step| store.edit(step, |design| binding.write(design, value)));
                }
            }
            on:blur=move |_| store.end_typing()
        />
    };
    labelled(
        look,
        label,
        title,
        control.into_any(),
        view! { <Hint text=hint look /> }.into_any(),
    )
}

/// A whole-number input with bounds; out-of-range input is shown, not applied.
#[component]
pub fn NumberField(
    /// Reads the value from the design.
    #[prop(into)]
    get: FieldGet<u32>,
    /// Writes a new value into the design.
    #[prop(into)]
    set: FieldSet<u32>,
    /// Smallest accepted value.
    min: u32,
    /// Largest accepted value; none when not given.
    #[prop(optional)]
    max: Option<u32>,
    /// Visible label; empty renders the bare input.
    #[prop(optional)]
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    #[prop(optional, into)]
    field: Option<String>,
    /// The input's `data-testid`.
    #[prop(optional, into)]
    testid: Option<String>,
    /// The undo step's name; `Edit {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
    /// Short help shown under the input.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// Applies the value once the user commits it instead of keystroke by keystroke, for
    /// rows that are rebuilt when their value changes.
    #[prop(optional)]
    on_commit: bool,
) -> impl IntoView {
    number_field(
        Binding::new(get, set),
        min,
        max,
        label,
        field,
        testid,
        undo,
        class,
        hint,
        on_commit,
    )
}

// The props of its component, one by one: the component is a thin generic wrapper.
#[allow(clippy::too_many_arguments)]
fn number_field(
    binding: Binding<u32>,
    min: u32,
    max: Option<u32>,
    label: &'static str,
    field: Option<String>,
    testid: Option<String>,
    undo: Option<String>,
    class: Option<&'static str>,
    hint: MaybeProp<String>,
    on_commit: bool,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Edit {label}")));
    let look = Look::new(label, class);
    let (error, set_error) = signal(None::<String>);
    let accept = move |text: &str| match text.trim().parse::<u32>() {
        Ok(value) if value >= min && max.is_none_or(|max| value <= max) => {
            set_error.set(None);
            Some(value)
        }
        _ => {
            set_error.set(Some(match max {
                Some(max) => format!("Enter a whole number from {min} to {max}."),
                None => format!("Enter a whole number from {min} up."),
            }));
            None
        }
    };
    let control = view! {
        <input
            type="number"
            inputmode="numeric"
            class=look.control
            data-field=field
            data-testid=testid
            min=min
            max=max
            aria-invalid=move || error.get().is_some().to_string()
            prop:value=move || store.design.with(|design| binding.read(design)).to_string()
            on:input=move |event| {
                if !on_commit {
                    if let Some(value) = accept(&event_target_value(&event)) {
                        step.with_value(|step| store.edit_typing(step, |design| binding.write(design, value)));
                    }
                }
            }
            on:change=move |event| {
                if on_commit {
                    if let Some(value) = accept(&event_target_value(&event)) {
                        step.with_value(|step| store.edit(step, |design| binding.write(design, value)));
                    }
                }
            }
            on:blur=move |_| {
                store.end_typing();
                // A committed value's error stays until the next commit: `change` fires first.
                if !on_commit {
                    set_error.set(None);
                }
            }
        />
    };
    let after = view! {
        <Show when=move || error.get().is_some() fallback=move || view! { <Hint text=hint look /> }>
            <span class=style::invalid role="alert">{move || error.get()}</span>
        </Show>
    };
    labelled(look, label, None, control.into_any(), after.into_any())
}

/// A choice among an enum's variants, offered in the model's order with its labels.
#[component]
pub fn ChoiceField<T: Vocabulary + Send + Sync>(
    /// Reads the selected variant from the design.
    get: impl Fn(&Design) -> T + Copy + Send + Sync + 'static,
    /// Writes the chosen variant into the design.
    set: impl Fn(&mut Design, T) + Copy + Send + Sync + 'static,
    /// Visible label; empty renders the bare select.
    #[prop(optional)]
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    #[prop(optional, into)]
    field: Option<String>,
    /// The select's `data-testid`.
    #[prop(optional, into)]
    testid: Option<String>,
    /// The select's `aria-label`, for a field without a visible label.
    #[prop(optional, into)]
    aria_label: Option<String>,
    /// The undo step's name; `Change {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
    /// Short help shown under the select.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
) -> impl IntoView {
    let options = T::ALL
        .iter()
        .map(|choice| (choice.id(), choice.label()))
        .collect();
    let binding = Binding::new(
        FieldGet::from(move |design: &Design| get(design).id()),
        FieldSet::from(move |design: &mut Design, id: &'static str| {
            if let Some(choice) = T::parse(id) {
                set(design, choice);
            }
        }),
    );
    choice_field(
        binding, options, label, field, testid, aria_label, undo, class, hint,
    )
}

/// The select of a [`ChoiceField`], by variant id: compiled once for every enum.
// The props of its component, one by one: the component is a thin generic wrapper.
#[allow(clippy::too_many_arguments)]
fn choice_field(
    binding: Binding<&'static str>,
    options: Vec<(&'static str, &'static str)>,
    label: &'static str,
    field: Option<String>,
    testid: Option<String>,
    aria_label: Option<String>,
    undo: Option<String>,
    class: Option<&'static str>,
    hint: MaybeProp<String>,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Change {label}")));
    let look = Look::new(label, class);
    let ids = StoredValue::new(options.iter().map(|&(id, _)| id).collect::<Vec<_>>());
    let control = view! {
        <select
            class=look.control
            data-field=field
            data-testid=testid
            aria-label=aria_label
            prop:value=move || store.design.with(|design| binding.read(design))
            on:change=move |event| {
                let chosen = event_target_value(&event);
                if let Some(id) = ids.with_value(|ids| ids.iter().copied().find(|id| *id == chosen)) {
                    step.with_value(|step| store.edit(step, |design| binding.write(design, id)));
                }
            }
        >
            {options
                .into_iter()
                .map(|(id, text)| {
                    view! {
                        <option value=id selected=move || store.design.with(|design| binding.read(design)) == id>
                            {text}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    };
    labelled(
        look,
        label,
        None,
        control.into_any(),
        view! { <Hint text=hint look /> }.into_any(),
    )
}
/// A choice among options known only at run time (`(value, label)` pairs), such as the
/// design's environments.
#[component]
pub fn SelectField(
    /// The options, in order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// Reads the selected value from the design.
    #[prop(into)]
    get: FieldGet<String>,
    /// Writes the chosen value into the design.
    #[prop(into)]
    set: FieldSet<String>,
    /// Visible label; empty renders the bare select.
    #[prop(optional)]
    label: &'static str,
    /// The undo step's name; `Change {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    select_field(Binding::new(get, set), options, label, undo, class)
}

fn select_field(
    binding: Binding<String>,
    options: Signal<Vec<(String, String)>>,
    label: &'static str,
    undo: Option<String>,
    class: Option<&'static str>,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Change {label}")));
    let look = Look::new(label, class);
    let control = view! {
        <select
            class=look.control
            prop:value=move || store.design.with(|design| binding.read(design))
            on:change=move |event| {
                let value = event_target_value(&event);
                step.with_value(|step| store.edit(step, |design| binding.write(design, value)));
            }
        >
            {move || {
                options
                    .get()
                    .into_iter()
                    .map(|(value, text)| {
                        let current = value.clone();
                        view! {
                            <option value=value selected=move || store.design.with(|design| binding.read(design)) == current>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    };
    labelled(look, label, None, control.into_any(), ().into_any())
}

/// An on/off switch, with its label after the box.
#[component]
pub fn CheckboxField(
    /// Reads the value from the design.
    #[prop(into)]
    get: FieldGet<bool>,
    /// Writes the value into the design.
    #[prop(into)]
    set: FieldSet<bool>,
    /// Visible label, after the box.
    #[prop(optional)]
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    #[prop(optional, into)]
    field: Option<String>,
    /// The checkbox's `data-testid`.
    #[prop(optional, into)]
    testid: Option<String>,
    /// The undo step's name; `Toggle {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
    /// Shown after the box instead of `label`, when the text is richer than a string.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    checkbox_field(
        Binding::new(get, set),
        label,
        field,
        testid,
        undo,
        class,
        children,
    )
}

fn checkbox_field(
    binding: Binding<bool>,
    label: &'static str,
    field: Option<String>,
    testid: Option<String>,
    undo: Option<String>,
    class: Option<&'static str>,
    children: Option<Children>,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Toggle {label}")));
    let text = match children {
        Some(children) => children(),
        None => view! { <span>{label}</span> }.into_any(),
    };
    view! {
        <label class=class.unwrap_or(style::check)>
            <input
                type="checkbox"
                data-field=field
                data-testid=testid
                prop:checked=move || store.design.with(|design| binding.read(design))
                on:change=move |event| {
                    let checked = event_target_checked(&event);
                    step.with_value(|step| store.edit(step, |design| binding.write(design, checked)));
                }
            />
            {text}
        </label>
    }
    .into_any()
}

/// A multi-line input, one entry per line. The text being typed is kept as a draft, so blank
/// lines and half-typed entries survive while the design holds the parsed form.
#[component]
pub fn LinesField(
    /// Reads the text from the design.
    #[prop(into)]
    get: FieldGet<String>,
    /// Parses the edited text into the design.
    #[prop(into)]
    set: FieldSet<String>,
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// Dotted design path; findings focus the field by it.
    #[prop(optional, into)]
    field: Option<String>,
    /// The undo step's name; `Edit {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
    /// Visible rows.
    #[prop(default = 4)]
    rows: u32,
    /// Short help shown under the input.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// Applies the text once the user leaves the input instead of keystroke by keystroke.
    #[prop(optional)]
    on_commit: bool,
) -> impl IntoView {
    lines_field(
        Binding::new(get, set),
        label,
        field,
        undo,
        class,
        rows,
        hint,
        on_commit,
    )
}

// The props of its component, one by one: the component is a thin generic wrapper.
#[allow(clippy::too_many_arguments)]
fn lines_field(
    binding: Binding<String>,
    label: &'static str,
    field: Option<String>,
    undo: Option<String>,
    class: Option<&'static str>,
    rows: u32,
    hint: MaybeProp<String>,
    on_commit: bool,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Edit {label}")));
    let look = Look::new(label, class);
    let draft = RwSignal::new(store.design.with_untracked(|design| binding.read(design)));
    // Undo, presets and fixes change the design underneath the draft: adopt their text unless
    // the draft already means the same thing.
    Effect::new(move |_| {
        let current = store.design.with(|design| binding.read(design));
        let mut parsed = store.design.get_untracked();
        binding.write(&mut parsed, draft.get_untracked());
        if binding.read(&parsed) != current {
            draft.set(current);
        }
    });
    let control = view! {
        <textarea
            data-field=field
            rows=rows
            spellcheck="false"
            prop:value=move || draft.get()
            on:input=move |event| {
                let value = event_target_value(&event);
                draft.set(value.clone());
                if !on_commit {
                    step.with_value(|step| store.edit_typing(step, |design| binding.write(design, value)));
                }
            }
            on:change=move |event| {
                if on_commit {
                    let value = event_target_value(&event);
                    step.with_value(|step| store.edit(step, |design| binding.write(design, value)));
                }
            }
            on:blur=move |_| store.end_typing()
        ></textarea>
    };
    labelled(
        look,
        label,
        None,
        control.into_any(),
        view! { <Hint text=hint look /> }.into_any(),
    )
}

/// A Kubernetes quantity: a count (`1`) or a percentage (`25%`). Input that is neither is
/// flagged and not applied.
#[component]
pub fn QuantityField(
    /// Reads the value from the design, as written (`25%`).
    #[prop(into)]
    get: FieldGet<String>,
    /// Writes a new value into the design.
    #[prop(into)]
    set: FieldSet<IntOrPercent>,
    /// Visible label, also the undo step's name.
    label: &'static str,
    /// The input's `data-testid`.
    #[prop(optional, into)]
    testid: Option<String>,
    /// The undo step's name; `Edit {label}` when not given.
    #[prop(optional, into)]
    undo: Option<String>,
    /// A class of the view's CSS module replacing the shared look.
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    quantity_field(Binding::new(get, set), label, testid, undo, class)
}

fn quantity_field(
    binding: Binding<String, IntOrPercent>,
    label: &'static str,
    testid: Option<String>,
    undo: Option<String>,
    class: Option<&'static str>,
) -> AnyView {
    let store = expect_context::<Store>();
    let step = StoredValue::new(undo.unwrap_or_else(|| format!("Edit {label}")));
    let look = Look::new(label, class);
    let error = RwSignal::new(false);
    let control = view! {
        <input
            type="text"
            data-testid=testid
            aria-invalid=move || error.get().to_string()
            prop:value=move || store.design.with(|design| binding.read(design))
            on:input=move |event| match edits::parse_quantity(&event_target_value(&event)) {
                Some(value) => {
                    error.set(false);
                    step.with_value(|step| store.edit_typing(step, |design| binding.write(design, value)));
                }
                None => error.set(true),
            }
            on:blur=move |_| store.end_typing()
        />
    };
    let note = view! {
        <small class=look.hint.map(|_| style::note)>
            {move || if error.get() { "A count (1) or a percentage (25%)." } else { "" }}
        </small>
    };
    labelled(look, label, None, control.into_any(), note.into_any())
}

/// Help under a field; nothing when there is none.
#[component]
fn Hint(
    /// The help text.
    text: MaybeProp<String>,
    /// The field's look, which styles the help.
    look: Look,
) -> impl IntoView {
    move || {
        text.get()
            .filter(|text| !text.is_empty())
            .map(|text| view! { <small class=look.hint>{text}</small> })
    }
}
