//! The Clients area: search (and the header's search box), the client dashboard.

use crate::domain::dedup::short_client_id;
use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{ClientDashboard, EnrollmentRow, get_client_dashboard};
use crate::domain::enrollment::{EnrollmentAction, MenuItem};
use crate::features::caseload::ReassignForm;
use crate::features::caseload::api::ReassignCase;
use crate::features::workflows::api::{DiscardWorkflow, StartIntake, WorkflowKind};
use crate::features::workflows::{DraftItem, WorkflowStart};
use crate::routes;
use crate::ui::form::{FormMessage, action_error, follow};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::menu::{RowMenu, UnavailableAction};
use crate::ui::status::Loading;

#[component]
pub fn ClientDashboardPage() -> impl IntoView {
    let params = use_params_map();
    let personal_id = move || params.with(|p| p.get("personal_id").unwrap_or_default());
    let discard = ServerAction::<DiscardWorkflow>::new();
    let start = ServerAction::<StartIntake>::new();
    let reassign = ServerAction::<ReassignCase>::new();
    let dashboard = resource(
        move || (personal_id(), discard.version().get() + reassign.version().get()),
        |(id, _)| get_client_dashboard(id),
    );
    follow(start);
    let start_error = action_error(start);
    let discard_error = action_error(discard);
    view! {
        <Title text="Client" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match dashboard.await {
                        Err(e) => errors_view(e),
                        Ok(d) => view! { <DashboardView d start discard reassign start_error discard_error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn DashboardView(
    d: ClientDashboard,
    start: ServerAction<StartIntake>,
    discard: ServerAction<DiscardWorkflow>,
    reassign: ServerAction<ReassignCase>,
    start_error: Signal<Option<crate::error::AppError>>,
    discard_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let client = d.client;
    let personal_id = client.personal_id.clone();
    view! {
        <Title text=client.name.clone() />
        <div class="client-header card" data-testid="client-header">
            <div>
                <h1 data-testid="client-name">{client.name.clone()}</h1>
                <dl class="facts facts--inline">
                    <dt>"Age"</dt>
                    <dd>{client.age.map(|a| a.to_string()).unwrap_or_else(|| "Unknown".into())}</dd>
                    <dt>"Date of birth"</dt>
                    <dd>{client.dob.map(format_date).unwrap_or_else(|| "Not recorded".into())}</dd>
                    <dt>"Client ID"</dt>
                    <dd>
                        <code class="id" data-testid="client-id">{short_client_id(&client.personal_id)}</code>
                    </dd>
                    <dt>"Veteran status"</dt>
                    <dd>{client.veteran_status.clone()}</dd>
                    <dt>"SSN"</dt>
                    <dd>{client.ssn_last4.clone().map(|l| format!("•••-••-{l}")).unwrap_or_else(|| "Not recorded".into())}</dd>
                    <dt>"Sex"</dt>
                    <dd>{client.sex.clone().unwrap_or_else(|| "Not recorded".into())}</dd>
                    <dt>"Race and ethnicity"</dt>
                    <dd>{if client.race.is_empty() { "Not recorded".to_string() } else { client.race.join(", ") }}</dd>
                    {client
                        .retired
                        .iter()
                        .map(|(label, value)| {
                            view! {
                                <dt>{format!("{label} (before FY2026)")}</dt>
                                <dd data-testid="retired-elements">{value.clone()}</dd>
                            }
                        })
                        .collect_view()}
                    <dt>"Case manager"</dt>
                    <dd data-testid="case-managers">
                        {if d.case_managers.is_empty() { "None assigned".to_string() } else { d.case_managers.join(", ") }}
                    </dd>
                </dl>
                {d
                    .reassign_options
                    .map(|options| view! { <ReassignForm personal_id=personal_id.clone() options reassign /> })}
                <ul class="alerts" aria-label="Alerts">
                    {d
                        .alerts
                        .iter()
                        .map(|a| view! { <li class="tag tag--alert">{a.clone()}</li> })
                        .collect_view()}
                </ul>
            </div>
            <div class="button-row">
                <a class="button button--secondary" href=crate::features::profile::api::profile_path(&personal_id)>
                    "Profile"
                </a>
                <ActionForm action=start attr:class="inline-form">
                    <input type="hidden" name="personal_id" value=personal_id.clone() />
                    <button type="submit" class="button" data-testid="intake-this-client">
                        "Intake"
                    </button>
                </ActionForm>
            </div>
        </div>
        <FormMessage error=start_error />
        {(!d.drafts.is_empty())
            .then(|| {
                view! {
                    <section class="card" aria-labelledby="drafts-title">
                        <h2 id="drafts-title">"In progress"</h2>
                        <FormMessage error=discard_error />
                        <ul class="draft-list">
                            {d
                                .drafts
                                .into_iter()
                                .map(|draft| {
                                    let when = draft.saved_at.clone();
                                    view! {
                                        <DraftItem
                                            draft_id=draft.draft_id
                                            title=draft.kind.clone()
                                            detail=format!(" by {} · last saved {when}", draft.owner)
                                            resume=draft.mine.then(|| format!("Resume {}", draft.kind.to_lowercase()))
                                            can_discard=draft.can_discard
                                            discard
                                        />
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })}
        <section aria-labelledby="enrollments-title">
            <h2 id="enrollments-title">"Enrollments"</h2>
            {if d.enrollments.is_empty() {
                view! { <p class="hint">"No enrollments yet."</p> }.into_any()
            } else {
                d.enrollments
                    .into_iter()
                    .map(|e| view! { <EnrollmentCard e /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn EnrollmentCard(e: EnrollmentRow) -> impl IntoView {
    let household_anchor = format!("household-{}", e.enrollment_id);
    let status = match e.exit_date {
        None => "Open".to_string(),
        Some(exit) => format!("Exited {}", format_date(exit)),
    };
    let dates = match e.exit_date {
        None => format!("Since {}", format_date(e.entry_date)),
        Some(exit) => format!("{} – {}", format_date(e.entry_date), format_date(exit)),
    };
    view! {
        <article class="card enrollment" data-testid="enrollment">
            <header class="enrollment__head">
                <div>
                    <h3>{e.project_name.clone()}</h3>
                    <p class="hint">
                        {e.organization_name.clone()} {e.project_type.clone().map(|t| format!(" · {t}"))}
                    </p>
                </div>
                <ActionMenu name=format!("Actions for {} enrollment, {}", e.project_name, dates.to_lowercase()) items=e.menu.clone() anchor=household_anchor.clone() enrollment_id=e.enrollment_id.clone() />
            </header>
            <p>
                <span class=if e.exit_date.is_none() { "tag tag--success" } else { "tag tag--muted" }>{status}</span>
                {(!e.editable).then(|| view! { <span class="tag tag--muted">"Read-only"</span> })}
                " " {dates} " · " {e.relationship.clone()}
            </p>
            {(!e.assessments.is_empty())
                .then(|| {
                    let list = e
                        .assessments
                        .iter()
                        .map(|(stage, on)| format!("{stage} {}", format_date(*on)))
                        .collect::<Vec<_>>()
                        .join(" · ");
                    view! {
                        <p class="hint" data-testid="assessments">
                            {format!("Assessments: {list}")}
                        </p>
                    }
                })}
            {(!e.retired.is_empty())
                .then(|| {
                    view! {
                        <p class="hint" data-testid="retired-elements">
                            {format!("Recorded before FY2026: {}", retired_text(&e.retired))}
                        </p>
                    }
                })}
            {e
                .partial_exit()
                .map(|(exited, all)| {
                    view! {
                        <p class="notice notice--warning" role="status" data-testid="partial-exit">
                            {format!("Household partially exited: {exited} of {all} members have exited.")}
                        </p>
                    }
                })}
            <div id=household_anchor class="household">
                <h4>{format!("Household ({})", e.household.len())}</h4>
                <ul>
                    {e
                        .household
                        .into_iter()
                        .map(|m| {
                            view! {
                                <li>
                                    <a href=routes::client(&m.personal_id)>{m.name}</a>
                                    {format!(
                                        " · {} · {}{}",
                                        m.relationship,
                                        m.age.map(|a| format!("age {a}")).unwrap_or_else(|| "age unknown".into()),
                                        m.exit_date.map(|x| format!(" · exited {}", format_date(x))).unwrap_or_default(),
                                    )}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        </article>
    }
}

/// The workflow an enrollment action starts.
fn workflow_of(action: EnrollmentAction) -> Option<WorkflowKind> {
    match action {
        EnrollmentAction::ExitEnrollment => Some(WorkflowKind::Exit),
        EnrollmentAction::EditExit => Some(WorkflowKind::EditExit),
        EnrollmentAction::EditProjectEntry => Some(WorkflowKind::EditEntry),
        EnrollmentAction::UpdateAnnualAssessment | EnrollmentAction::MissedUpdateAnnualAssessment => {
            Some(WorkflowKind::Assessment)
        }
        _ => None,
    }
}

/// The three-dot menu of an enrollment: a disclosure that works without JavaScript.
/// Unavailable actions are shown greyed with their reason, never as dead links.
#[component]
fn ActionMenu(name: String, items: Vec<MenuItem>, anchor: String, enrollment_id: String) -> impl IntoView {
    let start = crate::features::workflows::use_start();
    view! {
        <FormMessage error=action_error(start) />
        <RowMenu name>
            {items
                .into_iter()
                .map(|item| {
                    let label = item.action.label();
                    match (item.unavailable, item.action) {
                        (None, EnrollmentAction::ViewHousehold) => {
                            view! {
                                <li>
                                    <a href=format!("#{anchor}")>{label}</a>
                                </li>
                            }
                                .into_any()
                        }
                        (None, EnrollmentAction::Services) => {
                            view! {
                                <li>
                                    <a href=crate::features::services::api::services_path(&enrollment_id)>{label}</a>
                                </li>
                            }
                                .into_any()
                        }
                        (None, EnrollmentAction::CeAssessment) => {
                            view! {
                                <li>
                                    <a href=crate::features::coordinated_entry::api::ce_assessment_path(&enrollment_id)>{label}</a>
                                </li>
                            }
                                .into_any()
                        }
                        (None, EnrollmentAction::CeEvents) => {
                            view! {
                                <li>
                                    <a href=crate::features::coordinated_entry::api::ce_events_path(&enrollment_id)>{label}</a>
                                </li>
                            }
                                .into_any()
                        }
                        // Starting a workflow creates a draft: a POST, never a link.
                        (None, EnrollmentAction::ReEnter) => {
                            view! {
                                <li>
                                    <a href=crate::features::exits::api::re_enter_path(&enrollment_id)>{label}</a>
                                </li>
                            }
                                .into_any()
                        }
                        (None, action) => match workflow_of(action) {
                            Some(kind) => {
                                view! {
                                    <li>
                                        <WorkflowStart
                                            action=start
                                            enrollment_id=enrollment_id.clone()
                                            kind
                                            label=label.to_string()
                                        />
                                    </li>
                                }
                                    .into_any()
                            }
                            None => view! { <li>{label}</li> }.into_any(),
                        },
                        (Some(reason), action) => {
                            view! {
                                <UnavailableAction
                                    label=label.to_string()
                                    reason
                                    id=format!("{anchor}-why-{action:?}")
                                />
                            }
                                .into_any()
                        }
                    }
                })
                .collect_view()}
        </RowMenu>
    }
}

/// Retired elements on one line: "Sexual orientation: Other · Translation assistance
/// needed: No".
fn retired_text(lines: &[(String, String)]) -> String {
    lines
        .iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect::<Vec<_>>()
        .join(" · ")
}
