//! The input boundary: every value a request carries — a server function's form body,
//! any page's or download's query — is checked against `app::domain::input` before
//! anything else sees it. One check, for every server function, present and future.
//! Refused values answer 422 naming the field (400 for pages), and nothing runs.
//!
//! A field named like a column (`first_name`, `answers[first_name]`) may be no longer
//! than that column: the lengths are read from the database's own schema at start, so
//! SQLite (which does not enforce them) refuses exactly what PostgreSQL would.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};

use app::domain::input::{self, Refusal};
use app::error::{AppError, FieldError};
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderValue, StatusCode};

/// Largest body this check reads (the router's limit for everything but uploads).
const MAX_CHECKED_BODY: usize = crate::router::MAX_BODY_BYTES;

/// The longest value a field may carry, by the name of the column it is stored in: the
/// longest column of that name in any table (a field is never refused that some table
/// could hold).
#[derive(Clone, Debug, Default)]
pub struct FieldLimits(Arc<HashMap<String, usize>>);

impl FieldLimits {
    /// Reads the lengths of every bounded text column (`varchar(n)`) of the schema.
    pub async fn read(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let backend = db.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => {
                "SELECT column_name AS name, CAST(character_maximum_length AS BIGINT) AS length \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND character_maximum_length IS NOT NULL"
            }
            _ => {
                "SELECT p.name AS name, \
                 CAST(substr(p.type, instr(p.type, '(') + 1, instr(p.type, ')') - instr(p.type, '(') - 1) AS INTEGER) AS length \
                 FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND lower(p.type) LIKE 'varchar(%)'"
            }
        };
        let mut limits: HashMap<String, usize> = HashMap::new();
        for row in db.query_all_raw(Statement::from_string(backend, sql)).await? {
            let name: String = row.try_get("", "name")?;
            let length: i64 = row.try_get("", "length")?;
            let length = usize::try_from(length).unwrap_or(usize::MAX);
            let longest = limits.entry(name.to_ascii_lowercase()).or_insert(0);
            *longest = (*longest).max(length);
        }
        // Client names are wider on PostgreSQL only to hold an import's hashes (64 hex
        // digits); what a person types stays within HUD's 50 on both databases.
        for (name, length) in TYPED_LIMITS {
            limits.insert(name.to_string(), length);
        }
        Ok(FieldLimits(Arc::new(limits)))
    }

    /// The limit of a field: `answers[first_name]` and `first_name` are `first_name`.
    fn of(&self, field: &str) -> Option<usize> {
        let name = field
            .rsplit('[')
            .next()
            .unwrap_or(field)
            .trim_end_matches(']')
            .to_ascii_lowercase();
        self.0.get(&name).copied()
    }
}

/// Fields held to HUD's length rather than their columns' (which are wider to hold
/// imported hashes).
const TYPED_LIMITS: [(&str, usize); 4] = [
    ("first_name", 50),
    ("middle_name", 50),
    ("last_name", 50),
    ("name_suffix", 50),
];

/// Paths whose fields are not held to their columns' lengths: signing in looks a
/// username up and audits the attempt (cut to fit), whatever its length.
const UNBOUNDED_PATHS: [&str; 1] = ["/api/login"];

pub async fn bounded_input(State(limits): State<FieldLimits>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/pkg/") {
        return next.run(request).await;
    }
    let limits = (!UNBOUNDED_PATHS.contains(&path)).then_some(&limits);
    let wants_html = accepts_html(&request);
    if let Some(query) = request.uri().query()
        && let Err(problem) = check_pairs(query.as_bytes(), limits)
    {
        return refuse(problem, wants_html);
    }
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, MAX_CHECKED_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(error = %err, "a form body could not be read");
            return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
        }
    };
    if let Err(problem) = check_pairs(&bytes, limits) {
        return refuse(problem, wants_html);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Server functions answer every error with 500 unless they set a status; one that
/// fails before its body runs (arguments it cannot read) sets none. This gives each error
/// response the status of the error it carries (`AppError::status_code`).
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response(),
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A refused value: which field, and why.
#[derive(Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// Checks every name and value of a form or query string (and each value against its
/// column's length, when `limits` are given).
pub fn check_pairs(encoded: &[u8], limits: Option<&FieldLimits>) -> Result<(), Problem> {
    for pair in encoded.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut halves = pair.splitn(2, |b| *b == b'=');
        let name = halves.next().unwrap_or_default();
        let value = halves.next().unwrap_or_default();
        let name = match decode(name) {
            Ok(name) => name,
            Err(()) => {
                return Err(Problem {
                    field: "form".into(),
                    message: "A field name is not valid text (UTF-8).".into(),
                });
            }
        };
        let refusal = match decode(value) {
            Ok(value) => input::check(&value)
                .and_then(|()| match limits.and_then(|l| l.of(&name)) {
                    Some(max) => input::check_length(&value, max),
                    None => Ok(()),
                })
                .err(),
            Err(()) => {
                return Err(Problem {
                    message: "This field is not valid text (UTF-8). Retype it.".into(),
                    field: name,
                });
            }
        };
        let refusal = refusal.or_else(|| input::check(&name).err());
        if let Some(refusal) = refusal {
            return Err(problem(name, refusal));
        }
    }
    Ok(())
}

fn problem(field: String, refusal: Refusal) -> Problem {
    Problem {
        message: format!("This field {}", refusal.message()),
        field,
    }
}

/// `+` is a space; `%XX` a byte; the bytes must be UTF-8.
fn decode(raw: &[u8]) -> Result<String, ()> {
    let spaced: Vec<u8> = raw.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| ())
}

fn accepts_html(request: &Request) -> bool {
    request
        .headers()
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

fn refuse(problem: Problem, wants_html: bool) -> Response {
    // The field's name only: never the value, which may be a client's data.
    tracing::warn!(field = %problem.field, reason = %problem.message, "input refused at the boundary");
    if wants_html {
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Hearth: not accepted</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body>\
             <h1>Hearth could not accept what was sent</h1><p>{}: {}</p>\
             <p>Go back, correct it, and send it again.</p></body></html>",
            escape(&problem.field),
            escape(&problem.message)
        );
        return (StatusCode::BAD_REQUEST, Html(body)).into_response();
    }
    let error = AppError::Validation(vec![FieldError {
        field: problem.field,
        message: problem.message,
    }]);
    let json = serde_json::to_string(&error).unwrap_or_default();
    let mut response = (error.status_code(), json).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_form_values_are_found_by_field() {
        assert_eq!(
            check_pairs(b"first_name=Ana+Mar%C3%ADa&dob=2001-02-03", None),
            Ok(())
        );
        let nul = check_pairs(b"first_name=Ana%00&last_name=Lee", None).unwrap_err();
        assert_eq!(nul.field, "first_name");
        assert!(nul.message.contains("NUL"));
        let bad_utf8 = check_pairs(b"note=%FF%FE", None).unwrap_err();
        assert_eq!(bad_utf8.field, "note");
        assert!(bad_utf8.message.contains("UTF-8"));
        let year_zero = check_pairs(b"filter%5Bfrom%5D=0000-01-01", None).unwrap_err();
        assert_eq!(year_zero.field, "filter[from]");
        let long = format!("q={}", "a".repeat(input::MAX_VALUE_CHARS + 1));
        assert!(check_pairs(long.as_bytes(), None).is_err());
        assert!(check_pairs(b"a%00b=1", None).is_err(), "names are checked too");
        assert_eq!(check_pairs(b"", None), Ok(()));
        assert_eq!(check_pairs(b"flag&=x&&", None), Ok(()));
    }

    #[test]
    fn fields_named_like_a_column_keep_its_length() {
        let limits = FieldLimits(Arc::new(HashMap::from([("first_name".to_string(), 5)])));
        assert_eq!(limits.of("answers[first_name]"), Some(5));
        assert_eq!(limits.of("FIRST_NAME"), Some(5));
        assert_eq!(limits.of("q"), None);
        assert_eq!(
            check_pairs(b"answers%5Bfirst_name%5D=Maria", Some(&limits)),
            Ok(())
        );
        let long = check_pairs(b"answers%5Bfirst_name%5D=Mariana", Some(&limits)).unwrap_err();
        assert_eq!(long.field, "answers[first_name]");
        assert_eq!(long.message, "This field is longer than 5 characters.");
        assert_eq!(check_pairs(b"q=Mariana", Some(&limits)), Ok(()));
    }
}
