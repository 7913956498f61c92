//! Coordinated Entry (Coordinated Entry → Priority List): CE assessments with the CoC's
//! local questions and score, the priority list ranked by score and tie-breakers,
//! referrals as HUD CE events with their results, the receiving organizations'
//! incoming referrals, and CE exits kept to the workgroups the CoC chooses (by default
//! priority list managers and HMIS admins).

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
mod entry;
#[cfg(feature = "ssr")]
pub mod list;
mod pages;
#[cfg(feature = "ssr")]
mod questions;
#[cfg(feature = "ssr")]
pub mod referrals;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;

mod questions_page;

pub use pages::{CeAssessmentPage, CeEventsPage, IncomingReferralsPage, PriorityListPage};
pub use questions_page::CeQuestionsPage;
