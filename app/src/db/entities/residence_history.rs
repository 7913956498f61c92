//! Client profile (local): where the client has lived, from and to.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "residence_history")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub residence_history_id: String,
    pub personal_id: String,
    /// The organization that recorded it.
    pub organization_id: String,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    /// A 3.917 living-situation code (list 3.917).
    pub living_situation: Option<i32>,
    pub from_date: Option<Date>,
    pub to_date: Option<Date>,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<String>,
    pub date_deleted: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
