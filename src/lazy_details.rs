//! A `<details>` whose content is built the first time it opens: a list of hundreds of
//! findings or report entries then costs its summaries, not every rule's documentation.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A disclosure whose children are rendered when it is first opened, and kept afterwards.
#[component]
pub fn LazyDetails(
    /// Class of the `<details>` element.
    #[prop(into, optional)]
    class: String,
    /// `data-testid` of the `<details>` element.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The summary's text.
    summary: &'static str,
    /// `data-testid` of the `<summary>` element.
    #[prop(optional)]
    summary_testid: Option<&'static str>,
    /// Open from the start (the content is built at once).
    #[prop(optional)]
    open: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let opened = RwSignal::new(open);
    view! {
        <details
            class=class
            data-testid=testid
            open=open
            on:toggle=move |event| {
                if opens(&event) {
                    opened.set(true);
                }
            }
        >
            <summary data-testid=summary_testid>{summary}</summary>
            {move || opened.get().then(|| children())}
        </details>
    }
}

/// Whether a `toggle` event opened its `<details>` (it fires on closing too).
pub fn opens(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .is_some_and(|details| details.open())
}
