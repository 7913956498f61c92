// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/HMISParticipation.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 2.08 HMIS participation status (periods): HUD `HMISParticipation.csv`, table `hmis_participations`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "hmis_participations")]
pub struct Model {
    /// HUD `HMISParticipationID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub hmis_participation_id: String,
    /// HUD `ProjectID`: 5.05 (FK Project)
    pub project_id: String,
    /// HUD `HMISParticipationType`: 2.08.1
    pub hmis_participation_type: i32,
    /// HUD `HMISParticipationStatusStartDate`
    pub hmis_participation_status_start_date: Date,
    /// HUD `HMISParticipationStatusEndDate`
    pub hmis_participation_status_end_date: Option<Date>,
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
