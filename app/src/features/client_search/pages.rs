//! The client search page, the search box in the header, and the table of clients found
//! (also shown by intake's dedup search).

use crate::domain::dedup::short_client_id;
use crate::resource::resource;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{ClientHit, SearchResults, search_clients};
use crate::routes;
use crate::ui::form::{encode_query_value, go_to};
use crate::ui::format::format_date;
use crate::ui::layout::errors_view;
use crate::ui::status::Loading;
use crate::ui::table::DataTable;

/// The search box in the header (a plain GET form: works without JavaScript).
#[component]
pub fn HeaderSearch() -> impl IntoView {
    view! {
        <form class="header-search" action=routes::CLIENTS method="get" role="search">
            <label class="visually-hidden" for="header-q">
                "Find a client"
            </label>
            <input id="header-q" name="q" type="search" placeholder="Find a client: joh smi, ID, DOB, SSN last 4" />
            <button type="submit" class="button button--secondary">
                "Find"
            </button>
        </form>
    }
}

#[component]
pub fn ClientsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u64>().ok()).unwrap_or(0));
    let results = resource(move || (q(), page()), |(q, page)| search_clients(q, Some(page)));
    view! {
        <Title text="Clients" />
        <section class="page">
            <div class="page-head">
                <h1>"Clients"</h1>
                <a class="button" href=routes::INTAKE data-testid="start-intake">
                    "Intake"
                </a>
            </div>
            <form class="form form--inline" action=routes::CLIENTS method="get" role="search">
                <div class="field field--grow">
                    <label for="q">"Search"</label>
                    <input id="q" name="q" type="search" value=q() placeholder="joh smi · client ID · 3/14/1985 · 1234" />
                    <p class="hint">
                        "First letters of first and last name (\"joh smi\"), a client ID, a date of birth, or the SSN's last four digits."
                    </p>
                </div>
                <button type="submit" class="button">
                    "Search"
                </button>
            </form>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match results.await {
                        Err(e) => errors_view(e),
                        Ok(found) => {
                            if let Some(id) = &found.exact {
                                go_to(&routes::client(id));
                            }
                            view! { <SearchResultsView found q=q() /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SearchResultsView(found: SearchResults, q: String) -> impl IntoView {
    if found.empty_query {
        return view! { <p class="hint">"Type a name, ID, date of birth or SSN last four to search."</p> }
            .into_any();
    }
    if found.hits.is_empty() {
        return view! {
            <p class="notice notice--info" role="status" data-testid="no-results">
                "No client matches. Check the spelling, try fewer letters, or start an intake to create the client."
            </p>
        }
        .into_any();
    }
    let page = found.page;
    let q_prev = q.clone();
    view! {
        <ClientHitsTable hits=found.hits />
        <nav class="pager" aria-label="Result pages">
            {(page > 0)
                .then(|| {
                    view! {
                        <a class="button button--secondary" href=format!("{}?q={}&page={}", routes::CLIENTS, encode_query_value(&q_prev), page - 1)>
                            "← Previous"
                        </a>
                    }
                })}
            <span>{format!("Page {}", page + 1)}</span>
            {found
                .has_more
                .then(|| {
                    view! {
                        <a class="button button--secondary" href=format!("{}?q={}&page={}", routes::CLIENTS, encode_query_value(&q), page + 1)>
                            "Next →"
                        </a>
                    }
                })}
        </nav>
    }
    .into_any()
}

/// Clients found, as a table.
#[component]
pub fn ClientHitsTable(hits: Vec<ClientHit>) -> impl IntoView {
    view! {
        <DataTable testid="client-results" columns=&["Name", "Date of birth", "Age", "SSN", "Client ID", "Open enrollments"]>
            {hits
                .into_iter()
                .map(|hit| {
                    view! {
                        <tr data-testid="client-row">
                            <td data-label="Name">
                                <a href=routes::client(&hit.personal_id)>
                                    <strong>{hit.name}</strong>
                                </a>
                                {hit.veteran.then(|| view! { <span class="tag">"Veteran"</span> })}
                            </td>
                            <td data-label="Date of birth" class="nowrap">{hit.dob.map(format_date).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Age">{hit.age.map(|a| a.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="SSN" class="nowrap">{hit.ssn_last4.map(|l| format!("•••-••-{l}")).unwrap_or_else(|| "—".into())}</td>
                            <td data-label="Client ID">
                                <code class="id">{short_client_id(&hit.personal_id)}</code>
                            </td>
                            <td data-label="Open enrollments">
                                {if hit.enrollments.is_empty() { "None".to_string() } else { hit.enrollments.join(", ") }}
                            </td>
                        </tr>
                    }
                })
                .collect_view()}
        </DataTable>
    }
}
