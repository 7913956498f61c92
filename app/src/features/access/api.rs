//! Server functions for sign-in, the data context and Back Date mode.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::access::Workgroup;
use crate::error::AppError;

/// A location to choose: a project of the acting organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocationOption {
    pub project_id: String,
    pub project_name: String,
    pub current: bool,
}

/// One context the user may choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessOption {
    pub user_access_id: String,
    pub organization_name: String,
    pub workgroup: Workgroup,
    pub current: bool,
}

/// What the user needs to add Hearth to an authenticator app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrollment {
    /// The seed in base32, in groups of four, for typing in by hand.
    pub secret: String,
    /// `otpauth://` URL (what the QR code holds).
    pub otpauth_url: String,
    /// The QR code as inline SVG markup.
    pub qr_svg: String,
}

/// Where the browser goes after a session change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Next {
    pub path: String,
}

/// Keeps the session alive ("Stay signed in"): restarts the idle timer.
#[server(prefix = "/api", endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<crate::session::SessionInfo, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_signed_in())?;
    crate::state::respond(super::service::keep_alive(&state, &session).await)
}

/// Signs in. Five failures in a row lock the account for 15 minutes.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let request = crate::session::request_info();
    // The session this browser held before (another user's, or a sign-in waiting for
    // its code) ends when the new one starts: one browser, one signed-in user.
    let previous = crate::session::current()
        .map(|s| s.session_id)
        .or_else(|| crate::session::pending_sign_in().map(|p| p.session_id));
    let mut result = super::service::login(&state, &request, &username, &password).await;
    if result.is_ok()
        && let Some(previous) = previous
        && let Err(err) = super::service::end_replaced_session(&state, &previous).await
    {
        result = Err(err);
    }
    finish(result)
}

/// Signs out of this session.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::current() {
        Some(session) => super::service::logout(&state, &session).await,
        None => match crate::session::pending_sign_in() {
            Some(pending) => super::service::cancel_pending(&state, &pending).await,
            None => Ok(Next {
                path: crate::routes::LOGIN.to_string(),
            }),
        },
    };
    finish(result)
}

/// The second step of signing in: the code from the authenticator app. Wrong codes
/// count towards the lockout like wrong passwords.
#[server(prefix = "/api", endpoint = "login_code")]
pub async fn verify_login_code(code: String) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let request = crate::session::request_info();
    let result = match crate::session::pending_sign_in() {
        Some(pending) => super::service::verify_login_code(&state, &request, &pending, &code).await,
        None => Err(AppError::Conflict(
            "This sign-in has timed out. Sign in again with your password.".into(),
        )),
    };
    finish(result)
}

/// Whether a sign-in is waiting for its authenticator code (the code page asks).
#[server(prefix = "/api", endpoint = "login_pending")]
pub async fn login_code_pending() -> Result<bool, AppError> {
    Ok(crate::session::pending_sign_in().is_some())
}

/// Starts enrolling an authenticator app: a new secret as QR code and text.
#[server(prefix = "/api", endpoint = "start_two_step")]
pub async fn start_two_step() -> Result<TotpEnrollment, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::second_factor::start_enrollment(&state, &session).await)
}

/// Confirms the authenticator app with a code: sign-in asks for codes from now on.
#[server(prefix = "/api", endpoint = "confirm_two_step")]
pub async fn confirm_two_step(code: String) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_user() {
        Ok(session) => super::second_factor::confirm_enrollment(&state, &session, &code).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// Turns two-step sign-in off; the user confirms with their password.
#[server(prefix = "/api", endpoint = "turn_off_two_step")]
pub async fn turn_off_two_step(password: String) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_user() {
        Ok(session) => super::second_factor::turn_off(&state, &session, &password).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// The contexts the signed-in user may act in.
#[server(prefix = "/api", endpoint = "access_options")]
pub async fn list_access_options() -> Result<Vec<AccessOption>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::access_options(&state, &session).await)
}

/// Acts as one of the user's access rows from now on. Audited.
/// The locations the user may work at in the current context: the organization's
/// operating projects.
#[server(prefix = "/api", endpoint = "list_locations")]
pub async fn list_locations() -> Result<Vec<LocationOption>, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    crate::state::respond(super::service::location_options(&state, &session).await)
}

/// Sets (or, empty, clears) the location of the current context. Audited.
#[server(prefix = "/api", endpoint = "set_location")]
pub async fn set_location(project_id: Option<String>) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_user() {
        Ok(session) => {
            let project_id = project_id.map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
            super::service::set_location(&state, &session, project_id.as_deref()).await
        }
        Err(e) => Err(e),
    };
    finish(result)
}

#[server(prefix = "/api", endpoint = "set_context")]
pub async fn set_context(user_access_id: String) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_user() {
        Ok(session) => super::service::set_context(&state, &session, &user_access_id).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// Changes the signed-in user's password. Every other session of the user ends.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_signed_in() {
        Ok(session) => {
            super::service::change_password(
                &state,
                &session,
                &current_password,
                &new_password,
                &confirm_password,
            )
            .await
        }
        Err(e) => Err(e),
    };
    finish(result)
}

/// Turns on Back Date mode with `back_date` (not in the future).
#[server(prefix = "/api", endpoint = "set_back_date")]
pub async fn set_back_date(back_date: String) -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_user() {
        Ok(session) => super::service::set_back_date(&state, &session, &back_date).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// Turns Back Date mode off.
#[server(prefix = "/api", endpoint = "clear_back_date")]
pub async fn clear_back_date() -> Result<Next, AppError> {
    let state = crate::state::use_app_state()?;
    let result = match crate::session::require_user() {
        Ok(session) => super::service::clear_back_date(&state, &session).await,
        Err(e) => Err(e),
    };
    finish(result)
}

/// A session change ends with the browser on `next`: a redirect for a plain form
/// post (no JavaScript), the path in the answer otherwise (the page reloads there).
#[cfg(feature = "ssr")]
fn finish(result: Result<Next, AppError>) -> Result<Next, AppError> {
    crate::state::respond_then_go(result, |next| next.path.clone())
}
