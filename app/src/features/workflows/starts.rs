//! How other pages start or resume a workflow: a draft in a list, a report row's menu,
//! a menu button.

use leptos::prelude::*;

use leptos::server::ServerAction;

use super::api::{DiscardWorkflow, StartWorkflow, WorkflowKind};
use crate::ui::menu::RowMenu;

/// A workflow in progress in a list: resume it (its owner) or discard it.
#[component]
pub fn DraftItem(
    draft_id: String,
    title: String,
    detail: String,
    /// The resume button's words, when the user may resume it.
    resume: Option<String>,
    can_discard: bool,
    discard: ServerAction<DiscardWorkflow>,
) -> impl IntoView {
    let path = format!("/workflows/{draft_id}");
    view! {
        <li data-testid="draft">
            <span>
                <strong>{title}</strong>
                {detail}
            </span>
            {resume.map(|label| view! { <a class="button" href=path>{label}</a> })}
            {can_discard
                .then(|| {
                    view! {
                        <ActionForm action=discard attr:class="inline-form">
                            <input type="hidden" name="draft_id" value=draft_id />
                            <button type="submit" class="button button--secondary">
                                "Discard"
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}

/// The action a page's menus start (or resume) workflows with: once the draft is made,
/// the browser follows it to the workflow's step.
pub fn use_start() -> ServerAction<StartWorkflow> {
    let start = ServerAction::<StartWorkflow>::new();
    crate::ui::form::follow(start);
    start
}

/// A report row's "⋯" menu, named for its row (`name`): "Open the dashboard" first when
/// `dashboard` is given (the client's address), then a button per workflow `starts`
/// opens on the row's enrollment, then `children` (more `<li>` links).
#[component]
pub fn WorkflowMenu(
    #[prop(into)] name: String,
    action: ServerAction<StartWorkflow>,
    enrollment_id: String,
    starts: Vec<(WorkflowKind, &'static str)>,
    #[prop(optional)] dashboard: Option<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <RowMenu name>
            {dashboard.map(|href| view! { <li><a href=href>"Open the dashboard"</a></li> })}
            {starts
                .into_iter()
                .map(|(kind, label)| {
                    view! {
                        <li>
                            <WorkflowStart action enrollment_id=enrollment_id.clone() kind label=label.to_string() />
                        </li>
                    }
                })
                .collect_view()}
            {children.map(|c| c())}
        </RowMenu>
    }
}

/// A menu button that starts (or resumes) a workflow on an enrollment: a POST, since it
/// creates a draft.
#[component]
pub fn WorkflowStart(
    action: ServerAction<StartWorkflow>,
    enrollment_id: String,
    kind: WorkflowKind,
    label: String,
) -> impl IntoView {
    view! {
        <ActionForm action=action>
            <input type="hidden" name="enrollment_id" value=enrollment_id />
            <input type="hidden" name="kind" value=kind.code() />
            <button type="submit" class="action-menu__button">{label}</button>
        </ActionForm>
    }
}
