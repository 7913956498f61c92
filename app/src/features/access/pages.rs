//! Sign-in page, settings panel (context, Back Date, sign out), the header's user
//! menu, and the guard around every signed-in page.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::{use_location, use_query_map};

use super::api::{
    ClearBackDate, ConfirmTwoStep, Login, Logout, Next, SetBackDate, SetContext, SetLocation, TurnOffTwoStep,
    VerifyLoginCode, list_access_options, list_locations, login_code_pending, start_two_step,
};
use crate::error::AppError;
use crate::routes;
use crate::session::use_session;
use crate::ui::form::{FieldMessage, FormMessage};
use crate::ui::layout::ErrorPanel;
use crate::ui::status::Loading;

/// Watches a session-changing action: on success the whole page reloads at the
/// answer's path (so header, menus and caches reflect the new session); returns the
/// action's error for the form to show.
fn watch(value: Signal<Option<Result<Next, AppError>>>) -> Signal<Option<AppError>> {
    Effect::new(move |_| {
        if let Some(Ok(next)) = value.get() {
            let _ = window().location().set_href(&next.path);
        }
    });
    Signal::derive(move || value.get().and_then(Result::err))
}

/// Wraps every signed-in page: signed out → the sign-in page; no context yet → the
/// settings panel to choose one.
///
/// The page (`Outlet`) sits beside the session check, not inside its `Suspend`: the
/// server renders a `Suspend` more than once (a dry run to find its resources, then
/// the real one), and a page built inside it would be built — and load its data and
/// audit its view — once per run, then hydrate from another run's data than its HTML.
/// A page refuses on its own without a session (its server functions check), so
/// rendering it beside a pending redirect shows nothing it should not.
#[component]
pub fn RequireSession() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(info)) => {
                        let path = location.pathname.get_untracked();
                        let on_settings = path == routes::SETTINGS;
                        if info.must_change_password && path != routes::CHANGE_PASSWORD {
                            Some(view! { <Redirect path=routes::CHANGE_PASSWORD /> }.into_any())
                        } else if info.context.is_none() && !on_settings && path != routes::CHANGE_PASSWORD {
                            Some(view! { <Redirect path=routes::SETTINGS /> }.into_any())
                        } else {
                            None
                        }
                    }
                    Ok(None) => Some(view! { <Redirect path=routes::LOGIN /> }.into_any()),
                    Err(e) => {
                        let errors = ArcRwSignal::new(Errors::default());
                        errors.update(|list| list.insert_with_default_key(e));
                        Some(view! { <ErrorPanel errors /> }.into_any())
                    }
                }
            })}
        </Suspense>
        <Outlet />
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let action = ServerAction::<Login>::new();
    let error = watch(Signal::derive(move || action.value().get()));
    view! {
        <Title text="Sign in" />
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                matches!(session.await, Ok(Some(_))).then(|| view! { <Redirect path=routes::HOME /> })
            })}
        </Suspense>
        <section class="page page--narrow">
            <h1>"Sign in to Hearth"</h1>
            {move || {
                (query.with(|q| q.get("reason")).as_deref() == Some("idle"))
                    .then(|| view! {
                        <p class="notice notice--info" role="status">
                            "You were signed out after a period without activity. Please sign in again."
                        </p>
                    })
            }}
            <ActionForm action attr:class="form card">
                <FormMessage error />
                <div class="field">
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" autocapitalize="none" required />
                    <FieldMessage error field="username" />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                    <FieldMessage error field="password" />
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <p class="hint">
                "Hearth signs you out after 30 minutes without activity. Five wrong passwords in a row lock the account for 15 minutes."
            </p>
        </section>
    }
}

/// Header part: the user's context and initials (opening the settings panel), and
/// the Back Date banner while Back Date mode is on.
#[component]
pub fn UserMenu() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(info)) => {
                        let context = info
                            .context
                            .as_ref()
                            .map(|c| c.label())
                            .unwrap_or_else(|| "Choose a context".to_string());
                        view! {
                            <super::IdleWatch info=info.clone() />
                            <a class="user-menu" href=routes::SETTINGS title="Settings: context, back date, sign out">
                                <span class="user-menu__context" data-testid="current-context">{context}</span>
                                <span class="user-menu__initials" aria-label=format!("Settings for {}", info.full_name)>
                                    {info.initials.clone()}
                                </span>
                            </a>
                        }
                            .into_any()
                    }
                    _ => view! { <a class="user-menu" href=routes::LOGIN>"Sign in"</a> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Shown under the header while Back Date mode is on.
#[component]
pub fn BackDateBanner() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let date = session.await.ok().flatten().and_then(|s| s.back_date)?;
                Some(view! {
                    <div class="back-date-banner" role="status" data-testid="back-date-banner">
                        <strong>"Back Date mode: "</strong>
                        {format!("new entries default to {}", date.format("%B %-d, %Y"))}
                        " · "
                        <a href=routes::SETTINGS>"Change or clear"</a>
                    </div>
                })
            })}
        </Suspense>
    }
}

/// The optional location of the context: one of the organization's projects.
#[component]
fn LocationCard(
    options: Vec<super::api::LocationOption>,
    set: ServerAction<SetLocation>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="card">
            <h2 id="location-title">"Location"</h2>
            <p class="hint">"Optional: the project you are working at, shown with your context."</p>
            <ActionForm action=set attr:class="form form--inline" attr:aria-labelledby="location-title">
                <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                <div class="field">
                    <label for="project_id">"Working at"</label>
                    <select id="project_id" name="project_id">
                        <option value="">"No particular location"</option>
                        {options.into_iter().map(|o| view! {
                            <option value=o.project_id selected=o.current>{o.project_name}</option>
                        }).collect_view()}
                    </select>
                    <FieldMessage error field="project_id" />
                </div>
                <button type="submit" class="button">"Use this location"</button>
            </ActionForm>
        </div>
    }
}

/// The settings panel: data context, Back Date, sign out.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let session = use_session();
    let options = resource(|| (), |_| list_access_options());
    let locations = resource(|| (), |_| list_locations());
    let set_location = ServerAction::<SetLocation>::new();
    let location_error = watch(Signal::derive(move || set_location.value().get()));
    let choose = ServerAction::<SetContext>::new();
    let set_date = ServerAction::<SetBackDate>::new();
    let clear_date = ServerAction::<ClearBackDate>::new();
    let logout = ServerAction::<Logout>::new();
    let choose_error = watch(Signal::derive(move || choose.value().get()));
    let date_error = watch(Signal::derive(move || set_date.value().get()));
    let clear_error = watch(Signal::derive(move || clear_date.value().get()));
    let logout_error = watch(Signal::derive(move || logout.value().get()));

    view! {
        <Title text="Settings" />
        <section class="page settings">
            <h1>"Settings"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let info = session.await.ok().flatten()?;
                    let back_date = info.back_date;
                    let list = options.await;
                    let location_options = locations.await.ok();
                    Some(view! {
                        <p class="lead">{format!("Signed in as {} ({})", info.full_name, info.username)}</p>
                        <div class="card">
                            <h2 id="context-title">"Work as"</h2>
                            <p class="hint">"Choose the organization and workgroup you are entering data for."</p>
                            {match list {
                                Ok(list) if list.is_empty() => view! {
                                    <p class="notice notice--error" role="alert">
                                        "You have no access to any organization yet. Ask your agency or HMIS administrator."
                                    </p>
                                }.into_any(),
                                Ok(list) => view! {
                                    <ActionForm action=choose attr:class="form" attr:aria-labelledby="context-title">
                                        <FormMessage error=choose_error />
                                        <fieldset class="choices">
                                            <legend class="visually-hidden">"Context"</legend>
                                            {list.into_iter().map(|option| view! {
                                                <label class="choice">
                                                    <input type="radio" name="user_access_id" value=option.user_access_id.clone() checked=option.current required />
                                                    <span>
                                                        <strong>{option.workgroup.label()}</strong>
                                                        " · "
                                                        {option.organization_name.clone()}
                                                    </span>
                                                </label>
                                            }).collect_view()}
                                        </fieldset>
                                        <button type="submit" class="button">"Use this context"</button>
                                    </ActionForm>
                                }.into_any(),
                                Err(e) => view! { <p class="notice notice--error" role="alert">{e.to_string()}</p> }.into_any(),
                            }}
                        </div>
                        {location_options.filter(|_| info.context.is_some()).map(|options| view! {
                            <LocationCard options set=set_location error=location_error />
                        })}
                        <div class="card">
                            <h2>"Back Date"</h2>
                            <p class="hint">
                                "Entering paper forms from an earlier day? Set a back date: it becomes the default of every date you enter until you clear it."
                            </p>
                            {back_date.map(|d| view! {
                                <p class="notice notice--info" data-testid="back-date-current">
                                    {format!("Back Date mode is on: {}", d.format("%B %-d, %Y"))}
                                </p>
                            })}
                            <ActionForm action=set_date attr:class="form form--inline">
                                <div class="field">
                                    <label for="back_date">"Back date"</label>
                                    <input id="back_date" name="back_date" type="date" required value=back_date.map(|d| d.to_string()) />
                                    <FieldMessage error=date_error field="back_date" />
                                </div>
                                <button type="submit" class="button">"Set back date"</button>
                            </ActionForm>
                            {back_date.map(|_| view! {
                                <ActionForm action=clear_date attr:class="form">
                                    <FormMessage error=clear_error />
                                    <button type="submit" class="button button--secondary">"Clear back date"</button>
                                </ActionForm>
                            })}
                        </div>
                        <div class="card">
                            <h2>"Password"</h2>
                            <p>
                                <a class="button button--secondary" href=routes::CHANGE_PASSWORD>"Change password"</a>
                            </p>
                        </div>
                        <TwoStepCard on=info.second_factor />
                        <div class="card">
                            <h2>"Sign out"</h2>
                            <ActionForm action=logout attr:class="form">
                                <FormMessage error=logout_error />
                                <button type="submit" class="button button--secondary">"Sign out"</button>
                            </ActionForm>
                        </div>
                    })
                })}
            </Transition>
        </section>
    }
}

/// Change password; also where a user lands after an administrator reset theirs.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let session = use_session();
    let action = ServerAction::<super::api::ChangePassword>::new();
    let error = watch(Signal::derive(move || action.value().get()));
    view! {
        <Title text="Change password" />
        <section class="page page--narrow">
            <h1>"Change password"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    session.await.ok().flatten().filter(|s| s.must_change_password).map(|_| view! {
                        <p class="notice notice--info" role="status">
                            "Your password was reset by an administrator. Choose a new one to continue."
                        </p>
                    })
                })}
            </Suspense>
            <ActionForm action attr:class="form card">
                <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                <div class="field">
                    <label for="current_password">"Current password"</label>
                    <input id="current_password" name="current_password" type="password" autocomplete="current-password" required />
                    <FieldMessage error field="current_password" />
                </div>
                <div class="field">
                    <label for="new_password">"New password"</label>
                    <input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="8" required />
                    <p class="hint">"At least 8 characters with a letter and a number; not your username, not a common password."</p>
                    <FieldMessage error field="new_password" />
                </div>
                <div class="field">
                    <label for="confirm_password">"New password again"</label>
                    <input id="confirm_password" name="confirm_password" type="password" autocomplete="new-password" required />
                    <FieldMessage error field="confirm_password" />
                </div>
                <button type="submit" class="button">"Change password"</button>
            </ActionForm>
        </section>
    }
}

/// Settings card: two-step sign-in on or off.
#[component]
fn TwoStepCard(on: bool) -> impl IntoView {
    let turn_off = ServerAction::<TurnOffTwoStep>::new();
    let error = watch(Signal::derive(move || turn_off.value().get()));
    view! {
        <div class="card">
            <h2>"Two-step sign-in"</h2>
            {if on {
                view! {
                    <p class="notice notice--info" data-testid="two-step-status">
                        "On: signing in asks for a code from your authenticator app."
                    </p>
                    <ActionForm action=turn_off attr:class="form">
                        <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                        <div class="field">
                            <label for="two_step_password">"Your password, to turn it off"</label>
                            <input id="two_step_password" name="password" type="password" autocomplete="current-password" required />
                            <FieldMessage error field="password" />
                        </div>
                        <button type="submit" class="button button--secondary">"Turn off two-step sign-in"</button>
                    </ActionForm>
                }
                    .into_any()
            } else {
                view! {
                    <p class="hint" data-testid="two-step-status">
                        "Off. With two-step sign-in, a stolen password alone cannot open your account: signing in also asks for a code from an app on your phone."
                    </p>
                    <p>
                        <a class="button button--secondary" href=routes::TWO_STEP>"Turn on two-step sign-in"</a>
                    </p>
                }
                    .into_any()
            }}
        </div>
    }
}

/// Enrolment: scan the QR code (or type the key) into an authenticator app, then
/// confirm with a code.
#[component]
pub fn TwoStepPage() -> impl IntoView {
    let enrollment = resource(|| (), |_| start_two_step());
    let confirm = ServerAction::<ConfirmTwoStep>::new();
    let error = watch(Signal::derive(move || confirm.value().get()));
    view! {
        <Title text="Two-step sign-in" />
        <section class="page page--narrow">
            <h1>"Turn on two-step sign-in"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match enrollment.await {
                        Ok(setup) => view! {
                            <div class="card two-step">
                                <ol class="steps">
                                    <li>"Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, …)."</li>
                                    <li>"Add an account by scanning this QR code, or type in the key below."</li>
                                    <li>"Enter the 6-digit code the app shows."</li>
                                </ol>
                                <div class="qr-code" role="img" aria-label="QR code for your authenticator app" inner_html=setup.qr_svg></div>
                                <p class="two-step__key">
                                    "Key: " <code data-testid="two-step-key">{setup.secret}</code>
                                </p>
                                <ActionForm action=confirm attr:class="form">
                                    <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                                    <div class="field">
                                        <label for="code">"Code from the app"</label>
                                        <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required />
                                        <FieldMessage error field="code" />
                                    </div>
                                    <button type="submit" class="button">"Turn on"</button>
                                </ActionForm>
                            </div>
                        }
                            .into_any(),
                        Err(AppError::Conflict(message)) => view! {
                            <p class="notice notice--info" role="status">{message}</p>
                            <p><a href=routes::SETTINGS>"Back to settings"</a></p>
                        }
                            .into_any(),
                        Err(e) => view! { <p class="notice notice--error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The second step of signing in.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let pending = resource(|| (), |_| login_code_pending());
    let action = ServerAction::<VerifyLoginCode>::new();
    let cancel = ServerAction::<Logout>::new();
    let error = watch(Signal::derive(move || action.value().get()));
    let _ = watch(Signal::derive(move || cancel.value().get()));
    view! {
        <Title text="Sign-in code" />
        <section class="page page--narrow">
            <h1>"Enter your sign-in code"</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    if matches!(pending.await, Ok(true)) {
                        view! {
                            <ActionForm action attr:class="form card">
                                <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                                <div class="field">
                                    <label for="code">"6-digit code from your authenticator app"</label>
                                    <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required autofocus />
                                    <FieldMessage error field="code" />
                                </div>
                                <button type="submit" class="button" disabled=move || action.pending().get()>"Continue"</button>
                            </ActionForm>
                            <ActionForm action=cancel attr:class="form">
                                <button type="submit" class="button button--secondary">"Cancel"</button>
                            </ActionForm>
                            <p class="hint">"Lost your phone? Ask your administrator to turn off two-step sign-in for your account."</p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <p class="notice notice--info" role="status">
                                "This sign-in has timed out or was finished. "
                                <a href=routes::LOGIN>"Sign in with your password"</a>
                            </p>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
