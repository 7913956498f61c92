//! Small status widgets: the loading placeholder, the home page's count cards.

use leptos::prelude::*;

/// Shown while a server read is in flight.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status">
            "Loading…"
        </p>
    }
}

/// A home-page card of two counts, each a link to the list it counts: the acting
/// organization's and the user's case assignments'.
#[component]
pub fn CountsCard(
    /// The card's `data-testid`; the links get `{testid}-organization` and `-mine`.
    testid: &'static str,
    title: &'static str,
    /// The organization's count ("12", "More than 500").
    #[prop(into)]
    organization: String,
    organization_href: String,
    mine: usize,
    mine_href: String,
) -> impl IntoView {
    view! {
        <div class="card" data-testid=format!("{testid}-card")>
            <h2>{title}</h2>
            <ul role="list">
                <li>
                    <a href=organization_href data-testid=format!("{testid}-organization")>
                        {format!("{organization} in my organization's projects")}
                    </a>
                </li>
                <li>
                    <a href=mine_href data-testid=format!("{testid}-mine")>
                        {format!("{mine} for my case assignments")}
                    </a>
                </li>
            </ul>
        </div>
    }
}
