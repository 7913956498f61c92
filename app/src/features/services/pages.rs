//! The Services page of an enrollment: services and contacts listed, and the forms to
//! record them (for the owning organization).

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{AddContact, AddService, EnrollmentServices, get_enrollment_services};
use crate::domain::codes::CURRENT_LIVING_SITUATION;
use crate::error::AppError;
use crate::routes;
use crate::ui::fields::{FieldKind, FieldSpec, GroupedSelect};
use crate::ui::form::{DateField, FieldMessage, FormMessage, action_error, form_level};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

#[component]
pub fn EnrollmentServicesPage() -> impl IntoView {
    let params = use_params_map();
    let enrollment_id = move || params.with(|p| p.get("enrollment_id").unwrap_or_default());
    let add_service = ServerAction::<AddService>::new();
    let add_contact = ServerAction::<AddContact>::new();
    let page = resource(
        move || {
            (
                enrollment_id(),
                add_service.version().get() + add_contact.version().get(),
            )
        },
        |(id, _)| get_enrollment_services(id),
    );
    view! {
        <Title text="Services" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => errors_view(e),
                        Ok(p) => view! { <ServicesView p add_service add_contact /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ServicesView(
    p: EnrollmentServices,
    add_service: ServerAction<AddService>,
    add_contact: ServerAction<AddContact>,
) -> impl IntoView {
    let service_error = action_error(add_service);
    let contact_error = action_error(add_contact);
    let period = match p.exit_date {
        None => format!("since {}", format_date(p.entry_date)),
        Some(exit) => format!("{} – {}", format_date(p.entry_date), format_date(exit)),
    };
    let service_enrollment = p.enrollment_id.clone();
    let contact_enrollment = p.enrollment_id.clone();
    let editable = p.editable;
    // On an exited enrollment the default date is the exit date (the last day it covers).
    let exit_date = p.exit_date;
    let service_field =
        FieldSpec::new("service", "Service", FieldKind::Select(p.service_choices.clone())).required();
    view! {
        <p>
            <a href=routes::client(&p.personal_id)>{format!("← {}", p.client_name)}</a>
        </p>
        <h1>"Services"</h1>
        <p class="lead">{format!("{} · {} · {period}", p.project_name, p.organization_name)}</p>
        <section class="card" aria-labelledby="services-title">
            <h2 id="services-title">"Services provided"</h2>
            {if p.services.is_empty() {
                view! { <p class="hint">"No services recorded yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable testid="services" columns=&["Date", "Type", "Service", "Recorded by"]>
                        {p
                            .services
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <tr>
                                        <td data-label="Date">{format_date(s.date_provided)}</td>
                                        <td data-label="Type">{s.record_type}</td>
                                        <td data-label="Service">{s.type_provided}</td>
                                        <td data-label="Recorded by">{s.recorded_by.unwrap_or_default()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
            {editable
                .then(|| {
                    view! {
                        <ActionForm action=add_service attr:class="form" attr:data-testid="add-service">
                            <h3>"Record a service"</h3>
                            <input type="hidden" name="enrollment_id" value=service_enrollment />
                            <FormMessage error=form_level(service_error) />
                            <DateField name="date_provided" label="Date provided" value=exit_date entry_default=true required=true error=service_error />
                            <ServiceSelect field=service_field.clone() error=service_error />
                            <button type="submit" class="button">
                                "Save service"
                            </button>
                        </ActionForm>
                    }
                })}
        </section>
        {p
            .records_contacts
            .then(|| {
                view! {
                    <section class="card" aria-labelledby="contacts-title">
                        <h2 id="contacts-title">"Contacts (current living situation)"</h2>
                        {if p.contacts.is_empty() {
                            view! { <p class="hint">"No contacts recorded yet."</p> }.into_any()
                        } else {
                            view! {
                                <DataTable testid="contacts" columns=&["Date", "Living situation", "Location"]>
                                    {p
                                        .contacts
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <tr>
                                                    <td data-label="Date">{format_date(c.information_date)}</td>
                                                    <td data-label="Living situation">{c.living_situation}</td>
                                                    <td data-label="Location">{c.location_details.unwrap_or_default()}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </DataTable>
                            }
                                .into_any()
                        }}
                        {editable
                            .then(|| {
                                let situation = FieldSpec::code(
                                    "current_living_situation",
                                    "Current living situation",
                                    &CURRENT_LIVING_SITUATION,
                                )
                                .required();
                                view! {
                                    <ActionForm action=add_contact attr:class="form" attr:data-testid="add-contact">
                                        <h3>"Record a contact"</h3>
                                        <input type="hidden" name="enrollment_id" value=contact_enrollment />
                                        <FormMessage error=form_level(contact_error) />
                                        <DateField name="information_date" label="Date of contact" value=exit_date entry_default=true required=true error=contact_error />
                                        <ServiceSelect field=situation error=contact_error />
                                        <div class="field">
                                            <label for="location_details">"Location details (optional)"</label>
                                            <input id="location_details" name="location_details" maxlength="250" />
                                            <FieldMessage error=contact_error field="location_details" />
                                        </div>
                                        <button type="submit" class="button">
                                            "Save contact"
                                        </button>
                                    </ActionForm>
                                }
                            })}
                    </section>
                }
            })}
        {(!editable)
            .then(|| {
                view! {
                    <p class="notice notice--info" role="status">
                        "Read-only: this enrollment belongs to another organization."
                    </p>
                }
            })}
    }
}

/// A select posted under the field's own name (not as a workflow answer).
#[component]
fn ServiceSelect(field: FieldSpec, error: Signal<Option<AppError>>) -> impl IntoView {
    let FieldKind::Select(choices) = field.kind else {
        return ().into_any();
    };
    view! {
        <GroupedSelect
            id=field.name.clone()
            name=field.name.clone()
            label=field.label
            choices
            required=field.required
            error
            error_field=field.name
        />
    }
    .into_any()
}
