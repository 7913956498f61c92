//! The organizations page: a list, and one form to add or edit.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{OrganizationRow, SaveOrganization, list_organizations};
use crate::error::AppError;
use crate::routes;
use crate::ui::form::{FieldMessage, FormMessage};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

#[component]
pub fn OrganizationsPage() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SaveOrganization>::new();
    let list = resource(move || save.version().get(), |_| list_organizations());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let editing = move || query.with(|q| q.get("edit"));

    view! {
        <Title text="Organizations" />
        <section class="page">
            <p><A href=routes::ADMIN>"← Admin"</A></p>
            <h1>"Organizations"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let list = match list.await {
                        Ok(list) => list,
                        Err(e) => return errors_view(e),
                    };
                    let editing = editing().and_then(|id| {
                        list.organizations.iter().find(|o| o.organization_id == id).cloned()
                    });
                    let may_create = list.may_create;
                    view! {
                        <DataTable columns=&["Organization", "Kind", "Users", ""]>
                            {list.organizations.into_iter().map(|org| view! { <OrganizationRowView org /> }).collect_view()}
                        </DataTable>
                        {(editing.is_some() || may_create).then(|| view! {
                            <OrganizationForm save error editing may_set_flags=may_create />
                        })}
                    }
                        .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn OrganizationRowView(org: OrganizationRow) -> impl IntoView {
    let kind = match (org.victim_service_provider, org.coordinated_entry) {
        (true, true) => "Victim service provider · Coordinated Entry",
        (true, false) => "Victim service provider",
        (false, true) => "Coordinated Entry",
        (false, false) => "",
    };
    let edit_label = format!("Edit {}", org.organization_name);
    view! {
        <tr data-testid="organization-row">
            <td data-label="Organization"><strong>{org.organization_name.clone()}</strong></td>
            <td data-label="Kind">{kind}</td>
            <td data-label="Users">{org.users}</td>
            <td data-label="Actions">
                <a class="button button--secondary" href=format!("{}?edit={}", routes::ADMIN_ORGANIZATIONS, org.organization_id) aria-label=edit_label>
                    "Edit"
                </a>
            </td>
        </tr>
    }
}

#[component]
fn OrganizationForm(
    save: ServerAction<SaveOrganization>,
    error: Signal<Option<AppError>>,
    editing: Option<OrganizationRow>,
    may_set_flags: bool,
) -> impl IntoView {
    let title = if editing.is_some() {
        "Edit organization"
    } else {
        "Add an organization"
    };
    let id = editing
        .as_ref()
        .map(|o| o.organization_id.clone())
        .unwrap_or_default();
    let name = editing
        .as_ref()
        .map(|o| o.organization_name.clone())
        .unwrap_or_default();
    let vsp = editing.as_ref().is_some_and(|o| o.victim_service_provider);
    let ce = editing.as_ref().is_some_and(|o| o.coordinated_entry);
    let button = if editing.is_some() {
        "Save organization"
    } else {
        "Add organization"
    };
    view! {
        <div class="card">
            <h2>{title}</h2>
            <ActionForm action=save attr:class="form">
                <FormMessage error=Signal::derive(move || error.get().filter(|e| !matches!(e, AppError::Validation(_)))) />
                <input type="hidden" name="organization_id" value=id />
                <div class="field">
                    <label for="organization_name">"Name"</label>
                    <input id="organization_name" name="organization_name" maxlength="200" required value=name />
                    <FieldMessage error field="organization_name" />
                </div>
                {may_set_flags.then(|| view! {
                    <label class="choice">
                        <input type="checkbox" name="victim_service_provider" checked=vsp />
                        <span>
                            <strong>"Victim service provider"</strong>
                            " — its client records are never shown to other organizations"
                        </span>
                    </label>
                    <label class="choice">
                        <input type="checkbox" name="coordinated_entry" checked=ce />
                        <span>
                            <strong>"Coordinated Entry organization"</strong>
                            " — the CoC's one CE organization (holds the priority list)"
                        </span>
                    </label>
                })}
                <button type="submit" class="button">{button}</button>
            </ActionForm>
        </div>
    }
}
