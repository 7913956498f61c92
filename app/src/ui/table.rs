//! The data table every list and report draws: its column headings once, each row's
//! cells carrying their column's name (`data-label`) so narrow screens show the rows
//! as labelled cards, and a scroll box for wide tables.

use leptos::prelude::*;

/// A table: its column headings (an empty one is read as "Actions"), then the rows
/// (`children`).
#[component]
pub fn DataTable(
    #[prop(optional)] testid: Option<&'static str>,
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
