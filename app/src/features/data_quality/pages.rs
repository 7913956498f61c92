//! The data-quality report and the records behind each of its counts.

use crate::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::api::{
    DqFilter, DqReport, csv_path, data_quality_records, data_quality_report, records_path, report_path,
};
use crate::domain::data_quality::{
    Column, ELEMENTS, INTEGRITY, LAG_BUCKETS, LagOf, bucket_label, element_code, lag_code, percent,
};
use crate::report::{CsvLink, FilterForm, ReportPage};
use crate::routes;
use crate::ui::form::{FilterInput, Pager};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

/// A count that opens its records (plain text when there are none).
#[component]
fn CountLink(filter: DqFilter, code: String, count: usize) -> impl IntoView {
    if count == 0 {
        view! { <span data-testid=format!("dq-{code}")>"0"</span> }.into_any()
    } else {
        view! { <a href=records_path(&filter, &code) data-testid=format!("dq-{code}")>{count}</a> }.into_any()
    }
}

#[component]
pub fn DataQualityPage() -> impl IntoView {
    let filter = crate::report::use_filter::<DqFilter>();
    let data = resource(filter, data_quality_report);
    view! {
        <ReportPage
            title="Data quality"
            lead="Enrollments active in the period, checked as HUD's APR data-quality question and the Eva tool check them. Every count opens the records behind it."
            data
            body=move |report| view! { <Report filter=filter() report /> }
        />
    }
}

#[component]
fn Report(filter: DqFilter, report: DqReport) -> impl IntoView {
    let from = report.from.format("%Y-%m-%d").to_string();
    let to = report.to.format("%Y-%m-%d").to_string();
    // Links keep the period shown, so the records match the counts.
    let shown = DqFilter {
        from: Some(from.clone()),
        to: Some(to.clone()),
        ..filter.clone()
    };
    let f = shown.clone();
    let completeness = ELEMENTS
        .iter()
        .map(|element| {
            let all = report.count(&element_code(element, Column::Universe));
            let dkr = report.count(&element_code(element, Column::DontKnowRefused));
            let missing = report.count(&element_code(element, Column::Missing));
            let f = f.clone();
            view! {
                <tr>
                    <th scope="row">{element.label}<div class="hint">{element.universe.label()}</div></th>
                    <td data-label="Universe">{all}</td>
                    <td data-label="Doesn't know / prefers not to answer">
                        {if element.has_dont_know {
                            view! { <CountLink filter=f.clone() code=element_code(element, Column::DontKnowRefused) count=dkr /> }.into_any()
                        } else {
                            view! { <span>"—"</span> }.into_any()
                        }}
                    </td>
                    <td data-label="Information missing">
                        <CountLink filter=f.clone() code=element_code(element, Column::Missing) count=missing />
                    </td>
                    <td data-label="Issue rate">{percent(dkr + missing, all)}</td>
                </tr>
            }
        })
        .collect_view();
    let timeliness = LAG_BUCKETS
        .iter()
        .enumerate()
        .map(|(i, bucket)| {
            let (start, exit) = (lag_code(LagOf::Start, i), lag_code(LagOf::Exit, i));
            let (starts, exits) = (report.count(&start), report.count(&exit));
            view! {
                <tr>
                    <th scope="row">{bucket_label(*bucket)}</th>
                    <td data-label="Project starts"><CountLink filter=f.clone() code=start count=starts /></td>
                    <td data-label="Exits"><CountLink filter=f.clone() code=exit count=exits /></td>
                </tr>
            }
        })
        .collect_view();
    let integrity = INTEGRITY
        .iter()
        .map(|check| {
            let count = report.count(check.code);
            view! {
                <tr data-testid="dq-integrity-row">
                    <th scope="row">{check.title}<div class="hint">{check.description}</div></th>
                    <td data-label="Records"><CountLink filter=f.clone() code=check.code.to_string() count /></td>
                </tr>
            }
        })
        .collect_view();
    let errors: usize = INTEGRITY.iter().map(|c| report.count(c.code)).sum();
    view! {
        <FilterForm
            filter=filter.clone()
            organizations=report.organizations.clone()
            projects=report.projects.clone()
            csv=CsvLink { href: csv_path(&shown, None), file: "data-quality.csv", testid: "dq-csv" }
        >
            <FilterInput id="from" label="From" kind="date" value=Some(from) />
            <FilterInput id="to" label="To" kind="date" value=Some(to) />
        </FilterForm>
        <p data-testid="dq-summary">
            {format!(
                "{} enrollments active {} – {}; {} integrity error(s).",
                report.enrollments,
                format_date(report.from),
                format_date(report.to),
                errors
            )}
        </p>
        <div class="card">
            <h2>"Integrity errors"</h2>
            <DataTable testid="dq-integrity" columns=&["Check", "Records"]>{integrity}</DataTable>
        </div>
        <div class="card">
            <h2>"Completeness"</h2>
            <p class="hint">"Destination 30 (No exit interview completed) counts as missing, as in the APR; auto-exits and administrative exits record no exit assessment, so their income at exit is missing too."</p>
            <DataTable
                testid="dq-completeness"
                columns=&["Element", "Universe", "Doesn't know / prefers not to answer", "Information missing", "Issue rate"]
            >
                {completeness}
            </DataTable>
        </div>
        <div class="card">
            <h2>"Timeliness"</h2>
            <p class="hint">"Days from the project start (started in the period) or the exit (in the period) to when it was entered."</p>
            <DataTable testid="dq-timeliness" columns=&["Entered after", "Project starts", "Exits"]>{timeliness}</DataTable>
        </div>
    }
}

#[component]
pub fn DataQualityRecordsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = crate::report::use_filter::<DqFilter>();
    let check = move || query.with(|q| q.get("check").unwrap_or_default());
    let page = crate::report::use_page();
    let data = resource(
        move || (filter(), check(), page()),
        |(f, c, p)| data_quality_records(f, c, Some(p)),
    );
    view! {
        <Title text="Data quality records" />
        <section class="page">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let (f, code) = (filter(), check());
                    match data.await {
                        Ok(result) => {
                            let back = report_path(&f);
                            let base = records_path(&f, &code);
                            view! {
                                <p><A href=back>"← Data quality"</A></p>
                                <h1>{result.title.clone()}</h1>
                                <p data-testid="dq-records-total">
                                    {format!(
                                        "{} record{} · enrollments active {} – {}",
                                        result.total,
                                        if result.total == 1 { "" } else { "s" },
                                        format_date(result.from),
                                        format_date(result.to)
                                    )}
                                </p>
                                <p>
                                    <a class="button button--secondary" href=csv_path(&f, Some(&code)) download="data-quality-records.csv" rel="external" data-testid="dq-records-csv">
                                        "Download CSV"
                                    </a>
                                </p>
                                <DataTable testid="dq-records" columns=&["Client", "Project", "Start date", "Exit date", "What is wrong"]>
                                    {result.rows.into_iter().map(|r| view! {
                                        <tr data-testid="dq-record">
                                            <td data-label="Client"><a href=routes::client(&r.personal_id)>{r.name}</a></td>
                                            <td data-label="Project">{r.project_name}</td>
                                            <td data-label="Start date">{format_date(r.entry_date)}</td>
                                            <td data-label="Exit date">{r.exit_date.map(format_date).unwrap_or_default()}</td>
                                            <td data-label="What is wrong">{r.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </DataTable>
                                <Pager base page=result.page has_more=result.has_more />
                            }
                                .into_any()
                        }
                        Err(e) => errors_view(e),
                    }
                })}
            </Transition>
        </section>
    }
}
