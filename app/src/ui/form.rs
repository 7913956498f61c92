//! Form messages: a summary above the form and a message next to each field.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::codes::CodeList;
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
pub fn FieldMessage(
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(into)] field: String,
) -> impl IntoView {
    move || {
        let field = field.clone();
        error
            .get()
            .and_then(|e| e.message_for(&field).map(str::to_string))
            .map(|message| {
                view! {
                    <p class="field__error" id=format!("{field}-error")>
                        {message}
                    </p>
                }
            })
    }
}

/// A select over a HUD code list: the code's label shown, the code posted. An empty
/// first option ("Choose…") unless the field always has a value.
#[component]
pub fn CodeSelect(
    /// The element id and the posted name.
    name: &'static str,
    label: &'static str,
    list: &'static CodeList,
    #[prop(default = None)] selected: Option<i32>,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            {hint.map(|hint| view! { <p class="hint">{hint}</p> })}
            <select id=name name=name required=required>
                <option value="" selected=selected.is_none()>"Choose…"</option>
                {list
                    .values
                    .iter()
                    .map(|code| {
                        view! {
                            <option value=code.code selected=selected == Some(code.code)>
                                {code.label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldMessage error field=name />
        </div>
    }
}

/// A date box for data entry. A new entry (`value` empty) with `entry_default` starts at
/// the user's entry date: the Back Date while one is set, today otherwise.
#[component]
pub fn DateField(
    /// The element id and the posted name.
    name: &'static str,
    label: &'static str,
    #[prop(default = None)] value: Option<NaiveDate>,
    #[prop(optional)] entry_default: bool,
    #[prop(optional)] required: bool,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let session = crate::features::access::use_session();
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let entry_date = session.await.ok().flatten().map(|s| s.entry_date());
                    let shown = value.or(entry_default.then_some(entry_date).flatten());
                    view! {
                        <input
                            id=name
                            name=name
                            type="date"
                            required=required
                            value=shown.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
                        />
                    }
                })}
            </Suspense>
            <FieldMessage error field=name />
        </div>
    }
}
