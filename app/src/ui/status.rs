//! Small status widgets: loading placeholder.

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
