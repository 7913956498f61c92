//! The page frame around every page: header with product name, the user's menu and
//! context, main navigation with the client search, the Back Date banner. It sits with
//! the route table above the features, as it puts several of them on every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::features::access::{BackDateBanner, UserMenu};
use crate::features::client_search::HeaderSearch;
use crate::routes::{HOME, NAV_AREAS};
use crate::session::use_session;

/// Header, navigation and main content area. `routing` is true while the router moves
/// to another page: a bar runs along the top of the screen (after a moment, so quick
/// moves do not flicker) and the main area says it is busy.
#[component]
pub fn AppLayout(#[prop(into)] routing: Signal<bool>, children: Children) -> impl IntoView {
    // Browser tests wait for this attribute before they interact: clicks sent before
    // hydration finishes are lost.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    crate::ui::menu::close_menus_on_outside_tap();

    view! {
        <div class="route-progress" class:route-progress--on=move || routing.get() aria-hidden="true"></div>
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
        <main id="main" class="app-main" tabindex="-1" aria-busy=move || routing.get().then_some("true")>
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
                                <HeaderSearch />
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
