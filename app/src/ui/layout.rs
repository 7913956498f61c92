//! The pages and panels every app needs: not found, and a page that could not load.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::routes::HOME;

/// The 404 page: sets the HTTP status on the server and offers a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p>
                <a class="button" href=HOME>
                    "Go to the home page"
                </a>
            </p>
        </section>
    }
}

/// What a page shows when it cannot load. The message is the user-facing one from
/// `AppError`; details are in the server log.
#[component]
pub fn ErrorPanel(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="notice notice--error" role="alert">
            <strong>"This page could not be loaded. "</strong>
            <ul>
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// The [`ErrorPanel`] for one error, for pages whose data could not be loaded. On the
/// server the page answers with the error's status (404 for a client the user may not
/// see, 403, …), unless it is already redirecting (signed out, no context).
pub fn errors_view(e: crate::error::AppError) -> AnyView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(mut parts) = response.0.write()
        && !parts.headers.contains_key(http::header::LOCATION)
    {
        parts.status = Some(e.status_code());
    }
    let errors = ArcRwSignal::new(Errors::default());
    errors.update(|list| list.insert_with_default_key(e));
    view! { <ErrorPanel errors /> }.into_any()
}
