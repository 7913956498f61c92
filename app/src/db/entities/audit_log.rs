//! The append-only audit log: who did what, when, from where, in which context, to
//! which record. Rows are only ever inserted.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub audit_id: i64,
    pub at: DateTimeUtc,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub organization_id: Option<String>,
    pub workgroup: Option<String>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// The client (PersonalID) whose data was viewed or changed, when there is one.
    pub personal_id: Option<String>,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
