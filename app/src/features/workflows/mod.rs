//! The guided-workflow engine: a workflow is a list of steps (per household member)
//! kept as a server-side draft — each "Save & Continue" stores the step's answers, so a
//! closed tab, a crash or another device resumes exactly there — and nothing reaches
//! the HUD tables until "Finish" validates every step and commits them in one
//! transaction. Intake is the first workflow; exits and assessments follow.

#[cfg(feature = "ssr")]
pub mod answers;
pub mod api;
#[cfg(feature = "ssr")]
pub mod assessment;
#[cfg(feature = "ssr")]
mod contract;
#[cfg(feature = "ssr")]
pub mod edit_entry;
#[cfg(feature = "ssr")]
pub mod entry_assessment;
#[cfg(feature = "ssr")]
pub mod exit;
#[cfg(feature = "ssr")]
pub mod intake;
mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod update;

mod start_page;
mod starts;

pub use pages::WorkflowPage;
pub use start_page::IntakeStartPage;
pub use starts::{DraftItem, WorkflowMenu, WorkflowStart, use_start};

// What the exit editor builds on: the recorded exit of a household and removing an
// assessment's records.
#[cfg(feature = "ssr")]
pub use assessment::{STAGE_TABLES, remove as remove_assessment};
#[cfg(feature = "ssr")]
pub(crate) use exit::{RecordedExit, recorded_exit};
