//! A CE enrollment's entry on the priority list: its latest assessment's score and
//! prioritization status with the facts the list filters and breaks ties on, written
//! with the assessment in one transaction. The list shows the placed entries of open
//! enrollments, so an exit takes a household off it in the exit's own transaction.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ce_priority")]
pub struct Model {
    /// The head of household's CE enrollment.
    #[sea_orm(primary_key, auto_increment = false)]
    pub enrollment_id: String,
    pub household_id: String,
    pub personal_id: String,
    pub assessment_id: String,
    pub assessment_date: Date,
    pub score: i32,
    /// 4.19.7 = 1: placed on the prioritization list.
    pub placed: bool,
    /// 3.917.3 approximate date homelessness started (the length-of-time tie-breaker).
    pub homeless_since: Option<Date>,
    /// `domain::ce::HouseholdType` code.
    pub household_type: i32,
    pub chronic: bool,
    pub veteran: bool,
    pub head_dob: Option<Date>,
    /// The HUD project type the household seeks (2.02.6).
    pub project_type_sought: Option<i32>,
    pub updated_at: DateTimeUtc,
    /// The CE enrollment is open (not exited, not deleted): kept by a trigger on
    /// `enrollments`, so an exit takes the household off the list in its transaction.
    pub enrollment_open: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
