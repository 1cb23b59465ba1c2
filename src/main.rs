//! Slipway in the browser: one design state, derived findings and files, one edit path.

mod app;
mod audit;
mod checklist;
mod container;
mod designs;
mod divider;
mod download;
mod editor;
mod embed;
mod environments;
mod fields;
mod findings;
mod header;
mod lazy_details;
mod navigation;
mod notices;
mod offline;
mod persistence;
mod pipeline;
mod preview;
mod repository_import;
mod rollout;
mod rules_view;
mod search;
mod services;
mod state;
mod system;
mod theme;
mod workshop;
mod yaml_editor;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    offline::register_service_worker();
}
