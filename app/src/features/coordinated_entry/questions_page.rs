//! Admin → CE assessment questions: the CoC's local prioritization questions, and who
//! may exit CE enrollments.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;

use super::api::{
    CeExitSetting, QuestionRow, SaveCeExitSetting, SaveCeQuestion, ce_questions, get_ce_exit_setting,
};
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage, action_error, form_level};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

/// Admin → CE assessment questions, and who may exit CE enrollments.
#[component]
pub fn CeQuestionsPage() -> impl IntoView {
    let save = ServerAction::<SaveCeQuestion>::new();
    let data = resource(move || save.version().get(), |_| ce_questions());
    let save_exit = ServerAction::<SaveCeExitSetting>::new();
    let exit_setting = resource(move || save_exit.version().get(), |_| get_ce_exit_setting());
    view! {
        <Title text="CE Assessment Questions" />
        <section class="page">
            <p>
                <a href=routes::ADMIN>"← Admin"</a>
            </p>
            <h1>"Coordinated Entry assessment questions"</h1>
            <p class="lead">"The CoC's local prioritization questions. Each answer choice is worth points; an assessment's score is the sum of the points of its answers, and the priority list ranks by it. Retired questions keep the answers recorded with them."</p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match exit_setting.await {
                        Err(e) => errors_view(e),
                        Ok(setting) => view! { <CeExitSettingForm setting save=save_exit /> }.into_any(),
                    }
                })}
            </Transition>
            <FormMessage error=form_level(action_error(save)) />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => errors_view(e),
                        Ok(questions) => view! {
                            <div data-testid="ce-questions">
                                {questions.into_iter().map(|q| view! { <QuestionForm save question=Some(q) /> }).collect_view()}
                            </div>
                            <h2>"Add a question"</h2>
                            <QuestionForm save question=None />
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn QuestionForm(save: ServerAction<SaveCeQuestion>, question: Option<QuestionRow>) -> impl IntoView {
    let error = action_error(save);
    let id = question
        .as_ref()
        .map(|q| q.question_id.clone())
        .unwrap_or_default();
    let suffix = if id.is_empty() {
        "new".to_string()
    } else {
        id.clone()
    };
    let text = question.as_ref().map(|q| q.question.clone()).unwrap_or_default();
    let choices = question
        .as_ref()
        .map(|q| q.choices_text.clone())
        .unwrap_or_default();
    let position = question
        .as_ref()
        .map(|q| q.position.to_string())
        .unwrap_or_default();
    let active = question.as_ref().is_none_or(|q| q.active);
    let existing = question.is_some();
    view! {
        <ActionForm action=save attr:class="form card" attr:data-testid="ce-question">
            <input type="hidden" name="question_id" value=id />
            <div class="field">
                <label for=format!("question-{suffix}")>"Question"</label>
                <input id=format!("question-{suffix}") name="question" value=text maxlength="500" required=true />
                <FieldMessage error field="question" />
            </div>
            <div class="field">
                <label for=format!("choices-{suffix}")>"Answer choices, one per line as “label = points”"</label>
                <textarea id=format!("choices-{suffix}") name="choices" rows="4" required=true>{choices}</textarea>
                <FieldMessage error field="choices" />
            </div>
            <div class="field">
                <label for=format!("position-{suffix}")>"Position"</label>
                <input id=format!("position-{suffix}") name="position" type="number" min="1" max="1000" value=position />
                <FieldMessage error field="position" />
            </div>
            {existing.then(|| view! {
                <div class="field">
                    <label class="choice">
                        <input type="checkbox" name="active" value="yes" checked=active />
                        <span>"Asked in new assessments"</span>
                    </label>
                </div>
            })}
            {(!existing).then(|| view! { <input type="hidden" name="active" value="yes" /> })}
            <button type="submit" class="button">{if existing { "Save question" } else { "Add question" }}</button>
        </ActionForm>
    }
}

/// Who may exit CE enrollments: each CoC decides (HMIS admins set it).
#[component]
fn CeExitSettingForm(setting: CeExitSetting, save: ServerAction<SaveCeExitSetting>) -> impl IntoView {
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <ActionForm action=save attr:class="form card" attr:data-testid="ce-exit-setting">
            <h2>"Who may exit Coordinated Entry enrollments"</h2>
            <p class="hint">{format!("Others see: \u{201c}{}\u{201d}", setting.message)}</p>
            <fieldset>
                <legend>"Workgroups"</legend>
                {setting
                    .choices
                    .into_iter()
                    .map(|w| {
                        view! {
                            <label class="choice">
                                <input
                                    type="checkbox"
                                    name=format!("workgroups[{}]", w.code())
                                    value="yes"
                                    checked=setting.allowed.contains(&w)
                                />
                                <span>{w.label()}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <FieldMessage error field="workgroups" />
            <FormMessage error=form_level(error) />
            {move || saved().then(|| view! { <p class="notice notice--info" role="status">"Saved."</p> })}
            <button type="submit" class="button">"Save who may exit"</button>
        </ActionForm>
    }
}
