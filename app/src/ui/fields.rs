//! Forms described as data: a step of a guided workflow is a list of [`FieldSpec`]s,
//! rendered here and posted as `answers[name]=value`, so a workflow's pages, its draft
//! and its "Default Last" prefill all speak the same language (field name → text).

use std::collections::HashMap;

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
                label: crate::domain::codes::plain_label(code.label).to_string(),
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
    /// Asked only when another answer of the form is one of some values (HUD's
    /// dependent questions: the sources when "from any source" is Yes, the follow-up
    /// of a disability answered Yes). Hidden as the person answers; the server drops
    /// an answer to a question that does not apply and requires it only when it does.
    /// Several: asked when any of them holds (HUD's "either … or …").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shown_when: Vec<ShownWhen>,
}

/// The answer a dependent question waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownWhen {
    /// The answer's field.
    pub field: String,
    /// The values that make the question apply (a select's codes; "yes" for a tick).
    pub values: Vec<String>,
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
            shown_when: Vec::new(),
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

    /// Asked only when `field` is answered with one of `values` (see
    /// [`FieldSpec::shown_when`]).
    pub fn when<V: ToString>(mut self, field: &str, values: impl IntoIterator<Item = V>) -> Self {
        self.shown_when.clear();
        self.or_when(field, values)
    }

    /// Asked also when `field` is answered with one of `values`: the question applies
    /// when any of its conditions holds.
    pub fn or_when<V: ToString>(mut self, field: &str, values: impl IntoIterator<Item = V>) -> Self {
        self.shown_when.push(ShownWhen {
            field: field.to_string(),
            values: values.into_iter().map(|v| v.to_string()).collect(),
        });
        self
    }
}

/// The name of the date-of-birth field that [`FieldSpec::adults_on`] watches.
pub const DOB_FIELD: &str = "dob";

/// Whether a field asked of adults only applies, given the date of birth typed.
fn adult_applies(adults_on: Option<chrono::NaiveDate>, dob: &str) -> bool {
    match (adults_on, crate::domain::input::form_date(dob)) {
        (Some(on), Ok(Some(born))) => born > on || crate::domain::dates::is_adult_on(born, on),
        _ => true,
    }
}

/// Whether a question applies given its conditions: none, or any of them holds.
/// `answer(i)` gives the `i`th condition's controlling answer and whether that answer's
/// own question applies.
fn condition_holds(shown_when: &[ShownWhen], answer: impl Fn(usize) -> (String, bool)) -> bool {
    shown_when.is_empty()
        || shown_when.iter().enumerate().any(|(i, c)| {
            let (given, controller_applies) = answer(i);
            controller_applies && c.values.contains(&given)
        })
}

/// The names of the fields that do not apply to the answers the fields hold (asked of
/// adults only and the date of birth makes a child, or waiting for an answer not
/// given). The server drops those answers and does not require them.
pub fn inapplicable(fields: &[FieldSpec]) -> std::collections::BTreeSet<String> {
    let value = |name: &str| {
        fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
            .unwrap_or_default()
    };
    let dob = value(DOB_FIELD);
    let mut hidden = std::collections::BTreeSet::new();
    // Fields come in page order: a controlling question is decided before those that
    // wait for it.
    for f in fields.iter().filter(|f| !f.name.is_empty()) {
        let applies = adult_applies(f.adults_on, dob)
            && condition_holds(&f.shown_when, |i| {
                let controller = &f.shown_when[i].field;
                (value(controller).to_string(), !hidden.contains(controller))
            });
        if !applies {
            hidden.insert(f.name.clone());
        }
    }
    hidden
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
    // The answers other questions wait for, as the person gives them.
    let watched: HashMap<String, RwSignal<String>> = fields
        .iter()
        .filter(|f| {
            !f.name.is_empty()
                && (f.name == DOB_FIELD
                    || fields
                        .iter()
                        .any(|d| d.shown_when.iter().any(|c| c.field == f.name)))
        })
        .map(|f| (f.name.clone(), RwSignal::new(f.value.clone())))
        .collect();
    let dob = watched.get(DOB_FIELD).copied();
    // Whether each question applies; page order puts a controlling question first.
    let mut applies_by_name: HashMap<String, Signal<bool>> = HashMap::new();
    let mut views = Vec::with_capacity(fields.len());
    for field in fields {
        let adults_on = field.adults_on;
        let condition = field.shown_when.clone();
        let answers: Vec<_> = condition.iter().map(|c| watched.get(&c.field).copied()).collect();
        let controllers: Vec<_> = condition
            .iter()
            .map(|c| applies_by_name.get(&c.field).copied())
            .collect();
        let applies = Signal::derive(move || {
            adult_applies(adults_on, &dob.map(|d| d.get()).unwrap_or_default())
                && condition_holds(&condition, |i| {
                    (
                        answers[i].map(|a| a.get()).unwrap_or_default(),
                        controllers[i].is_none_or(|c| c.get()),
                    )
                })
        });
        if !field.name.is_empty() {
            applies_by_name.insert(field.name.clone(), applies);
        }
        let watch = watched.get(&field.name).copied();
        views.push(view! {
            <div class="field-slot" hidden=move || !applies.get()>
                <FieldView field error watch />
            </div>
        });
    }
    views.collect_view()
}

/// "(required)" beside a required field's label, outside it (the label stays the
/// field's name; screen readers hear `aria-required`).
fn required_mark(required: bool) -> Option<impl IntoView> {
    required.then(|| view! { <span class="required-mark" aria-hidden="true">"(required)"</span> })
}

#[component]
fn FieldView(
    field: FieldSpec,
    error: Signal<Option<AppError>>,
    /// Set as the person answers, when other questions wait for this answer.
    watch: Option<RwSignal<String>>,
) -> impl IntoView {
    let FieldSpec {
        name,
        label,
        kind,
        value,
        required,
        hint,
        adults_on: _,
        shown_when: _,
    } = field;
    let track = move |value: String| {
        if let Some(w) = watch {
            w.set(value);
        }
    };
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
                    <input
                        type="checkbox"
                        id=id
                        name=posted
                        value="yes"
                        checked=value == "yes"
                        aria-describedby=described
                        on:change:target=move |ev| track(if ev.target().checked() { "yes".into() } else { String::new() })
                    />
                    <span>{label}</span>
                </label>
                {hint_view}
                <FieldMessage error field=message_field />
            </div>
        }
        .into_any(),
        FieldKind::Select(choices) => view! {
            <GroupedSelect id name=posted label choices value required hint=hint_text error error_field=message_field watch />
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
                    on:input:target=move |ev| track(ev.target().value())
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
                    on:input:target=move |ev| track(ev.target().value())
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
    /// Set as the person chooses, when other questions wait for this answer.
    #[prop(default = None)]
    watch: Option<RwSignal<String>>,
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
            <select
                id=id
                name=name
                aria-required=required.then_some("true")
                aria-describedby=described
                on:change:target=move |ev| {
                    if let Some(w) = watch {
                        w.set(ev.target().value());
                    }
                }
            >
                <option value="" selected=value.is_empty()>"Choose…"</option>
                {options}
            </select>
            <FieldMessage error field=error_field />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn answered(spec: FieldSpec, value: &str) -> FieldSpec {
        FieldSpec {
            value: value.to_string(),
            ..spec
        }
    }

    /// "Any income?" → "Earned" → "Earned: specify", each waiting for the one before.
    fn chain(any: &str, earned: &str) -> Vec<FieldSpec> {
        vec![
            FieldSpec::section("Income"),
            answered(FieldSpec::new("any", "Any income", FieldKind::Checkbox), any),
            answered(
                FieldSpec::new("earned", "Earned", FieldKind::Text { max_length: 9 }).when("any", ["yes"]),
                earned,
            ),
            FieldSpec::new("note", "Note", FieldKind::Text { max_length: 9 }).when("earned", ["1", "2"]),
        ]
    }

    #[test]
    fn a_question_waits_for_its_answer_and_for_its_question_to_apply() {
        let names = |fields: &[FieldSpec]| inapplicable(fields).into_iter().collect::<Vec<_>>();
        assert_eq!(names(&chain("yes", "1")), Vec::<String>::new());
        assert_eq!(names(&chain("yes", "3")), vec!["note"]);
        // "earned" still holds 1, but its own question does not apply.
        assert_eq!(names(&chain("", "1")), vec!["earned", "note"]);
    }

    #[test]
    fn a_question_for_adults_follows_the_date_of_birth_typed() {
        let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let fields = |dob: &str| {
            vec![
                answered(FieldSpec::new(DOB_FIELD, "Date of birth", FieldKind::Date), dob),
                FieldSpec::new("veteran", "Veteran", FieldKind::Checkbox).adults_only(on),
            ]
        };
        assert!(inapplicable(&fields("2015-01-01")).contains("veteran"));
        assert!(inapplicable(&fields("1980-01-01")).is_empty());
        assert!(inapplicable(&fields("")).is_empty(), "unknown age: asked");
    }

    /// HUD's 3.917: the homeless history after a homeless situation, or after a short
    /// stay elsewhere that followed a night on the streets.
    fn either(situation: &str, night_before: &str) -> Vec<FieldSpec> {
        let code = |name: &str| FieldSpec::new(name, name, FieldKind::Text { max_length: 3 });
        vec![
            answered(code("situation"), situation),
            answered(code("night_before").when("situation", ["215"]), night_before),
            code("months")
                .when("situation", ["116"])
                .or_when("night_before", ["1"]),
        ]
    }

    #[test]
    fn a_question_with_two_conditions_applies_when_either_holds() {
        assert!(!inapplicable(&either("116", "")).contains("months"), "homeless");
        assert!(
            !inapplicable(&either("215", "1")).contains("months"),
            "the night before"
        );
        assert!(inapplicable(&either("215", "0")).contains("months"));
        assert!(inapplicable(&either("", "")).contains("months"));
        // The night before was answered, then the situation changed: that answer no
        // longer applies, so neither does what waits for it.
        assert!(inapplicable(&either("410", "1")).contains("months"));
    }

    proptest! {
        /// Whatever is answered, a dependent question applies exactly when its
        /// controlling question applies and holds one of the awaited values.
        #[test]
        fn dependents_apply_exactly_when_awaited(any in "(yes|)", earned in "[0-4]?") {
            let hidden = inapplicable(&chain(&any, &earned));
            let earned_applies = any == "yes";
            prop_assert_eq!(!hidden.contains("earned"), earned_applies);
            prop_assert_eq!(
                !hidden.contains("note"),
                earned_applies && (earned == "1" || earned == "2")
            );
            prop_assert!(!hidden.contains("any") && !hidden.contains(""));
        }
    }
}
