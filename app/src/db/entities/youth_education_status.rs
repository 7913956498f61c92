// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/YouthEducationStatus.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! C3 Youth education status, by DataCollectionStage: HUD `YouthEducationStatus.csv`, table `youth_education_statuses`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "youth_education_statuses")]
pub struct Model {
    /// HUD `YouthEducationStatusID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub youth_education_status_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `InformationDate`: 5.04
    pub information_date: Date,
    /// HUD `CurrentSchoolAttend`: C3 (list C3.2)
    pub current_school_attend: Option<i32>,
    /// HUD `MostRecentEdStatus`: C3.A
    pub most_recent_ed_status: Option<i32>,
    /// HUD `CurrentEdStatus`: C3.B
    pub current_ed_status: Option<i32>,
    /// HUD `DataCollectionStage`: 5.03 (list 5.03.1)
    pub data_collection_stage: i32,
    /// HUD `DateCreated`: 5.01
    pub created_at: DateTimeUtc,
    /// HUD `DateUpdated`: 5.02
    pub updated_at: DateTimeUtc,
    /// HUD `UserID`: 5.07 (FK User)
    pub created_by: Option<String>,
    /// HUD `DateDeleted`: null unless record deleted (delta exports)
    pub date_deleted: Option<DateTimeUtc>,
    /// Local: the assessment event (master assessment) this row belongs to. The spec's InformationDate and DataCollectionStage stay on the row too: the app writes them equal to the event's, imported files may disagree.
    pub assessment_event_id: String,
}
// @generated end

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::assessment_event::Entity",
        from = "Column::AssessmentEventId",
        to = "super::assessment_event::Column::AssessmentEventId"
    )]
    AssessmentEvent,
}

impl Related<super::assessment_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AssessmentEvent.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
