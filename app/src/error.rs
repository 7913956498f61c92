//! The one error type that crosses the wire from server functions to pages.

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// A problem with one form field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// Reads the date box `field` as sent (absent or blank is `None`) with the one
    /// form-date reader ([`crate::domain::input::form_date`]); its message when the text
    /// is not a date.
    pub fn date(field: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>, FieldError> {
        crate::domain::input::form_date(text.unwrap_or_default())
            .map_err(|_| FieldError::new(field, crate::domain::input::NOT_A_DATE))
    }

    /// [`Self::date`] for a box that must be filled: `missing` when it is empty.
    pub fn required_date(field: &str, text: &str, missing: &str) -> Result<chrono::NaiveDate, FieldError> {
        FieldError::date(field, Some(text))?.ok_or_else(|| FieldError::new(field, missing))
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Validation(vec![error])
    }
}

/// What a server function can fail with. Messages are written for the user; details
/// (database errors, stack of causes) stay in the server log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("That record was not found.")]
    NotFound,
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You do not have permission to do that.")]
    Forbidden,
    /// An administrator set a temporary password: nothing else works until it is changed.
    #[error("Change your temporary password first: Settings → Change password.")]
    PasswordChangeRequired,
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts from one place: wait, then try again.
    #[error("{0}")]
    RateLimited(String),
    /// More people wait for the database than it serves at once, and this request
    /// waited its limit: it changed nothing and may simply be sent again.
    #[error("Hearth is busy right now. Please try again in a few seconds.")]
    Busy,
    #[error(
        "Something went wrong on the server. Please try again; if it keeps happening, tell your HMIS administrator."
    )]
    Internal,
    /// The server function could not read its arguments (a value of the wrong shape:
    /// "abc" for a date, a missing field). Only a hand-made request sends these.
    #[error("Hearth could not read what was sent: {0}")]
    BadInput(String),
    /// The request never reached the server function (network, encoding).
    #[error("Hearth could not be reached: {0}")]
    Transport(String),
}

impl AppError {
    /// The error for one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    /// The message for a field, when this is a validation error that names it.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.as_str()),
            _ => None,
        }
    }

    /// The HTTP status a server function answers with for this error.
    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadInput(_) => StatusCode::BAD_REQUEST,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) => AppError::BadInput(detail),
            ServerFnErrorErr::MissingArg(name) => AppError::BadInput(format!("{name} is missing")),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if matches!(
            err,
            sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout)
        ) {
            tracing::warn!("no database connection came free in time: answered busy");
            return AppError::Busy;
        }
        if is_data_exception(&err) {
            // A value the database cannot hold that the checks before it let through:
            // the user's input, not the server, is at fault (nothing was stored).
            tracing::warn!(error = %err, "the database refused a value");
            return AppError::BadInput(
                "a value is too long or out of range to be stored. Shorten or correct it.".into(),
            );
        }
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

/// Whether the database refused a value (SQLSTATE class 22, "data exception": too long
/// for its column, a date or number out of range, a byte the encoding cannot hold).
#[cfg(feature = "ssr")]
fn is_data_exception(err: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    let (DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e))) = err else {
        return false;
    };
    match e.as_ref() {
        sea_orm::sqlx::Error::Database(db) => db.code().is_some_and(|code| code.starts_with("22")),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_name_their_field() {
        let err = AppError::field("exit_date", "Exit date cannot be in the future.");
        assert_eq!(
            err.message_for("exit_date"),
            Some("Exit date cannot be in the future.")
        );
        assert_eq!(err.message_for("destination"), None);
        assert_eq!(err.status_code(), http::StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn errors_round_trip_through_the_wire_encoding() {
        let err = AppError::field("name", "Required.");
        let back = AppError::de(err.ser());
        assert_eq!(back, err);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_pool_that_stays_full_answers_busy_not_a_server_error() {
        let waited = sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout);
        let err = AppError::from(waited);
        assert_eq!(err, AppError::Busy);
        assert_eq!(err.status_code(), http::StatusCode::SERVICE_UNAVAILABLE);
        assert!(err.to_string().contains("try again"), "{err}");
        let closed = sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::ConnectionClosed);
        assert_eq!(AppError::from(closed), AppError::Internal);
    }

    #[test]
    fn internal_errors_do_not_leak_details() {
        assert!(!AppError::Internal.to_string().to_lowercase().contains("sql"));
    }
}
