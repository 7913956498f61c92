//! One of the CoC's local Coordinated Entry assessment questions (HMIS admins keep the
//! list); each answer choice is worth points and an assessment's score is their sum.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ce_questions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub question_id: String,
    pub position: i32,
    pub question: String,
    /// JSON list of `domain::ce::Choice`.
    pub choices: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
