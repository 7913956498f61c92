// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/EmploymentEducation.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! R4 last grade completed, R5 school status, R6 employment status, by DataCollectionStage: HUD `EmploymentEducation.csv`, table `employment_educations`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employment_educations")]
pub struct Model {
    /// HUD `EmploymentEducationID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub employment_education_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `InformationDate`: 5.04
    pub information_date: Date,
    /// HUD `LastGradeCompleted`: R4 (list R4.1)
    pub last_grade_completed: Option<i32>,
    /// HUD `SchoolStatus`: R5 (list R5.1)
    pub school_status: Option<i32>,
    /// HUD `Employed`: R6 (list 1.8)
    pub employed: Option<i32>,
    /// HUD `EmploymentType`: R6.A
    pub employment_type: Option<i32>,
    /// HUD `NotEmployedReason`: R6.B
    pub not_employed_reason: Option<i32>,
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
