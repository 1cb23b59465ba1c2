//! Slipway in the browser: one design state, derived findings and files, one edit path.

mod app;
mod download;
mod editor;
mod findings;
mod header;
mod preview;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
