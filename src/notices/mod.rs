//! Messages to the user that outlive a click: load errors, storage problems, conflicts.

use leptos::prelude::*;

stylance::import_crate_style!(style, "src/notices/notices.module.css");

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
    Error,
}

/// A button on a notice; its handler runs once and dismisses the notice.
#[derive(Clone)]
pub struct Action {
    pub label: &'static str,
    pub run: std::sync::Arc<dyn Fn() + Send + Sync>,
}

#[derive(Clone)]
pub struct Notice {
    pub id: u64,
    pub tone: Tone,
    /// Groups notices of one cause, so a repeated problem replaces its previous message.
    pub topic: &'static str,
    pub text: String,
    pub actions: Vec<Action>,
}

#[derive(Clone, Copy)]
pub struct Notices {
    list: RwSignal<Vec<Notice>>,
    next_id: StoredValue<u64>,
}

impl Notices {
    pub fn new() -> Self {
        Notices {
            list: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// Shows a notice, replacing any earlier one with the same topic.
    pub fn show(
        &self,
        tone: Tone,
        topic: &'static str,
        text: impl Into<String>,
        actions: Vec<Action>,
    ) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        let notice = Notice {
            id,
            tone,
            topic,
            text: text.into(),
            actions,
        };
        self.list.update(|list| {
            list.retain(|existing| existing.topic != topic);
            list.push(notice);
        });
    }

    pub fn dismiss_topic(&self, topic: &'static str) {
        self.list
            .update(|list| list.retain(|notice| notice.topic != topic));
    }

    fn dismiss(&self, id: u64) {
        self.list
            .update(|list| list.retain(|notice| notice.id != id));
    }
}

/// The stack of current notices, announced to screen readers.
#[component]
pub fn NoticeStack() -> impl IntoView {
    let notices = expect_context::<Notices>();
    view! {
        <div class=style::stack aria-live="polite">
            <For each=move || notices.list.get() key=|notice| notice.id let:notice>
                {
                    let id = notice.id;
                    let class = match notice.tone {
                        Tone::Info => style::info,
                        Tone::Warning => style::warning,
                        Tone::Error => style::error,
                    };
                    let role = if notice.tone == Tone::Error { "alert" } else { "status" };
                    view! {
                        <div class=format!("{} {class}", style::notice) role=role data-testid="notice" data-topic=notice.topic>
                            <p class=style::text>{notice.text.clone()}</p>
                            {notice
                                .actions
                                .iter()
                                .map(|action| {
                                    let run = action.run.clone();
                                    view! {
                                        <button type="button" on:click=move |_| {
                                            run();
                                            notices.dismiss(id);
                                        }>{action.label}</button>
                                    }
                                })
                                .collect_view()}
                            <button type="button" class=style::close aria-label="Dismiss" on:click=move |_| notices.dismiss(id)>
                                "×"
                            </button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}
