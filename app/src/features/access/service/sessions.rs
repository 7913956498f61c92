//! Sign-in and sessions: the cookie and its token, signing in (with the second step), signing out, loading and keeping a session.

use base64::Engine as _;
use chrono::Duration;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, ModelTrait,
    QueryFilter, Set,
};
use sha2::{Digest, Sha256};

use super::super::api::Next;
use crate::db::audit::{self, Actor, Event};
use crate::db::entities::{organization, project, session, user, user_access};
use crate::domain::access::{self, Workgroup};
use crate::error::AppError;
use crate::routes;
use crate::session::{ActingContext, CurrentSession, PendingSignIn, RequestInfo};
use crate::state::AppState;

use super::*;

// ---------------------------------------------------------------------------
// Sign-in and sessions

/// The cookie's name: `__Host-` prefixed (and Secure) when served over TLS.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-hearth_session"
    } else {
        "hearth_session"
    }
}

pub fn session_cookie(token: &str, secure: bool, max_age: Duration) -> String {
    let secure_attr = if secure { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure_attr}",
        cookie_name(secure),
        max_age.num_seconds()
    )
}

pub fn clear_cookie(secure: bool) -> String {
    session_cookie("", secure, Duration::zero())
}

/// The stored session ID for a cookie token.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn new_token() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub async fn login(
    state: &AppState,
    request: &RequestInfo,
    username: &str,
    password: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let username = normalize_username(username);
    if username.is_empty() || password.is_empty() {
        return Err(AppError::Validation(
            [
                ("username", username.is_empty()),
                ("password", password.is_empty()),
            ]
            .into_iter()
            .filter(|(_, missing)| *missing)
            .map(|(field, _)| crate::error::FieldError::new(field, "Required."))
            .collect(),
        ));
    }
    let attempt_actor = Actor {
        username: Some(username.clone()),
        ip: request.ip.clone(),
        ..Default::default()
    };
    let address = admit_from_address(state, request, &attempt_actor).await?;
    let found = user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(&state.db)
        .await?;
    let Some(account) = found else {
        verify_password(password.to_string(), dummy_hash().await?).await?;
        audit::record(
            &state.db,
            now,
            &attempt_actor,
            Event::new("login_failed").detail("unknown username"),
        )
        .await?;
        return Err(AppError::Conflict(WRONG_CREDENTIALS.into()));
    };
    let actor = Actor {
        user_id: Some(account.user_id.clone()),
        ..attempt_actor
    };
    admit_attempt(state, &account, &actor).await?;
    let valid = verify_password(password.to_string(), account.password_hash.clone()).await?;
    if !valid || !account.may_sign_in() {
        let detail = if !account.is_active {
            "disabled account"
        } else if account.date_deleted.is_some() {
            "deleted account"
        } else {
            "wrong password"
        };
        let shown = AppError::Conflict(WRONG_CREDENTIALS.into());
        return Err(fail_sign_in(state, &account, &actor, "login_failed", detail, shown).await?);
    }

    if account.totp_secret.is_some() {
        // The password is right; the session starts once the authenticator code is
        // given. Failures so far are not forgiven until then.
        release_attempt(state, &account).await?;
        release_address(state, address.as_deref()).await?;
        let token = new_token();
        let txn = crate::db::begin_write(&state.db).await?;
        insert_session(&txn, state, &account, request, &token, true, (None, None)).await?;
        audit::record(&txn, now, &actor, Event::new("login_code_required")).await?;
        txn.commit().await?;
        set_response_cookie(&session_cookie(
            &token,
            state.security.secure_cookies,
            Duration::minutes(access::SECOND_FACTOR_MINUTES),
        ));
        return Ok(Next {
            path: routes::LOGIN_CODE.to_string(),
        });
    }
    release_address(state, address.as_deref()).await?;
    start_session(state, request, &account, actor, None).await
}

/// Inserts a session row for `account` with the cookie token `token`.
pub(super) async fn insert_session(
    db: &impl ConnectionTrait,
    state: &AppState,
    account: &user::Model,
    request: &RequestInfo,
    token: &str,
    pending_second_factor: bool,
    (organization_id, workgroup): (Option<String>, Option<String>),
) -> Result<(), DbErr> {
    let now = state.now();
    session::ActiveModel {
        session_id: Set(token_hash(token)),
        user_id: Set(account.user_id.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        organization_id: Set(organization_id),
        workgroup: Set(workgroup),
        back_date: Set(None),
        ip: Set(request.ip.clone()),
        pending_second_factor: Set(pending_second_factor),
        location_project_id: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Signs `account` in: forgives earlier failures, opens a session (straight into the
/// context when the user has exactly one access row), sets the cookie. `code_step` is
/// the authenticator step just used, when a code was given.
pub(super) async fn start_session(
    state: &AppState,
    request: &RequestInfo,
    account: &user::Model,
    actor: Actor,
    code_step: Option<i64>,
) -> Result<Next, AppError> {
    let now = state.now();
    let rows = user_access::Entity::find()
        .filter(user_access::Column::UserId.eq(&account.user_id))
        .all(&state.db)
        .await?;
    let (organization_id, workgroup) = match rows.as_slice() {
        // One access row: straight in.
        [only] => (Some(only.organization_id.clone()), Some(only.workgroup.clone())),
        _ => (None, None),
    };
    let has_context = organization_id.is_some();
    let token = new_token();
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = account.clone().into_active_model();
    active.failed_logins = Set(0);
    active.locked_until = Set(None);
    if let Some(step) = code_step {
        active.totp_last_step = Set(Some(step));
    }
    active.updated_at = Set(now);
    active.update(&txn).await?;
    insert_session(
        &txn,
        state,
        account,
        request,
        &token,
        false,
        (organization_id.clone(), workgroup.clone()),
    )
    .await?;
    let actor = Actor {
        organization_id,
        workgroup,
        ..actor
    };
    let event = Event::new("login");
    let event = if code_step.is_some() {
        event.detail("with authenticator code")
    } else {
        event
    };
    audit::record(&txn, now, &actor, event).await?;
    txn.commit().await?;

    set_response_cookie(&session_cookie(
        &token,
        state.security.secure_cookies,
        state.security.session.absolute,
    ));
    let next = if has_context {
        routes::HOME
    } else {
        routes::SETTINGS
    };
    Ok(Next {
        path: next.to_string(),
    })
}

/// The second step of signing in: the code from the user's authenticator app. A right
/// code replaces the waiting session with a real one (a new token); a wrong one counts
/// towards the lockout like a wrong password.
pub async fn verify_login_code(
    state: &AppState,
    request: &RequestInfo,
    pending: &PendingSignIn,
    code: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let actor = Actor {
        user_id: Some(pending.user_id.clone()),
        username: Some(pending.username.clone()),
        ip: request.ip.clone(),
        ..Default::default()
    };
    let address = admit_from_address(state, request, &actor).await?;
    let code = code.trim().replace(' ', "");
    if code.is_empty() {
        return Err(AppError::field(
            "code",
            "Enter the 6-digit code from your authenticator app.",
        ));
    }
    let Some(account) = user::Entity::find_by_id(pending.user_id.clone())
        .one(&state.db)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    if !account.may_sign_in() {
        session::Entity::delete_by_id(pending.session_id.clone())
            .exec(&state.db)
            .await?;
        audit::record(&state.db, now, &actor, Event::new("login_refused_locked")).await?;
        return Err(AppError::Conflict(locked_message()));
    }
    if let Err(refused) = admit_attempt(state, &account, &actor).await {
        session::Entity::delete_by_id(pending.session_id.clone())
            .exec(&state.db)
            .await?;
        return Err(refused);
    }
    match super::super::second_factor::check_login_code(state, &account, &code)? {
        Some(step) => {
            session::Entity::delete_by_id(pending.session_id.clone())
                .exec(&state.db)
                .await?;
            release_address(state, address.as_deref()).await?;
            start_session(state, request, &account, actor, Some(step)).await
        }
        None => {
            let shown = AppError::field("code", super::super::second_factor::WRONG_CODE);
            Err(fail_sign_in(state, &account, &actor, "login_code_failed", "wrong code", shown).await?)
        }
    }
}

pub(super) fn locked_message() -> String {
    format!(
        "Too many failed sign-ins: this account is locked for {} minutes. Try again later or ask your administrator.",
        access::LOCKOUT_MINUTES
    )
}

pub(super) fn set_response_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

pub async fn logout(state: &AppState, current: &CurrentSession) -> Result<Next, AppError> {
    let now = state.now();
    session::Entity::delete_by_id(current.session_id.clone())
        .exec(&state.db)
        .await?;
    audit::record(&state.db, now, &current.actor(), Event::new("logout")).await?;
    set_response_cookie(&clear_cookie(state.security.secure_cookies));
    Ok(Next {
        path: routes::LOGIN.to_string(),
    })
}

/// Ends the session a browser held when it signed in again (perhaps as another user).
pub async fn end_replaced_session(state: &AppState, session_id: &str) -> Result<(), AppError> {
    let Some((row, account)) = session::Entity::find_by_id(session_id.to_string())
        .find_also_related(user::Entity)
        .one(&state.db)
        .await?
    else {
        return Ok(());
    };
    row.delete(&state.db).await?;
    let actor = Actor {
        user_id: account.as_ref().map(|a| a.user_id.clone()),
        username: account.map(|a| a.username),
        ..Default::default()
    };
    audit::record(
        &state.db,
        state.now(),
        &actor,
        Event::new("logout").detail("replaced by a new sign-in in the same browser"),
    )
    .await?;
    Ok(())
}

/// Abandons a sign-in that was waiting for its authenticator code.
pub async fn cancel_pending(state: &AppState, pending: &PendingSignIn) -> Result<Next, AppError> {
    session::Entity::delete_by_id(pending.session_id.clone())
        .exec(&state.db)
        .await?;
    set_response_cookie(&clear_cookie(state.security.secure_cookies));
    Ok(Next {
        path: routes::LOGIN.to_string(),
    })
}

/// Whether loading a session counts as activity (restarts the idle timer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Touch {
    Yes,
    /// The idle watcher's poll: reading the session must not keep it alive.
    No,
}

/// What a session cookie stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loaded {
    Session(CurrentSession),
    /// The password was right; the authenticator code is still to come.
    Pending(PendingSignIn),
}

/// Loads the session for a cookie token; `Ok(None)` when there is none or it has
/// ended (an ended session is deleted and audited).
pub async fn load_session(
    state: &AppState,
    token: &str,
    request: &RequestInfo,
    touch: Touch,
) -> Result<Option<Loaded>, DbErr> {
    let now = state.now();
    let Some((row, Some(account))) = session::Entity::find_by_id(token_hash(token))
        .find_also_related(user::Entity)
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    if row.pending_second_factor {
        if access::second_factor_expired(row.created_at, now) || !account.may_sign_in() {
            row.delete(&state.db).await?;
            return Ok(None);
        }
        return Ok(Some(Loaded::Pending(PendingSignIn {
            session_id: row.session_id,
            user_id: account.user_id,
            username: account.username,
        })));
    }
    let policy = state.security.session;
    if !policy.is_alive(row.created_at, row.last_seen_at, now) || !account.may_sign_in() {
        let actor = Actor {
            user_id: Some(account.user_id.clone()),
            username: Some(account.username.clone()),
            ip: request.ip.clone(),
            ..Default::default()
        };
        row.delete(&state.db).await?;
        audit::record(&state.db, now, &actor, Event::new("session_expired")).await?;
        return Ok(None);
    }
    // Touch at most every 15 seconds: fewer writes, same timeout to the minute.
    let last_seen_at = if touch == Touch::Yes && now - row.last_seen_at > Duration::seconds(15) {
        let mut active = row.clone().into_active_model();
        active.last_seen_at = Set(now);
        active.update(&state.db).await?;
        now
    } else {
        row.last_seen_at
    };
    let context = match (
        &row.organization_id,
        row.workgroup.as_deref().and_then(Workgroup::from_code),
    ) {
        (Some(organization_id), Some(workgroup)) => {
            let location = match &row.location_project_id {
                Some(project_id) => project::Entity::find_by_id(project_id.clone())
                    .one(&state.db)
                    .await?
                    .filter(|p| &p.organization_id == organization_id && p.date_deleted.is_none())
                    .map(|p| (p.project_id, p.project_name)),
                None => None,
            };
            organization::Entity::find_by_id(organization_id.clone())
                .one(&state.db)
                .await?
                .map(|org| ActingContext {
                    organization_id: org.organization_id,
                    organization_name: org.organization_name,
                    workgroup,
                    victim_service_provider: org.victim_service_provider,
                    location,
                })
        }
        _ => None,
    };
    Ok(Some(Loaded::Session(CurrentSession {
        session_id: row.session_id,
        user_id: account.user_id.clone(),
        username: account.username.clone(),
        full_name: account.full_name(),
        context,
        back_date: row.back_date,
        today: state.today(),
        expires_at: policy.expires_at(row.created_at, last_seen_at),
        loaded_at: now,
        idle_seconds: policy.idle.num_seconds(),
        must_change_password: account.must_change_password,
        ip: request.ip.clone(),
        second_factor: account.totp_secret.is_some(),
    })))
}

/// "Stay signed in": restarts the idle timer now.
pub async fn keep_alive(
    state: &AppState,
    current: &CurrentSession,
) -> Result<crate::session::SessionInfo, AppError> {
    let now = state.now();
    let Some(row) = session::Entity::find_by_id(current.session_id.clone())
        .one(&state.db)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let created_at = row.created_at;
    let mut active = row.into_active_model();
    active.last_seen_at = Set(now);
    active.update(&state.db).await?;
    let refreshed = CurrentSession {
        expires_at: state.security.session.expires_at(created_at, now),
        loaded_at: now,
        ..current.clone()
    };
    Ok(refreshed.info())
}
