//! Pieces of the three-dot action menus shared by the pages that have them.

use leptos::prelude::*;

/// A menu action that exists but is out of reach now: shown (so people learn it exists
/// and why they cannot use it), drawn greyed with a "no" sign and no underline, and
/// announced as a disabled link whose description is the reason. `id` names the reason
/// and must be unique on the page.
#[component]
pub fn UnavailableAction(label: String, reason: String, id: String) -> impl IntoView {
    view! {
        <li class="action-menu__unavailable">
            <span class="action-menu__disabled" role="link" aria-disabled="true" tabindex="0" aria-describedby=id.clone()>
                <span aria-hidden="true">"⊘ "</span>
                {label}
            </span>
            <small id=id>{reason}</small>
        </li>
    }
}
