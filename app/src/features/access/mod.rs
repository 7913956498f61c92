//! Access: sign-in, sessions, the data context (organization + workgroup), Back Date
//! mode, and the server-side permission checks every other feature calls.

pub mod api;
#[cfg(feature = "ssr")]
pub mod guard;
mod idle;
#[cfg(feature = "ssr")]
pub mod middleware;
mod pages;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod service;

pub use idle::IdleWatch;
pub use pages::{
    BackDateBanner, ChangePasswordPage, LoginCodePage, LoginPage, RequireSession, SettingsPage, TwoStepPage,
    UserMenu, provide_session, use_session,
};
