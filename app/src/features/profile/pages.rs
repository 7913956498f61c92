//! The client profile page: a section per kind of record, each with its current
//! records (Edit opens the record's form in place), an Add form and the history of
//! replaced versions. Disclosures (`<details>`) keep it usable without JavaScript.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{ProfileKind, ProfileRecord, ProfileSection, SaveProfileRecord, get_client_profile};
use crate::routes;
use crate::ui::fields::{Answers, Fields};
use crate::ui::form::{FieldMessage, FormMessage, action_error, form_level};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

#[component]
pub fn ClientProfilePage() -> impl IntoView {
    let params = use_params_map();
    let personal_id = move || params.with(|p| p.get("personal_id").unwrap_or_default());
    // Each form has its own action (its errors stay on it); a save reloads the page.
    let saved = RwSignal::new(0usize);
    let profile = resource(
        move || (personal_id(), saved.get()),
        |(id, _)| get_client_profile(id),
    );
    view! {
        <Title text="Client profile" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match profile.await {
                        Err(e) => errors_view(e),
                        Ok(p) => {
                            let personal_id = p.personal_id.clone();
                            view! {
                                <p>
                                    <a href=routes::client(&p.personal_id)>{format!("← {}", p.client_name)}</a>
                                </p>
                                <h1>{format!("Client profile: {}", p.client_name)}</h1>
                                {p
                                    .sections
                                    .into_iter()
                                    .map(|section| view! { <SectionView section personal_id=personal_id.clone() saved /> })
                                    .collect_view()}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SectionView(section: ProfileSection, personal_id: String, saved: RwSignal<usize>) -> impl IntoView {
    let kind = section.kind;
    let (current, replaced): (Vec<ProfileRecord>, Vec<ProfileRecord>) =
        section.records.into_iter().partition(|r| r.replaced_at.is_none());
    let title_id = format!("profile-{}-title", kind.code());
    let labelled_by = title_id.clone();
    view! {
        <section class="card profile-section" aria-labelledby=labelled_by data-testid=format!("profile-{}", kind.code())>
            <h2 id=title_id>{kind.title()}</h2>
            {section
                .required_notice
                .map(|n| view! { <p class="notice notice--info" role="status">{n}</p> })}
            {kind
                .shared()
                .then(|| {
                    view! {
                        <p class="notice notice--warning" role="note">
                            "Notes are shared with every agency in the CoC. Write only what the client has agreed to share."
                        </p>
                    }
                })}
            {if current.is_empty() {
                view! { <p class="hint">"Nothing recorded yet."</p> }.into_any()
            } else {
                current
                    .into_iter()
                    .map(|record| view! { <RecordView record kind personal_id=personal_id.clone() saved /> })
                    .collect_view()
                    .into_any()
            }}
            <details class="profile-add">
                <summary class="button button--secondary">{format!("Add {}", singular(kind))}</summary>
                <RecordForm kind personal_id=personal_id.clone() record_id=None values=Answers::new() saved />
            </details>
            {(!replaced.is_empty())
                .then(|| {
                    view! {
                        <details class="profile-history">
                            <summary>{format!("History ({} earlier versions)", replaced.len())}</summary>
                            {replaced
                                .into_iter()
                                .map(|record| view! { <RecordView record kind personal_id=personal_id.clone() saved /> })
                                .collect_view()}
                        </details>
                    }
                })}
        </section>
    }
}

fn singular(kind: ProfileKind) -> &'static str {
    match kind {
        ProfileKind::ContactInformation => "contact information",
        ProfileKind::EmergencyContact => "an emergency contact",
        ProfileKind::ResidenceHistory => "a residence",
        ProfileKind::OutreachInformation => "outreach information",
        ProfileKind::Note => "a note",
    }
}

#[component]
fn RecordView(
    record: ProfileRecord,
    kind: ProfileKind,
    personal_id: String,
    saved: RwSignal<usize>,
) -> impl IntoView {
    let stamp = format!(
        "{} · {} · {}",
        record.organization_name,
        record.recorded_by.clone().unwrap_or_default(),
        record.recorded_on,
    );
    let replaced = record.replaced.clone().map(|at| format!("Replaced {at}"));
    view! {
        <div class="profile-record" data-testid="profile-record">
            <dl class="facts">
                {record.lines.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <p class="hint">
                {match replaced {
                    Some(r) => format!("{stamp} · {r}"),
                    None => stamp,
                }}
            </p>
            {record
                .editable
                .then(|| {
                    view! {
                        <details class="profile-edit">
                            <summary class="button button--secondary">"Edit"</summary>
                            <RecordForm kind personal_id record_id=Some(record.record_id.clone()) values=record.values saved />
                        </details>
                    }
                })}
        </div>
    }
}

#[component]
fn RecordForm(
    kind: ProfileKind,
    personal_id: String,
    record_id: Option<String>,
    values: Answers,
    saved: RwSignal<usize>,
) -> impl IntoView {
    let save = ServerAction::<SaveProfileRecord>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            saved.update(|n| *n += 1);
        }
    });
    let error = action_error(save);
    let mut fields: Vec<_> = kind.columns().into_iter().map(|(_, f)| f).collect();
    for field in &mut fields {
        if let Some(v) = values.get(&field.name) {
            field.value = v.clone();
        }
    }
    let label = match (kind.shared(), record_id.is_some()) {
        (true, _) => "Save shared note",
        (false, true) => "Save changes",
        (false, false) => "Save",
    };
    view! {
        <ActionForm action=save attr:class="form">
            <input type="hidden" name="personal_id" value=personal_id />
            <input type="hidden" name="kind" value=kind.code() />
            <input type="hidden" name="record_id" value=record_id.unwrap_or_default() />
            <FormMessage error=form_level(error) />
            <FieldMessage error field="form" />
            <Fields fields error />
            <button type="submit" class="button">
                {label}
            </button>
        </ActionForm>
    }
}
