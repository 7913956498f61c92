//! The workflow page: the step list on the left (on top on narrow screens) with a
//! green check on each saved step, the step's form on the right.

use crate::resource::resource;
use leptos::prelude::*;

use crate::ui::keyed::Keyed;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    AddHouseholdMember, DiscardWorkflow, FinishWorkflow, HouseholdMemberView, RemoveHouseholdMember,
    SaveWorkflowStep, StepBody, StepLink, StepView, WorkflowView, get_workflow,
};
use super::start_page::{DedupSearchForm, MatchList, NewClientForm};
use crate::domain::codes::RELATIONSHIP_TO_HOH;
use crate::features::client_search::api::{ClientHit, find_matches};
use crate::ui::fields::Fields;
use crate::ui::fields::ValidationSummary;
use crate::ui::form::{FieldMessage, FormMessage, action_error, follow, form_level};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

#[component]
pub fn WorkflowPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let draft_id = move || params.with(|p| p.get("draft_id").unwrap_or_default());
    let step = move || params.with(|p| p.get("step"));
    let save = ServerAction::<SaveWorkflowStep>::new();
    let finish = ServerAction::<FinishWorkflow>::new();
    let discard = ServerAction::<DiscardWorkflow>::new();
    let add = ServerAction::<AddHouseholdMember>::new();
    let remove = ServerAction::<RemoveHouseholdMember>::new();
    follow(save);
    follow(finish);
    follow(discard);
    follow(add);
    follow(remove);
    // The step is read again after a save that succeeded, never after one the server
    // refused: a refused save answers with its errors at once, and a read arriving
    // after them would rebuild the form (its key is the draft's saved version) and
    // throw away what the person corrected in the meantime.
    let saved = RwSignal::new(0usize);
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let workflow = resource(
        move || {
            (
                draft_id(),
                step(),
                saved.get() + add.version().get() + remove.version().get(),
            )
        },
        |(id, step, _)| get_workflow(id, step),
    );
    let get = move |k: &'static str| query.with(|m| m.get(k).unwrap_or_default());
    let matches = resource(
        move || (get("first"), get("last"), get("dob")),
        |(first, last, dob)| async move {
            if first.trim().is_empty() || last.trim().is_empty() {
                Ok(None)
            } else {
                find_matches(first, last, Some(dob)).await.map(Some)
            }
        },
    );
    let actions = WorkflowActions {
        save,
        finish,
        discard,
        add,
        remove,
    };
    view! {
        <Title text="Workflow" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let found = matches.await;
                    match workflow.await {
                        Err(e) => errors_view(e),
                        Ok(w) => {
                            let found = found.ok().flatten().map(|f| f.hits);
                            // Each member's step (and each saved version of it) gets new
                            // form controls: nothing typed for one member carries over.
                            let key = format!("{}/{}/{}", w.draft_id, w.step.id, w.updated_at.timestamp_micros());
                            let (first, last, dob) = (get("first"), get("last"), get("dob"));
                            view! {
                                <Keyed key>
                                    <WorkflowView
                                        w=w.clone()
                                        actions
                                        found=found.clone()
                                        first=first.clone()
                                        last=last.clone()
                                        dob=dob.clone()
                                    />
                                </Keyed>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone, Copy)]
struct WorkflowActions {
    save: ServerAction<SaveWorkflowStep>,
    finish: ServerAction<FinishWorkflow>,
    discard: ServerAction<DiscardWorkflow>,
    add: ServerAction<AddHouseholdMember>,
    remove: ServerAction<RemoveHouseholdMember>,
}

#[component]
fn WorkflowView(
    w: WorkflowView,
    actions: WorkflowActions,
    found: Option<Vec<ClientHit>>,
    first: String,
    last: String,
    dob: String,
) -> impl IntoView {
    let draft_id = w.draft_id.clone();
    let saved = w.saved_at.clone();
    let discard_error = action_error(actions.discard);
    view! {
        <Title text=format!("{} — {}", w.kind.label(), w.title) />
        <p class="hint">
            <a href=w.back_to.clone()>"← Back"</a>
            {format!(" · {} · draft saved {saved}", w.kind.label())}
        </p>
        <h1 data-testid="workflow-title">{format!("{}: {}", w.kind.label(), w.title)}</h1>
        <div class="workflow">
            <StepList draft_id=draft_id.clone() steps=w.steps.clone() />
            <div class="workflow__step">
                <StepPanel draft_id=draft_id.clone() step=w.step actions found first last dob />
                <ActionForm action=actions.discard attr:class="inline-form workflow__discard">
                    <input type="hidden" name="draft_id" value=draft_id />
                    <button type="submit" class="button button--secondary" data-testid="discard">
                        {format!("Discard this {}", w.kind.label().to_lowercase())}
                    </button>
                </ActionForm>
                <FormMessage error=discard_error />
            </div>
        </div>
    }
}

/// The step list: every step, grouped by member, with a check mark once saved. On a
/// tablet it is folded under one line ("Step 3 of 7 …"), so each step's form starts
/// in the first screen; on wider screens it stays open beside the form.
#[component]
fn StepList(draft_id: String, steps: Vec<StepLink>) -> impl IntoView {
    let total = steps.len();
    let saved = steps.iter().filter(|s| s.done).count();
    let position = steps.iter().position(|s| s.current).map_or(0, |i| i + 1);
    let current = steps
        .iter()
        .find(|s| s.current)
        .map(|s| match &s.member {
            Some(m) => format!("{} — {m}", s.label),
            None => s.label.clone(),
        })
        .unwrap_or_default();
    view! {
        <details class="step-list" data-testid="step-list">
            <summary class="step-list__summary">
                <span>{format!("Step {position} of {total}: {current}")}</span>
                <span class="hint">{format!("{saved} saved · all steps")}</span>
            </summary>
            <StepLinks draft_id steps />
        </details>
    }
    .into_any()
}

#[component]
fn StepLinks(draft_id: String, steps: Vec<StepLink>) -> impl IntoView {
    view! {
        <nav class="steps" aria-label="Steps">
            <ol>
                {steps
                    .into_iter()
                    .map(|s| {
                        let href = super::api::step_path(&draft_id, &s.id);
                        let class = match (s.current, s.done) {
                            (true, _) => "step step--current",
                            (false, true) => "step step--done",
                            _ => "step",
                        };
                        view! {
                            <li class=class data-testid="step" data-done=s.done.to_string()>
                                <a href=href aria-current=s.current.then_some("step")>
                                    <span class="step__mark" aria-hidden="true">
                                        {if s.done { "✓" } else { "" }}
                                    </span>
                                    <span>
                                        {s.label}
                                        {s.member.map(|m| view! { <small class="step__member">{m}</small> })}
                                        {s.done.then(|| view! { <span class="visually-hidden">" (saved)"</span> })}
                                    </span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

#[component]
fn StepPanel(
    draft_id: String,
    step: StepView,
    actions: WorkflowActions,
    found: Option<Vec<ClientHit>>,
    first: String,
    last: String,
    dob: String,
) -> impl IntoView {
    let save_error = action_error(actions.save);
    let finish_error = action_error(actions.finish);
    let add_error = action_error(actions.add);
    let remove_error = action_error(actions.remove);
    let StepView {
        id,
        title,
        intro,
        body,
        default_last,
        no_changes,
        finish,
    } = step;
    // "No Changes" and "Default Last" are what the guides press first: they sit above
    // the form as well as in the action bar under it (which stays in sight on tablets).
    let shortcuts = move |place: &'static str| {
        let shortcut = move |shown: bool, intent: &'static str, label: &'static str, name: &'static str| {
            let testid = match place {
                "top" => name.to_string(),
                _ => format!("{name}-{place}"),
            };
            shown.then(|| {
                view! {
                    <button
                        type="submit"
                        class="button button--secondary"
                        name="intent"
                        value=intent
                        formnovalidate=true
                        data-testid=testid
                    >
                        {label}
                    </button>
                }
            })
        };
        view! {
            {shortcut(no_changes, "no_changes", "No Changes", "no-changes")}
            {shortcut(default_last, "default_last", "Default Last", "default-last")}
        }
    };
    let top = move || {
        (no_changes || default_last)
            .then(|| view! { <div class="button-row button-row--top">{shortcuts("top")}</div> })
    };
    let buttons = move || {
        view! {
            <div class="button-row action-bar">
                <button type="submit" class="button" name="intent" value="save" data-testid="save-continue">
                    "Save & Continue"
                </button>
                {shortcuts("bottom")}
            </div>
        }
    };
    let content = match body {
        StepBody::Form(fields) => view! {
            <ActionForm action=actions.save attr:class="form" attr:data-testid="step-form">
                <input type="hidden" name="draft_id" value=draft_id.clone() />
                <input type="hidden" name="step" value=id.clone() />
                {top()}
                <FormMessage error=form_level(save_error) />
                <Fields fields=fields.clone() error=save_error />
                <ValidationSummary fields error=save_error />
                {buttons()}
            </ActionForm>
        }
        .into_any(),
        StepBody::Household(members) => {
            let here = super::api::step_path(&draft_id, &id);
            view! {
                <HouseholdMembers draft_id=draft_id.clone() members=members.clone() remove=actions.remove />
                <FormMessage error=remove_error />
                <div class="card">
                    <h3>"Add a household member"</h3>
                    <DedupSearchForm action=here first=first.clone() last=last.clone() dob=dob />
                    <FormMessage error=form_level(add_error) />
                    {found
                        .map(|hits| {
                            view! {
                                <MatchList hits label="Add to household" start=None add=Some((actions.add, draft_id.clone())) />
                                <NewClientForm first=first last=last error=add_error start=None add=Some((actions.add, draft_id.clone())) />
                            }
                        })}
                </div>
                <ActionForm action=actions.save attr:class="form" attr:data-testid="step-form">
                    <input type="hidden" name="draft_id" value=draft_id.clone() />
                    <input type="hidden" name="step" value=id.clone() />
                    <h3>"Relationship to the head of household"</h3>
                    <FormMessage error=form_level(save_error) />
                    <FieldMessage error=save_error field="household" />
                    {members
                        .into_iter()
                        .map(|m| {
                            let name = format!("answers[rel_{}]", m.personal_id);
                            let field = format!("rel_{}", m.personal_id);
                            let fid = format!("f-{field}");
                            let chosen = m.relationship.clone();
                            view! {
                                <div class="field">
                                    <label for=fid.clone()>{m.name.clone()}</label>
                                    <select id=fid name=name required>
                                        <option value="" selected=chosen.is_empty()>"Choose…"</option>
                                        {RELATIONSHIP_TO_HOH
                                            .values
                                            .iter()
                                            .map(|c| {
                                                let value = c.code.to_string();
                                                let selected = value == chosen;
                                                view! { <option value=value selected=selected>{c.label}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                    <FieldMessage error=save_error field=field />
                                </div>
                            }
                        })
                        .collect_view()}
                    {buttons()}
                </ActionForm>
            }
            .into_any()
        }
        StepBody::Review(sections) => view! {
            <div data-testid="review">
            {sections
                .into_iter()
                .map(|s| {
                    view! {
                        <div class="card review">
                            <h3>{s.heading}</h3>
                            <dl class="facts">
                                {s
                                    .lines
                                    .into_iter()
                                    .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> })
                                    .collect_view()}
                            </dl>
                        </div>
                    }
                })
                .collect_view()}
            </div>
            <ActionForm action=actions.finish attr:class="form">
                <input type="hidden" name="draft_id" value=draft_id.clone() />
                <FormMessage error=finish_error />
                <button type="submit" class="button" data-testid="finish" disabled=move || actions.finish.pending().get()>
                    "Finish"
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    let _ = finish;
    view! {
        <h2 data-testid="step-title">{title}</h2>
        {intro.map(|i| view! { <p class="hint" data-testid="step-intro">{i}</p> })}
        {content}
    }
    .into_any()
}

#[component]
fn HouseholdMembers(
    draft_id: String,
    members: Vec<HouseholdMemberView>,
    remove: ServerAction<RemoveHouseholdMember>,
) -> impl IntoView {
    let several = members.len() > 1;
    view! {
        <ul class="member-list" data-testid="household-members">
            {members
                .into_iter()
                .map(|m| {
                    let draft_id = draft_id.clone();
                    view! {
                        <li class="member" data-testid="household-member">
                            <div>
                                <strong>{m.name.clone()}</strong>
                                <span class="tag tag--muted">{if m.existing { "On record" } else { "New client" }}</span>
                                {m.dob.map(|d| view! { <p class="hint">{format!("Born {}", format_date(d))}</p> })}
                            </div>
                            {several
                                .then(move || {
                                    view! {
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="draft_id" value=draft_id />
                                            <input type="hidden" name="personal_id" value=m.personal_id.clone() />
                                            <button type="submit" class="button button--secondary">
                                                {format!("Remove {}", m.name)}
                                            </button>
                                        </ActionForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
