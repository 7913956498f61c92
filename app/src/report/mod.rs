//! The kit every report and list is built from (the Annual Assessment Tool, the data
//! quality report, caseloads, the priority list, auto-exit and admin-exit lists, the
//! reports page): the filter declared once (`report::filter!`), the filter choices a
//! page offers and, on the server, which projects a filter covers (`scope`) and the CSV
//! download (`csv::CsvReport`). A report keeps only its own query and columns in its
//! feature folder.

use serde::{Deserialize, Serialize};

use crate::domain::codes::FUNDING_SOURCE;

#[cfg(feature = "ssr")]
pub mod csv;
mod filter;
mod page;
#[cfg(feature = "ssr")]
mod scope;

pub(crate) use filter::filter;
pub use filter::{Filter, use_filter, use_page};
pub use page::{CsvLink, FilterForm, ReportPage};
#[cfg(feature = "ssr")]
pub use scope::{Scope, audit_view, filter_choices, names_of, projects_in_scope};

/// A choice of a filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterChoice {
    pub value: String,
    pub label: String,
}

pub use crate::domain::input::non_empty;

/// The HUD funding sources, as a filter's choices.
pub fn funder_choices() -> Vec<FilterChoice> {
    FUNDING_SOURCE
        .values
        .iter()
        .map(|c| FilterChoice {
            value: c.code.to_string(),
            label: c.label.to_string(),
        })
        .collect()
}
