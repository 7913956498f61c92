//! The page frame: header with product name, the user's context, main navigation,
//! and the pages every app needs (not found, coming soon, error).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::features::access::{BackDateBanner, UserMenu, use_session};
use crate::routes::{HOME, NAV_AREAS};

/// Header, navigation and main content area.
#[component]
pub fn AppLayout(children: Children) -> impl IntoView {
    // Browser tests wait for this attribute before they interact: clicks sent before
    // hydration finishes are lost.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="app-header">
            <div class="app-header__bar">
                <a class="brand" href=HOME>
                    <span class="brand__mark" aria-hidden="true">"⌂"</span>
                    <span class="brand__name">"Hearth"</span>
                </a>
                <div class="context-slot">
                    <UserMenu />
                </div>
            </div>
            <MainNav />
        </header>
        <BackDateBanner />
        <main id="main" class="app-main" tabindex="-1">
            {children()}
        </main>
        <footer class="app-footer">
            <span>"Hearth — open-source HMIS"</span>
        </footer>
    }
}

/// The areas; shown once signed in (the sign-in page has nothing to navigate to).
#[component]
fn MainNav() -> impl IntoView {
    let location = use_location();
    let session = use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                matches!(session.await, Ok(Some(_)))
                    .then(|| {
                        view! {
                            <nav class="main-nav" aria-label="Main">
                                <ul>
                                    {NAV_AREAS
                                        .into_iter()
                                        .map(|(path, label)| {
                                            let current = move || {
                                                location.pathname.with(|p| in_area(path, p)).then_some("page")
                                            };
                                            view! {
                                                <li>
                                                    <a href=path aria-current=current>
                                                        {label}
                                                    </a>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <crate::features::clients::HeaderSearch />
                            </nav>
                        }
                    })
            })}
        </Suspense>
    }
}

/// Whether the page at `pathname` belongs to the area at `area` (intake, workflows and
/// enrollments are part of Clients).
fn in_area(area: &str, pathname: &str) -> bool {
    pathname.starts_with(area)
        || (area == crate::routes::CLIENTS
            && ["/intake", "/workflows", "/enrollments"]
                .iter()
                .any(|p| pathname.starts_with(p)))
}

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
