//! Forms described as data: a step of a guided workflow is a list of [`FieldSpec`]s,
//! rendered here and posted as `answers[name]=value`, so a workflow's pages, its draft
//! and its "Default Last" prefill all speak the same language (field name → text).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::codes::CodeList;
use crate::error::AppError;
use crate::ui::form::FieldMessage;

/// One choice of a select.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    /// Choices of one group are shown under its heading.
    pub group: Option<String>,
}

impl Choice {
    /// The choices of a HUD code list, grouped as the list groups them.
    pub fn from_list(list: &CodeList) -> Vec<Choice> {
        list.values
            .iter()
            .map(|code| Choice {
                value: code.code.to_string(),
                label: code.label.to_string(),
                group: code.group.map(str::to_string),
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldKind {
    Text {
        max_length: u32,
    },
    Date,
    /// A dollar amount.
    Money,
    /// A whole number in a range.
    Number {
        min: i32,
        max: i32,
    },
    Select(Vec<Choice>),
    /// Posted as "yes" when ticked, absent otherwise.
    Checkbox,
    /// A heading that starts a group of fields.
    Section,
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The answer's key (posted as `answers[name]`).
    pub name: String,
    pub label: String,
    pub kind: FieldKind,
    /// The current answer ("" when none).
    pub value: String,
    pub required: bool,
    pub hint: Option<String>,
    /// Asked of adults only: shown while the date of birth typed in the form's `dob`
    /// field (if any) makes the person 18 or older on this date, or is empty. The
    /// server decides again at save from the date it receives.
    #[serde(default)]
    pub adults_on: Option<chrono::NaiveDate>,
}

impl FieldSpec {
    pub fn new(name: &str, label: &str, kind: FieldKind) -> Self {
        FieldSpec {
            name: name.to_string(),
            label: label.to_string(),
            kind,
            value: String::new(),
            required: false,
            hint: None,
            adults_on: None,
        }
    }

    pub fn section(label: &str) -> Self {
        FieldSpec::new("", label, FieldKind::Section)
    }

    pub fn code(name: &str, label: &str, list: &CodeList) -> Self {
        FieldSpec::new(name, label, FieldKind::Select(Choice::from_list(list)))
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_string());
        self
    }

    /// Asked of adults only (see [`FieldSpec::adults_on`]).
    pub fn adults_only(mut self, on: chrono::NaiveDate) -> Self {
        self.adults_on = Some(on);
        self
    }
}

/// The name of the date-of-birth field that [`FieldSpec::adults_on`] watches.
pub const DOB_FIELD: &str = "dob";

/// Whether a field asked of adults only applies, given the date of birth typed.
fn applies(adults_on: Option<chrono::NaiveDate>, dob: &str) -> bool {
    match (adults_on, crate::domain::input::form_date(dob)) {
        (Some(on), Ok(Some(born))) => born > on || crate::domain::dates::is_adult_on(born, on),
        _ => true,
    }
}

/// The answers of one form: field name → posted text.
pub type Answers = std::collections::BTreeMap<String, String>;

/// Next to a long form's buttons: which answers need attention (each message shows by
/// its field, possibly far above), and the messages about no field on the form.
#[component]
pub fn ValidationSummary(
    fields: Vec<FieldSpec>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    move || {
        let Some(AppError::Validation(errors)) = error.get() else {
            return None;
        };
        let mut parts: Vec<String> = Vec::new();
        for e in &errors {
            let part = match fields.iter().find(|f| f.name == e.field && !f.name.is_empty()) {
                Some(f) => f.label.clone(),
                None => e.message.clone(),
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        Some(view! {
            <p class="notice notice--error" role="alert" data-testid="validation-summary">
                {format!("Check these answers: {}", parts.join(" · "))}
            </p>
        })
    }
}

/// Renders `fields` with their values from `answers`.
///
/// Required answers carry `aria-required` and a visible mark, not the browser's
/// `required` attribute: a missing answer is reported by the server, by its field and in
/// the summary by the buttons, with and without JavaScript (the browser's own bubble
/// vanished and never reached the summary).
#[component]
pub fn Fields(fields: Vec<FieldSpec>, #[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let dob = RwSignal::new(
        fields
            .iter()
            .find(|f| f.name == DOB_FIELD)
            .map(|f| f.value.clone())
            .unwrap_or_default(),
    );
    fields
        .into_iter()
        .map(|field| {
            let adults_on = field.adults_on;
            let hidden = move || !applies(adults_on, &dob.get());
            view! {
                <div class="field-slot" hidden=hidden>
                    <FieldView field error dob />
                </div>
            }
        })
        .collect_view()
}

/// "(required)" beside a required field's label, outside it (the label stays the
/// field's name; screen readers hear `aria-required`).
fn required_mark(required: bool) -> Option<impl IntoView> {
    required.then(|| view! { <span class="required-mark" aria-hidden="true">"(required)"</span> })
}

#[component]
fn FieldView(field: FieldSpec, error: Signal<Option<AppError>>, dob: RwSignal<String>) -> impl IntoView {
    let FieldSpec {
        name,
        label,
        kind,
        value,
        required,
        hint,
        adults_on: _,
    } = field;
    let watches_dob = name == DOB_FIELD;
    let id = format!("f-{name}");
    let posted = format!("answers[{name}]");
    let message_field = name.clone();
    let described = hint.as_ref().map(|_| format!("{id}-hint"));
    let hint_text = hint.clone();
    let hint_view = hint.map(|text| view! { <p class="hint" id=format!("{id}-hint")>{text}</p> });
    match kind {
        FieldKind::Section => view! { <h3 class="form-section">{label}</h3> }.into_any(),
        FieldKind::Checkbox => view! {
            <div class="field">
                <label class="choice">
                    <input type="checkbox" id=id name=posted value="yes" checked=value == "yes" aria-describedby=described />
                    <span>{label}</span>
                </label>
                {hint_view}
                <FieldMessage error field=message_field />
            </div>
        }
        .into_any(),
        FieldKind::Select(choices) => view! {
            <GroupedSelect id name=posted label choices value required hint=hint_text error error_field=message_field />
        }
        .into_any(),
        FieldKind::Text { max_length } => view! {
            <div class="field">
                <span class="field__label"><label for=id.clone()>{label}</label>{required_mark(required)}</span>
                {hint_view}
                <input
                    type="text"
                    id=id
                    name=posted
                    value=value
                    maxlength=max_length
                    aria-required=required.then_some("true")
                    aria-describedby=described
                />
                <FieldMessage error field=message_field />
            </div>
        }
        .into_any(),
        FieldKind::Date => view! {
            <div class="field">
                <span class="field__label"><label for=id.clone()>{label}</label>{required_mark(required)}</span>
                {hint_view}
                <input
                    type="date"
                    id=id
                    name=posted
                    value=value
                    aria-required=required.then_some("true")
                    aria-describedby=described
                    on:input:target=move |ev| {
                        if watches_dob {
                            dob.set(ev.target().value());
                        }
                    }
                />
                <FieldMessage error field=message_field />
            </div>
        }
        .into_any(),
        FieldKind::Money => view! {
            <div class="field">
                <span class="field__label"><label for=id.clone()>{label}</label>{required_mark(required)}</span>
                {hint_view}
                <input
                    type="number"
                    id=id
                    name=posted
                    value=value
                    min="0"
                    step="0.01"
                    inputmode="decimal"
                    aria-required=required.then_some("true")
                    aria-describedby=described
                />
                <FieldMessage error field=message_field />
            </div>
        }
        .into_any(),
        FieldKind::Number { min, max } => view! {
            <div class="field">
                <span class="field__label"><label for=id.clone()>{label}</label>{required_mark(required)}</span>
                {hint_view}
                <input
                    type="number"
                    id=id
                    name=posted
                    value=value
                    min=min
                    max=max
                    step="1"
                    inputmode="numeric"
                    aria-required=required.then_some("true")
                    aria-describedby=described
                />
                <FieldMessage error field=message_field />
            </div>
        }
        .into_any(),
    }
}

/// A select whose choices may be grouped (`<optgroup>`), with its label, hint and
/// field message.
#[component]
pub fn GroupedSelect(
    id: String,
    /// The posted name.
    name: String,
    label: String,
    choices: Vec<Choice>,
    #[prop(optional)] value: String,
    #[prop(optional)] required: bool,
    #[prop(default = None)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The field name validation errors use.
    error_field: String,
) -> impl IntoView {
    let mut groups: Vec<(Option<String>, Vec<Choice>)> = Vec::new();
    for choice in choices {
        match groups.last_mut() {
            Some((group, list)) if *group == choice.group => list.push(choice),
            _ => groups.push((choice.group.clone(), vec![choice])),
        }
    }
    let described = hint.as_ref().map(|_| format!("{id}-hint"));
    let options = groups
        .into_iter()
        .map(|(group, list)| {
            let options = list
                .into_iter()
                .map(|c| {
                    let selected = c.value == value;
                    view! { <option value=c.value selected=selected>{c.label}</option> }
                })
                .collect_view();
            match group {
                Some(group) => view! { <optgroup label=group>{options}</optgroup> }.into_any(),
                None => options.into_any(),
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <span class="field__label"><label for=id.clone()>{label}</label>{required_mark(required)}</span>
            {hint.map(|text| view! { <p class="hint" id=format!("{id}-hint")>{text}</p> })}
            <select id=id name=name aria-required=required.then_some("true") aria-describedby=described>
                <option value="" selected=value.is_empty()>"Choose…"</option>
                {options}
            </select>
            <FieldMessage error field=error_field />
        </div>
    }
}
