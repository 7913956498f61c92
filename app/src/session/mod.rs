//! The signed-in session, shared by every feature: what the browser knows of it
//! (`SessionInfo`, read once per page load with `use_session`) and, on the server, the
//! session of the request (`CurrentSession`, loaded by the access middleware) with the
//! permission guard every server function starts with (`require`, `require_user`). It
//! sits below the features so that none has to import another to know who is asking.

use crate::resource::{Resource, resource};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::access::Workgroup;
use crate::error::AppError;

#[cfg(feature = "ssr")]
mod guard;
#[cfg(feature = "ssr")]
pub use guard::{
    ActingContext, ClientIp, CurrentSession, PendingSignIn, RequestInfo, current, pending_sign_in,
    request_info, require, require_signed_in, require_user,
};

/// The signed-in user as the browser sees them (no password hash, no token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub username: String,
    pub full_name: String,
    pub initials: String,
    pub context: Option<ContextInfo>,
    pub back_date: Option<NaiveDate>,
    /// Today in the CoC's time zone.
    pub today: NaiveDate,
    /// When the session ends if the user does nothing.
    pub expires_at: DateTime<Utc>,
    /// Seconds left at the moment the server answered (immune to clock skew).
    pub seconds_left: i64,
    /// The idle timeout, in seconds.
    pub idle_seconds: i64,
    /// An administrator reset the password: it must be changed before anything else.
    pub must_change_password: bool,
    /// Two-step sign-in (an authenticator code) is on.
    pub second_factor: bool,
}

impl SessionInfo {
    /// The default of every data-entry date field: the Back Date while it is set,
    /// today otherwise.
    pub fn entry_date(&self) -> NaiveDate {
        self.back_date.unwrap_or(self.today)
    }
}

/// The organization and workgroup the user is acting in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextInfo {
    pub organization_id: String,
    pub organization_name: String,
    pub workgroup: Workgroup,
    /// The optional location: a project of the organization.
    pub location_project_id: Option<String>,
    pub location_name: Option<String>,
}

impl ContextInfo {
    /// As the header shows it: "Case Manager · Riverside Family Shelter · Riverside RRH".
    pub fn label(&self) -> String {
        let mut label = format!("{} · {}", self.workgroup.label(), self.organization_name);
        if let Some(location) = &self.location_name {
            label.push_str(" · ");
            label.push_str(location);
        }
        label
    }
}

/// The current session, or `None` when signed out. Reading it does not restart the
/// idle timer (the idle watcher polls it).
#[server(prefix = "/api", endpoint = "session")]
pub async fn get_session() -> Result<Option<SessionInfo>, AppError> {
    Ok(current().map(|s| s.info()))
}

/// The session of this page load, shared by the header and the pages.
#[derive(Clone, Copy)]
pub struct SessionResource(pub Resource<Result<Option<SessionInfo>, AppError>>);

/// Loads the session once for the page (the app shell calls it).
pub fn provide_session() {
    provide_context(SessionResource(resource(|| (), |_| get_session())));
}

/// The session of this page load.
pub fn use_session() -> Resource<Result<Option<SessionInfo>, AppError>> {
    expect_context::<SessionResource>().0
}
