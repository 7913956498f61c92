//! Server-side permission checks. Every server function starts with one of these; a
//! button hidden in the UI is never the check.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;

use super::{ContextInfo, SessionInfo};
use crate::db::audit::Actor;
use crate::domain::access::{Workgroup, initials};
use crate::error::AppError;

/// The signed-in session of this request, loaded by the session middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentSession {
    pub session_id: String,
    pub user_id: String,
    pub username: String,
    pub full_name: String,
    pub context: Option<ActingContext>,
    pub back_date: Option<NaiveDate>,
    /// Today in the CoC's time zone, when the session was loaded.
    pub today: NaiveDate,
    pub expires_at: DateTime<Utc>,
    /// When the server loaded the session (for `seconds_left`).
    pub loaded_at: DateTime<Utc>,
    pub idle_seconds: i64,
    pub must_change_password: bool,
    pub ip: Option<String>,
    /// Signs in with an authenticator code as well as the password.
    pub second_factor: bool,
}

/// A sign-in whose password was right and whose authenticator code is still to come.
/// It opens nothing but the code page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSignIn {
    pub session_id: String,
    pub user_id: String,
    pub username: String,
}

/// The client's address as configured (socket peer, or from a trusted proxy), set by
/// the session middleware.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// The organization and workgroup a user acts in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActingContext {
    pub organization_id: String,
    pub organization_name: String,
    pub workgroup: Workgroup,
    pub victim_service_provider: bool,
    /// The project (site) the user works at, when they chose one: (ID, name).
    pub location: Option<(String, String)>,
}

impl CurrentSession {
    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            initials: initials(&self.full_name),
            context: self.context.as_ref().map(|c| ContextInfo {
                organization_id: c.organization_id.clone(),
                organization_name: c.organization_name.clone(),
                workgroup: c.workgroup,
                location_project_id: c.location.as_ref().map(|(id, _)| id.clone()),
                location_name: c.location.as_ref().map(|(_, name)| name.clone()),
            }),
            back_date: self.back_date,
            today: self.today,
            expires_at: self.expires_at,
            // Rounded: PostgreSQL keeps microseconds, so a stored instant may read back a
            // hair earlier than written.
            seconds_left: ((self.expires_at - self.loaded_at).num_milliseconds() + 500)
                .div_euclid(1000)
                .max(0),
            idle_seconds: self.idle_seconds,
            must_change_password: self.must_change_password,
            second_factor: self.second_factor,
        }
    }

    /// Who is acting, for the audit log.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id.clone()),
            username: Some(self.username.clone()),
            ip: self.ip.clone(),
            organization_id: self.context.as_ref().map(|c| c.organization_id.clone()),
            workgroup: self.context.as_ref().map(|c| c.workgroup.code().to_string()),
        }
    }

    /// Refuses while an administrator's temporary password is still to be changed.
    pub fn require_password_changed(&self) -> Result<(), AppError> {
        if self.must_change_password {
            Err(AppError::PasswordChangeRequired)
        } else {
            Ok(())
        }
    }

    /// The acting context, which every data-entry action needs.
    pub fn require_context(&self) -> Result<&ActingContext, AppError> {
        self.context.as_ref().ok_or(AppError::Conflict(
            "Choose the organization and workgroup you are working in first (Settings).".into(),
        ))
    }

    /// Refuses unless the user acts in one of `allowed` (HMIS admins act everywhere).
    pub fn require_workgroup(&self, allowed: &[Workgroup]) -> Result<&ActingContext, AppError> {
        let context = self.require_context()?;
        if context.workgroup == Workgroup::HmisAdmin || allowed.contains(&context.workgroup) {
            Ok(context)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Refuses unless the user acts in `organization_id` (the owning organization of a
    /// record), or is an HMIS admin.
    pub fn require_organization(&self, organization_id: &str) -> Result<&ActingContext, AppError> {
        let context = self.require_context()?;
        if context.workgroup == Workgroup::HmisAdmin || context.organization_id == organization_id {
            Ok(context)
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// What the request says about where it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestInfo {
    pub ip: Option<String>,
}

impl RequestInfo {
    pub fn from_parts(parts: &http::request::Parts) -> Self {
        let ip = match parts.extensions.get::<ClientIp>() {
            Some(ClientIp(ip)) => Some(ip.clone()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        };
        RequestInfo { ip }
    }
}

pub fn request_info() -> RequestInfo {
    use_context::<http::request::Parts>()
        .map(|p| RequestInfo::from_parts(&p))
        .unwrap_or_default()
}

/// The signed-in session, if any.
pub fn current() -> Option<CurrentSession> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<CurrentSession>()
        .cloned()
}

/// The sign-in waiting for its authenticator code, if any.
pub fn pending_sign_in() -> Option<PendingSignIn> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<PendingSignIn>()
        .cloned()
}

/// Refuses without a session, and while the user's temporary password is still to be
/// changed (403): every server function but changing it and signing out starts here.
pub fn require_user() -> Result<CurrentSession, AppError> {
    let session = require_signed_in()?;
    session.require_password_changed()?;
    Ok(session)
}

/// The session, even while its temporary password is still to be changed: only for
/// changing it and keeping the session alive.
pub fn require_signed_in() -> Result<CurrentSession, AppError> {
    current().ok_or(AppError::Unauthorized)
}

/// Refuses without a session, without a context, or outside the allowed workgroups.
pub fn require(allowed: &[Workgroup]) -> Result<CurrentSession, AppError> {
    let session = require_user()?;
    session.require_workgroup(allowed)?;
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(workgroup: Workgroup, org: &str) -> CurrentSession {
        CurrentSession {
            session_id: "s".into(),
            user_id: "u".into(),
            username: "pat".into(),
            full_name: "Pat Lee".into(),
            context: Some(ActingContext {
                organization_id: org.into(),
                organization_name: "Org".into(),
                workgroup,
                victim_service_provider: false,
                location: None,
            }),
            back_date: None,
            today: Utc::now().date_naive(),
            expires_at: Utc::now(),
            loaded_at: Utc::now(),
            idle_seconds: 1800,
            must_change_password: false,
            ip: None,
            second_factor: false,
        }
    }

    #[test]
    fn workgroups_are_checked_and_hmis_admins_pass() {
        let cm = session(Workgroup::CaseManager, "a");
        assert!(cm.require_workgroup(&[Workgroup::CaseManager]).is_ok());
        assert_eq!(
            cm.require_workgroup(&[Workgroup::Supervisor]).unwrap_err(),
            AppError::Forbidden
        );
        let admin = session(Workgroup::HmisAdmin, "coc");
        assert!(admin.require_workgroup(&[Workgroup::Supervisor]).is_ok());
    }

    #[test]
    fn records_belong_to_their_organization() {
        let cm = session(Workgroup::CaseManager, "a");
        assert!(cm.require_organization("a").is_ok());
        assert_eq!(cm.require_organization("b").unwrap_err(), AppError::Forbidden);
        assert!(
            session(Workgroup::HmisAdmin, "coc")
                .require_organization("b")
                .is_ok()
        );
    }

    #[test]
    fn no_context_means_choose_one_first() {
        let mut s = session(Workgroup::CaseManager, "a");
        s.context = None;
        assert!(matches!(
            s.require_workgroup(&[Workgroup::CaseManager]),
            Err(AppError::Conflict(_))
        ));
    }
}
