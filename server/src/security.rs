//! Security middleware, applied to every request before routing: CSRF defence for
//! mutating requests, and the response headers (CSP with a per-response nonce,
//! frame-ancestors, nosniff, referrer policy, HSTS over TLS, and what caches may keep:
//! nothing of a page, server function or download, which hold client data).

use app::state::CspNonce;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, ORIGIN, REFERRER_POLICY, RETRY_AFTER,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use http::{HeaderValue, Method, StatusCode};

/// Whether responses go out over TLS (HSTS).
#[derive(Clone, Copy, Debug)]
pub struct SecurityHeaders {
    pub tls: bool,
}

/// What a 503 tells the client to wait, in seconds.
pub const RETRY_AFTER_SECONDS: &str = "2";

pub async fn protect(State(settings): State<SecurityHeaders>, mut request: Request, next: Next) -> Response {
    if is_mutating(request.method()) && !same_origin(&request) {
        tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    let nonce = new_nonce();
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let caching = cache_policy(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if is_html {
        page_policy(&nonce)
    } else {
        "default-src 'none'; frame-ancestors 'none'".to_string()
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // The versioned assets say `immutable` themselves (`assets`).
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(caching));
    }
    // Busy (the database's connections all taken for too long): nothing was done, and
    // the request may be sent again shortly.
    if response.status() == StatusCode::SERVICE_UNAVAILABLE && !response.headers().contains_key(RETRY_AFTER) {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
    }
    let headers = response.headers_mut();
    if settings.tls {
        headers.insert(
            STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}

/// The page policy: scripts only from this site or carrying this response's nonce,
/// WebAssembly compilation allowed, nothing inline otherwise, no framing.
/// What a cache may keep of the answer to `path` when the answer does not say: static
/// files (the unversioned `pkg/` names, the favicon) are checked again before use;
/// everything else (pages, server functions, downloads) is kept nowhere.
pub fn cache_policy(path: &str) -> &'static str {
    if path.starts_with("/pkg/") || path == "/favicon.svg" {
        "no-cache"
    } else {
        "no-store"
    }
}

pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

fn new_nonce() -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn is_mutating(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// Browsers say where a request comes from (`Sec-Fetch-Site`, or `Origin`); a
/// request that says nothing is not from a browser page, so carries no ambient
/// cookies an attacker could borrow.
fn same_origin(request: &Request) -> bool {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let Some(host) = headers.get(HOST).and_then(|v| v.to_str().ok()) else {
                return false;
            };
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                .is_some_and(|origin_host| origin_host == host)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri("/api/login")
            .header(HOST, "127.0.0.1:3000");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn same_origin_requests_pass_and_cross_site_ones_do_not() {
        assert!(same_origin(&post(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&post(&[("origin", "http://127.0.0.1:3000")])));
        assert!(same_origin(&post(&[])));
        assert!(!same_origin(&post(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&post(&[("sec-fetch-site", "same-site")])));
        assert!(!same_origin(&post(&[("origin", "https://evil.example")])));
        assert!(!same_origin(&post(&[("origin", "null")])));
        assert!(!same_origin(&post(&[(
            "origin",
            "http://127.0.0.1:3000.evil.example"
        )])));
    }

    #[tokio::test]
    async fn a_busy_answer_says_when_to_try_again() {
        use tower::ServiceExt as _;
        let router = |status: StatusCode| {
            axum::Router::new()
                .route("/", axum::routing::get(move || async move { status }))
                .layer(axum::middleware::from_fn_with_state(
                    SecurityHeaders { tls: false },
                    protect,
                ))
        };
        let get = || Request::builder().uri("/").body(Body::empty()).unwrap();
        let busy = router(StatusCode::SERVICE_UNAVAILABLE)
            .oneshot(get())
            .await
            .unwrap();
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[RETRY_AFTER], RETRY_AFTER_SECONDS);
        let fine = router(StatusCode::OK).oneshot(get()).await.unwrap();
        assert!(!fine.headers().contains_key(RETRY_AFTER));
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(new_nonce(), new_nonce());
        assert!(page_policy("abc").contains("'nonce-abc'"));
    }
}
