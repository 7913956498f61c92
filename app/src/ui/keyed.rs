//! A view built afresh whenever its key changes.
//!
//! When a page's data changes, Leptos patches the DOM it has: an attribute whose old and
//! new values are equal is left alone, and a form control the user typed into keeps its
//! typed value (the DOM property) whatever the attribute says. Two pages of the same
//! shape — one household member's step, then the next member's — would then show the
//! first member's answers on the second member's form. [`Keyed`] throws the old DOM away
//! when the key changes, so what the user sees is exactly what the server renders.

use leptos::prelude::*;

/// Renders `children` once per `key`: a new key builds new elements.
#[component]
pub fn Keyed(key: String, children: ChildrenFn) -> impl IntoView {
    view! { <For each=move || [key.clone()] key=|k| k.clone() children=move |_| children() /> }
}
