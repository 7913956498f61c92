//! Form messages: a summary above the form and a message next to each field.

use leptos::prelude::*;

use crate::error::AppError;

/// The form-level message: any error that is not about one field.
#[component]
pub fn FormMessage(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p class="notice notice--error" role="alert">
                    {e.to_string()}
                </p>
            }
        })
    }
}

/// The message for one field, shown next to it.
#[component]
pub fn FieldMessage(#[prop(into)] error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    move || {
        error
            .get()
            .and_then(|e| e.message_for(field).map(str::to_string))
            .map(|message| {
                view! {
                    <p class="field__error" id=format!("{field}-error")>
                        {message}
                    </p>
                }
            })
    }
}
