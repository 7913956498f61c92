//! Hearth's application: everything the server renders and the browser hydrates.
//!
//! Layout (see DESIGN.md): `domain/` pure HUD rules, `features/<name>/` one folder per
//! capability, `ui/` shared widgets, `db/` (server only) database access.

pub mod domain;
pub mod error;
pub mod features;
pub mod jobs;
pub mod report;
pub mod resource;
pub mod routes;
pub mod session;
pub mod shell;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod kept;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};

pub use routes::App;

/// The HTML document around the app. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The security middleware chose this response's CSP nonce; the hydration scripts
    // carry it so they run under the policy (and nothing else inline does).
    #[cfg(feature = "ssr")]
    if let Some(nonce) =
        use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<state::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
    // The compiled assets' versioned directory (the server names it after their hash).
    let stylesheet = format!("/{}/hearth.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sets up what every page shares: meta tags and the document title.
pub fn provide_shell_context() {
    provide_meta_context();
}

/// The default document title; pages add their own with `<Title>`.
#[component]
pub fn DefaultTitle() -> impl IntoView {
    view! { <Title formatter=|text: String| if text.is_empty() { "Hearth".to_string() } else { format!("{text} · Hearth") } /> }
}
