//! Server functions and DTOs for client search and the dedup search of intake.

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Results per page of a client search.
pub const PAGE_SIZE: u64 = 25;

/// One client found by a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientHit {
    pub personal_id: String,
    pub name: String,
    pub dob: Option<NaiveDate>,
    pub age: Option<u32>,
    pub ssn_last4: Option<String>,
    pub veteran: bool,
    /// The projects of the client's open enrollments (visible to the user).
    pub enrollments: Vec<String>,
}

/// One page of search results.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<ClientHit>,
    /// Zero-based page number.
    pub page: u64,
    pub has_more: bool,
    /// The search was a client ID that exists: open that client's dashboard.
    pub exact: Option<String>,
    /// The search box was empty (or held nothing searchable).
    pub empty_query: bool,
}

/// Finds clients by ID, name prefixes ("joh smi"), date of birth or SSN last four.
#[server(prefix = "/api", endpoint = "search_clients")]
pub async fn search_clients(q: String, page: Option<u64>) -> Result<SearchResults, AppError> {
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let query = crate::domain::dedup::parse_query(&q);
    crate::state::respond(super::service::search(&state, &session, &query, page.unwrap_or(0)).await)
}

/// The dedup search of intake: the first letters of the first and last names (three
/// are enough), optionally the date of birth.
#[server(prefix = "/api", endpoint = "find_matches")]
pub async fn find_matches(
    first: String,
    last: String,
    dob: Option<String>,
) -> Result<SearchResults, AppError> {
    use crate::domain::dedup::{ClientQuery, name_prefix, parse_date};
    let state = crate::state::use_app_state()?;
    let session = crate::state::respond(crate::session::require_user())?;
    let query = ClientQuery {
        first: name_prefix(&first),
        last: name_prefix(&last),
        dob: dob.as_deref().and_then(parse_date),
        ..Default::default()
    };
    crate::state::respond(super::service::search(&state, &session, &query, 0).await)
}
