//! Sign-in, sessions and the data context on the database, by responsibility: passwords,
//! accounts, sign-in limits, sessions, context.

mod accounts;
mod context;
mod limits;
mod passwords;
mod sessions;

pub use accounts::*;
pub use context::*;
use limits::*;
pub use passwords::*;
pub use sessions::*;

const WRONG_CREDENTIALS: &str = "Username or password is incorrect.";
