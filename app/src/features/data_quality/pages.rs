//! The data-quality report and the records behind each of its counts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;

use super::api::{
    DqFilter, DqReport, csv_path, data_quality_records, data_quality_report, records_path, report_path,
};
use crate::domain::data_quality::{
    Column, ELEMENTS, INTEGRITY, LAG_BUCKETS, LagOf, bucket_label, element_code, lag_code, percent,
};
use crate::routes;
use crate::ui::form::{FilterSelect, Pager};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;

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
    let data = Resource::new(filter, data_quality_report);
    view! {
        <Title text="Data quality" />
        <section class="page">
            <h1>"Data quality"</h1>
            <p class="lead">
                "Enrollments active in the period, checked as HUD's APR data-quality question and the Eva tool check them. "
                "Every count opens the records behind it."
            </p>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let f = filter();
                    match data.await {
                        Ok(report) => view! { <Report filter=f report /> }.into_any(),
                        Err(e) => errors_view(e),
                    }
                })}
            </Transition>
        </section>
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
        <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
            {(!report.organizations.is_empty()).then(|| view! {
                <FilterSelect id="organization_id" label="Organization" any="All organizations" choices=report.organizations.clone() value=filter.organization_id.clone() />
            })}
            <FilterSelect id="project_id" label="Project" any="All projects" choices=report.projects.clone() value=filter.project_id.clone() />
            <div class="field">
                <label for="from">"From"</label>
                <input id="from" name="from" type="date" value=from />
            </div>
            <div class="field">
                <label for="to">"To"</label>
                <input id="to" name="to" type="date" value=to />
            </div>
            <button type="submit" class="button">"Show"</button>
            <a class="button button--secondary" href=csv_path(&shown, None) download="data-quality.csv" rel="external" data-testid="dq-csv">
                "Download CSV"
            </a>
        </Form>
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
            <div class="table-scroll">
                <table class="data-table" data-testid="dq-integrity">
                    <thead><tr><th scope="col">"Check"</th><th scope="col">"Records"</th></tr></thead>
                    <tbody>{integrity}</tbody>
                </table>
            </div>
        </div>
        <div class="card">
            <h2>"Completeness"</h2>
            <p class="hint">"Destination 30 (No exit interview completed) counts as missing, as in the APR; auto-exits and administrative exits record no exit assessment, so their income at exit is missing too."</p>
            <div class="table-scroll">
                <table class="data-table" data-testid="dq-completeness">
                    <thead>
                        <tr>
                            <th scope="col">"Element"</th>
                            <th scope="col">"Universe"</th>
                            <th scope="col">"Doesn't know / prefers not to answer"</th>
                            <th scope="col">"Information missing"</th>
                            <th scope="col">"Issue rate"</th>
                        </tr>
                    </thead>
                    <tbody>{completeness}</tbody>
                </table>
            </div>
        </div>
        <div class="card">
            <h2>"Timeliness"</h2>
            <p class="hint">"Days from the project start (started in the period) or the exit (in the period) to when it was entered."</p>
            <div class="table-scroll">
                <table class="data-table" data-testid="dq-timeliness">
                    <thead><tr><th scope="col">"Entered after"</th><th scope="col">"Project starts"</th><th scope="col">"Exits"</th></tr></thead>
                    <tbody>{timeliness}</tbody>
                </table>
            </div>
        </div>
    }
}

#[component]
pub fn DataQualityRecordsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = crate::report::use_filter::<DqFilter>();
    let check = move || query.with(|q| q.get("check").unwrap_or_default());
    let page = crate::report::use_page();
    let data = Resource::new(
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
                                <div class="table-scroll">
                                    <table class="data-table" data-testid="dq-records">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Client"</th>
                                                <th scope="col">"Project"</th>
                                                <th scope="col">"Start date"</th>
                                                <th scope="col">"Exit date"</th>
                                                <th scope="col">"What is wrong"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {result.rows.into_iter().map(|r| view! {
                                                <tr data-testid="dq-record">
                                                    <td data-label="Client"><a href=routes::client(&r.personal_id)>{r.name}</a></td>
                                                    <td data-label="Project">{r.project_name}</td>
                                                    <td data-label="Start date">{format_date(r.entry_date)}</td>
                                                    <td data-label="Exit date">{r.exit_date.map(format_date).unwrap_or_default()}</td>
                                                    <td data-label="What is wrong">{r.detail}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
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
