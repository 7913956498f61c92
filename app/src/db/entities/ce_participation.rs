// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/CEParticipation.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.09 Coordinated Entry participation status (periods): HUD `CEParticipation.csv`, table `ce_participations`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ce_participations")]
pub struct Model {
    /// HUD `CEParticipationID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub ce_participation_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `AccessPoint`: 2.09 (list 1.10)
    pub access_point: i32,
    /// HUD `PreventionAssessment` (list 1.10)
    pub prevention_assessment: Option<i32>,
    /// HUD `CrisisAssessment` (list 1.10)
    pub crisis_assessment: Option<i32>,
    /// HUD `HousingAssessment` (list 1.10)
    pub housing_assessment: Option<i32>,
    /// HUD `DirectServices` (list 1.10)
    pub direct_services: Option<i32>,
    /// HUD `ReceivesReferrals`: 2.09 (list 1.10)
    pub receives_referrals: Option<i32>,
    /// HUD `CEParticipationStatusStartDate`
    pub ce_participation_status_start_date: Date,
    /// HUD `CEParticipationStatusEndDate`
    pub ce_participation_status_end_date: Option<Date>,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::project::Entity",
        from = "Column::ProjectId",
        to = "super::project::Column::ProjectId"
    )]
    Project,
}

impl Related<super::project::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Project.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
