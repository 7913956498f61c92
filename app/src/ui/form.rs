//! Form messages: a summary above the form and a message next to each field.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::domain::codes::CodeList;
use crate::error::AppError;

/// The errors of a form that are not about one field (shown above it; field errors
/// show next to their fields).
pub fn form_level(error: Signal<Option<AppError>>) -> Signal<Option<AppError>> {
    Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_))))
}

/// The error of an action's last run, if it failed.
pub fn action_error<A>(action: leptos::server::ServerAction<A>) -> Signal<Option<AppError>>
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Opens a page: a redirect while rendering on the server, a navigation in the browser.
pub fn go_to(path: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    {
        let navigate = leptos_router::hooks::use_navigate();
        navigate(path, Default::default());
    }
}

/// Goes where a successful action answers (an address), as a plain form post's
/// redirect does without JavaScript.
pub fn follow<A>(action: leptos::server::ServerAction<A>)
where
    A: leptos::server_fn::ServerFn<Output = String, Error = AppError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(url)) = action.value().get() {
            go_to(&url);
        }
    });
}

/// Percent-encodes a query-string value.
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

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
    let session = crate::session::use_session();
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

/// A select of a GET filter form: "any" first (empty value), then the choices.
#[component]
pub fn FilterSelect(
    id: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<crate::report::FilterChoice>,
    value: Option<String>,
) -> impl IntoView {
    let value = value.unwrap_or_default();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=id>
                <option value="" selected=value.is_empty()>{any}</option>
                {choices
                    .into_iter()
                    .map(|c| {
                        let selected = c.value == value;
                        view! { <option value=c.value selected=selected>{c.label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A text (or date) box of a filter form, named and labelled `id`, holding the value
/// the page's query sent.
#[component]
pub fn FilterInput(
    id: &'static str,
    label: &'static str,
    value: Option<String>,
    /// The input's type: "text" (the default) or "date".
    #[prop(default = "text")]
    kind: &'static str,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id name=id type=kind value=value.unwrap_or_default() />
        </div>
    }
}

/// Previous/Next links of a paginated list whose address (with its filters) is `base`.
#[component]
pub fn Pager(base: String, page: usize, has_more: bool) -> impl IntoView {
    let at = move |p: usize| {
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}page={p}")
    };
    let previous = (page > 0).then(|| at(page - 1));
    let next = has_more.then(|| at(page + 1));
    view! {
        <nav class="pager" aria-label="Pages">
            {previous.map(|href| view! { <a class="button button--secondary" href=href>"Previous"</a> })}
            {next.map(|href| view! { <a class="button button--secondary" href=href>"Next"</a> })}
        </nav>
    }
}
