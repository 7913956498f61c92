//! Which project a referral sends a household to: a HUD 4.20 event (Event.csv has no
//! column for the receiving project) and the receiving organization, which sees it as
//! an incoming referral.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ce_referrals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: String,
    /// The CE enrollment referred (the head of household's).
    pub enrollment_id: String,
    pub personal_id: String,
    pub household_id: String,
    pub project_id: String,
    pub organization_id: String,
    pub referred_on: Date,
    pub created_at: DateTimeUtc,
    pub created_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
