//! Server-side application state, provided to every server function and page render
//! as Leptos context.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::domain::access::SessionPolicy;
use crate::error::AppError;

/// Where "now" comes from. Tests set it by hand; everything else uses the system.
#[derive(Clone, Debug)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
    /// A clock tests move forward (shared by every clone of the state).
    Manual(std::sync::Arc<std::sync::Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Self {
        Clock::Manual(std::sync::Arc::new(std::sync::Mutex::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
            Clock::Manual(at) => *at.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// Moves a manual clock forward; other clocks ignore it.
    pub fn advance(&self, by: chrono::Duration) {
        if let Clock::Manual(at) = self {
            let mut guard = at.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *guard += by;
        }
    }
}

/// Session and cookie settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Security {
    pub session: SessionPolicy,
    /// Served over TLS: cookies get `Secure` and the `__Host-` prefix, responses HSTS.
    pub secure_cookies: bool,
    /// Behind a reverse proxy: the client's address is the last one in
    /// `X-Forwarded-For` (the proxy appends it), not the socket's peer.
    pub trust_proxy: bool,
    /// Failed sign-ins one address may make in ten minutes before it must wait.
    pub login_ip_max_failures: u64,
}

impl Default for Security {
    fn default() -> Self {
        Security {
            session: SessionPolicy::default(),
            secure_cookies: false,
            trust_proxy: false,
            login_ip_max_failures: crate::domain::access::LOGIN_IP_MAX_FAILURES,
        }
    }
}

/// The CSP nonce of this response, set by the security middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub security: Security,
    /// The CoC's time zone: every HUD date ("today", "not in the future", windows) is
    /// a calendar date in this zone, never in UTC.
    pub time_zone: Tz,
    pub clock: Clock,
    /// Encrypts secrets at rest (TOTP seeds, SSNs); from configuration, never the database.
    pub data_key: crate::crypto::DataKey,
    /// The background job queue (exports).
    pub jobs: crate::jobs::Jobs,
    /// The audit rows of views, written in batches (see [`crate::db::audit::ViewLog`]).
    pub views: crate::db::audit::ViewLog,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today's calendar date in the CoC's time zone.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.time_zone).date_naive()
    }

    /// A moment as people read it in the CoC's time zone: "Nov 30, 2026 8:15 PM". Every
    /// time shown to a person goes through here (or [`Self::stamp_seconds`]).
    pub fn stamp(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.time_zone)
            .format("%b %-d, %Y %-I:%M %p")
            .to_string()
    }

    /// [`Self::stamp`] to the second, for logs people compare: "Nov 30, 2026 8:15:04 PM".
    pub fn stamp_seconds(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.time_zone)
            .format("%b %-d, %Y %-I:%M:%S %p")
            .to_string()
    }

    /// The CoC's calendar date of a moment.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.time_zone).date_naive()
    }
}

/// The state provided by the server. Its absence is a wiring bug, logged and shown
/// to the user as an internal error.
pub fn use_app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState was not provided to this request");
        AppError::Internal
    })
}

/// Sets the HTTP status of a server function's response from its error, so that
/// clients (and logs) see 403, 404, 422 … instead of a blanket 500.
///
/// A plain HTML form post (JavaScript off) is left alone: server_fn answers it with a
/// redirect back to the form carrying the error, and a status here would break it.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result
        && !is_html_form_post()
        && let Some(response) = use_context::<leptos_axum::ResponseOptions>()
    {
        response.set_status(err.status_code());
    }
    result
}

/// Like [`respond`], for a server function whose success takes the browser to another
/// page: a plain form post (no JavaScript) is redirected to `path(&value)`; with
/// JavaScript the page navigates itself from the answer.
pub fn respond_then_go<T>(
    result: Result<T, AppError>,
    path: impl FnOnce(&T) -> String,
) -> Result<T, AppError> {
    let result = respond(result);
    if let Ok(value) = &result
        && is_html_form_post()
    {
        leptos_axum::redirect(&path(value));
    }
    result
}

pub fn is_html_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)?
                .to_str()
                .ok()
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn today_is_the_coc_calendar_date_not_utc() {
        // 7 pm in Missouri on Nov 24 is already Nov 25 in UTC.
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap();
        let clock = Clock::Fixed(at);
        let chicago: Tz = "America/Chicago".parse().unwrap();
        assert_eq!(
            clock.now().with_timezone(&chicago).date_naive(),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
    }
}
