//! The home page's "My Case Assignments" and "In progress" cards, and the reassign
//! form of the client dashboard.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;

use super::api::{CaseManagerOption, CaseloadRow, ReassignCase, my_case_assignments};
use crate::features::workflows::DraftItem;
use crate::features::workflows::api::{DiscardWorkflow, my_drafts};
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage, action_error};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

/// The clients assigned to the user, their open enrollments and what is due.
#[component]
pub fn MyCaseAssignments() -> impl IntoView {
    let rows = resource(|| (), |_| my_case_assignments());
    view! {
        <section class="card" aria-labelledby="caseload-title" data-testid="my-case-assignments">
            <h2 id="caseload-title">"My Case Assignments"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match rows.await {
                        Err(e) => errors_view(e),
                        Ok(rows) if rows.is_empty() => {
                            view! { <p class="hint">"No clients are assigned to you in this organization."</p> }
                                .into_any()
                        }
                        Ok(rows) => view! { <CaseloadTable rows /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Clients on a caseload: their enrollment and what is due; with `reassign`, a
/// Reassign form on each row (supervisors and admins).
#[component]
pub fn CaseloadTable(
    rows: Vec<CaseloadRow>,
    #[prop(optional)] reassign: Option<(Vec<CaseManagerOption>, ServerAction<ReassignCase>)>,
) -> impl IntoView {
    let reassigning = reassign.is_some();
    view! {
        <DataTable testid="caseload-table" columns=if reassigning { &["Client", "Enrollment", "Due", "Reassign"] } else { &["Client", "Enrollment", "Due"] }>
            {rows
                .into_iter()
                .map(|r| {
                    let enrollment = match (&r.project_name, r.entry_date, r.exit_date) {
                        (Some(p), Some(entry), None) => format!("{p} since {}", format_date(entry)),
                        (Some(p), Some(_), Some(exit)) => format!("{p}, exited {}", format_date(exit)),
                        _ => "No open enrollment".to_string(),
                    };
                    let form = reassign.clone().map(|(options, action)| {
                        view! { <td data-label="Reassign"><ReassignForm personal_id=r.personal_id.clone() options reassign=action /></td> }
                    });
                    view! {
                        <tr data-testid="caseload-row">
                            <td data-label="Client">
                                <a href=routes::client(&r.personal_id)>{r.name}</a>
                            </td>
                            <td data-label="Enrollment">{enrollment}</td>
                            <td data-label="Due">
                                {if r.due.is_empty() {
                                    view! { <span class="hint">"Nothing due"</span> }.into_any()
                                } else {
                                    r.due
                                        .into_iter()
                                        .map(|d| view! { <span class="tag tag--alert">{d}</span> })
                                        .collect_view()
                                        .into_any()
                                }}
                            </td>
                            {form}
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}

/// The user's workflows in progress, to resume or discard.
#[component]
pub fn MyDrafts() -> impl IntoView {
    let discard = ServerAction::<DiscardWorkflow>::new();
    let drafts = resource(move || discard.version().get(), |_| my_drafts());
    let error = action_error(discard);
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match drafts.await {
                    Err(e) => errors_view(e),
                    Ok(drafts) if drafts.is_empty() => ().into_any(),
                    Ok(drafts) => {
                        view! {
                            <section class="card" aria-labelledby="drafts-title" data-testid="my-drafts">
                                <h2 id="drafts-title">"In progress"</h2>
                                <FormMessage error />
                                <ul class="draft-list">
                                    {drafts
                                        .into_iter()
                                        .map(|d| {
                                            let when = d.saved_at.clone();
                                            view! {
                                                <DraftItem
                                                    draft_id=d.draft_id
                                                    title=format!("{}: {}", d.kind, d.household)
                                                    detail=format!(" · last saved {when}")
                                                    resume=Some("Resume".to_string())
                                                    can_discard=true
                                                    discard
                                                />
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Reassigns the client to another case manager (supervisors and admins).
#[component]
pub fn ReassignForm(
    personal_id: String,
    options: Vec<CaseManagerOption>,
    /// Owned by the page, so the dashboard reloads after a reassignment.
    reassign: ServerAction<ReassignCase>,
) -> impl IntoView {
    let error = action_error(reassign);
    view! {
        <ActionForm action=reassign attr:class="form form--inline" attr:data-testid="reassign">
            <input type="hidden" name="personal_id" value=personal_id />
            <div class="field">
                <label for="reassign-user">"Reassign to"</label>
                <select id="reassign-user" name="user_id" required>
                    <option value="">"Choose…"</option>
                    {options
                        .into_iter()
                        .map(|o| view! { <option value=o.user_id>{o.name}</option> })
                        .collect_view()}
                </select>
                <FieldMessage error field="user_id" />
            </div>
            <button type="submit" class="button button--secondary">
                "Reassign"
            </button>
            <FormMessage error=Signal::derive(move || error.get().filter(|e| e.message_for("user_id").is_none())) />
        </ActionForm>
    }
}
