//! Light and dark themes: follow the system by default, or the user's choice, remembered.

use leptos::prelude::*;

use crate::persistence::browser;

const THEME_KEY: &str = "slipway.theme";

fn apply(theme: &str) {
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
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(browser::read(THEME_KEY).unwrap_or_else(|| "system".to_owned()));
    Effect::new(move |_| {
        let choice = theme.get();
        apply(&choice);
        let _ = browser::write(THEME_KEY, &choice);
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
