//! 2.01 Organization information.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: String,
    pub organization_name: String,
    /// 2.01.3 Victim service provider: its records are never shown to other organizations.
    /// HUD `VictimServiceProvider` (list 1.7) is exported as 0/1.
    pub victim_service_provider: bool,
    /// The CoC's Coordinated Entry organization (local; not in Organization.csv).
    pub coordinated_entry: bool,
    /// HUD `DateCreated` (5.01).
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated` (5.02).
    pub updated_at: DateTimeUtc,
    /// HUD `DateDeleted`: null unless the record is deleted.
    pub date_deleted: Option<DateTimeUtc>,
    /// HUD `OrganizationCommonName` (2.01.2): the name people use day to day.
    pub organization_common_name: Option<String>,
    /// HUD `UserID` (5.07): the user who created the record.
    pub created_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
