//! "Re-enter the Enrollment": what will be undone, then a confirmation.

use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{ReEnterEnrollment, get_re_enter};
use crate::features::clients::pages::format_date;
use crate::routes;
use crate::ui::form::{FormMessage, action_error, follow};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

#[component]
pub fn ReEnterPage() -> impl IntoView {
    let params = use_params_map();
    let enrollment_id = move || params.with(|p| p.get("enrollment_id").unwrap_or_default());
    let re_enter = ServerAction::<ReEnterEnrollment>::new();
    let preview = Resource::new(enrollment_id, get_re_enter);
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
