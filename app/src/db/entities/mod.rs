//! sea-orm entities, one per table. Behaviour lives in services, not here.

pub mod audit_log;
pub mod organization;
pub mod session;
pub mod user;
pub mod user_access;
