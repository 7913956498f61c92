//! An import's report: what was read and imported from each file, the findings counted
//! by file, kind and action, and the findings themselves, filtered by file and kind
//! with a plain GET form (it works without JavaScript), a page at a time, or all of
//! them as CSV.

use crate::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::api::{
    ImportFinding, ImportJob, ImportReportPage as ReportPage, ReportFilter, import_report, report_csv_path,
    report_path, rows_imported,
};
use crate::error::AppError;
use crate::jobs::JobStatus;
use crate::report::FilterChoice;
use crate::routes;
use crate::ui::form::{FilterSelect, Pager};
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn ImportReportPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let job_run_id = move || params.with(|p| p.get("job_run_id").unwrap_or_default());
    let filter = move || query.with(|q| ReportFilter::from_query(|k| q.get(k)));
    let page = move || query.with(|q| q.get("page").and_then(|p| p.parse::<usize>().ok()));
    let data = resource(
        move || (job_run_id(), filter(), page()),
        |(id, f, page)| import_report(id, f.file, f.kind, page),
    );
    view! {
        <Title text="Import report" />
        <section class="page">
            <p><A href=routes::ADMIN_IMPORTS>"← HMIS CSV import"</A></p>
            <h1>"Import report"</h1>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let f = filter();
                    match data.await {
                        Ok(report) => view! { <ReportView filter=f report /> }.into_any(),
                        Err(e) => refused(e, &job_run_id()),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The page's error; for a filter it cannot use, what is wrong with it and a way to
/// every finding.
fn refused(e: AppError, job_run_id: &str) -> AnyView {
    let AppError::Validation(problems) = &e else {
        return errors_view(e);
    };
    let messages: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
    let all = routes::import_report(job_run_id);
    view! {
        {errors_view(e)}
        <ul data-testid="report-filter-errors">
            {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
        </ul>
        <p><a href=all>"Show every finding"</a></p>
    }
    .into_any()
}

#[component]
fn ReportView(filter: ReportFilter, report: ReportPage) -> impl IntoView {
    let job = report.job.clone();
    let id = job.job_run_id.clone();
    let result = job.result.clone();
    let by = job
        .started_by
        .clone()
        .map(|u| format!(" by {u}"))
        .unwrap_or_default();
    let (imported, read) = rows_imported(&job.result.files);
    let cut = (result.findings_total > result.findings_kept).then(|| {
        view! {
            <p class="notice notice--info" data-testid="findings-cut">
                {format!(
                    "The first {} of {} findings are listed; the counts include them all.",
                    result.findings_kept,
                    result.findings_total,
                )}
            </p>
        }
    });
    view! {
        <dl class="facts" data-testid="import-summary">
            <dt>"File"</dt>
            <dd>{job.file_name.clone()}</dd>
            <dt>"State"</dt>
            <dd>
                <JobStatus job_run_id=id.clone() state=job.state done_label="Imported" progress=job.progress total=job.total message=job.message.clone() />
            </dd>
            <dt>"Started"</dt>
            <dd>{format!("{}{by}", job.started)}</dd>
            <dt>"Export version (CSVVersion)"</dt>
            <dd>{result.version.clone().unwrap_or_else(|| "Not read".into())}</dd>
            {result.source.clone().map(|source| view! {
                <dt>"From"</dt>
                <dd>{source}</dd>
            })}
            {result.scope.clone().map(|scope| view! {
                <dt>"Holds"</dt>
                <dd>{scope}</dd>
            })}
            <dt>"Rows"</dt>
            <dd>{format!("{imported} of {read} imported")}</dd>
            <dt>"Findings"</dt>
            <dd>{result.findings_total}</dd>
        </dl>
        {job.state.busy().then(|| view! {
            <p class="hint">"The import is still running; its report is written when it ends. " <a href=routes::import_report(&id)>"Refresh"</a></p>
        })}
        {cut}
        <FileCounts job=job.clone() />
        <FindingCounts job=job.clone() />
        <Findings filter report />
    }
}

/// Each file's rows: read, imported, left out, Hearth's newer copy kept.
#[component]
fn FileCounts(job: ImportJob) -> impl IntoView {
    // Files the export held no rows in say nothing.
    let files: Vec<_> = job
        .result
        .files
        .into_iter()
        .filter(|f| f.read > 0 || f.deleted > 0)
        .collect();
    view! {
        <div class="card">
            <h2>"Rows by file"</h2>
            {if files.is_empty() {
                view! { <p class="hint">"No file held rows."</p> }.into_any()
            } else {
                view! {
                    <DataTable testid="import-files" columns=&["File", "Read", "Imported", "Not imported", "Hearth's copy newer", "Deleted (not in the full refresh)"]>
                            {files.into_iter().map(|f| view! {
                                <tr>
                                    <th scope="row">{f.file}</th>
                                    <td data-label="Read">{f.read}</td>
                                    <td data-label="Imported">{f.imported}</td>
                                    <td data-label="Not imported">{f.skipped}</td>
                                    <td data-label="Hearth's copy newer">{f.kept_newer}</td>
                                    <td data-label="Deleted (not in the full refresh)">{f.deleted}</td>
                                </tr>
                            }).collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
        </div>
    }
}

/// The findings counted by file, kind and action; each count lists its findings.
#[component]
fn FindingCounts(job: ImportJob) -> impl IntoView {
    let id = job.job_run_id;
    let counts = job.result.findings;
    view! {
        <div class="card">
            <h2>"Findings by kind"</h2>
            {if counts.is_empty() {
                view! { <p class="hint">"Nothing was found that breaks the HMIS CSV specification."</p> }.into_any()
            } else {
                view! {
                    <DataTable testid="import-finding-counts" columns=&["File", "Problem", "What was done", "Findings"]>
                            {counts.into_iter().map(|c| {
                                let href = report_path(&id, &ReportFilter {
                                    file: Some(c.file.clone()),
                                    kind: Some(c.kind.as_str().to_string()),
                                });
                                view! {
                                    <tr>
                                        <th scope="row">{c.file}</th>
                                        <td data-label="Problem">{c.kind.label()}</td>
                                        <td data-label="What was done">{c.action.label()}</td>
                                        <td data-label="Findings"><a href=href>{c.count}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                    </DataTable>
                }
                    .into_any()
            }}
        </div>
    }
}

/// The filter, the findings it matches (a page of them) and the CSV download.
#[component]
fn Findings(filter: ReportFilter, report: ReportPage) -> impl IntoView {
    let id = report.job.job_run_id.clone();
    let files: Vec<FilterChoice> = report
        .files
        .iter()
        .map(|f| FilterChoice {
            value: f.clone(),
            label: f.clone(),
        })
        .collect();
    let kinds: Vec<FilterChoice> = report
        .kinds
        .iter()
        .map(|k| FilterChoice {
            value: k.as_str().to_string(),
            label: k.label().to_string(),
        })
        .collect();
    let csv = report_csv_path(&id, &filter);
    let base = report_path(&id, &filter);
    let matching = match report.matching {
        0 => "No findings match.".to_string(),
        n => format!("{} match.", plural(n, "finding", "findings")),
    };
    view! {
        <div class="card">
            <h2>"Findings"</h2>
            <Form method="GET" action="" attr:class="form form--inline" attr:role="search">
                <FilterSelect id="file" label="File" any="All files" choices=files value=filter.file.clone() />
                <FilterSelect id="kind" label="Problem" any="All problems" choices=kinds value=filter.kind.clone() />
                <button type="submit" class="button">"Apply"</button>
                <a
                    class="button button--secondary"
                    href=csv
                    download="import-report.csv"
                    rel="external"
                    data-testid="import-report-csv"
                >
                    "Download as CSV"
                </a>
            </Form>
            <p data-testid="import-findings-matching">{matching}</p>
            {(!report.rows.is_empty()).then(|| view! { <FindingsTable rows=report.rows.clone() /> })}
            <Pager base page=report.page has_more=report.has_more />
        </div>
    }
}

#[component]
fn FindingsTable(rows: Vec<ImportFinding>) -> impl IntoView {
    view! {
        <DataTable testid="import-findings" columns=&["File", "Line", "Column", "Value", "Problem", "What was done"]>
                {rows.into_iter().map(|f| view! {
                    <tr>
                        <td data-label="File">{f.file}</td>
                        <td data-label="Line">{f.line}</td>
                        <td data-label="Column">{f.column.unwrap_or_default()}</td>
                        <td data-label="Value">{f.value.unwrap_or_default()}</td>
                        <td data-label="Problem">{f.message}</td>
                        <td data-label="What was done">{f.action.label()}</td>
                    </tr>
                }).collect_view()}
        </DataTable>
    }
}
