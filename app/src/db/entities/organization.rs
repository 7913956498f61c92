//! 2.01 Organization information.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: String,
    pub organization_name: String,
    /// 2.01.3 Victim service provider: its records are never shown to other organizations.
    pub victim_service_provider: bool,
    /// The CoC's Coordinated Entry organization.
    pub coordinated_entry: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub date_deleted: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
