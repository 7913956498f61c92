//! A guided workflow in progress (intake, update, exit…): its step and the answers so far
//! as JSON. Nothing reaches the HUD tables until "Finish" commits it in one transaction.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workflow_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub draft_id: String,
    pub kind: String,
    pub user_id: String,
    pub organization_id: String,
    pub personal_id: Option<String>,
    pub enrollment_id: Option<String>,
    pub household_id: Option<String>,
    pub step: String,
    /// The answers so far (JSON).
    pub payload: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
