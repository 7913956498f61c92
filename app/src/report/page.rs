//! The frame every report page shares, so a report draws only what is its own: the
//! title and lead, the report's data loaded once (the error panel when it is refused),
//! the filter form (organization for HMIS admins, project, the report's own fields,
//! Show, Download CSV) and the table. Pages stay plain GET forms: they work without
//! JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::FilterChoice;
use crate::error::AppError;
use crate::ui::form::FilterSelect;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

/// A report page: its title and lead, `children` above the report (an action's
/// message), then the report as `body` draws it from `data`.
#[component]
pub fn ReportPage<T, V, F>(
    title: &'static str,
    lead: &'static str,
    data: Resource<Result<T, AppError>>,
    body: F,
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
            <h1>{title}</h1>
            <p class="lead">{lead}</p>
            {children.map(|c| c())}
            <Transition fallback=Loading>
                {move || {
                    let body = body.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(report) => body(report).into_any(),
                            Err(e) => errors_view(e),
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

/// A report's filter form (GET): the organization choice when there is one (HMIS
/// admins), the project choice when the report has one, the report's own fields
/// (`children`), Show and the CSV link.
#[component]
pub fn FilterForm(
    #[prop(optional)] organizations: Vec<FilterChoice>,
    #[prop(default = None)] organization: Option<String>,
    #[prop(optional)] projects: Option<Vec<FilterChoice>>,
    #[prop(default = None)] project: Option<String>,
    #[prop(optional)] csv: Option<CsvLink>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
            {(!organizations.is_empty()).then(|| view! {
                <FilterSelect id="organization_id" label="Organization" any="All organizations" choices=organizations value=organization />
            })}
            {projects.map(|projects| view! {
                <FilterSelect id="project_id" label="Project" any="All projects" choices=projects value=project />
            })}
            {children.map(|c| c())}
            <button type="submit" class="button">"Show"</button>
            {csv.map(|csv| view! {
                <a class="button button--secondary" href=csv.href download=csv.file rel="external" data-testid=csv.testid>
                    "Download CSV"
                </a>
            })}
        </Form>
    }
}

/// A report's table: its column headings (an empty one is read as "Actions"), then
/// the rows (`children`).
#[component]
pub fn ReportTable(
    testid: &'static str,
    columns: &'static [&'static str],
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="data-table" data-testid=testid>
                <thead>
                    <tr>
                        {columns
                            .iter()
                            .map(|c| {
                                if c.is_empty() {
                                    view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> }.into_any()
                                } else {
                                    view! { <th scope="col">{*c}</th> }.into_any()
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
