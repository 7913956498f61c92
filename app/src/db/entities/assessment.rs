// @generated begin by scripts/gen-hud-model.py from server/src/hmis_csv/spec/Assessment.csv: edit the script,
// not this region. Hand-written code goes below the end marker.
//! 4.19 Coordinated Entry assessment: HUD `Assessment.csv`, table `assessments`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    /// HUD `AssessmentID`: primary key
    #[sea_orm(primary_key, auto_increment = false)]
    pub assessment_id: String,
    /// HUD `EnrollmentID`: 5.06 (FK Enrollment)
    pub enrollment_id: String,
    /// HUD `PersonalID`: 5.08 (FK Client)
    pub personal_id: String,
    /// HUD `AssessmentDate`: 4.19.1
    pub assessment_date: Date,
    /// HUD `AssessmentLocation`: 4.19.2
    pub assessment_location: String,
    /// HUD `AssessmentType`: 4.19.3
    pub assessment_type: i32,
    /// HUD `AssessmentLevel`: 4.19.4
    pub assessment_level: i32,
    /// HUD `PrioritizationStatus`: 4.19.7
    pub prioritization_status: i32,
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
        belongs_to = "super::enrollment::Entity",
        from = "Column::EnrollmentId",
        to = "super::enrollment::Column::EnrollmentId"
    )]
    Enrollment,
}

impl Related<super::enrollment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrollment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
