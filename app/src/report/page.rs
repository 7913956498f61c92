//! The frame every report page shares, so a report draws only what is its own: the
//! title and lead, the report's data loaded once (the error panel when it is refused),
//! the filter form (organization for HMIS admins, project, the report's own fields,
//! Show, Download CSV) and the table. Pages stay plain GET forms: they work without
//! JavaScript.

use crate::resource::Resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};

use super::{Filter, FilterChoice};
use crate::error::AppError;
use crate::ui::form::FilterSelect;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

/// A report page: its title and lead, `children` above the report (an action's
/// message), then the report as `body` draws it from `data`.
#[component]
pub fn ReportPage<T, V, F>(
    title: &'static str,
    #[prop(into)] lead: String,
    data: Resource<Result<T, AppError>>,
    body: F,
    /// What to show instead of the error panel when the report is refused (a notice
    /// saying who may see it and how).
    #[prop(optional, into)]
    forbidden: Option<ViewFn>,
    /// A link back above the title: (address, label), e.g. `(routes::ADMIN, "← Admin")`.
    #[prop(optional)]
    back: Option<(&'static str, &'static str)>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Title text=title />
        <section class="page">
            {back.map(|(href, label)| view! { <p><A href=href>{label}</A></p> })}
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {children.map(|c| c())}
            <Transition fallback=Loading>
                {move || {
                    let (body, forbidden) = (body.clone(), forbidden.clone());
                    Suspend::new(async move {
                        match (data.await, forbidden) {
                            (Ok(report), _) => body(report).into_any(),
                            (Err(AppError::Forbidden), Some(notice)) => notice.run(),
                            (Err(e), _) => errors_view(e),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// The "Download CSV" link of a filter form.
#[derive(Clone, Debug)]
pub struct CsvLink {
    pub href: String,
    /// The name the browser saves the file under.
    pub file: &'static str,
    pub testid: &'static str,
}

/// A report's filter form (GET) for `filter`: the organization choice when there is
/// one (HMIS admins), the project choice when the report has one (each showing the
/// filter's value), the report's own fields (`children`), the submit button (Show) and
/// the CSV link.
#[component]
pub fn FilterForm<F: Filter>(
    filter: F,
    #[prop(optional)] organizations: Vec<FilterChoice>,
    #[prop(optional)] projects: Option<Vec<FilterChoice>>,
    #[prop(optional)] csv: Option<CsvLink>,
    /// The submit button's label.
    #[prop(default = "Show")]
    submit: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let value = |field: &str| filter.value(field).map(str::to_string);
    let (organization, project) = (value("organization_id"), value("project_id"));
    view! {
        <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
            {(!organizations.is_empty()).then(|| view! {
                <FilterSelect id="organization_id" label="Organization" any="All organizations" choices=organizations value=organization />
            })}
            {projects.map(|projects| view! {
                <FilterSelect id="project_id" label="Project" any="All projects" choices=projects value=project />
            })}
            {children.map(|c| c())}
            <button type="submit" class="button">{submit}</button>
            {csv.map(|csv| view! {
                <a class="button button--secondary" href=csv.href download=csv.file rel="external" data-testid=csv.testid>
                    "Download CSV"
                </a>
            })}
        </Form>
    }
}
