//! Intake's first page: the dedup search (first letters of the names, date of birth),
//! the clients it finds, and the form for a new client when none is the person.

use crate::resource::resource;
use leptos::prelude::*;

use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{AddHouseholdMember, StartIntake};
use crate::error::AppError;
use crate::features::client_search::api::{ClientHit, find_matches};
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage, action_error, follow, form_level};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

/// The dedup search fields: first letters of the first and last names.
#[component]
pub(super) fn DedupSearchForm(action: String, first: String, last: String, dob: String) -> impl IntoView {
    view! {
        <form class="form form--inline" action=action method="get" role="search" data-testid="dedup-search">
            <div class="field">
                <label for="dedup-first">"First name (first 3 letters)"</label>
                <input id="dedup-first" name="first" type="text" required value=first autocomplete="off" />
            </div>
            <div class="field">
                <label for="dedup-last">"Last name (first 3 letters)"</label>
                <input id="dedup-last" name="last" type="text" required value=last autocomplete="off" />
            </div>
            <div class="field">
                <label for="dedup-dob">"Date of birth (optional)"</label>
                <input id="dedup-dob" name="dob" type="date" value=dob />
            </div>
            <button type="submit" class="button">
                "Search"
            </button>
        </form>
    }
}

/// Intake starts here: search first, then pick the client or create a new one.
#[component]
pub fn IntakeStartPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &'static str| query.with(|m| m.get(k).unwrap_or_default());
    let start = ServerAction::<StartIntake>::new();
    follow(start);
    let error = action_error(start);
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
    view! {
        <Title text="Intake" />
        <section class="page">
            <h1>"Intake"</h1>
            <p class="lead">
                "Search before creating: type the first three letters of the client's first and last names."
            </p>
            <DedupSearchForm action=routes::INTAKE.to_string() first=get("first") last=get("last") dob=get("dob") />
            <FormMessage error=form_level(error) />
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match matches.await {
                        Err(e) => errors_view(e),
                        Ok(None) => ().into_any(),
                        Ok(Some(found)) => {
                            view! {
                                <h2>"Possible matches"</h2>
                                <MatchList hits=found.hits label="Start intake with this client" start=Some(start) add=None />
                                <NewClientForm first=get("first") last=get("last") error start=Some(start) add=None />
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// Clients found by the dedup search, each with a button to pick them.
#[component]
pub(super) fn MatchList(
    hits: Vec<ClientHit>,
    label: &'static str,
    start: Option<ServerAction<StartIntake>>,
    add: Option<(ServerAction<AddHouseholdMember>, String)>,
) -> impl IntoView {
    if hits.is_empty() {
        return view! {
            <p class="notice notice--info" role="status" data-testid="no-matches">
                "No client on record matches. Create a new client below."
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="match-list" data-testid="matches">
            {hits
                .into_iter()
                .map(|hit| {
                    let facts = format!(
                        "{} · {} · SSN {} · ID {}",
                        hit.dob.map(format_date).unwrap_or_else(|| "DOB unknown".into()),
                        hit.age.map(|a| format!("age {a}")).unwrap_or_else(|| "age unknown".into()),
                        hit.ssn_last4.clone().map(|l| format!("•••-••-{l}")).unwrap_or_else(|| "—".into()),
                        hit.personal_id,
                    );
                    let pick = match (start, add.clone()) {
                        (Some(start), _) => {
                            view! {
                                <ActionForm action=start attr:class="inline-form">
                                    <input type="hidden" name="personal_id" value=hit.personal_id.clone() />
                                    <button type="submit" class="button">{label}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        (None, Some((add, draft_id))) => {
                            view! {
                                <ActionForm action=add attr:class="inline-form">
                                    <input type="hidden" name="draft_id" value=draft_id />
                                    <input type="hidden" name="personal_id" value=hit.personal_id.clone() />
                                    <button type="submit" class="button">{label}</button>
                                </ActionForm>
                            }
                                .into_any()
                        }
                        _ => ().into_any(),
                    };
                    view! {
                        <li class="match" data-testid="match">
                            <div>
                                <strong>{hit.name.clone()}</strong>
                                <p class="hint">{facts}</p>
                                {(!hit.enrollments.is_empty())
                                    .then(|| view! { <p class="hint">{format!("Open: {}", hit.enrollments.join(", "))}</p> })}
                            </div>
                            {pick}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// "None of these": create a new client with the full names.
#[component]
pub(super) fn NewClientForm(
    first: String,
    last: String,
    error: Signal<Option<AppError>>,
    start: Option<ServerAction<StartIntake>>,
    add: Option<(ServerAction<AddHouseholdMember>, String)>,
) -> impl IntoView {
    let fields = view! {
        <div class="field">
            <label for="new-first">"First name"</label>
            <input id="new-first" name="first_name" type="text" maxlength="50" required value=first />
            <FieldMessage error field="first_name" />
        </div>
        <div class="field">
            <label for="new-last">"Last name"</label>
            <input id="new-last" name="last_name" type="text" maxlength="50" required value=last />
            <FieldMessage error field="last_name" />
        </div>
    };
    let form = match (start, add) {
        (Some(start), _) => view! {
            <ActionForm action=start attr:class="form form--inline">
                {fields}
                <button type="submit" class="button" data-testid="create-client">
                    "Create new client"
                </button>
            </ActionForm>
        }
        .into_any(),
        (None, Some((add, draft_id))) => view! {
            <ActionForm action=add attr:class="form form--inline">
                <input type="hidden" name="draft_id" value=draft_id />
                {fields}
                <button type="submit" class="button" data-testid="create-client">
                    "Add as a new client"
                </button>
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <div class="card">
            <h2>"None of these"</h2>
            <p class="hint">"Type the full names; the rest of the record comes in the next steps."</p>
            {form}
        </div>
    }
}
