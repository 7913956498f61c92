//! Client profile (local): where street outreach can find the client.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outreach_info")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub outreach_info_id: String,
    pub personal_id: String,
    /// The organization that recorded it.
    pub organization_id: String,
    pub last_known_location: Option<String>,
    pub last_seen_date: Option<Date>,
    pub best_time_to_find: Option<String>,
    pub outreach_worker_notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<String>,
    pub date_deleted: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
