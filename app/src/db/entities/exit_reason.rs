//! The local list of reasons for leaving a project, chosen on an exit (`exits.exit_reason_id`).
//! The system reasons are set by Hearth itself: an admin exit or an auto-exit.

use sea_orm::entity::prelude::*;

/// The seeded "Administrative Exit" reason (destination 30, by HMIS staff).
pub const ADMINISTRATIVE_EXIT: &str = "exitreason0000000000000000000001";
/// The seeded "Auto Exit" reason (destination 30, after N days without a service).
pub const AUTO_EXIT: &str = "exitreason0000000000000000000002";

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exit_reasons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub exit_reason_id: String,
    #[sea_orm(unique)]
    pub name: String,
    /// Set by Hearth (Administrative Exit, Auto Exit): not offered to users, not editable.
    pub is_system: bool,
    pub sort_order: i32,
    pub active: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
