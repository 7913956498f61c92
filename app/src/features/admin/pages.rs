//! Admin pages: the admin home, users, and the audit log.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AccessEntry, AddUserAccess, AuditFilter, AuditRow, CreateUserAccount, EndUserSessions, RemoveUserAccess,
    ResetUserPassword, ResetUserTwoStep, SetUserActive, UserRow, get_user, list_users, search_audit_log,
    user_form_options,
};
use crate::domain::access::Workgroup;
use crate::report::{CsvLink, FilterForm, ReportPage};
use crate::routes;
use crate::session::use_session;
use crate::ui::form::{FieldMessage, FilterInput, FormMessage, Pager};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

#[component]
pub fn AdminPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Admin" />
        <section class="page">
            <h1>"Admin"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let workgroup = session.await.ok().flatten().and_then(|s| s.context).map(|c| c.workgroup);
                    let admin = matches!(workgroup, Some(Workgroup::AgencyAdmin | Workgroup::HmisAdmin));
                    let hmis = workgroup == Some(Workgroup::HmisAdmin);
                    view! {
                        {(!admin).then(|| view! {
                            <p class="notice notice--info" role="status">
                                "Administration is for agency and HMIS administrators. Switch context in Settings if you are one."
                            </p>
                        })}
                        <ul class="link-cards">
                            {admin.then(|| view! {
                                <li><A href=routes::ADMIN_USERS>"Users"</A><span>"Accounts, access, password resets, sessions"</span></li>
                            })}
                            {hmis.then(|| view! {
                                <li><A href=routes::ADMIN_AUDIT>"Audit log"</A><span>"Who did what, when — search and CSV download"</span></li>
                            })}
                            {admin.then(|| view! {
                                <li><A href=routes::ADMIN_ORGANIZATIONS>"Organizations"</A><span>"Names, victim service providers, the Coordinated Entry organization"</span></li>
                            })}
                            {hmis.then(|| view! {
                                <li><A href=routes::ADMIN_IMPORTS>"HMIS CSV import"</A><span>"Bring in an FY2026 export; every bad cell is listed in its report"</span></li>
                            })}
                            {hmis.then(|| view! {
                                <li><A href=routes::ADMIN_EXPORTS>"HMIS CSV export"</A><span>"The HUD FY2026 export: 24 files in a zip, hashed or not"</span></li>
                            })}
                            {admin.then(|| view! {
                                <li><A href=routes::ADMIN_PROJECTS>"Projects"</A><span>"HUD project type, operating dates, CoC, funders, auto-exit"</span></li>
                            })}
                            {hmis.then(|| view! {
                                <li><A href=routes::ADMIN_AUTO_EXIT>"Auto-exit"</A><span>"Projects that auto-exit, the nightly sweep and what it did, a sweep on demand"</span></li>
                                <li><A href=routes::ADMIN_EXITS>"Administrative exits"</A><span>"Households without activity: pick, preview exactly what changes, exit with destination 30"</span></li>
                            })}
                            {hmis.then(|| view! {
                                <li><A href=routes::ADMIN_CE_QUESTIONS>"CE assessment questions"</A><span>"The Coordinated Entry prioritization questions and their points"</span></li>
                            })}
                        </ul>
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<CreateUserAccount>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let toggle = ServerAction::<SetUserActive>::new();
    let end = ServerAction::<EndUserSessions>::new();
    let users = resource(
        move || {
            (
                query.with(|q| (q.get("q"), q.get("page").and_then(|p| p.parse::<u64>().ok()))),
                create.version().get() + reset.version().get() + toggle.version().get() + end.version().get(),
            )
        },
        |((search, page), _)| list_users(search, page),
    );
    let options = resource(|| (), |_| user_form_options());
    let create_error = Signal::derive(move || create.value().get().and_then(Result::err));
    let reset_error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let row_error = Signal::derive(move || {
        toggle
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| end.value().get().and_then(Result::err))
    });

    view! {
        <Title text="Users" />
        <section class="page">
            <h1>"Users"</h1>
            <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
                <div class="field">
                    <label for="q">"Find a user"</label>
                    <input id="q" name="q" type="search" value=move || query.with(|q| q.get("q")) />
                </div>
                <button type="submit" class="button">"Search"</button>
            </Form>
            <FormMessage error=reset_error />
            <FormMessage error=row_error />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(page) => view! {
                            <DataTable columns=&["User", "Access", "Status", "Actions"]>
                                {page.users.into_iter().map(|user| view! { <UserRowView user reset toggle end /> }).collect_view()}
                            </DataTable>
                            <p class="hint">{format!("Page {} of {}", page.page + 1, page.pages.max(1))}</p>
                        }.into_any(),
                        Err(e) => errors_view(e),
                    }
                })}
            </Transition>
            <div class="card">
                <h2>"Add a user"</h2>
                <p class="hint">"The new user signs in with the temporary password and must choose their own."</p>
                <ActionForm action=create attr:class="form">
                    <FormMessage error=create_error />
                    <div class="field">
                        <label for="new-username">"Username"</label>
                        <input id="new-username" name="username" autocapitalize="none" required />
                        <FieldMessage error=create_error field="username" />
                    </div>
                    <div class="field">
                        <label for="new-first">"First name"</label>
                        <input id="new-first" name="first_name" required />
                        <FieldMessage error=create_error field="first_name" />
                    </div>
                    <div class="field">
                        <label for="new-last">"Last name"</label>
                        <input id="new-last" name="last_name" />
                    </div>
                    <Suspense fallback=Loading>
                        {move || Suspend::new(async move {
                            options.await.ok().map(|options| view! {
                                <div class="field">
                                    <label for="new-org">"Organization"</label>
                                    <select id="new-org" name="organization_id" required>
                                        {options.organizations.into_iter().map(|o| view! {
                                            <option value=o.organization_id>{o.organization_name}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="new-workgroup">"Workgroup"</label>
                                    <select id="new-workgroup" name="workgroup" required>
                                        {options.workgroups.into_iter().map(|w| view! {
                                            <option value=w.code()>{w.label()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                            })
                        })}
                    </Suspense>
                    <div class="field">
                        <label for="new-password">"Temporary password"</label>
                        <input id="new-password" name="temporary_password" type="password" autocomplete="new-password" required />
                        <FieldMessage error=create_error field="temporary_password" />
                    </div>
                    <button type="submit" class="button">"Add user"</button>
                </ActionForm>
            </div>
        </section>
    }
}

/// Why an agency admin sees no account actions for a user who also works elsewhere.
const ACCOUNT_ELSEWHERE: &str = "Also works for another organization: the HMIS admin resets the password, disables or signs out this account.";

#[component]
fn UserRowView(
    user: UserRow,
    reset: ServerAction<ResetUserPassword>,
    toggle: ServerAction<SetUserActive>,
    end: ServerAction<EndUserSessions>,
) -> impl IntoView {
    let status = match (user.is_active, user.locked, user.must_change_password) {
        (false, _, _) => "Disabled".to_string(),
        (true, true, _) => "Locked".to_string(),
        (true, false, true) => "Must change password".to_string(),
        (true, false, false) => "Active".to_string(),
    };
    let sessions = format!("{} open session(s)", user.open_sessions);
    let id = user.user_id.clone();
    let id2 = user.user_id.clone();
    let id3 = user.user_id.clone();
    let password_id = format!("reset-{}", user.user_id);
    let row_id = format!("user-{}", user.username);
    let password_label = format!("Temporary password for {}", user.username);
    view! {
        <tr data-testid=row_id>
            <td data-label="User">
                <a href=format!("{}/{}", routes::ADMIN_USERS, user.user_id)>
                    <strong>{user.full_name.clone()}</strong>
                </a>
                <br />
                <span class="hint">{user.username.clone()}</span>
            </td>
            <td data-label="Access">{user.access.iter().map(AccessEntry::label).collect::<Vec<_>>().join("; ")}</td>
            <td data-label="Status">
                {status}
                <br />
                <span class="hint">{sessions}</span>
                {user.second_factor.then(|| view! { <br /> <span class="hint">"Two-step sign-in"</span> })}
            </td>
            <td data-label="Actions" class="actions">
                {if user.account_managed {
                    view! {
                        <ActionForm action=reset attr:class="form form--inline">
                            <input type="hidden" name="user_id" value=id />
                            <label for=password_id.clone() class="visually-hidden">
                                {password_label}
                            </label>
                            <input id=password_id name="temporary_password" type="password" placeholder="Temporary password" autocomplete="new-password" required />
                            <button type="submit" class="button button--secondary">"Reset password"</button>
                        </ActionForm>
                        <ActionForm action=toggle attr:class="form form--inline">
                            <input type="hidden" name="user_id" value=id2 />
                            <input type="hidden" name="active" value=(!user.is_active).to_string() />
                            <button type="submit" class="button button--secondary">
                                {if user.is_active { "Disable" } else { "Enable" }}
                            </button>
                        </ActionForm>
                        <ActionForm action=end attr:class="form form--inline">
                            <input type="hidden" name="user_id" value=id3 />
                            <button type="submit" class="button button--secondary">"End sessions"</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <p class="hint" data-testid="account-elsewhere">{ACCOUNT_ELSEWHERE}</p> }.into_any()
                }}
            </td>
        </tr>
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let filter = crate::report::use_filter::<AuditFilter>();
    let page = crate::report::use_page();
    let data = resource(
        move || (filter(), page()),
        |(filter, page)| search_audit_log(filter, Some(page as u64)),
    );
    view! {
        <ReportPage
            title="Audit log"
            lead="Who did what, when and from where: sign-ins, every client record viewed or changed, every export and job. Times are in the CoC's time zone."
            data
            body=move |result| {
                let f = filter();
                let csv = CsvLink {
                    href: format!("{}?{}", routes::ADMIN_AUDIT_CSV, f.query()),
                    file: "audit-log.csv",
                    testid: "audit-csv",
                };
                let base = format!("{}?{}", routes::ADMIN_AUDIT, f.query());
                view! {
                    <FilterForm filter=f.clone() csv submit="Search">
                        <FilterInput id="username" label="User" value=f.username.clone() />
                        <FilterInput id="personal_id" label="Client ID" value=f.personal_id.clone() />
                        <FilterInput id="from" label="From" kind="date" value=f.from.clone() />
                        <FilterInput id="to" label="To" kind="date" value=f.to.clone() />
                    </FilterForm>
                    <DataTable testid="audit-table" columns=&["When", "User", "Action", "Record", "Context", "IP"]>
                        {result.rows.into_iter().map(|row| view! { <AuditRowView row /> }).collect_view()}
                    </DataTable>
                    <Pager base page=result.page as usize has_more=result.has_more />
                }
            }
        />
    }
}

#[component]
fn AuditRowView(row: AuditRow) -> impl IntoView {
    // One text per cell: two dynamic texts side by side do not survive hydration (the
    // HTML parser merges them).
    let action = match &row.detail {
        Some(d) => format!("{} ({d})", row.action),
        None => row.action.clone(),
    };
    let record = [
        row.entity_type
            .as_ref()
            .map(|t| format!("{t} {}", row.entity_id.clone().unwrap_or_default())),
        row.personal_id.as_ref().map(|p| format!("client {p}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <tr>
            <td data-label="When">{row.when}</td>
            <td data-label="User">{row.username.unwrap_or_default()}</td>
            <td data-label="Action">{action}</td>
            <td data-label="Record">{record}</td>
            <td data-label="Context">{row.workgroup.unwrap_or_default()}</td>
            <td data-label="IP">{row.ip.unwrap_or_default()}</td>
        </tr>
    }
}

/// One user: access rows (add, remove) and two-step sign-in.
#[component]
pub fn UserDetailPage() -> impl IntoView {
    let params = use_params_map();
    let add = ServerAction::<AddUserAccess>::new();
    let remove = ServerAction::<RemoveUserAccess>::new();
    let two_step = ServerAction::<ResetUserTwoStep>::new();
    let user = resource(
        move || {
            (
                params.with(|p| p.get("user_id").unwrap_or_default()),
                add.version().get() + remove.version().get() + two_step.version().get(),
            )
        },
        |(user_id, _)| get_user(user_id),
    );
    let options = resource(|| (), |_| user_form_options());
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let row_error = Signal::derive(move || {
        remove
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| two_step.value().get().and_then(Result::err))
    });
    view! {
        <Title text="User" />
        <section class="page">
            <p><A href=routes::ADMIN_USERS>"← Users"</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let user = match user.await {
                        Ok(user) => user,
                        Err(e) => return errors_view(e),
                    };
                    let user_id = user.user_id.clone();
                    let user_id2 = user.user_id.clone();
                    view! {
                        <h1>{user.full_name.clone()}</h1>
                        <p class="lead">{user.username.clone()}</p>
                        <FormMessage error=row_error />
                        <div class="card">
                            <h2>"Access"</h2>
                            {if user.access.is_empty() {
                                view! { <p class="hint">"No access yet: this user cannot work in any organization."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="access-list">
                                        {user.access.into_iter().map(|entry| {
                                            let label = entry.label();
                                            let button_label = format!("Remove {label}");
                                            view! {
                                                <li data-testid="access-row">
                                                    <span>{label}</span>
                                                    <ActionForm action=remove attr:class="form form--inline">
                                                        <input type="hidden" name="user_access_id" value=entry.user_access_id />
                                                        <button type="submit" class="button button--secondary" aria-label=button_label>"Remove"</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <ActionForm action=add attr:class="form form--inline">
                                <FormMessage error=Signal::derive(move || add_error.get().filter(|e| !matches!(e, crate::error::AppError::Validation(_)))) />
                                <input type="hidden" name="user_id" value=user_id />
                                <Suspense fallback=Loading>
                                    {move || Suspend::new(async move {
                                        options.await.ok().map(|options| view! {
                                            <div class="field">
                                                <label for="access-org">"Organization"</label>
                                                <select id="access-org" name="organization_id" required>
                                                    {options.organizations.into_iter().map(|o| view! {
                                                        <option value=o.organization_id>{o.organization_name}</option>
                                                    }).collect_view()}
                                                </select>
                                                <FieldMessage error=add_error field="organization_id" />
                                            </div>
                                            <div class="field">
                                                <label for="access-workgroup">"Workgroup"</label>
                                                <select id="access-workgroup" name="workgroup" required>
                                                    {options.workgroups.into_iter().map(|w| view! {
                                                        <option value=w.code()>{w.label()}</option>
                                                    }).collect_view()}
                                                </select>
                                                <FieldMessage error=add_error field="workgroup" />
                                            </div>
                                        })
                                    })}
                                </Suspense>
                                <button type="submit" class="button">"Add access"</button>
                            </ActionForm>
                        </div>
                        <div class="card">
                            <h2>"Two-step sign-in"</h2>
                            {if user.second_factor && !user.account_managed {
                                view! {
                                    <p data-testid="user-two-step">"On."</p>
                                    <p class="hint">{ACCOUNT_ELSEWHERE}</p>
                                }.into_any()
                            } else if user.second_factor {
                                view! {
                                    <p data-testid="user-two-step">"On."</p>
                                    <ActionForm action=two_step attr:class="form">
                                        <input type="hidden" name="user_id" value=user_id2 />
                                        <p class="hint">"Lost phone? Turning it off lets the user sign in with the password alone until they set it up again."</p>
                                        <button type="submit" class="button button--secondary">"Turn off two-step sign-in"</button>
                                    </ActionForm>
                                }.into_any()
                            } else {
                                view! { <p data-testid="user-two-step">"Off. Users turn it on in their own settings."</p> }.into_any()
                            }}
                        </div>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
