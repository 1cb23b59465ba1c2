//! Light and dark themes: follow the system by default, or the user's choice, remembered.

use leptos::prelude::*;

use crate::persistence::browser;

const THEME_KEY: &str = "slipway.theme";

/// Shows `light`, `dark`, or (anything else) the system's scheme.
pub fn apply(theme: &str) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = match theme {
            "light" | "dark" => root.set_attribute("data-theme", theme),
            _ => root.remove_attribute("data-theme"),
        };
    }
}

/// A select between system, light and dark.
#[component]
pub fn ThemeToggle(
    /// A theme asked for by the page address (`?theme=dark`); shown without being remembered.
    #[prop(default = None)]
    initial: Option<&'static str>,
) -> impl IntoView {
    let remembered = browser::read(THEME_KEY).unwrap_or_else(|| "system".to_owned());
    let theme = RwSignal::new(initial.map_or(remembered, str::to_owned));
    Effect::new(move |previous: Option<()>| {
        let choice = theme.get();
        apply(&choice);
        if previous.is_some() {
            let _ = browser::write(THEME_KEY, &choice);
        }
    });
    view! {
        <select
            aria-label="Theme"
            data-testid="theme"
            prop:value=move || theme.get()
            on:change=move |ev| theme.set(event_target_value(&ev))
        >
            <option value="system">"System theme"</option>
            <option value="light">"Light"</option>
            <option value="dark">"Dark"</option>
        </select>
    }
}
