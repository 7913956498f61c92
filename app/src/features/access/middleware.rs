//! The session middleware: reads the session cookie, loads the session (or clears an
//! ended one), and hands it to pages and server functions as a request extension.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};

use std::net::SocketAddr;

use axum::extract::ConnectInfo;

use super::service;
use crate::domain::access::client_ip;
use crate::session::{ClientIp, RequestInfo};
use crate::state::AppState;

pub async fn load_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" || path == "/readyz" {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok());
    if let Some(ip) = client_ip(peer.as_deref(), forwarded, state.security.trust_proxy) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    let secure = state.security.secure_cookies;
    let mut clear_cookie = false;
    if let Some(token) = read_cookie(request.headers(), service::cookie_name(secure)) {
        let (parts, body) = request.into_parts();
        let info = RequestInfo::from_parts(&parts);
        request = Request::from_parts(parts, body);
        let touch = if parts_path_is_poll(&request) {
            service::Touch::No
        } else {
            service::Touch::Yes
        };
        match service::load_session(&state, &token, &info, touch).await {
            Ok(Some(service::Loaded::Session(session))) => {
                request.extensions_mut().insert(session);
            }
            Ok(Some(service::Loaded::Pending(pending))) => {
                request.extensions_mut().insert(pending);
            }
            Ok(None) => clear_cookie = true,
            Err(err) => {
                let busy = crate::error::AppError::from(err) == crate::error::AppError::Busy;
                let says = if busy {
                    crate::error::AppError::Busy.to_string()
                } else {
                    "Hearth cannot reach its database. Try again shortly.".to_string()
                };
                return (StatusCode::SERVICE_UNAVAILABLE, says).into_response();
            }
        }
    }
    let mut response = next.run(request).await;
    // A dead cookie is cleared, unless this very response set a new session (a sign-in
    // sent with a stale cookie): clearing after it would sign the user straight out.
    if clear_cookie
        && !sets_cookie(response.headers(), service::cookie_name(secure))
        && let Ok(value) = HeaderValue::from_str(&service::clear_cookie(secure))
    {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// Whether the response already sets cookie `name`.
fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split_once('=').is_some_and(|(key, _)| key.trim() == name))
}

/// The idle watcher's poll (`/api/session`) reads the session without keeping it alive.
fn parts_path_is_poll(request: &Request) -> bool {
    request.uri().path() == "/api/session"
}

/// The value of cookie `name`, if the request carries it.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=1; hearth_session=tok; b=2"));
        assert_eq!(read_cookie(&headers, "hearth_session").as_deref(), Some("tok"));
        assert_eq!(read_cookie(&headers, "hearth"), None);
        headers.insert(COOKIE, HeaderValue::from_static("hearth_session="));
        assert_eq!(read_cookie(&headers, "hearth_session"), None);
    }

    #[test]
    fn a_response_that_sets_the_session_cookie_is_seen() {
        let mut headers = HeaderMap::new();
        assert!(!sets_cookie(&headers, "hearth_session"));
        headers.append(SET_COOKIE, HeaderValue::from_static("other=1; Path=/"));
        assert!(!sets_cookie(&headers, "hearth_session"));
        headers.append(
            SET_COOKIE,
            HeaderValue::from_static("hearth_session=abc; Path=/; HttpOnly"),
        );
        assert!(sets_cookie(&headers, "hearth_session"));
    }
}
