use crate::resource::{Resource, resource};
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;

use super::api::{GetSystemStatus, SystemStatus, get_system_status};
use crate::domain::access::Workgroup;
use crate::error::AppError;
use crate::features::caseload::{MyCaseAssignments, MyDrafts};
use crate::session::use_session;
use crate::ui::layout::ErrorPanel;
use crate::ui::status::Loading;

/// Home: the CoC, today's date in its time zone, and a live database check.
#[component]
pub fn HomePage() -> impl IntoView {
    let check = ServerAction::<GetSystemStatus>::new();
    // Server-rendered on first load; re-read after every check (also without JS: the
    // form posts to the server function and the browser comes back to this page).
    let status = resource(move || check.version().get(), |_| get_system_status());

    view! {
        <Title text="Home" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    status
                        .await
                        .ok()
                        .map(|s| {
                            let today = s.today.format("%A, %B %-d, %Y").to_string();
                            view! {
                                <h1>{s.coc_name}</h1>
                                <p class="lead">
                                    "Today in the CoC is " <strong data-testid="coc-today">{today}</strong> " ("
                                    {s.time_zone} ")."
                                </p>
                            }
                        })
                })}
            </Transition>
            <MyDrafts />
            <crate::features::caseload::CaseloadsCard />
            <crate::features::annual::AnnualDueCard />
            <crate::features::auto_exit::ApproachingAutoExitCard />
            <MyCaseAssignments />
            <SystemStatusCard check status />
        </section>
    }
}

/// The system's state for HMIS admins (the database, its migrations, how fast it
/// answers) with a check on demand; nobody else's home shows it.
#[component]
fn SystemStatusCard(
    check: ServerAction<GetSystemStatus>,
    status: Resource<Result<SystemStatus, AppError>>,
) -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let admin = session
                    .await
                    .ok()
                    .flatten()
                    .and_then(|s| s.context)
                    .is_some_and(|c| c.workgroup == Workgroup::HmisAdmin);
                admin.then(|| view! {
                    <Transition fallback=Loading>
                        <ErrorBoundary fallback=|errors| view! { <ErrorPanel errors /> }>
                            {move || Suspend::new(async move {
                                let current = match check.value().get() {
                                    Some(Ok(fresh)) => Ok(fresh),
                                    _ => status.await,
                                };
                                current.map(|s| view! { <StatusView status=s /> })
                            })}
                        </ErrorBoundary>
                    </Transition>
                    <ActionForm action=check attr:class="inline-form">
                        <button type="submit" class="button" disabled=move || check.pending().get()>
                            {move || if check.pending().get() { "Checking…" } else { "Check database again" }}
                        </button>
                    </ActionForm>
                    {move || {
                        check
                            .value()
                            .get()
                            .and_then(Result::err)
                            .map(|e: AppError| {
                                view! {
                                    <p class="notice notice--error" role="alert">
                                        {e.to_string()}
                                    </p>
                                }
                            })
                    }}
                })
            })}
        </Transition>
    }
}

#[component]
fn StatusView(status: SystemStatus) -> impl IntoView {
    let checked = status.checked.clone();
    let database_ms = format!("{:.1} ms", status.database_ms);
    view! {
        <div class="card" aria-labelledby="system-status-title">
            <h2 id="system-status-title">"System status"</h2>
            <dl class="facts">
                <dt>"Database"</dt>
                <dd data-testid="database-backend">{status.database}</dd>
                <dt>"Schema migrations applied"</dt>
                <dd data-testid="migrations-applied">{status.migrations_applied}</dd>
                <dt>"Database answered in"</dt>
                <dd>{database_ms}</dd>
                <dt>"Last checked"</dt>
                <dd data-testid="checked-at">{checked}</dd>
            </dl>
        </div>
    }
}
