//! The projects pages: the list with an "add" form, and one project's page with its
//! descriptor, CoCs and funding sources.

use crate::resource::resource;
use leptos::prelude::*;
use leptos::server::ServerAction;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api::{
    AddFunder, AddProjectCoc, FunderRow, ProjectCocRow, ProjectFields, ProjectRow, RemoveFunder,
    RemoveProjectCoc, SaveProject, get_project, list_projects,
};
use crate::domain::codes::{
    COC_CODES, FUNDING_SOURCE, GEOGRAPHY_TYPE, HOUSING_TYPE, PROJECT_TYPE, RRH_SUB_TYPE, TARGET_POPULATION,
};
use crate::error::AppError;
use crate::features::admin::api::OrganizationOption;
use crate::routes;
use crate::session::use_session;
use crate::ui::form::{CodeSelect, DateField, FieldMessage, FormMessage, form_level};
use crate::ui::format::format_long_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

#[component]
pub fn ProjectsPage() -> impl IntoView {
    let save = ServerAction::<SaveProject>::new();
    let list = resource(|| (), |_| list_projects());
    let session = use_session();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    // A new project opens its page, where its CoC and funders are added.
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = save.value().get() {
            navigate(&routes::admin_project(&id), Default::default());
        }
    });
    view! {
        <Title text="Projects" />
        <section class="page">
            <p><A href=routes::ADMIN>"← Admin"</A></p>
            <h1>"Projects"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let list = match list.await {
                        Ok(list) => list,
                        Err(e) => return errors_view(e),
                    };
                    let today = session.await.ok().flatten().map(|s| s.today);
                    let organizations = list.organizations;
                    view! {
                        {if list.projects.is_empty() {
                            view! { <p class="hint">"No projects yet. Add the first one below."</p> }.into_any()
                        } else {
                            view! {
                                <DataTable columns=&["Project", "Organization", "Type", "CoC", "Operating", "Funders"]>
                                    {list
                                        .projects
                                        .into_iter()
                                        .map(|project| view! { <ProjectRowView project today /> })
                                        .collect_view()}
                                </DataTable>
                            }.into_any()
                        }}
                        <div class="card">
                            <h2>"Add a project"</h2>
                            <ProjectForm save error fields=ProjectFields { continuum_project: true, ..Default::default() } organizations />
                        </div>
                    }
                        .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ProjectRowView(project: ProjectRow, today: Option<chrono::NaiveDate>) -> impl IntoView {
    let kind = project
        .project_type
        .and_then(|code| PROJECT_TYPE.label(code))
        .unwrap_or("—");
    let operating = match project.operating_end_date {
        Some(end) => format!(
            "{} – {}",
            format_long_date(project.operating_start_date),
            format_long_date(end)
        ),
        None => format!("Since {}", format_long_date(project.operating_start_date)),
    };
    let closed = today.is_some_and(|t| !project.operating(t));
    view! {
        <tr data-testid="project-row">
            <td data-label="Project">
                <A href=routes::admin_project(&project.project_id)>
                    <strong>{project.project_name.clone()}</strong>
                </A>
                {project.ce_participating.then(|| view! { <span class="tag">"CE"</span> })}
                {closed.then(|| view! { <span class="tag tag--muted">"Closed"</span> })}
            </td>
            <td data-label="Organization">{project.organization_name}</td>
            <td data-label="Type">{kind}</td>
            <td data-label="CoC">{project.coc_codes.join(", ")}</td>
            <td data-label="Operating">{operating}</td>
            <td data-label="Funders">{project.funders}</td>
        </tr>
    }
}

/// The 2.02 descriptor form, to add a project or edit one.
#[component]
fn ProjectForm(
    save: ServerAction<SaveProject>,
    error: Signal<Option<AppError>>,
    fields: ProjectFields,
    organizations: Vec<OrganizationOption>,
) -> impl IntoView {
    let editing = fields.project_id.is_some();
    let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let button = if editing { "Save project" } else { "Add project" };
    let organization_id = fields.organization_id.clone();
    view! {
        <ActionForm action=save attr:class="form">
            <FormMessage error=form_level(error) />
            <input type="hidden" name="project_id" value=fields.project_id.clone().unwrap_or_default() />
            <div class="field">
                <label for="organization_id">"Organization"</label>
                <select id="organization_id" name="organization_id" required>
                    {organizations
                        .into_iter()
                        .map(|o| {
                            let selected = o.organization_id == organization_id;
                            view! { <option value=o.organization_id selected=selected>{o.organization_name}</option> }
                        })
                        .collect_view()}
                </select>
                <FieldMessage error field="organization_id" />
            </div>
            <div class="field">
                <label for="project_name">"Project name"</label>
                <input id="project_name" name="project_name" maxlength="200" required value=fields.project_name.clone() />
                <FieldMessage error field="project_name" />
            </div>
            <div class="field">
                <label for="project_common_name">"Common name (optional)"</label>
                <input
                    id="project_common_name"
                    name="project_common_name"
                    maxlength="200"
                    value=fields.project_common_name.clone().unwrap_or_default()
                />
                <FieldMessage error field="project_common_name" />
            </div>
            <CodeSelect name="project_type" label="HUD project type" list=&PROJECT_TYPE selected=fields.project_type required=true error />
            <CodeSelect
                name="rrh_sub_type"
                label="Rapid Re-Housing subtype"
                hint="Rapid Re-Housing projects only."
                list=&RRH_SUB_TYPE
                selected=fields.rrh_sub_type
                error
            />
            <CodeSelect
                name="housing_type"
                label="Housing type"
                hint="Residential projects (shelter, transitional, safe haven, permanent housing, RRH with housing) only."
                list=&HOUSING_TYPE
                selected=fields.housing_type
                error
            />
            <CodeSelect
                name="target_population"
                label="Target population (optional)"
                list=&TARGET_POPULATION
                selected=fields.target_population
                error
            />
            <div class="field-row">
                <DateField
                    name="operating_start_date"
                    label="Operating since"
                    value=fields.operating_start_date
                    entry_default=true
                    required=true
                    error
                />
                <DateField name="operating_end_date" label="Operating until (optional)" value=fields.operating_end_date error />
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="auto_alert_days">"Alert after days without contact"</label>
                    <input id="auto_alert_days" name="auto_alert_days" type="number" min="30" max="3650" aria-describedby="auto-exit-hint" inputmode="numeric" value=number(fields.auto_alert_days) />
                    <FieldMessage error field="auto_alert_days" />
                </div>
                <div class="field">
                    <label for="auto_exit_days">"Auto-exit after days without contact"</label>
                    <input id="auto_exit_days" name="auto_exit_days" type="number" min="30" max="3650" aria-describedby="auto-exit-hint" inputmode="numeric" value=number(fields.auto_exit_days) />
                    <FieldMessage error field="auto_exit_days" />
                </div>
            </div>
            <p class="hint" id="auto-exit-hint">{auto_exit_hint()}</p>
            <label class="choice">
                <input type="checkbox" name="continuum_project" checked=fields.continuum_project />
                <span><strong>"Continuum project"</strong>" — funded or counted by the CoC (HUD 2.02.3)"</span>
            </label>
            <label class="choice">
                <input type="checkbox" name="ce_participating" checked=fields.ce_participating />
                <span><strong>"Takes part in Coordinated Entry"</strong>" — receives referrals from the priority list"</span>
            </label>
            <button type="submit" class="button">{button}</button>
        </ActionForm>
    }
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<SaveProject>::new();
    let add_coc = ServerAction::<AddProjectCoc>::new();
    let remove_coc = ServerAction::<RemoveProjectCoc>::new();
    let add_funder = ServerAction::<AddFunder>::new();
    let remove_funder = ServerAction::<RemoveFunder>::new();
    let project = resource(
        move || {
            (
                params.with(|p| p.get("project_id").unwrap_or_default()),
                save.version().get()
                    + add_coc.version().get()
                    + remove_coc.version().get()
                    + add_funder.version().get()
                    + remove_funder.version().get(),
            )
        },
        |(project_id, _)| get_project(project_id),
    );
    let organizations = resource(|| (), |_| list_projects());
    let save_error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(_))));
    view! {
        <Title text="Project" />
        <section class="page">
            <p><A href=routes::ADMIN_PROJECTS>"← Projects"</A></p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let detail = match project.await {
                        Ok(detail) => detail,
                        Err(e) => return errors_view(e),
                    };
                    let organizations = organizations.await.map(|l| l.organizations).unwrap_or_default();
                    let project_id = detail.fields.project_id.clone().unwrap_or_default();
                    let project_id2 = project_id.clone();
                    view! {
                        <h1>{detail.fields.project_name.clone()}</h1>
                        <p class="lead">{detail.organization_name.clone()}</p>
                        <div class="card">
                            <h2>"Project"</h2>
                            {move || saved.get().then(|| view! { <p class="notice notice--success" role="status">"Project saved."</p> })}
                            <ProjectForm save error=save_error fields=detail.fields organizations />
                        </div>
                        <CocCard project_id cocs=detail.cocs add=add_coc remove=remove_coc />
                        <FundersCard project_id=project_id2 funders=detail.funders add=add_funder remove=remove_funder />
                    }
                        .into_any()
                })}
            </Transition>
        </section>
    }
}

/// 2.03 Continuum of Care information: the CoCs the project serves.
#[component]
fn CocCard(
    project_id: String,
    cocs: Vec<ProjectCocRow>,
    add: ServerAction<AddProjectCoc>,
    remove: ServerAction<RemoveProjectCoc>,
) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    view! {
        <div class="card">
            <h2>"Continuum of Care"</h2>
            <FormMessage error=remove_error />
            {if cocs.is_empty() {
                view! { <p class="hint">"No CoC yet: HUD reports need the CoC code and geocode of every project."</p> }.into_any()
            } else {
                view! {
                    <ul class="access-list">
                        {cocs
                            .into_iter()
                            .map(|coc| {
                                let name = COC_CODES.label(&coc.coc_code).unwrap_or_default();
                                let place = [coc.city.clone(), coc.state.clone(), coc.zip.clone()]
                                    .into_iter()
                                    .flatten()
                                    .collect::<Vec<_>>()
                                    .join(" ");
                                let button_label = format!("Remove {}", coc.coc_code);
                                view! {
                                    <li data-testid="coc-row">
                                        <span>
                                            <strong>{coc.coc_code.clone()}</strong>
                                            {format!(" {name} · geocode {}", coc.geocode)}
                                            {(!place.is_empty()).then(|| format!(" · {place}"))}
                                        </span>
                                        <ActionForm action=remove attr:class="form form--inline">
                                            <input type="hidden" name="project_coc_id" value=coc.project_coc_id />
                                            <button type="submit" class="button button--secondary" aria-label=button_label>"Remove"</button>
                                        </ActionForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=add attr:class="form">
                <FormMessage error=form_level(add_error) />
                <input type="hidden" name="project_id" value=project_id />
                <div class="field-row">
                    <div class="field">
                        <label for="coc_code">"CoC"</label>
                        <select id="coc_code" name="coc_code" required>
                            <option value="">"Choose…"</option>
                            {COC_CODES
                                .values
                                .iter()
                                .map(|c| view! { <option value=c.code>{format!("{} {}", c.code, c.label)}</option> })
                                .collect_view()}
                        </select>
                        <FieldMessage error=add_error field="coc_code" />
                    </div>
                    <div class="field">
                        <label for="geocode">"Geocode"</label>
                        <input id="geocode" name="geocode" required inputmode="numeric" maxlength="6" pattern="[0-9]{6}" />
                        <FieldMessage error=add_error field="geocode" />
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="city">"City (optional)"</label>
                        <input id="city" name="city" maxlength="50" />
                        <FieldMessage error=add_error field="city" />
                    </div>
                    <div class="field">
                        <label for="state_code">"State (optional)"</label>
                        <input id="state_code" name="state_code" maxlength="2" autocapitalize="characters" />
                        <FieldMessage error=add_error field="state_code" />
                    </div>
                    <div class="field">
                        <label for="zip">"ZIP (optional)"</label>
                        <input id="zip" name="zip" maxlength="5" inputmode="numeric" />
                        <FieldMessage error=add_error field="zip" />
                    </div>
                </div>
                <CodeSelect name="geography_type" label="Geography type (optional)" list=&GEOGRAPHY_TYPE error=add_error />
                <button type="submit" class="button">"Add CoC"</button>
            </ActionForm>
        </div>
    }
}

/// 2.06 Funding sources.
#[component]
fn FundersCard(
    project_id: String,
    funders: Vec<FunderRow>,
    add: ServerAction<AddFunder>,
    remove: ServerAction<RemoveFunder>,
) -> impl IntoView {
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let remove_error = Signal::derive(move || remove.value().get().and_then(Result::err));
    view! {
        <div class="card">
            <h2>"Funding sources"</h2>
            <FormMessage error=remove_error />
            {if funders.is_empty() {
                view! { <p class="hint">"No funding sources yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="access-list">
                        {funders
                            .into_iter()
                            .map(|f| {
                                let source = f
                                    .other_funder
                                    .clone()
                                    .or_else(|| FUNDING_SOURCE.label(f.funder).map(str::to_string))
                                    .unwrap_or_else(|| format!("Funder {}", f.funder));
                                let period = match f.end_date {
                                    Some(end) => format!("{} – {}", format_long_date(f.start_date), format_long_date(end)),
                                    None => format!("since {}", format_long_date(f.start_date)),
                                };
                                let button_label = format!("Remove grant {}", f.grant_id);
                                view! {
                                    <li data-testid="funder-row">
                                        <span>
                                            <strong>{source}</strong>
                                            {format!(" · grant {} · {period}", f.grant_id)}
                                        </span>
                                        <ActionForm action=remove attr:class="form form--inline">
                                            <input type="hidden" name="funder_id" value=f.funder_id />
                                            <button type="submit" class="button button--secondary" aria-label=button_label>"Remove"</button>
                                        </ActionForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }.into_any()
            }}
            <ActionForm action=add attr:class="form">
                <FormMessage error=form_level(add_error) />
                <input type="hidden" name="project_id" value=project_id />
                <CodeSelect name="funder" label="Funding source" list=&FUNDING_SOURCE required=true error=add_error />
                <div class="field">
                    <label for="other_funder">"Other funding source (when Local or Other)"</label>
                    <input id="other_funder" name="other_funder" maxlength="100" />
                    <FieldMessage error=add_error field="other_funder" />
                </div>
                <div class="field">
                    <label for="grant_id">"Grant ID"</label>
                    <input id="grant_id" name="grant_id" maxlength="100" required />
                    <FieldMessage error=add_error field="grant_id" />
                </div>
                <div class="field-row">
                    <DateField name="funder_start_date" label="Grant start" entry_default=true required=true error=add_error />
                    <DateField name="funder_end_date" label="Grant end (optional)" error=add_error />
                </div>
                <button type="submit" class="button">"Add funding source"</button>
            </ActionForm>
        </div>
    }
}

/// What the auto-exit fields mean, with HUD practice's suggested periods.
fn auto_exit_hint() -> String {
    use crate::domain::auto_exit::{MIN_DAYS, suggested};
    use crate::domain::codes::ProjectType;
    let periods: Vec<String> = [
        ProjectType::ServicesOnly,
        ProjectType::Other,
        ProjectType::StreetOutreach,
    ]
    .into_iter()
    .filter_map(|t| {
        suggested(t).map(|s| {
            let alert = s.alert_days.map_or_else(String::new, |a| format!(", alert {a}"));
            format!("{}: exit {}{alert}", t.label(), s.exit_days)
        })
    })
    .collect();
    format!(
        "Empty: off. At least {MIN_DAYS} days, the alert before the exit; not for Coordinated Entry. Suggested — {}.",
        periods.join("; ")
    )
}
