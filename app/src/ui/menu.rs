//! The three-dot ("⋯") menus of table rows and enrollments: a disclosure
//! (`<details>`) that works without JavaScript. With it, one menu is open at a time,
//! and a tap outside or Escape closes it (`close_menus_on_outside_tap`, set up once by
//! the page frame).

use leptos::prelude::*;

/// A row's "⋯" menu, named for its row (`name`, e.g. "Actions for Riverside Family
/// Shelter enrollment, started 11/5/2026": screen readers list every menu of a page by
/// its name); `children` are its `<li>` items.
#[component]
pub fn RowMenu(#[prop(into)] name: String, children: Children) -> impl IntoView {
    view! {
        <details class="action-menu">
            <summary aria-label=name>"⋯"</summary>
            <ul role="list">{children()}</ul>
        </details>
    }
}

/// Closes the open "⋯" menus on a tap outside them (a tap on another menu leaves only
/// that one open) and on Escape (focus goes back to the menu's button).
pub fn close_menus_on_outside_tap() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::Element;

        let on_click = window_event_listener(leptos::ev::click, |event| {
            let menu = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("details.action-menu").ok().flatten());
            close_open_menus(menu.as_ref());
        });
        let on_key = window_event_listener(leptos::ev::keydown, |event| {
            if event.key() != "Escape" {
                return;
            }
            let open = document()
                .query_selector("details.action-menu[open]")
                .ok()
                .flatten();
            if let Some(menu) = open {
                close_open_menus(None);
                let summary = menu.query_selector("summary").ok().flatten();
                if let Some(Ok(summary)) = summary.map(|s| s.dyn_into::<leptos::web_sys::HtmlElement>()) {
                    let _ = summary.focus();
                }
            }
        });
        on_cleanup(move || {
            on_click.remove();
            on_key.remove();
        });
    }
}

/// Closes every open menu but `keep`.
#[cfg(feature = "hydrate")]
fn close_open_menus(keep: Option<&leptos::web_sys::Element>) {
    const KEPT: &str = "data-menu-kept";
    if let Some(menu) = keep {
        let _ = menu.set_attribute(KEPT, "");
    }
    let selector = "details.action-menu[open]:not([data-menu-kept])";
    while let Ok(Some(menu)) = document().query_selector(selector) {
        if menu.remove_attribute("open").is_err() {
            break;
        }
    }
    if let Some(menu) = keep {
        let _ = menu.remove_attribute(KEPT);
    }
}

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
