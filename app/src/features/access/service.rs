//! Sign-in, sessions and context on the database.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    ModelTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::api::{AccessOption, LocationOption, Next};
use crate::db::audit::{self, Actor, Event};
use crate::db::entities::{organization, project, session, sign_in_limit, user, user_access};
use crate::domain::access::{self, Workgroup};
use crate::domain::input::NOT_A_DATE;
use crate::error::{AppError, FieldError};
use crate::routes;
use crate::session::{ActingContext, CurrentSession, PendingSignIn, RequestInfo};
use crate::state::AppState;

const WRONG_CREDENTIALS: &str = "Username or password is incorrect.";

// ---------------------------------------------------------------------------
// Passwords

/// Hashes a password with argon2id on a blocking thread (it is slow on purpose).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        use rand::RngCore as _;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let salt = SaltString::encode_b64(&bytes)?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| internal("password hashing task", e))?
    .map_err(|e| internal("password hashing", e))
}

/// Checks a password against a stored hash on a blocking thread.
/// The stored "hash" of an account without a password (imported users, Hearth's
/// system user): nothing verifies against it.
pub const NO_PASSWORD: &str = "!";

pub(super) async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    if hash == NO_PASSWORD {
        return Ok(false);
    }
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| e.to_string())?;
        Ok::<bool, String>(
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
        )
    })
    .await
    .map_err(|e| internal("password check task", e))?
    .map_err(|e| internal("stored password hash", e))
}

/// A hash of nothing in particular, verified when the username is unknown so that
/// "no such user" takes as long as "wrong password".
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

async fn dummy_hash() -> Result<String, AppError> {
    if let Some(hash) = DUMMY_HASH.get() {
        return Ok(hash.clone());
    }
    let hash = hash_password("not-a-real-password-0".into()).await?;
    Ok(DUMMY_HASH.get_or_init(|| hash).clone())
}

fn internal(what: &str, err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "{what} failed");
    AppError::Internal
}

// ---------------------------------------------------------------------------
// Users

/// What an administrator (or the CLI) gives to create a user.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub password: String,
    pub access: Vec<(String, Workgroup)>,
}

/// Creates a user and their access rows in one transaction, after checking the
/// password policy. Returns the new UserID.
pub async fn create_user(
    db: &sea_orm::DatabaseConnection,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let username = normalize_username(&new.username);
    if username.is_empty()
        || username.len() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(AppError::field(
            "username",
            "Use 1–64 letters, digits, dots, dashes or underscores.",
        ));
    }
    if new.first_name.trim().is_empty() {
        return Err(AppError::field("first_name", "First name is required."));
    }
    let problems = access::password_problems(&new.password, &username);
    if !problems.is_empty() {
        return Err(AppError::field("password", problems.join(" ")));
    }
    if user::Entity::find()
        .filter(user::Column::Username.eq(&username))
        .one(db)
        .await?
        .is_some()
    {
        return Err(AppError::field("username", "That username is taken."));
    }
    let password_hash = hash_password(new.password).await?;
    let user_id = crate::db::new_id();
    let txn = crate::db::begin_write(db).await?;
    user::ActiveModel {
        user_id: Set(user_id.clone()),
        username: Set(username),
        first_name: Set(new.first_name.trim().to_string()),
        last_name: Set(new.last_name.trim().to_string()),
        email: Set(new.email),
        password_hash: Set(password_hash),
        is_active: Set(true),
        must_change_password: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for (organization_id, workgroup) in new.access {
        user_access::ActiveModel {
            user_access_id: Set(crate::db::new_id()),
            user_id: Set(user_id.clone()),
            organization_id: Set(organization_id),
            workgroup: Set(workgroup.code().to_string()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(user_id)
}

pub fn normalize_username(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Creates an organization. Returns its OrganizationID.
pub async fn create_organization(
    db: &impl ConnectionTrait,
    name: &str,
    coordinated_entry: bool,
    victim_service_provider: bool,
    now: DateTime<Utc>,
) -> Result<String, DbErr> {
    let organization_id = crate::db::new_id();
    organization::ActiveModel {
        organization_id: Set(organization_id.clone()),
        organization_name: Set(name.to_string()),
        victim_service_provider: Set(victim_service_provider),
        coordinated_entry: Set(coordinated_entry),
        created_at: Set(now),
        updated_at: Set(now),
        date_deleted: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(organization_id)
}

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

fn new_token() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Counts a sign-in attempt from the request's address before any password or code is
/// checked, and refuses (and audits) it when the address has used up its window. Three
/// single statements, each atomic on both databases: the address's row is made if
/// missing, a window that ended starts again, and the attempt is counted only while the
/// window has room — so parallel guesses cannot all pass a count read before any of them
/// is written. A right password or code gives its attempt back (`release_address`).
/// Returns the address counted, if the request has one.
async fn admit_from_address(
    state: &AppState,
    request: &RequestInfo,
    actor: &Actor,
) -> Result<Option<String>, AppError> {
    let Some(ip) = request.ip.as_deref() else {
        return Ok(None);
    };
    let ip: String = ip.chars().take(64).collect();
    let now = state.now();
    sign_in_limit::Entity::insert(sign_in_limit::ActiveModel {
        ip: Set(ip.clone()),
        window_start: Set(now),
        attempts: Set(0),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(&state.db)
    .await?;
    sign_in_limit::Entity::update_many()
        .col_expr(sign_in_limit::Column::Attempts, Expr::value(0))
        .col_expr(sign_in_limit::Column::WindowStart, Expr::value(now))
        .filter(sign_in_limit::Column::Ip.eq(&ip))
        .filter(sign_in_limit::Column::WindowStart.lte(access::ip_window_start(now)))
        .exec(&state.db)
        .await?;
    let max = i32::try_from(state.security.login_ip_max_failures).unwrap_or(i32::MAX);
    let admitted = sign_in_limit::Entity::update_many()
        .col_expr(
            sign_in_limit::Column::Attempts,
            Expr::col(sign_in_limit::Column::Attempts).add(1),
        )
        .filter(sign_in_limit::Column::Ip.eq(&ip))
        .filter(sign_in_limit::Column::Attempts.lt(max))
        .exec(&state.db)
        .await?;
    if admitted.rows_affected == 1 {
        return Ok(Some(ip));
    }
    audit::record(&state.db, now, actor, Event::new("login_rate_limited")).await?;
    Err(AppError::RateLimited(format!(
        "Too many failed sign-ins from this network. Wait {} minutes, then try again.",
        access::LOGIN_IP_WINDOW_MINUTES
    )))
}

/// Gives back the attempt of a right password or code: only failures use up an
/// address's window.
async fn release_address(state: &AppState, ip: Option<&str>) -> Result<(), AppError> {
    let Some(ip) = ip else {
        return Ok(());
    };
    sign_in_limit::Entity::update_many()
        .col_expr(
            sign_in_limit::Column::Attempts,
            Expr::col(sign_in_limit::Column::Attempts).sub(1),
        )
        .filter(sign_in_limit::Column::Ip.eq(ip))
        .filter(sign_in_limit::Column::Attempts.gt(0))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Counts a password or code check on `account` before it is made, in one statement
/// that also applies `access::admits_attempt`: parallel guesses are counted one after
/// another by the database, so no more than `MAX_FAILED_LOGINS` are ever checked before
/// the lock. Refuses (and audits) when the account is locked or its count is full.
async fn admit_attempt(state: &AppState, account: &user::Model, actor: &Actor) -> Result<(), AppError> {
    let now = state.now();
    let admitted = user::Entity::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::col(user::Column::FailedLogins).add(1),
        )
        .filter(user::Column::UserId.eq(&account.user_id))
        .filter(user::Column::FailedLogins.lt(access::MAX_FAILED_LOGINS))
        .filter(
            Condition::any()
                .add(user::Column::LockedUntil.is_null())
                .add(user::Column::LockedUntil.lte(now)),
        )
        .exec(&state.db)
        .await?;
    if admitted.rows_affected == 1 {
        return Ok(());
    }
    audit::record(&state.db, now, actor, Event::new("login_refused_locked")).await?;
    Err(AppError::Conflict(locked_message()))
}

/// Takes back the count of a check that succeeded but does not sign in yet (a right
/// password still waiting for its authenticator code).
async fn release_attempt(state: &AppState, account: &user::Model) -> Result<(), AppError> {
    user::Entity::update_many()
        .col_expr(
            user::Column::FailedLogins,
            Expr::col(user::Column::FailedLogins).sub(1),
        )
        .filter(user::Column::UserId.eq(&account.user_id))
        .filter(user::Column::FailedLogins.gt(0))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Records a failed password or code for `account` (its attempt is already counted by
/// `admit_attempt`); the failure that finds the count full locks the account, in one
/// statement, so of parallel failures exactly one locks it. Returns the error to show.
async fn fail_sign_in(
    state: &AppState,
    account: &user::Model,
    actor: &Actor,
    action: &str,
    detail: &str,
    shown: AppError,
) -> Result<AppError, AppError> {
    let now = state.now();
    audit::record(&state.db, now, actor, Event::new(action).detail(detail)).await?;
    let locked = user::Entity::update_many()
        .col_expr(user::Column::FailedLogins, Expr::value(0))
        .col_expr(
            user::Column::LockedUntil,
            Expr::value(Some(access::locked_until(now))),
        )
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::UserId.eq(&account.user_id))
        .filter(user::Column::FailedLogins.gte(access::MAX_FAILED_LOGINS))
        .exec(&state.db)
        .await?;
    if locked.rows_affected == 1 {
        // A locked account keeps no half-finished sign-in.
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(&account.user_id))
            .filter(session::Column::PendingSecondFactor.eq(true))
            .exec(&state.db)
            .await?;
        audit::record(&state.db, now, actor, Event::new("account_locked")).await?;
        return Ok(AppError::Conflict(locked_message()));
    }
    Ok(shown)
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
async fn insert_session(
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
async fn start_session(
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
    match super::second_factor::check_login_code(state, &account, &code)? {
        Some(step) => {
            session::Entity::delete_by_id(pending.session_id.clone())
                .exec(&state.db)
                .await?;
            release_address(state, address.as_deref()).await?;
            start_session(state, request, &account, actor, Some(step)).await
        }
        None => {
            let shown = AppError::field("code", super::second_factor::WRONG_CODE);
            Err(fail_sign_in(state, &account, &actor, "login_code_failed", "wrong code", shown).await?)
        }
    }
}

fn locked_message() -> String {
    format!(
        "Too many failed sign-ins: this account is locked for {} minutes. Try again later or ask your administrator.",
        access::LOCKOUT_MINUTES
    )
}

fn set_response_cookie(cookie: &str) {
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

// ---------------------------------------------------------------------------
// Context and Back Date

pub async fn access_options(
    state: &AppState,
    current: &CurrentSession,
) -> Result<Vec<AccessOption>, AppError> {
    let rows = user_access::Entity::find()
        .filter(user_access::Column::UserId.eq(&current.user_id))
        .find_also_related(organization::Entity)
        .order_by_asc(user_access::Column::CreatedAt)
        .all(&state.db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(row, org)| {
            let workgroup = Workgroup::from_code(&row.workgroup)?;
            let org = org?;
            let current = current
                .context
                .as_ref()
                .is_some_and(|c| c.organization_id == org.organization_id && c.workgroup == workgroup);
            Some(AccessOption {
                user_access_id: row.user_access_id,
                organization_name: org.organization_name,
                workgroup,
                current,
            })
        })
        .collect())
}

pub async fn set_context(
    state: &AppState,
    current: &CurrentSession,
    user_access_id: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let row = user_access::Entity::find_by_id(user_access_id.to_string())
        .one(&state.db)
        .await?
        // Someone else's access row is as unknown as a missing one.
        .filter(|row| row.user_id == current.user_id)
        .ok_or_else(|| AppError::field("user_access_id", "Choose one of your contexts."))?;
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(existing) = session::Entity::find_by_id(current.session_id.clone())
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let mut active = existing.into_active_model();
    active.organization_id = Set(Some(row.organization_id.clone()));
    active.workgroup = Set(Some(row.workgroup.clone()));
    // A location belongs to an organization: a new context starts without one.
    active.location_project_id = Set(None);
    active.update(&txn).await?;
    let actor = Actor {
        organization_id: Some(row.organization_id.clone()),
        workgroup: Some(row.workgroup.clone()),
        ..current.actor()
    };
    let from = current
        .context
        .as_ref()
        .map(|c| format!("{} as {}", c.organization_id, c.workgroup.code()))
        .unwrap_or_else(|| "none".into());
    audit::record(
        &txn,
        now,
        &actor,
        Event::new("context_changed")
            .on("user_access", &row.user_access_id)
            .detail(format!("from {from}")),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::HOME.to_string(),
    })
}

/// The projects of the acting organization that are operating today.
pub async fn location_options(
    state: &AppState,
    current: &CurrentSession,
) -> Result<Vec<LocationOption>, AppError> {
    let context = current.require_context()?;
    let today = state.today();
    let current_id = context.location.as_ref().map(|(id, _)| id.clone());
    Ok(project::Entity::find()
        .filter(project::Column::OrganizationId.eq(&context.organization_id))
        .filter(project::Column::DateDeleted.is_null())
        .order_by_asc(project::Column::ProjectName)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|p| p.operating_end_date.is_none_or(|end| end >= today))
        .map(|p| LocationOption {
            current: Some(&p.project_id) == current_id.as_ref(),
            project_id: p.project_id,
            project_name: p.project_name,
        })
        .collect())
}

/// Sets or clears the location of the current context.
pub async fn set_location(
    state: &AppState,
    current: &CurrentSession,
    project_id: Option<&str>,
) -> Result<Next, AppError> {
    let context = current.require_context()?;
    if let Some(id) = project_id {
        let offered = location_options(state, current)
            .await?
            .iter()
            .any(|o| o.project_id == id);
        if !offered {
            return Err(AppError::field("project_id", "Choose a location from the list."));
        }
    }
    let now = state.now();
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(existing) = session::Entity::find_by_id(current.session_id.clone())
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let mut active = existing.into_active_model();
    active.location_project_id = Set(project_id.map(str::to_string));
    active.update(&txn).await?;
    let event = match project_id {
        Some(id) => Event::new("location_changed").on("project", id),
        None => Event::new("location_cleared"),
    };
    audit::record(
        &txn,
        now,
        &current.actor(),
        event.detail(format!("in {}", context.organization_id)),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

pub async fn set_back_date(
    state: &AppState,
    current: &CurrentSession,
    back_date: &str,
) -> Result<Next, AppError> {
    let date = FieldError::required_date("back_date", back_date, NOT_A_DATE)?;
    access::check_back_date(date, state.today()).map_err(|message| AppError::field("back_date", message))?;
    update_back_date(state, current, Some(date)).await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

pub async fn clear_back_date(state: &AppState, current: &CurrentSession) -> Result<Next, AppError> {
    update_back_date(state, current, None).await?;
    Ok(Next {
        path: routes::SETTINGS.to_string(),
    })
}

async fn update_back_date(
    state: &AppState,
    current: &CurrentSession,
    date: Option<NaiveDate>,
) -> Result<(), AppError> {
    let txn = crate::db::begin_write(&state.db).await?;
    let Some(existing) = session::Entity::find_by_id(current.session_id.clone())
        .one(&txn)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    let mut active = existing.into_active_model();
    active.back_date = Set(date);
    active.update(&txn).await?;
    let event = match date {
        Some(d) => Event::new("back_date_set").detail(d.to_string()),
        None => Event::new("back_date_cleared"),
    };
    audit::record(&txn, state.now(), &current.actor(), event).await?;
    txn.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Passwords (change, reset) and ending sessions

pub async fn change_password(
    state: &AppState,
    current: &CurrentSession,
    current_password: &str,
    new_password: &str,
    confirm_password: &str,
) -> Result<Next, AppError> {
    let now = state.now();
    let Some(account) = user::Entity::find_by_id(current.user_id.clone())
        .one(&state.db)
        .await?
    else {
        return Err(AppError::Unauthorized);
    };
    if !verify_password(current_password.to_string(), account.password_hash.clone()).await? {
        return Err(AppError::field(
            "current_password",
            "That is not your current password.",
        ));
    }
    let problems = access::password_problems(new_password, &account.username);
    if !problems.is_empty() {
        return Err(AppError::field("new_password", problems.join(" ")));
    }
    if new_password == current_password {
        return Err(AppError::field(
            "new_password",
            "Choose a password different from the current one.",
        ));
    }
    if new_password != confirm_password {
        return Err(AppError::field(
            "confirm_password",
            "The two new passwords differ.",
        ));
    }
    let hash = hash_password(new_password.to_string()).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut active = account.into_active_model();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.updated_at = Set(now);
    active.update(&txn).await?;
    // Signed out everywhere else: a changed password shuts out whoever knew the old one.
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(&current.user_id))
        .filter(session::Column::SessionId.ne(&current.session_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        now,
        &current.actor(),
        Event::new("password_changed").on("user", &current.user_id),
    )
    .await?;
    txn.commit().await?;
    Ok(Next {
        path: routes::HOME.to_string(),
    })
}
