//! "Re-enter the Enrollment": what will be undone, then a confirmation.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{ReEnterEnrollment, ReEnterMember, get_re_enter};
use crate::routes;
use crate::ui::form::{FormMessage, action_error, follow};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

#[component]
pub fn ReEnterPage() -> impl IntoView {
    let params = use_params_map();
    let enrollment_id = move || params.with(|p| p.get("enrollment_id").unwrap_or_default());
    let re_enter = ServerAction::<ReEnterEnrollment>::new();
    let preview = resource(enrollment_id, get_re_enter);
    follow(re_enter);
    let error = action_error(re_enter);
    view! {
        <Title text="Re-enter the enrollment" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match preview.await {
                        Err(e) => errors_view(e),
                        Ok(p) => {
                            view! {
                                <p>
                                    <a href=routes::client(&p.personal_id)>{format!("← {}", p.client_name)}</a>
                                </p>
                                <h1>"Re-enter the enrollment"</h1>
                                <div class="card">
                                    <dl class="facts">
                                        <dt>"Project"</dt>
                                        <dd>{p.project_name.clone()}</dd>
                                        <dt>"Project start"</dt>
                                        <dd>{format_date(p.entry_date)}</dd>
                                        <dt>"Exit date"</dt>
                                        <dd>{format_date(p.exit_date)}</dd>
                                        <dt>"Destination"</dt>
                                        <dd>{p.destination.clone()}</dd>
                                    </dl>
                                    <p>
                                        {format!(
                                            "Re-entering removes this exit and its {} exit assessment record(s); the enrollment is open again. The change is recorded in the audit log.",
                                            p.exit_stage_records,
                                        )}
                                    </p>
                                </div>
                                {match p.refused {
                                    Some(reason) => {
                                        view! {
                                            <p class="notice notice--error" role="alert" data-testid="re-enter-refused">
                                                {reason}
                                            </p>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        view! {
                                            <ActionForm action=re_enter attr:class="form">
                                                <input type="hidden" name="enrollment_id" value=p.enrollment_id.clone() />
                                                <FormMessage error />
                                                <Together members=p.together.clone() />
                                                <div class="button-row">
                                                    <button type="submit" class="button" data-testid="confirm-re-enter">
                                                        "Re-enter the enrollment"
                                                    </button>
                                                    <a class="button button--secondary" href=routes::client(&p.personal_id)>
                                                        "Cancel"
                                                    </a>
                                                </div>
                                            </ActionForm>
                                        }
                                            .into_any()
                                    }
                                }}
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// The household members who exited on the same day: each ticked to re-enter together,
/// and any one can be left out.
#[component]
fn Together(members: Vec<ReEnterMember>) -> impl IntoView {
    (!members.is_empty()).then(|| {
        view! {
            <fieldset class="card" data-testid="re-enter-together">
                <legend>"Household members who exited the same day"</legend>
                <p class="hint">"Re-enter them together; untick anyone who stays exited."</p>
                {members
                    .into_iter()
                    .map(|m| {
                        let text = format!("{} ({})", m.client_name, m.relationship);
                        match m.refused {
                            Some(reason) => view! {
                                <p class="hint">{format!("{text}: {reason}")}</p>
                            }
                                .into_any(),
                            None => view! {
                                <label class="choice">
                                    <input
                                        type="checkbox"
                                        name=super::api::together_field(&m.enrollment_id)
                                        value="yes"
                                        checked=true
                                    />
                                    <span>{format!("Re-enter {text} too")}</span>
                                </label>
                            }
                                .into_any(),
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    })
}
