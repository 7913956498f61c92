//! Client profile (local): a dated case note. Notes are shared across agencies;
//! `organization_id` says who wrote it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "client_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_note_id: String,
    pub personal_id: String,
    pub organization_id: String,
    pub note_date: Date,
    pub note: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<String>,
    pub date_deleted: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
