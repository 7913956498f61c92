//! Access: sign-in, sessions, the data context (organization + workgroup), Back Date
//! mode, and the server-side permission checks every other feature calls.

pub mod api;
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
    UserMenu,
};

// What other features build on: accounts and organizations are created here (admin,
// organizations), and an admin may turn a user's two-step sign-in off.
#[cfg(feature = "ssr")]
pub use second_factor::clear as clear_second_factor;
#[cfg(feature = "ssr")]
pub use service::{NewUser, create_organization, create_user, hash_password};
